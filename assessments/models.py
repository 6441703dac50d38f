"""Assessments: the scored outcome of a completed interview and its skill scores as rows."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.tenancy import organization_key
from core.indexes import PostgresOnlyGinIndex
from core.models import TimestampedModel
from interviews.managers import CandidateOwnedQuerySet
from interviews.models import Interview


class AssessmentResult(TimestampedModel):
    """The scored outcome of one completed interview."""

    organization = organization_key()
    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="assessment")
    overall_score = models.DecimalField(max_digits=5, decimal_places=2)
    skill_scores = models.JSONField(default=dict, blank=True)
    skill_boundary_map = models.JSONField(default=dict, blank=True)
    strengths = models.JSONField(default=list, blank=True)
    weaknesses = models.JSONField(default=list, blank=True)
    integrity_score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    integrity_flags = models.JSONField(default=list, blank=True)
    ai_reasoning = models.JSONField(default=dict, blank=True)
    recommended_actions = models.JSONField(default=list, blank=True)
    generated_at = models.DateTimeField(default=timezone.now, db_index=True)

    candidate_path = "interview__candidate"
    objects = CandidateOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-generated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(overall_score__gte=Decimal(0), overall_score__lte=Decimal(100)),
                name="assessments_assessmentresult_overall_score_range",
                violation_error_message="The overall score is between 0 and 100.",
            ),
            models.CheckConstraint(
                condition=Q(integrity_score__isnull=True)
                | Q(integrity_score__gte=Decimal(0), integrity_score__lte=Decimal(100)),
                name="assessments_assessmentresult_integrity_score_range",
                violation_error_message="The integrity score is between 0 and 100.",
            ),
        ]
        indexes = [
            models.Index(fields=["overall_score"], name="assessments_overall_score_idx"),
            # One organization's assessments, newest first and by score.
            models.Index(
                fields=["organization", "-generated_at"], name="assessments_org_generated_idx"
            ),
            models.Index(
                fields=["organization", "overall_score"], name="assessments_org_score_idx"
            ),
            # Integrity flag filters run as `@>` containment, which jsonb_path_ops serves. (Skill
            # score ranges cannot use a GIN index: AssessmentSkillScore below serves them.)
            PostgresOnlyGinIndex(
                fields=["integrity_flags"],
                name="assessments_flags_gin",
                opclasses=["jsonb_path_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"assessment of {self.interview_id}: {self.overall_score}"


def skill_score_items(skill_scores) -> list[tuple[str, float]]:
    """The (skill, score) pairs of a skill_scores object that are real scores (0..100)."""
    if not isinstance(skill_scores, dict):
        return []
    return [
        (str(skill)[:100], float(score))
        for skill, score in skill_scores.items()
        if isinstance(score, int | float) and not isinstance(score, bool) and 0 <= score <= 100
    ]


class AssessmentSkillScore(models.Model):
    """One skill score of an assessment: skill_scores as rows, so that score ranges
    (`skill=python&min_skill_score=70`) are a B-tree range scan instead of a JSON scan.

    AssessmentResult.save() keeps them in step; bulk writers (bulk_create, the load seeder's
    COPY) write them too.
    """

    pk = models.CompositePrimaryKey("assessment", "skill")
    organization = organization_key()
    assessment = models.ForeignKey(
        AssessmentResult, on_delete=models.CASCADE, related_name="skill_rows"
    )
    skill = models.CharField(max_length=100)
    score = models.FloatField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100),
                name="assessments_assessmentskillscore_score_range",
                violation_error_message="A skill score is between 0 and 100.",
            ),
        ]
        indexes = [
            models.Index(fields=["skill", "score"], name="assessments_skill_score_idx"),
            models.Index(
                fields=["organization", "skill", "score"], name="assessments_org_skill_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill}: {self.score}"
