"""An interview's record: its transcript messages and its status history (the audit trail)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from uuid6 import uuid7

from accounts.tenancy import organization_key
from core.constraints import enum_check
from interviews.managers import CandidateOwnedQuerySet
from interviews.models.interviews import Interview, InterviewSession, InterviewStatus


class MessageType(models.TextChoices):
    AI_QUESTION = "ai_question", "AI question"
    CANDIDATE_RESPONSE = "candidate_response", "Candidate response"


class InterviewMessage(models.Model):
    """One transcript entry; sequence numbers are gapless 1..N per interview."""

    MessageType = MessageType

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    organization = organization_key()
    # The (organization, interview, sequence_number) unique constraint is the index for this key.
    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    session = models.ForeignKey(
        InterviewSession, on_delete=models.CASCADE, related_name="messages", db_index=False
    )
    sequence_number = models.PositiveIntegerField()
    message_type = models.CharField(max_length=24, choices=MessageType.choices)
    content_text = models.TextField(blank=True, default="")
    content_audio_url = models.URLField(max_length=500, blank=True, default="")
    audio_duration_seconds = models.FloatField(null=True, blank=True)
    audio_metadata = models.JSONField(default=dict, blank=True)
    response_time_seconds = models.FloatField(null=True, blank=True)
    tokens_used = models.IntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=10, decimal_places=4, default=Decimal("0"))
    metadata = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    candidate_path = "interview__candidate"
    objects = CandidateOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["interview", "sequence_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "interview", "sequence_number"],
                name="interviews_interviewmessage_sequence_unique",
                violation_error_message="This sequence number is taken in this interview.",
            ),
            models.CheckConstraint(
                condition=Q(sequence_number__gte=1),
                name="interviews_interviewmessage_sequence_positive",
                violation_error_message="Sequence numbers start at 1.",
            ),
            enum_check("message_type", MessageType, name="%(app_label)s_%(class)s_type_valid"),
            models.CheckConstraint(
                condition=Q(tokens_used__gte=0, cost_usd__gte=0),
                name="interviews_interviewmessage_usage_non_negative",
                violation_error_message="Tokens and cost cannot be negative.",
            ),
            models.CheckConstraint(
                condition=(
                    (Q(audio_duration_seconds__isnull=True) | Q(audio_duration_seconds__gte=0))
                    & (Q(response_time_seconds__isnull=True) | Q(response_time_seconds__gte=0))
                ),
                name="interviews_interviewmessage_durations_non_negative",
                violation_error_message="Durations cannot be negative.",
            ),
        ]
        indexes = [
            models.Index(fields=["session"], name="interviews_message_session_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence_number} {self.message_type}"


class InterviewStatusChange(models.Model):
    """One entry of an interview's audit trail: a status change, who made it and why."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    organization = organization_key()
    interview = models.ForeignKey(
        Interview, on_delete=models.CASCADE, related_name="status_changes", db_index=False
    )
    # Empty on the entry written when the interview is created.
    from_status = models.CharField(
        max_length=16, choices=InterviewStatus.choices, blank=True, default=""
    )
    to_status = models.CharField(max_length=16, choices=InterviewStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interview_status_changes",
    )
    reason = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    candidate_path = "interview__candidate"
    objects = CandidateOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["interview", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    (Q(from_status="") | Q(from_status__in=InterviewStatus.values))
                    & Q(to_status__in=InterviewStatus.values)
                ),
                name="interviews_interviewstatuschange_status_valid",
                violation_error_message="Unknown interview status.",
            ),
        ]
        indexes = [
            models.Index(fields=["interview", "created_at"], name="interviews_statuschange_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.from_status or 'created'} → {self.to_status}"

    @property
    def author(self):
        """Who made the change, or None once that account is soft-deleted (deleted accounts
        are shown nowhere; the row keeps the link for an admin's audit)."""
        user = self.changed_by
        return user if user is not None and user.deleted_at is None else None
