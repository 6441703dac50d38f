"""The database itself cascades from a candidate down (not only Django's emulation)."""

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
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
)
from interviews.tests.factories import CandidateFactory, ResumeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.pgbouncer]


def test_raw_sql_delete_of_a_candidate_removes_everything_under_it():
    candidate = CandidateFactory()
    resume = ResumeFactory(candidate=candidate)
    interview = services.interview_create(
        candidate=candidate, role_type="python", by=None, resume=resume
    )
    services.interview_start(interview=interview, by=None)
    services.message_append(interview=interview, message_type="ai_question", content_text="Q?")
    services.interview_complete(interview=interview, by=None)
    AssessmentFactory(interview=interview)
    other = AssessmentFactory()  # another candidate's rows stay

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM interviews_candidate WHERE id = %s", [candidate.pk])

    assert not Candidate.all_objects.filter(pk=candidate.pk).exists()
    for model in (Resume, Interview, InterviewSession, InterviewMessage, InterviewStatusChange):
        assert not model.objects.filter(**{model.candidate_path: candidate}).exists()
    assert list(AssessmentResult.objects.all()) == [other]


def test_raw_sql_delete_of_a_user_keeps_the_audit_trail_and_candidate():
    user = UserFactory()
    candidate = CandidateFactory(user=user)
    interview = services.interview_create(candidate=candidate, role_type="react", by=user)

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_accesstoken WHERE user_id = %s", [user.pk])
        cursor.execute("DELETE FROM accounts_user WHERE id = %s", [user.pk])

    candidate.refresh_from_db()
    assert candidate.user_id is None
    change = InterviewStatusChange.objects.get(interview=interview)
    assert change.changed_by_id is None
