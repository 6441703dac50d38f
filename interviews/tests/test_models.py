"""Invariants the database enforces for the interview domain, on every backend."""

from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import AssessmentResult
from assessments.tests.factories import AssessmentFactory
from interviews import services
from interviews.models import (
    Candidate,
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
    Resume,
    normalize_phone,
)
from interviews.tests.factories import (
    CandidateFactory,
    InterviewFactory,
    InterviewMessageFactory,
    ResumeFactory,
)

pytestmark = pytest.mark.django_db

Status = Interview.Status


@contextmanager
def violates(constraint: str):
    """Expect the database to refuse the write, inside a savepoint so the test can go on.

    `constraint` is a regular expression matched against the database's error message.
    """
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        yield


# --- candidates -------------------------------------------------------------------------------


def test_candidate_email_is_stored_normalised():
    candidate = CandidateFactory(email="  Ada@Example.COM ", phone="+1 (415) 555-0100")
    candidate.refresh_from_db()
    assert candidate.email == "ada@example.com"
    assert candidate.phone == "+14155550100"


def test_normalize_phone_accepts_00_prefix_and_separators():
    assert normalize_phone("0044 20.7946-0958") == "+442079460958"
    assert normalize_phone("") == ""


def test_live_candidate_email_is_unique_case_insensitively():
    CandidateFactory(email="ada@example.com")
    with violates("interviews_candidate_email_live_unique"):
        CandidateFactory(email="ADA@example.com")
    assert Candidate.all_objects.count() == 1


def test_email_stored_in_another_case_is_refused_by_the_database():
    candidate = CandidateFactory(email="ada@example.com")
    with violates("interviews_candidate_email_normalised"):
        Candidate.objects.filter(pk=candidate.pk).update(email="Ada@Example.com")


def test_email_of_soft_deleted_candidate_can_be_reused():
    first = CandidateFactory(email="ada@example.com")
    first.deleted_at = timezone.now()
    first.save()
    second = CandidateFactory(email="ada@example.com")
    assert Candidate.all_objects.filter(email="ada@example.com").count() == 2
    # Only one live candidate per email: restoring the first one now clashes.
    with violates("interviews_candidate_email_live_unique"):
        Candidate.all_objects.filter(pk=first.pk).update(deleted_at=None)
    assert second.deleted_at is None


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("experience_level", "wizard", "interviews_candidate_experience_level_valid"),
        ("status", "retired", "interviews_candidate_status_valid"),
        ("full_name", "A", "interviews_candidate_full_name_length"),
    ],
)
def test_candidate_enums_and_name_length_are_checked(field, value, constraint):
    candidate = CandidateFactory()
    with violates(constraint):
        Candidate.objects.filter(pk=candidate.pk).update(**{field: value})


def test_default_manager_hides_soft_deleted_candidates():
    live = CandidateFactory()
    CandidateFactory(deleted_at=timezone.now())
    assert list(Candidate.objects.all()) == [live]
    assert Candidate.all_objects.count() == 2


# --- resumes ----------------------------------------------------------------------------------


def test_resume_over_10_mib_is_refused():
    resume = ResumeFactory()
    with violates("interviews_resume_file_size_range"):
        Resume.objects.filter(pk=resume.pk).update(file_size=10 * 1024 * 1024 + 1)


def test_completed_parsing_needs_a_parsing_time():
    resume = ResumeFactory()
    with violates("interviews_resume_parsed_at_when_completed"):
        Resume.objects.filter(pk=resume.pk).update(parsing_status="completed")


# --- interviews -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"status": Status.COMPLETED, "completed_at": "now"}, id="completed-no-start"),
        pytest.param({"status": Status.SCHEDULED, "started_at": "now"}, id="scheduled-started"),
        pytest.param({"status": Status.SCHEDULED, "completed_at": "now"}, id="scheduled-completed"),
        pytest.param({"status": Status.IN_PROGRESS}, id="in-progress-no-start"),
        pytest.param(
            {"status": Status.IN_PROGRESS, "started_at": "now", "completed_at": "now"},
            id="in-progress-completed",
        ),
        pytest.param(
            {"status": Status.COMPLETED, "started_at": "now", "completed_at": "earlier"},
            id="completed-before-start",
        ),
        pytest.param({"status": Status.COMPLETED, "started_at": "now"}, id="completed-no-end"),
        pytest.param(
            {"status": Status.ABANDONED, "started_at": "earlier", "completed_at": "now"},
            id="abandoned-completed",
        ),
    ],
)
def test_interview_timestamps_must_match_the_status(fields):
    now = timezone.now()
    moments = {"now": now, "earlier": now - timedelta(minutes=5)}
    values = {key: moments.get(value, value) for key, value in fields.items()}
    candidate = CandidateFactory()
    with violates("interviews_interview_timestamps_match_status"):
        Interview.objects.create(
            organization=candidate.organization, candidate=candidate, role_type="python", **values
        )
    assert Interview.objects.count() == 0


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Status.SCHEDULED},
        {"status": Status.IN_PROGRESS, "started_at": "now"},
        {"status": Status.COMPLETED, "started_at": "now", "completed_at": "now"},
        {"status": Status.COMPLETED, "started_at": "earlier", "completed_at": "now"},
        {"status": Status.ABANDONED},
        {"status": Status.ABANDONED, "started_at": "now"},
    ],
)
def test_consistent_interview_timestamps_are_accepted(fields):
    now = timezone.now()
    moments = {"now": now, "earlier": now - timedelta(minutes=5)}
    values = {key: moments.get(value, value) for key, value in fields.items()}
    candidate = CandidateFactory()
    Interview.objects.create(
        organization=candidate.organization, candidate=candidate, role_type="python", **values
    )
    assert Interview.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("total_tokens_used", -1),
        ("message_count", -1),
        ("cost_usd", Decimal("-0.0001")),
    ],
)
def test_negative_interview_counters_are_refused(field, value):
    interview = InterviewFactory()
    with violates("interviews_interview_counters_non_negative"):
        Interview.objects.filter(pk=interview.pk).update(**{field: value})


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("role_type", "cobol", "interviews_interview_role_type_valid"),
        ("status", "paused", "interviews_interview_status_valid"),
    ],
)
def test_interview_enums_are_checked(field, value, constraint):
    interview = InterviewFactory()
    with violates(constraint):
        Interview.objects.filter(pk=interview.pk).update(**{field: value})


def test_negative_question_count_is_refused():
    interview = InterviewFactory(in_progress=True)
    with violates("interviews_interviewsession_questions_non_negative"):
        InterviewSession.objects.filter(interview=interview).update(questions_asked_count=-1)


def test_unknown_difficulty_is_refused():
    interview = InterviewFactory(in_progress=True)
    with violates("interviews_interviewsession_difficulty_valid"):
        InterviewSession.objects.filter(interview=interview).update(
            current_difficulty_level="nightmare"
        )


def test_one_session_per_interview():
    interview = InterviewFactory(in_progress=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewSession.objects.create(organization=interview.organization, interview=interview)
    assert InterviewSession.objects.filter(interview=interview).count() == 1


# --- messages ---------------------------------------------------------------------------------


def test_duplicate_sequence_number_in_one_interview_is_refused():
    interview = InterviewFactory(in_progress=True)
    InterviewMessageFactory(interview=interview, sequence_number=1)
    # SQLite names the columns of a plain unique constraint, PostgreSQL names the constraint.
    with violates(
        "interviews_interviewmessage_sequence_unique"
        "|interviews_interviewmessage.interview_id, interviews_interviewmessage.sequence_number"
    ):
        InterviewMessageFactory(interview=interview, sequence_number=1)
    # The same number in another interview is fine.
    InterviewMessageFactory(interview=InterviewFactory(in_progress=True), sequence_number=1)
    assert InterviewMessage.objects.filter(sequence_number=1).count() == 2


def test_sequence_number_zero_is_refused():
    with violates("interviews_interviewmessage_sequence_positive"):
        InterviewMessageFactory(sequence_number=0)


@pytest.mark.parametrize(
    ("field", "value", "constraint"),
    [
        ("tokens_used", -1, "interviews_interviewmessage_usage_non_negative"),
        ("cost_usd", Decimal("-1"), "interviews_interviewmessage_usage_non_negative"),
        ("audio_duration_seconds", -0.5, "interviews_interviewmessage_durations_non_negative"),
        ("response_time_seconds", -2.0, "interviews_interviewmessage_durations_non_negative"),
        ("message_type", "system", "interviews_interviewmessage_type_valid"),
    ],
)
def test_message_usage_durations_and_type_are_checked(field, value, constraint):
    message = InterviewMessageFactory(sequence_number=1)
    with violates(constraint):
        InterviewMessage.objects.filter(pk=message.pk).update(**{field: value})


def test_status_change_with_unknown_status_is_refused():
    interview = InterviewFactory()
    with violates("interviews_interviewstatuschange_status_valid"):
        InterviewStatusChange.objects.create(
            organization=interview.organization, interview=interview, to_status="paused"
        )


# --- deletion ---------------------------------------------------------------------------------


def test_deleting_a_candidate_for_real_removes_everything_it_owns():
    candidate = CandidateFactory()
    ResumeFactory(candidate=candidate)
    interview = services.interview_create(candidate=candidate, role_type="python", by=None)
    services.interview_start(interview=interview, by=None)
    services.message_append(interview=interview, message_type="ai_question", content_text="Hi?")
    services.interview_complete(interview=interview, by=None)
    AssessmentFactory(interview=interview)
    survivor = AssessmentFactory()  # another candidate's data stays

    Candidate.all_objects.filter(pk=candidate.pk).delete()

    assert not Resume.objects.filter(candidate_id=candidate.pk).exists()
    assert not Interview.objects.filter(candidate_id=candidate.pk).exists()
    assert not InterviewSession.objects.filter(interview_id=interview.pk).exists()
    assert not InterviewMessage.objects.filter(interview_id=interview.pk).exists()
    assert not InterviewStatusChange.objects.filter(interview_id=interview.pk).exists()
    assert list(AssessmentResult.objects.all()) == [survivor]
    assert Interview.objects.count() == 1
    assert InterviewSession.objects.count() == 1


def test_soft_delete_keeps_the_rows():
    interview = InterviewFactory(in_progress=True)
    services.candidate_soft_delete(candidate=interview.candidate)
    assert Candidate.all_objects.filter(pk=interview.candidate_id).exists()
    assert Interview.objects.filter(pk=interview.pk).exists()
    assert Interview.objects.visible_to(None).count() == 0
