from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from uuid6 import uuid7

from interviews.managers import CandidateOwnedQuerySet
from interviews.models import Interview, PostgresOnlyGinIndex


class AssessmentResult(models.Model):
    """The scored outcome of one completed interview."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
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
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

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
            # Integrity flag filters run as `@>` containment, which jsonb_path_ops serves. Skill
            # filters run as jsonpath `@?`; the index answers exact values only, not the score
            # ranges of `min_skill_score` (docs/performance.md: a B-tree on (skill, score) would).
            PostgresOnlyGinIndex(
                fields=["skill_scores"],
                name="assessments_skills_gin",
                opclasses=["jsonb_path_ops"],
            ),
            PostgresOnlyGinIndex(
                fields=["integrity_flags"],
                name="assessments_flags_gin",
                opclasses=["jsonb_path_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"assessment of {self.interview_id}: {self.overall_score}"
