from django.db import transaction

from assessments.models import AssessmentResult
from core.errors import ConflictError
from interviews.models import Interview


class AssessmentNotAllowed(ConflictError):
    code = "assessment_not_allowed"


@transaction.atomic
def assessment_create(*, interview: Interview, **fields) -> AssessmentResult:
    """Record the assessment of a completed interview; one per interview.

    The interview row is locked first, so concurrent creations queue and exactly one wins.
    """
    locked = Interview.objects.select_for_update().get(pk=interview.pk)
    if locked.status != Interview.Status.COMPLETED:
        raise AssessmentNotAllowed(
            f"Only a completed interview can be assessed; this one is {locked.status}."
        )
    if AssessmentResult.objects.filter(interview=locked).exists():
        raise AssessmentNotAllowed("This interview already has an assessment.")
    return AssessmentResult.objects.create(interview=locked, **fields)


@transaction.atomic
def assessment_update(*, assessment: AssessmentResult, **fields) -> AssessmentResult:
    """Change the given fields only, on the row re-read under a lock."""
    locked = AssessmentResult.objects.select_for_update().get(pk=assessment.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*fields, "updated_at"])
    return locked
