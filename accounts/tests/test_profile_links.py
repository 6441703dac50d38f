"""Which Candidate profile a login reaches: registration never claims an existing profile, and
restoring a deleted login takes back only the profile it had."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import services
from accounts.models import User
from accounts.tests.factories import UserFactory
from conftest import client_for
from interviews.models import Candidate
from interviews.tests.factories import (
    CandidateFactory,
    InterviewFactory,
    InterviewMessageFactory,
    ResumeFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "plenty-long-passphrase"


def register(email: str):
    body = {"email": email, "password": PASSWORD, "full_name": "Claimant"}
    return APIClient().post(reverse("auth-register"), body)


def login_client(email: str) -> APIClient:
    token = APIClient().post(reverse("auth-login"), {"email": email, "password": PASSWORD})
    assert token.status_code == 200, token.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.json()['token']}")
    return client


def staff_created_candidate(email: str) -> Candidate:
    """A candidate a recruiter created, with an interview, a transcript and a resume."""
    candidate = CandidateFactory(email=email)
    ResumeFactory(candidate=candidate)
    interview = InterviewFactory(candidate=candidate, in_progress=True)
    InterviewMessageFactory(interview=interview, session=interview.session, sequence_number=1)
    return candidate


def assert_sees_nothing_of(client: APIClient, candidate: Candidate) -> None:
    interview = candidate.interviews.get()
    resume = candidate.resumes.get()
    assert client.get(reverse("candidate-detail", args=[candidate.pk])).status_code == 404
    assert client.get(reverse("interview-detail", args=[interview.pk])).status_code == 404
    messages = reverse("interview-message-list", kwargs={"interview_pk": interview.pk})
    assert client.get(messages).status_code == 404
    assert client.get(reverse("resume-detail", args=[resume.pk])).status_code == 404
    assert client.get(reverse("resume-download", args=[resume.pk])).status_code == 404
    for name in ("candidate-list", "interview-list", "resume-list", "assessment-list"):
        assert client.get(reverse(name)).json()["results"] == [], name


# --- registration -----------------------------------------------------------------------------


def test_registering_a_staff_created_candidates_email_does_not_take_over_the_profile():
    candidate = staff_created_candidate("taken.over@example.com")

    response = register("Taken.Over@example.com")

    assert response.status_code == 201
    user = User.objects.get(pk=response.json()["id"])
    assert user.role == User.Role.CANDIDATE
    candidate.refresh_from_db()
    assert candidate.user is None
    assert Candidate.all_objects.filter(email="taken.over@example.com").count() == 1
    assert_sees_nothing_of(login_client("taken.over@example.com"), candidate)


def test_registering_the_email_of_a_deleted_logins_profile_does_not_take_it_over(admin_api):
    candidate = staff_created_candidate("left@example.com")
    first = register("left@example.com")
    former = User.objects.get(pk=first.json()["id"])
    Candidate.objects.filter(pk=candidate.pk).update(user=former)  # linked by an invitation
    assert admin_api.delete(reverse("user-detail", args=[former.pk])).status_code == 204

    again = register("left@example.com")

    assert again.status_code == 201
    candidate.refresh_from_db()
    assert candidate.user is None
    assert_sees_nothing_of(login_client("left@example.com"), candidate)


def test_registering_a_fresh_email_creates_the_account_and_its_linked_profile():
    response = register("fresh@example.com")

    assert response.status_code == 201
    candidate = Candidate.objects.get(email="fresh@example.com")
    assert str(candidate.user_id) == response.json()["id"]
    assert candidate.full_name == "Claimant"
    client = login_client("fresh@example.com")
    listed = client.get(reverse("candidate-list")).json()["results"]
    assert [row["id"] for row in listed] == [str(candidate.pk)]


def test_registering_an_email_whose_profile_was_deleted_creates_a_fresh_profile():
    gone = CandidateFactory(email="gone@example.com")
    Candidate.all_objects.filter(pk=gone.pk).update(deleted_at=gone.created_at)

    response = register("gone@example.com")

    assert response.status_code == 201
    fresh = Candidate.objects.get(email="gone@example.com")
    assert fresh.pk != gone.pk
    assert str(fresh.user_id) == response.json()["id"]


# --- restore ----------------------------------------------------------------------------------


def test_restore_links_the_profile_the_login_had_again(admin_api):
    user = UserFactory(role=User.Role.CANDIDATE)
    candidate = CandidateFactory(email=user.email, user=user)
    services.user_soft_delete(user=user)
    candidate.refresh_from_db()
    assert (candidate.user_id, candidate.former_user_id) == (None, user.pk)

    assert admin_api.post(reverse("user-restore", args=[user.pk])).status_code == 200

    candidate.refresh_from_db()
    assert (candidate.user_id, candidate.former_user_id) == (user.pk, None)


def test_restore_does_not_link_a_profile_created_meanwhile_with_its_email(admin_api):
    user = UserFactory(role=User.Role.CANDIDATE, email="had.no.profile@example.com")
    services.user_soft_delete(user=user)
    candidate = staff_created_candidate("had.no.profile@example.com")

    assert admin_api.post(reverse("user-restore", args=[user.pk])).status_code == 200

    candidate.refresh_from_db()
    assert candidate.user is None
    user.refresh_from_db()
    user.set_password(PASSWORD)
    user.save()
    assert_sees_nothing_of(login_client(user.email), candidate)


def test_restore_leaves_its_former_profile_with_the_login_that_has_it_now(admin_api):
    user = UserFactory(role=User.Role.CANDIDATE)
    candidate = CandidateFactory(email=user.email, user=user)
    services.user_soft_delete(user=user)
    other = UserFactory(role=User.Role.CANDIDATE)
    Candidate.objects.filter(pk=candidate.pk).update(user=other)

    assert admin_api.post(reverse("user-restore", args=[user.pk])).status_code == 200

    candidate.refresh_from_db()
    assert candidate.user == other


def test_restore_does_not_link_a_former_profile_that_was_deleted(admin_api):
    user = UserFactory(role=User.Role.CANDIDATE)
    candidate = CandidateFactory(email=user.email, user=user)
    services.user_soft_delete(user=user)
    Candidate.all_objects.filter(pk=candidate.pk).update(deleted_at=candidate.created_at)

    assert admin_api.post(reverse("user-restore", args=[user.pk])).status_code == 200

    candidate.refresh_from_db()
    assert candidate.user is None


def test_purging_a_deleted_login_forgets_the_former_link():
    user = UserFactory(role=User.Role.CANDIDATE)
    candidate = CandidateFactory(email=user.email, user=user)
    services.user_soft_delete(user=user)
    User.all_objects.filter(pk=user.pk).delete()
    candidate.refresh_from_db()
    assert candidate.former_user is None


def test_linked_candidate_sees_its_own_data_after_restore(admin_api):
    user = UserFactory(role=User.Role.CANDIDATE)
    user.set_password(PASSWORD)
    user.save()
    candidate = staff_created_candidate(user.email)
    Candidate.objects.filter(pk=candidate.pk).update(user=user)
    services.user_soft_delete(user=user)
    admin_api.post(reverse("user-restore", args=[user.pk]))

    client = client_for(user)
    assert client.get(reverse("candidate-detail", args=[candidate.pk])).status_code == 200
    interview = candidate.interviews.get()
    assert client.get(reverse("interview-detail", args=[interview.pk])).status_code == 200
