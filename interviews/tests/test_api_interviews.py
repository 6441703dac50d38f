"""The interviews endpoints: CRUD, the start/complete/abandon workflow, history and filters."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentResult
from assessments.tests.factories import AssessmentFactory
from interviews import services
from interviews.models import (
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
)
from interviews.tests.factories import (
    CandidateFactory,
    InterviewFactory,
    InterviewMessageFactory,
    ResumeFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.pgbouncer]

Status = Interview.Status


def detail(interview: Interview) -> str:
    return reverse("interview-detail", args=[interview.pk])


def act(client, action: str, interview: Interview, payload=None):
    return client.post(reverse(f"interview-{action}", args=[interview.pk]), payload)


def ids(response) -> list[str]:
    return [row["id"] for row in response.json()["results"]]


def parse(timestamp: str) -> datetime:
    return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))


# --- create and update ------------------------------------------------------------------------


@pytest.mark.parametrize("role_api", ["admin_api", "recruiter_api", "engine_api"])
def test_create_interview_records_created_history(request, role_api):
    client = request.getfixturevalue(role_api)
    candidate = CandidateFactory(full_name="Ada Lovelace")
    resume = ResumeFactory(candidate=candidate)
    response = client.post(
        reverse("interview-list"),
        {
            "candidate": str(candidate.pk),
            "resume": str(resume.pk),
            "role_type": "fullstack",
            "ai_model_used": "gpt-4o",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "scheduled"
    assert body["candidate_name"] == "Ada Lovelace"
    assert body["resume"] == str(resume.pk)
    assert body["started_at"] is None
    assert body["message_count"] == 0
    assert body["overall_score"] is None
    (change,) = InterviewStatusChange.objects.filter(interview_id=body["id"])
    assert (change.from_status, change.to_status, change.reason) == ("", "scheduled", "created")
    assert change.changed_by.role == role_api.removesuffix("_api")


def test_create_with_resume_of_another_candidate_is_400_and_creates_nothing(recruiter_api):
    candidate = CandidateFactory()
    foreign_resume = ResumeFactory()
    response = recruiter_api.post(
        reverse("interview-list"),
        {"candidate": str(candidate.pk), "resume": str(foreign_resume.pk), "role_type": "react"},
    )
    assert response.status_code == 400
    assert "resume" in response.json()
    assert Interview.objects.count() == 0
    assert InterviewStatusChange.objects.count() == 0


@pytest.mark.parametrize(
    "payload",
    [
        {"role_type": "cobol"},
        {"role_type": "python", "candidate": "not-a-uuid"},
        {"role_type": "python", "candidate": "0190a4d8-0000-7000-8000-000000000000"},
        {"role_type": "python", "scheduled_for": "next tuesday"},
    ],
)
def test_create_with_bad_input_is_400(recruiter_api, payload):
    candidate = CandidateFactory()
    response = recruiter_api.post(
        reverse("interview-list"), {"candidate": str(candidate.pk), **payload}
    )
    assert response.status_code == 400
    assert Interview.objects.count() == 0


def test_create_for_soft_deleted_candidate_is_400(recruiter_api):
    candidate = CandidateFactory(deleted_at=timezone.now())
    response = recruiter_api.post(
        reverse("interview-list"), {"candidate": str(candidate.pk), "role_type": "python"}
    )
    assert response.status_code == 400
    assert "candidate" in response.json()


def test_patch_changes_the_plan_but_not_the_status(recruiter_api):
    interview = InterviewFactory()
    response = recruiter_api.patch(
        detail(interview),
        {"status": "completed", "role_type": "react", "started_at": timezone.now().isoformat()},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "scheduled"
    assert response.json()["role_type"] == "react"
    interview.refresh_from_db()
    assert interview.status == Status.SCHEDULED
    assert interview.started_at is None
    assert interview.role_type == "react"


def test_patch_cannot_move_interview_to_another_candidate(recruiter_api):
    interview = InterviewFactory()
    original = interview.candidate_id
    response = recruiter_api.patch(detail(interview), {"candidate": str(CandidateFactory().pk)})
    assert response.status_code == 400
    assert "candidate" in response.json()
    interview.refresh_from_db()
    assert interview.candidate_id == original


def test_patch_with_resume_of_another_candidate_is_400(recruiter_api):
    interview = InterviewFactory()
    response = recruiter_api.patch(detail(interview), {"resume": str(ResumeFactory().pk)})
    assert response.status_code == 400
    assert "resume" in response.json()
    interview.refresh_from_db()
    assert interview.resume is None


def test_patch_with_own_resume_is_accepted(engine_api):
    interview = InterviewFactory()
    resume = ResumeFactory(candidate=interview.candidate)
    response = engine_api.patch(detail(interview), {"resume": str(resume.pk)})
    assert response.status_code == 200
    interview.refresh_from_db()
    assert interview.resume == resume


# --- deletion: only a scheduled interview, which has no transcript yet (issue 12, item 12) ----


@pytest.mark.parametrize("role_api", ["recruiter_api", "engine_api"])
def test_delete_scheduled_interview_removes_it_and_its_history(request, role_api):
    client = request.getfixturevalue(role_api)
    interview = services.interview_create(
        candidate=CandidateFactory(), role_type=Interview.RoleType.PYTHON, by=None
    )
    assert client.delete(detail(interview)).status_code == 204
    assert not Interview.objects.filter(pk=interview.pk).exists()
    assert not InterviewStatusChange.objects.filter(interview_id=interview.pk).exists()


@pytest.mark.parametrize("trait", ["in_progress", "completed", "abandoned"])
def test_delete_interview_that_is_not_scheduled_is_conflict_and_keeps_everything(
    recruiter_api, trait
):
    interview = InterviewFactory(**{trait: True})
    if interview.started_at is not None:
        InterviewMessageFactory(interview=interview, session=interview.session)
    if trait == "completed":
        AssessmentFactory(interview=interview)

    response = recruiter_api.delete(detail(interview))

    assert response.status_code == 409
    assert response.json()["code"] == "interview_not_deletable"
    assert trait.replace("_", " ") in response.json()["detail"]
    assert Interview.objects.filter(pk=interview.pk).exists()
    if interview.started_at is not None:
        assert InterviewSession.objects.filter(interview_id=interview.pk).exists()
        assert InterviewMessage.objects.filter(interview_id=interview.pk).count() == 1
    if trait == "completed":
        assert AssessmentResult.objects.filter(interview_id=interview.pk).exists()


def test_delete_scheduled_interview_with_a_stray_transcript_is_conflict(recruiter_api):
    # The workflow never writes messages before the start; rows written around it still count.
    interview = InterviewFactory()
    session = InterviewSession.objects.create(
        organization=interview.organization, interview=interview
    )
    InterviewMessageFactory(interview=interview, session=session)

    response = recruiter_api.delete(detail(interview))

    assert response.status_code == 409
    assert response.json()["code"] == "interview_not_deletable"
    assert InterviewMessage.objects.filter(interview_id=interview.pk).exists()


# --- workflow ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role_api", ["recruiter_api", "engine_api"])
def test_start_moves_to_in_progress_and_opens_session_at_warmup(request, role_api):
    client = request.getfixturevalue(role_api)
    interview = InterviewFactory()
    response = act(client, "start", interview)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "in_progress"
    assert body["started_at"] is not None
    session = InterviewSession.objects.get(interview=interview)
    assert session.current_difficulty_level == InterviewSession.DifficultyLevel.WARMUP
    assert session.questions_asked_count == 0


def test_start_twice_is_conflict_naming_the_current_status(recruiter_api):
    interview = InterviewFactory()
    started_at = act(recruiter_api, "start", interview).json()["started_at"]
    response = act(recruiter_api, "start", interview)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "invalid_transition"
    assert "in_progress" in body["detail"] or "in progress" in body["detail"]
    interview.refresh_from_db()
    assert interview.started_at == parse(started_at)
    assert InterviewSession.objects.filter(interview=interview).count() == 1
    assert interview.status_changes.count() == 1  # only the start (the factory wrote none)


def test_complete_sets_completion_time_and_duration(engine_api):
    started = timezone.now() - timedelta(minutes=30)
    interview = InterviewFactory(in_progress=True, started_at=started)
    response = act(engine_api, "complete", interview)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "completed"
    completed_at = parse(body["completed_at"])
    assert completed_at >= started
    assert body["duration_seconds"] == int((completed_at - started).total_seconds())
    assert body["duration_seconds"] >= 30 * 60


@pytest.mark.parametrize("trait", ["scheduled", "completed", "abandoned"])
def test_complete_when_not_in_progress_is_conflict(recruiter_api, trait):
    interview = InterviewFactory(**({} if trait == "scheduled" else {trait: True}))
    response = act(recruiter_api, "complete", interview)
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert interview.status in response.json()["detail"]
    refreshed = Interview.objects.get(pk=interview.pk)
    assert refreshed.status == interview.status
    assert refreshed.completed_at == interview.completed_at


@pytest.mark.parametrize("trait", ["scheduled", "in_progress"])
def test_abandon_records_reason_and_who(recruiter_api, recruiter_user, trait):
    interview = InterviewFactory(**({} if trait == "scheduled" else {trait: True}))
    response = act(recruiter_api, "abandon", interview, {"reason": "Candidate did not show up"})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "abandoned"
    assert body["abandon_reason"] == "Candidate did not show up"
    history = recruiter_api.get(reverse("interview-history", args=[interview.pk])).json()
    last = history[-1]
    assert (last["from_status"], last["to_status"]) == (trait, "abandoned")
    assert last["reason"] == "Candidate did not show up"
    assert last["changed_by"] == str(recruiter_user.pk)
    assert last["changed_by_email"] == recruiter_user.email


@pytest.mark.parametrize("trait", ["completed", "abandoned"])
def test_abandon_a_finished_interview_is_conflict(engine_api, trait):
    interview = InterviewFactory(**{trait: True})
    response = act(engine_api, "abandon", interview, {"reason": "too late"})
    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    refreshed = Interview.objects.get(pk=interview.pk)
    assert refreshed.status == interview.status
    assert refreshed.abandon_reason != "too late"


@pytest.mark.parametrize(
    "payload", [None, {}, {"reason": ""}, {"reason": "   "}, {"reason": 42}, {"reason": True}]
)
def test_abandon_without_reason_is_400(recruiter_api, payload):
    interview = InterviewFactory()
    response = act(recruiter_api, "abandon", interview, payload)
    assert response.status_code == 400
    assert "reason" in response.json()
    interview.refresh_from_db()
    assert interview.status == Status.SCHEDULED


def test_history_is_oldest_first_with_statuses_and_who(
    recruiter_api, recruiter_user, engine_api, engine_user
):
    candidate = CandidateFactory()
    created = recruiter_api.post(
        reverse("interview-list"), {"candidate": str(candidate.pk), "role_type": "python"}
    ).json()
    interview = Interview.objects.get(pk=created["id"])
    assert act(engine_api, "start", interview).status_code == 200
    assert act(engine_api, "complete", interview).status_code == 200

    response = recruiter_api.get(reverse("interview-history", args=[interview.pk]))

    assert response.status_code == 200
    rows = response.json()
    assert [(row["from_status"], row["to_status"]) for row in rows] == [
        (None, "scheduled"),  # the creation entry: no status before it
        ("scheduled", "in_progress"),
        ("in_progress", "completed"),
    ]
    assert [row["changed_by_email"] for row in rows] == [
        recruiter_user.email,
        engine_user.email,
        engine_user.email,
    ]
    stamps = [parse(row["created_at"]) for row in rows]
    assert stamps == sorted(stamps)


def test_history_of_another_candidates_or_hidden_interview_is_404(recruiter_api):
    gone = InterviewFactory(candidate=CandidateFactory(deleted_at=timezone.now()))
    assert recruiter_api.get(reverse("interview-history", args=[gone.pk])).status_code == 404


# --- filters and ordering ---------------------------------------------------------------------


@pytest.fixture
def board():
    """Interviews in every status, two of them assessed."""
    now = timezone.now()
    ada = CandidateFactory(full_name="Ada Lovelace")
    return {
        "scheduled": InterviewFactory(
            candidate=ada, role_type="react", created_at=now - timedelta(days=10)
        ),
        "running": InterviewFactory(
            in_progress=True,
            role_type="python",
            started_at=now - timedelta(days=2),
            created_at=now - timedelta(days=3),
        ),
        "high": AssessmentFactory(
            overall_score=Decimal("91.50"),
            interview__candidate=ada,
            interview__role_type="python",
            interview__started_at=now - timedelta(days=5),
            interview__completed_at=now - timedelta(days=5) + timedelta(hours=1),
            interview__created_at=now - timedelta(days=6),
        ).interview,
        "low": AssessmentFactory(
            overall_score=Decimal("40.00"),
            interview__role_type="javascript",
            interview__started_at=now - timedelta(days=1),
            interview__completed_at=now - timedelta(hours=20),
            interview__created_at=now - timedelta(days=1, hours=1),
        ).interview,
        "abandoned": InterviewFactory(
            abandoned=True, role_type="fullstack", created_at=now - timedelta(hours=1)
        ),
    }


def names_in(response, board) -> set[str]:
    by_id = {str(interview.pk): name for name, interview in board.items()}
    return {by_id[row_id] for row_id in ids(response)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "scheduled"}, {"scheduled"}),
        ({"status": ["completed", "abandoned"]}, {"high", "low", "abandoned"}),
        ({"role_type": "python"}, {"running", "high"}),
        ({"role_type": ["react", "javascript"]}, {"scheduled", "low"}),
        ({"min_score": "50"}, {"high"}),
        ({"max_score": "50"}, {"low"}),
        ({"min_score": "40", "max_score": "91.5"}, {"high", "low"}),
        ({"status": "completed", "role_type": "python"}, {"high"}),
    ],
)
def test_interview_filters(recruiter_api, board, query, expected):
    response = recruiter_api.get(reverse("interview-list"), query)
    assert response.status_code == 200
    assert names_in(response, board) == expected


def test_interview_filter_by_candidate(recruiter_api, board):
    candidate = board["scheduled"].candidate
    response = recruiter_api.get(reverse("interview-list"), {"candidate": str(candidate.pk)})
    assert names_in(response, board) == {"scheduled", "high"}


def test_interview_search_by_candidate_name(recruiter_api, board):
    response = recruiter_api.get(reverse("interview-list"), {"search": "lovelace"})
    assert names_in(response, board) == {"scheduled", "high"}


def test_interview_date_range_filters(recruiter_api, board):
    now = timezone.now()
    url = reverse("interview-list")
    created = recruiter_api.get(
        url,
        {
            "created_after": (now - timedelta(days=7)).isoformat(),
            "created_before": (now - timedelta(days=2)).isoformat(),
        },
    )
    assert names_in(created, board) == {"running", "high"}
    started = recruiter_api.get(
        url,
        {
            "started_after": (now - timedelta(days=3)).isoformat(),
            "started_before": now.isoformat(),
        },
    )
    assert names_in(started, board) == {"running", "low"}
    early = recruiter_api.get(url, {"started_before": (now - timedelta(days=3)).isoformat()})
    assert names_in(early, board) == {"high"}


@pytest.mark.parametrize(
    "query",
    [
        {"status": "finished"},
        {"role_type": "cobol"},
        {"candidate": "nope"},
        {"created_after": "yesterday"},
        {"min_score": "abc"},
        {"max_score": "101"},
    ],
)
def test_bad_interview_filter_is_400(recruiter_api, board, query):
    assert recruiter_api.get(reverse("interview-list"), query).status_code == 400


def test_interview_list_rows_carry_overall_score_and_order_by_it(recruiter_api, board):
    url = reverse("interview-list")
    response = recruiter_api.get(url, {"status": "completed", "ordering": "overall_score"})
    rows = response.json()["results"]
    assert [row["overall_score"] for row in rows] == ["40.00", "91.50"]
    descending = recruiter_api.get(url, {"status": "completed", "ordering": "-overall_score"})
    assert [row["overall_score"] for row in descending.json()["results"]] == ["91.50", "40.00"]
    everything = recruiter_api.get(url).json()["results"]
    scores = {row["id"]: row["overall_score"] for row in everything}
    assert scores[str(board["scheduled"].pk)] is None
    assert scores[str(board["high"].pk)] == "91.50"


def test_interview_list_default_order_is_newest_first(recruiter_api, board):
    response = recruiter_api.get(reverse("interview-list"))
    assert ids(response) == [
        str(board[name].pk) for name in ("abandoned", "low", "running", "high", "scheduled")
    ]
