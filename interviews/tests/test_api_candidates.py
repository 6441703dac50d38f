"""The candidates endpoints: who may call, create, update, soft delete, restore, filters."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.tests.factories import AssessmentFactory
from interviews import services
from interviews.models import Candidate
from interviews.tests.factories import CandidateFactory, InterviewFactory

pytestmark = [pytest.mark.django_db, pytest.mark.pgbouncer]

NEW_CANDIDATE = {
    "email": "  Ada.Lovelace@Example.COM ",
    "full_name": "Ada Lovelace",
    "phone": "+1 (415) 555-0100",
    "target_role": "Backend engineer",
    "experience_level": "senior",
}


def detail(candidate: Candidate) -> str:
    return reverse("candidate-detail", args=[candidate.pk])


def emails(response) -> list[str]:
    return [row["email"] for row in response.json()["results"]]


# --- who may call (the tables: config/tests/test_roles.py) ------------------------------------


def test_candidate_without_profile_sees_nothing(candidate_api):
    CandidateFactory.create_batch(2)
    response = candidate_api.get(reverse("candidate-list"))
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_candidate_patches_own_profile_but_not_email_or_status(candidate_api, own_candidate):
    response = candidate_api.patch(
        detail(own_candidate),
        {
            "full_name": "Grace Hopper",
            "phone": "+44 20 7946 0958",
            "email": "someone.else@example.com",
            "status": "inactive",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert body["full_name"] == "Grace Hopper"
    assert body["phone"] == "+442079460958"
    own_candidate.refresh_from_db()
    assert own_candidate.full_name == "Grace Hopper"
    assert own_candidate.email != "someone.else@example.com"
    assert own_candidate.status == Candidate.Status.ACTIVE


# --- create and update ------------------------------------------------------------------------


@pytest.mark.parametrize("role_api", ["admin_api", "recruiter_api"])
def test_staff_create_candidate_with_normalised_email_and_phone(request, role_api):
    client = request.getfixturevalue(role_api)
    response = client.post(reverse("candidate-list"), NEW_CANDIDATE)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["email"] == "ada.lovelace@example.com"
    assert body["phone"] == "+14155550100"
    assert body["status"] == "active"
    stored = Candidate.objects.get(pk=body["id"])
    assert stored.email == "ada.lovelace@example.com"
    assert stored.phone == "+14155550100"
    assert stored.experience_level == Candidate.ExperienceLevel.SENIOR


@pytest.mark.parametrize("phone", ["12345", "+1 415 abc 0100", "+0 415 555 0100", "+1" + "2" * 20])
def test_create_candidate_with_invalid_phone_is_400(recruiter_api, phone):
    response = recruiter_api.post(reverse("candidate-list"), {**NEW_CANDIDATE, "phone": phone})
    assert response.status_code == 400
    assert "phone" in response.json()
    assert Candidate.objects.count() == 0


@pytest.mark.parametrize(
    "changes",
    [
        {"email": "not-an-email"},
        {"full_name": "A"},
        {"experience_level": "wizard"},
        {"status": "retired"},
        # Numbers are not strings (issue 12, item 14).
        {"full_name": 12345},
        {"target_role": 5},
        {"phone": 4155550100},
    ],
)
def test_create_candidate_with_bad_field_is_400(recruiter_api, changes):
    response = recruiter_api.post(reverse("candidate-list"), {**NEW_CANDIDATE, **changes})
    assert response.status_code == 400
    assert set(changes) <= set(response.json())
    assert Candidate.objects.count() == 0


@pytest.mark.parametrize("email", ["ada.lovelace@example.com", "ADA.Lovelace@example.com"])
def test_duplicate_live_email_is_conflict(recruiter_api, email):
    CandidateFactory(email="ada.lovelace@example.com")
    response = recruiter_api.post(reverse("candidate-list"), {**NEW_CANDIDATE, "email": email})
    assert response.status_code == 409
    assert response.json() == {
        "detail": "A candidate with this email already exists.",
        "code": "email_taken",
    }
    assert Candidate.all_objects.count() == 1


def test_changing_email_to_a_taken_one_is_conflict(recruiter_api):
    CandidateFactory(email="taken@example.com")
    candidate = CandidateFactory(email="mine@example.com")
    response = recruiter_api.patch(detail(candidate), {"email": "Taken@Example.com"})
    assert response.status_code == 409
    candidate.refresh_from_db()
    assert candidate.email == "mine@example.com"


def test_staff_update_candidate(recruiter_api):
    candidate = CandidateFactory()
    response = recruiter_api.patch(
        detail(candidate), {"status": "inactive", "email": "New.Address@Example.com"}
    )
    assert response.status_code == 200
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.INACTIVE
    assert candidate.email == "new.address@example.com"


# --- soft delete and restore ------------------------------------------------------------------


def test_soft_delete_hides_candidate_and_everything_it_owns(recruiter_api, engine_api):
    candidate = CandidateFactory()
    interview = InterviewFactory(candidate=candidate, in_progress=True)
    services.message_append(interview=interview, message_type="ai_question", content_text="Hi?")
    assessment = AssessmentFactory(interview__candidate=candidate)

    response = recruiter_api.delete(detail(candidate))

    assert response.status_code == 204
    candidate = Candidate.all_objects.get(pk=candidate.pk)
    assert candidate.deleted_at is not None
    for client in (recruiter_api, engine_api):
        assert client.get(reverse("candidate-list")).json()["count"] == 0
        assert client.get(detail(candidate)).status_code == 404
        assert client.get(reverse("interview-list")).json()["count"] == 0
        assert client.get(reverse("interview-detail", args=[interview.pk])).status_code == 404
        messages = reverse("interview-message-list", kwargs={"interview_pk": interview.pk})
        assert client.get(messages).status_code == 404
        assert client.get(reverse("assessment-list")).json()["count"] == 0
        assert client.get(reverse("assessment-detail", args=[assessment.pk])).status_code == 404


def test_email_is_reusable_after_soft_delete(recruiter_api):
    first = recruiter_api.post(reverse("candidate-list"), NEW_CANDIDATE).json()
    assert recruiter_api.delete(reverse("candidate-detail", args=[first["id"]])).status_code == 204
    second = recruiter_api.post(reverse("candidate-list"), NEW_CANDIDATE)
    assert second.status_code == 201
    assert second.json()["id"] != first["id"]
    assert Candidate.all_objects.filter(email="ada.lovelace@example.com").count() == 2


@pytest.mark.parametrize("role_api", ["admin_api", "recruiter_api"])
def test_staff_restore_soft_deleted_candidate(request, role_api):
    client = request.getfixturevalue(role_api)
    candidate = CandidateFactory(deleted_at=timezone.now())
    response = client.post(reverse("candidate-restore", args=[candidate.pk]))
    assert response.status_code == 200
    assert response.json()["id"] == str(candidate.pk)
    candidate.refresh_from_db()
    assert candidate.deleted_at is None
    assert client.get(detail(candidate)).status_code == 200


def test_restore_of_a_live_candidate_is_404(recruiter_api):
    candidate = CandidateFactory()
    assert recruiter_api.post(reverse("candidate-restore", args=[candidate.pk])).status_code == 404


def test_restore_when_a_live_candidate_took_the_email_is_conflict(recruiter_api):
    gone = CandidateFactory(email="ada@example.com", deleted_at=timezone.now())
    CandidateFactory(email="ada@example.com")
    response = recruiter_api.post(reverse("candidate-restore", args=[gone.pk]))
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"
    gone.refresh_from_db()
    assert gone.deleted_at is not None


# --- filters, search and ordering -------------------------------------------------------------


@pytest.fixture
def roster():
    return {
        "ada": CandidateFactory(
            full_name="Ada Lovelace",
            email="ada@example.com",
            target_role="Backend engineer",
            experience_level="senior",
        ),
        "grace": CandidateFactory(
            full_name="Grace Hopper",
            email="grace@navy.example.org",
            target_role="Compiler engineer",
            experience_level="principal",
            status="inactive",
        ),
        "linus": CandidateFactory(
            full_name="Linus Torvalds",
            email="linus@example.com",
            target_role="Frontend developer",
            experience_level="junior",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "inactive"}, {"grace"}),
        ({"status": "active"}, {"ada", "linus"}),
        ({"experience_level": "junior"}, {"linus"}),
        ({"experience_level": ["senior", "principal"]}, {"ada", "grace"}),
        ({"target_role": "engineer"}, {"ada", "grace"}),
        ({"target_role": "FRONTEND"}, {"linus"}),
        ({"search": "hopper"}, {"grace"}),
        ({"search": "navy.example"}, {"grace"}),
        ({"search": "example.com"}, {"ada", "linus"}),
        ({"search": "nobody"}, set()),
    ],
)
def test_candidate_filters_and_search(recruiter_api, roster, query, expected):
    response = recruiter_api.get(reverse("candidate-list"), query)
    assert response.status_code == 200
    by_email = {candidate.email: name for name, candidate in roster.items()}
    assert {by_email[email] for email in emails(response)} == expected


def test_candidate_filter_with_unknown_choice_is_400(recruiter_api, roster):
    assert recruiter_api.get(reverse("candidate-list"), {"status": "gone"}).status_code == 400


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("full_name", ["ada@example.com", "grace@navy.example.org", "linus@example.com"]),
        ("-full_name", ["linus@example.com", "grace@navy.example.org", "ada@example.com"]),
        ("email", ["ada@example.com", "grace@navy.example.org", "linus@example.com"]),
    ],
)
def test_candidate_ordering(recruiter_api, roster, ordering, expected):
    response = recruiter_api.get(reverse("candidate-list"), {"ordering": ordering})
    assert emails(response) == expected


def test_candidate_list_default_order_is_newest_first(recruiter_api, roster):
    assert emails(recruiter_api.get(reverse("candidate-list"))) == [
        "linus@example.com",
        "grace@navy.example.org",
        "ada@example.com",
    ]
