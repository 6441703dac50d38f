"""Writes of assessments: the rule of which interview may be assessed, creation and changes."""

from django.db import transaction

from assessments.models import AssessmentResult
from config.errors import ConflictError
from core.rows import update_locked
from interviews.models import Interview


class AssessmentNotAllowed(ConflictError):
    code = "assessment_not_allowed"


def assessment_check_allowed(*, interview: Interview) -> None:
    """Raise AssessmentNotAllowed unless the interview is completed and has no assessment yet.

    The one home of the rule: the admin's form calls it to show the error, assessment_create
    again under the interview's row lock, where it is decisive.
    """
    if interview.status != Interview.Status.COMPLETED:
        raise AssessmentNotAllowed(
            f"Only a completed interview can be assessed; this one is {interview.status}."
        )
    if AssessmentResult.objects.filter(interview=interview).exists():
        raise AssessmentNotAllowed("This interview already has an assessment.")


@transaction.atomic
def assessment_create(*, interview: Interview, **fields) -> AssessmentResult:
    """Record the assessment of a completed interview; one per interview.

    The interview row is locked first, so concurrent creations queue and exactly one wins.
    """
    locked = Interview.objects.select_for_update().get(pk=interview.pk)
    assessment_check_allowed(interview=locked)
    return AssessmentResult.objects.create(interview=locked, **fields)


@transaction.atomic
def assessment_update(*, assessment: AssessmentResult, **fields) -> AssessmentResult:
    """Change the given fields only, on the row re-read under a lock."""
    return update_locked(assessment, **fields)
