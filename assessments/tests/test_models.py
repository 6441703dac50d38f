"""Invariants the database enforces for assessments, on every backend."""

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from assessments.models import AssessmentResult
from assessments.tests.factories import AssessmentFactory
from interviews.tests.factories import InterviewFactory

pytestmark = pytest.mark.django_db


@contextmanager
def violates(constraint: str):
    """Expect the database to refuse the write, inside a savepoint so the test can go on."""
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        yield


@pytest.mark.parametrize("score", [Decimal("101"), Decimal("100.01"), Decimal("-0.01")])
def test_overall_score_out_of_range_is_refused(score):
    with violates("assessments_assessmentresult_overall_score_range"):
        AssessmentFactory(overall_score=score)
    assert AssessmentResult.objects.count() == 0


@pytest.mark.parametrize("score", [Decimal("-1"), Decimal("100.5")])
def test_integrity_score_out_of_range_is_refused(score):
    with violates("assessments_assessmentresult_integrity_score_range"):
        AssessmentFactory(integrity_score=score)


@pytest.mark.parametrize(
    ("overall", "integrity"),
    [(Decimal("0"), None), (Decimal("100"), Decimal("0")), (Decimal("55.55"), Decimal("100"))],
)
def test_scores_in_range_are_accepted(overall, integrity):
    AssessmentFactory(overall_score=overall, integrity_score=integrity)
    assert AssessmentResult.objects.get().overall_score == overall


def test_one_assessment_per_interview():
    first = AssessmentFactory()
    # SQLite names the column of a unique constraint, PostgreSQL names the index.
    with violates("interview_id"):
        AssessmentResult.objects.create(
            organization=first.organization, interview=first.interview, overall_score=Decimal("10")
        )
    assert AssessmentResult.objects.count() == 1


def test_deleting_the_interview_deletes_its_assessment():
    assessment = AssessmentFactory()
    assessment.interview.delete()
    assert not AssessmentResult.objects.filter(pk=assessment.pk).exists()


def test_assessments_of_live_candidates_are_visible_to_staff(admin_user, candidate_user):
    mine = AssessmentFactory(interview__candidate__user=candidate_user)
    theirs = AssessmentFactory(interview=InterviewFactory(completed=True))
    assert set(AssessmentResult.objects.visible_to(admin_user)) == {mine, theirs}
    assert list(AssessmentResult.objects.visible_to(candidate_user)) == [mine]
    assert AssessmentResult.objects.visible_to(None).count() == 0
