"""Writes of assessments: the rule of which interview may be assessed, creation and changes."""

from datetime import datetime
from decimal import Decimal
from typing import TypedDict, Unpack
from uuid import UUID

from django.db import transaction

from assessments.models import AssessmentResult, AssessmentSkillScore, skill_score_items
from core.errors import ConflictError
from core.rows import update_locked
from interviews.models import Interview


class AssessmentFields(TypedDict, total=False):
    """The fields of an assessment a service sets (`id` only when the caller chose it)."""

    id: UUID
    overall_score: Decimal
    skill_scores: dict
    skill_boundary_map: dict
    strengths: list
    weaknesses: list
    integrity_score: Decimal | None
    integrity_flags: list
    ai_reasoning: dict
    recommended_actions: list
    generated_at: datetime


class AssessmentChanges(AssessmentFields, total=False):
    """The fields assessment_update sets (the API sends the unchanged interview along)."""

    interview: Interview


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
def assessment_create(
    *, interview: Interview, **fields: Unpack[AssessmentFields]
) -> AssessmentResult:
    """Record the assessment of a completed interview; one per interview.

    The interview row is locked first, so concurrent creations queue and exactly one wins.
    """
    locked = Interview.objects.select_for_update().get(pk=interview.pk)
    assessment_check_allowed(interview=locked)
    assessment = AssessmentResult.objects.create(
        organization_id=locked.organization_id, interview=locked, **fields
    )
    assessment_skill_rows_write(assessment=assessment)
    return assessment


@transaction.atomic
def assessment_update(
    *, assessment: AssessmentResult, **fields: Unpack[AssessmentChanges]
) -> AssessmentResult:
    """Change the given fields only, on the row re-read under a lock."""
    locked = update_locked(assessment, **fields)
    if "skill_scores" in fields:
        assessment_skill_rows_write(assessment=locked)
    return locked


@transaction.atomic
def assessment_skill_rows_write(*, assessment: AssessmentResult) -> None:
    """Rewrite the AssessmentSkillScore rows from skill_scores (numbers 0..100 only).

    The rows serve the skill filter; every writer of skill_scores calls this (the services
    above; bulk loads write the rows themselves, as config.seeding.load does).
    """
    assessment.skill_rows.all().delete()
    AssessmentSkillScore.objects.bulk_create(
        AssessmentSkillScore(
            organization_id=assessment.organization_id,
            assessment=assessment,
            skill=skill,
            score=score,
        )
        for skill, score in skill_score_items(assessment.skill_scores)
    )
