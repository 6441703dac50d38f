"""Interviews and their live AI sessions, with the status and difficulty enums."""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accounts.tenancy import organization_key
from core.constraints import enum_check
from core.models import TimestampedModel
from interviews.managers import CandidateOwnedQuerySet
from interviews.models.candidates import Candidate
from interviews.models.resumes import Resume


class RoleType(models.TextChoices):
    REACT = "react", "React"
    PYTHON = "python", "Python"
    JAVASCRIPT = "javascript", "JavaScript"
    FULLSTACK = "fullstack", "Full stack"


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    ABANDONED = "abandoned", "Abandoned"


class Interview(TimestampedModel):
    """One AI interview of a candidate, from scheduling to completion or abandonment."""

    RoleType = RoleType
    Status = InterviewStatus

    organization = organization_key()
    # Indexed by interviews_interview_cand_idx (candidate, -created_at).
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="interviews", db_index=False
    )
    resume = models.ForeignKey(
        Resume, on_delete=models.SET_NULL, null=True, blank=True, related_name="interviews"
    )
    # Indexed by interviews_interview_pos_idx (position, status).
    position = models.ForeignKey(
        "interviews.Position",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interviews",
        db_index=False,
    )
    role_type = models.CharField(max_length=16, choices=RoleType.choices)
    status = models.CharField(
        max_length=16,
        choices=InterviewStatus.choices,
        default=InterviewStatus.SCHEDULED,
        db_index=True,
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)
    abandon_reason = models.TextField(blank=True, default="")
    ai_model_used = models.CharField(max_length=100, blank=True, default="")
    total_tokens_used = models.BigIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=10, decimal_places=4, default=Decimal("0"))
    message_count = models.IntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    candidate_path = "candidate"
    objects = CandidateOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            enum_check("role_type", RoleType),
            enum_check(
                "status", InterviewStatus, violation_error_message="Unknown interview status."
            ),
            models.CheckConstraint(
                condition=Q(total_tokens_used__gte=0, message_count__gte=0, cost_usd__gte=0),
                name="interviews_interview_counters_non_negative",
                violation_error_message="Tokens, cost and message count cannot be negative.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        status=InterviewStatus.SCHEDULED,
                        started_at__isnull=True,
                        completed_at__isnull=True,
                    )
                    | Q(
                        status=InterviewStatus.IN_PROGRESS,
                        started_at__isnull=False,
                        completed_at__isnull=True,
                    )
                    | Q(
                        status=InterviewStatus.COMPLETED,
                        started_at__isnull=False,
                        completed_at__isnull=False,
                        started_at__lte=F("completed_at"),
                    )
                    | Q(status=InterviewStatus.ABANDONED, completed_at__isnull=True)
                ),
                name="interviews_interview_timestamps_match_status",
                violation_error_message="Start and completion times do not match the status.",
            ),
        ]
        indexes = [
            models.Index(fields=["candidate", "-created_at"], name="interviews_interview_cand_idx"),
            models.Index(fields=["status", "-created_at"], name="interviews_interview_stat_idx"),
            # The hot lists of one organization: all, and by status, newest first.
            models.Index(
                fields=["organization", "-created_at"], name="interviews_interview_org_idx"
            ),
            models.Index(
                fields=["organization", "status", "-created_at"],
                name="interviews_iv_org_status_idx",
            ),
            models.Index(
                fields=["position", "status"],
                condition=Q(position__isnull=False),
                name="interviews_interview_pos_idx",
            ),
        ]

    def __str__(self) -> str:
        created = f"{self.created_at:%Y-%m-%d}"
        return f"{self.get_role_type_display()} interview, {created} ({self.status})"


class DifficultyLevel(models.TextChoices):
    WARMUP = "warmup", "Warm-up"
    STANDARD = "standard", "Standard"
    ADVANCED = "advanced", "Advanced"


class InterviewSession(TimestampedModel):
    """The live AI state of a started interview (one per interview)."""

    DifficultyLevel = DifficultyLevel

    organization = organization_key()
    interview = models.OneToOneField(Interview, on_delete=models.CASCADE, related_name="session")
    conversation_memory = models.JSONField(default=dict, blank=True)
    current_difficulty_level = models.CharField(
        max_length=16, choices=DifficultyLevel.choices, default=DifficultyLevel.WARMUP
    )
    questions_asked_count = models.IntegerField(default=0)
    skill_boundaries_identified = models.JSONField(default=dict, blank=True)
    progression_state = models.JSONField(default=dict, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)

    candidate_path = "interview__candidate"
    objects = CandidateOwnedQuerySet.as_manager()

    class Meta:
        constraints = [
            enum_check(
                "current_difficulty_level",
                DifficultyLevel,
                name="%(app_label)s_%(class)s_difficulty_valid",
                violation_error_message="Unknown difficulty level.",
            ),
            models.CheckConstraint(
                condition=Q(questions_asked_count__gte=0),
                name="interviews_interviewsession_questions_non_negative",
                violation_error_message="Question count cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"session of {self.interview_id}"
