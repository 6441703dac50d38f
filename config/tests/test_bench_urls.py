"""The bench's floor views are mounted by the bench's own settings and URLconf, never by ours."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

import bench.settings
import config.settings
from accounts import services
from accounts.models import Organization, User
from accounts.tests.factories import OrganizationFactory, UserFactory
from interviews.tests.factories import CandidateFactory, InterviewFactory


def test_project_urlconf_mounts_no_floor_views(client):
    with pytest.raises(NoReverseMatch):
        reverse("bench-floor-interviews")
    assert client.get("/bench/floor/interviews/").status_code == 404


@override_settings(ROOT_URLCONF="bench.urls")
def test_bench_urlconf_adds_the_floor_views_to_the_project_urls(client):
    assert reverse("bench-floor-interviews") == "/bench/floor/interviews/"
    assert reverse("interview-list") == "/api/v1/interviews/"
    assert client.get("/bench/floor/interviews/").status_code == 401  # no bearer token


def test_bench_settings_are_the_project_settings_with_the_bench_urlconf():
    assert bench.settings.ROOT_URLCONF == "bench.urls"
    assert config.settings.ROOT_URLCONF == "config.urls"
    assert bench.settings.INSTALLED_APPS == config.settings.INSTALLED_APPS
    assert bench.settings.DATABASES == config.settings.DATABASES


def _floor_get(client, path: str, user):
    token = services.token_issue(user=user).raw
    return client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
def test_floor_views_scope_interviews_by_organization_as_the_api_does(client):
    ours, theirs = OrganizationFactory(), OrganizationFactory()
    mine = InterviewFactory(candidate=CandidateFactory(organization=ours))
    other = InterviewFactory(candidate=CandidateFactory(organization=theirs))
    recruiter = UserFactory(role=User.Role.RECRUITER, organization=ours)
    admin = UserFactory(role=User.Role.ADMIN)

    listed = _floor_get(client, "/bench/floor/interviews/", recruiter).json()
    assert [row["id"] for row in listed["results"]] == [str(mine.pk)]
    assert listed["count"] == 1
    everything = _floor_get(client, "/bench/floor/interviews/", admin).json()
    assert {row["id"] for row in everything["results"]} == {str(mine.pk), str(other.pk)}
    foreign = _floor_get(client, f"/bench/floor/interviews/{other.pk}/messages/", recruiter)
    assert foreign.status_code == 404
    own = _floor_get(client, f"/bench/floor/interviews/{mine.pk}/messages/", recruiter)
    assert own.status_code == 200


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
def test_floor_views_refuse_a_token_of_a_suspended_organization(client):
    organization = OrganizationFactory()
    recruiter = UserFactory(role=User.Role.RECRUITER, organization=organization)
    assert _floor_get(client, "/bench/floor/interviews/", recruiter).status_code == 200
    organization.status = Organization.Status.SUSPENDED
    organization.save()
    assert _floor_get(client, "/bench/floor/interviews/", recruiter).status_code == 401
