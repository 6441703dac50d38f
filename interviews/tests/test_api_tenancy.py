"""Organizations in the interview API: rows land in the caller's organization, another
organization's rows are 404, references across organizations are 400, emails are unique per
organization, and self-registration follows REGISTRATION_ORGANIZATION."""

import pytest
from django.urls import reverse

from accounts.models import Organization, User
from accounts.tests.factories import UserFactory
from assessments.tests.factories import AssessmentFactory
from conftest import client_for
from interviews.models import Candidate, Interview
from interviews.tests.factories import (
    CandidateFactory,
    InterviewFactory,
    PositionFactory,
    ResumeFactory,
)

pytestmark = pytest.mark.django_db

NEW_CANDIDATE = {"email": "grace@example.com", "full_name": "Grace Hopper"}


def test_a_recruiter_creates_candidates_in_its_own_organization(recruiter_api, recruiter_user):
    response = recruiter_api.post(reverse("candidate-list"), NEW_CANDIDATE)

    assert response.status_code == 201, response.json()
    assert response.json()["organization"] == str(recruiter_user.organization_id)
    assert (
        Candidate.objects.get(pk=response.json()["id"]).organization == recruiter_user.organization
    )


def test_an_admin_creates_candidates_in_default_unless_told(admin_api, other_organization):
    default = admin_api.post(reverse("candidate-list"), NEW_CANDIDATE)
    chosen = admin_api.post(
        reverse("candidate-list"), {**NEW_CANDIDATE, "organization": str(other_organization.pk)}
    )

    assert default.status_code == chosen.status_code == 201
    assert default.json()["organization"] == str(Organization.objects.default().pk)
    assert chosen.json()["organization"] == str(other_organization.pk)


def test_a_recruiter_naming_another_organization_is_400_and_writes_nothing(
    recruiter_api, other_organization
):
    response = recruiter_api.post(
        reverse("candidate-list"), {**NEW_CANDIDATE, "organization": str(other_organization.pk)}
    )

    assert response.status_code == 400
    assert "organization" in response.json()
    assert not Candidate.all_objects.exists()


def test_a_candidate_cannot_move_to_another_organization(admin_api, other_organization):
    candidate = CandidateFactory()
    response = admin_api.patch(
        reverse("candidate-detail", args=[candidate.pk]),
        {"organization": str(other_organization.pk)},
    )

    assert response.status_code == 400
    candidate.refresh_from_db()
    assert candidate.organization == Organization.objects.default()


def test_the_same_email_may_be_a_candidate_in_two_organizations(other_organization):
    CandidateFactory(email="ada@example.com")
    recruiter = UserFactory(role=User.Role.RECRUITER, organization=other_organization)

    response = client_for(recruiter).post(
        reverse("candidate-list"), {"email": "ADA@example.com", "full_name": "Ada Lovelace"}
    )

    assert response.status_code == 201, response.json()
    assert Candidate.objects.filter(email="ada@example.com").count() == 2


def test_the_same_email_twice_in_one_organization_is_still_a_conflict(recruiter_api):
    CandidateFactory(email="ada@example.com")

    response = recruiter_api.post(
        reverse("candidate-list"), {"email": "ada@example.com", "full_name": "Ada Again"}
    )

    assert response.status_code == 409
    assert Candidate.objects.count() == 1


@pytest.mark.parametrize("name", ["candidate-detail", "interview-detail"])
def test_another_organizations_rows_are_404_to_staff_and_engines(name, other_organization):
    candidate = CandidateFactory(organization=other_organization)
    interview = InterviewFactory(candidate=candidate)
    row = candidate if name == "candidate-detail" else interview
    for role in User.ORGANIZATION_ROLES:
        client = client_for(UserFactory(role=role))
        assert client.get(reverse(name, args=[row.pk])).status_code == 404, role
        assert client.get(reverse(name.replace("detail", "list"))).json()["results"] == [], role


def test_a_restore_of_another_organizations_candidate_is_404(recruiter_api, other_organization):
    candidate = CandidateFactory(organization=other_organization)
    candidate.deleted_at = candidate.created_at
    candidate.save()

    response = recruiter_api.post(reverse("candidate-restore", args=[candidate.pk]))

    assert response.status_code == 404
    assert Candidate.all_objects.get(pk=candidate.pk).deleted_at is not None


def test_an_interview_for_another_organizations_position_is_400_for_an_admin(
    admin_api, other_organization
):
    candidate = CandidateFactory()
    position = PositionFactory(organization=other_organization)

    response = admin_api.post(
        reverse("interview-list"),
        {"candidate": str(candidate.pk), "position": str(position.pk), "role_type": "python"},
    )

    assert response.status_code == 400
    assert "position" in response.json()
    assert not Interview.objects.exists()


def test_an_interview_for_another_organizations_candidate_is_400_for_a_recruiter(
    recruiter_api, other_organization
):
    candidate = CandidateFactory(organization=other_organization)

    response = recruiter_api.post(
        reverse("interview-list"), {"candidate": str(candidate.pk), "role_type": "python"}
    )

    assert response.status_code == 400
    assert "candidate" in response.json()
    assert not Interview.objects.exists()


def test_interview_rows_carry_their_candidates_organization(other_organization):
    recruiter = UserFactory(role=User.Role.RECRUITER, organization=other_organization)
    client = client_for(recruiter)
    candidate = CandidateFactory(organization=other_organization)
    created = client.post(
        reverse("interview-list"), {"candidate": str(candidate.pk), "role_type": "python"}
    )
    assert created.status_code == 201, created.json()
    interview_id = created.json()["id"]
    assert created.json()["organization"] == str(other_organization.pk)
    assert client.post(reverse("interview-start", args=[interview_id])).status_code == 200
    appended = client.post(
        reverse("interview-message-list", kwargs={"interview_pk": interview_id}),
        {"message_type": "ai_question", "content_text": "Why?"},
    )
    assert appended.status_code == 201, appended.json()

    interview = Interview.objects.get(pk=interview_id)
    assert interview.session.organization_id == other_organization.pk
    assert {m.organization_id for m in interview.messages.all()} == {other_organization.pk}
    assert {c.organization_id for c in interview.status_changes.all()} == {other_organization.pk}


def test_a_candidate_sees_its_profiles_in_every_organization(other_organization):
    person = UserFactory(role=User.Role.CANDIDATE)
    mine = [
        CandidateFactory(user=person, email=person.email),
        CandidateFactory(user=person, email=person.email, organization=other_organization),
    ]
    CandidateFactory(organization=other_organization)  # someone else's

    listed = client_for(person).get(reverse("candidate-list")).json()["results"]

    assert {row["id"] for row in listed} == {str(profile.pk) for profile in mine}


REGISTRATION = {
    "email": "new.person@example.com",
    "password": "a-long-passphrase-9",
    "full_name": "New Person",
}


def test_registration_creates_the_profile_in_the_registration_organization(
    anon_client, settings, other_organization
):
    settings.REGISTRATION_ORGANIZATION = other_organization.slug

    response = anon_client.post(reverse("auth-register"), REGISTRATION)

    assert response.status_code == 201, response.json()
    profile = Candidate.objects.get(email=REGISTRATION["email"])
    assert profile.organization == other_organization
    assert profile.user.role == User.Role.CANDIDATE


def test_invitation_only_registration_creates_the_account_alone(anon_client, settings):
    settings.REGISTRATION_ORGANIZATION = ""

    response = anon_client.post(reverse("auth-register"), REGISTRATION)

    assert response.status_code == 201, response.json()
    assert User.objects.filter(email=REGISTRATION["email"]).exists()
    assert not Candidate.all_objects.exists()


@pytest.mark.parametrize("name", ["candidate-list", "interview-list", "resume-list"])
def test_an_admin_filters_any_list_by_organization(admin_api, other_organization, name):
    mine = CandidateFactory(organization=other_organization)
    InterviewFactory(candidate=mine)
    ResumeFactory(candidate=mine)
    theirs = CandidateFactory()
    InterviewFactory(candidate=theirs)
    ResumeFactory(candidate=theirs)

    everything = admin_api.get(reverse(name)).json()["results"]
    narrowed = admin_api.get(reverse(name), {"organization": str(other_organization.pk)})

    assert len(everything) == 2
    assert len(narrowed.json()["results"]) == 1


def test_the_assessment_skill_filter_stays_in_the_callers_organization(
    recruiter_api, other_organization
):
    AssessmentFactory(skill_scores={"python": 90})
    AssessmentFactory(
        interview__candidate=CandidateFactory(organization=other_organization),
        skill_scores={"python": 95},
    )

    listed = recruiter_api.get(
        reverse("assessment-list"), {"skill": "python", "min_skill_score": 80}
    )

    assert [row["skill_scores"]["python"] for row in listed.json()["results"]] == [90]
