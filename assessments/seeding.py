"""The assessments' seed writer: a planned assessment of a completed interview."""

from datetime import datetime

from assessments import services
from assessments.models import AssessmentResult
from interviews.models import Interview


def write_assessment(
    *, interview: Interview, fields: dict, generated_at: datetime
) -> AssessmentResult:
    """Record the planned assessment `fields` of `interview`, as generated (and stored) then."""
    return services.assessment_create(
        interview=interview, generated_at=generated_at, created_at=generated_at, **fields
    )
