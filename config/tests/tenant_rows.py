"""Checks of seeded tenant rows: each carries its parent's organization (the seed tests' helper)."""

from django.db.models import F

from assessments.models import AssessmentResult, AssessmentSkillScore
from interviews.models import (
    Candidate,
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
    Invitation,
    Resume,
)

# (model, the lookup of the parent row's organization): the chain candidate -> interview ->
# session, messages, status changes, assessment -> skill rows; resume -> candidate.
PARENT_ORGANIZATION = [
    (Resume, "candidate__organization"),
    (Interview, "candidate__organization"),
    (InterviewSession, "interview__organization"),
    (InterviewMessage, "interview__organization"),
    (InterviewMessage, "session__organization"),
    (InterviewStatusChange, "interview__organization"),
    (AssessmentResult, "interview__organization"),
    (AssessmentSkillScore, "assessment__organization"),
]
TENANT_MODELS = [
    Candidate,
    Interview,
    InterviewSession,
    InterviewMessage,
    InterviewStatusChange,
    AssessmentResult,
    AssessmentSkillScore,
]


def rows_off_their_parents_organization() -> dict[str, int]:
    """Return, per model and parent lookup, how many rows carry another organization than
    their parent's (all zeros when the seed is right)."""
    return {
        f"{model.__name__} vs {lookup}": manager(model).exclude(organization=F(lookup)).count()
        for model, lookup in PARENT_ORGANIZATION
    }


def interviews_off_their_positions_organization() -> int:
    return (
        manager(Interview)
        .filter(position__isnull=False)
        .exclude(organization=F("position__organization"))
        .count()
    )


def invitations_off_their_rows_organization() -> int:
    return (
        Invitation.objects.exclude(organization=F("candidate__organization"))
        | Invitation.objects.exclude(organization=F("interview__organization"))
    ).count()


def organizations_with_rows(model) -> set:
    """The organizations (ids) that have rows of `model`."""
    return set(manager(model).values_list("organization_id", flat=True).distinct())


def manager(model):
    """Every row of the model, soft-deleted ones included."""
    return getattr(model, "all_objects", model._default_manager)
