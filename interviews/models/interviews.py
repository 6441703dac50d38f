import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from uuid6 import uuid7

from accounts.emails import normalize_email
from core.constraints import email_normalised_check, enum_check, live_unique_email, min_length_check
from core.models import TimestampedModel
from interviews.managers import CandidateOwnedQuerySet, CandidateQuerySet, LiveCandidateManager

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
PHONE_SEPARATORS = re.compile(r"[\s\-().]")
MAX_RESUME_BYTES = 10 * 1024 * 1024


def normalize_phone(value: str) -> str:
    """Return the E.164 form of a phone number typed with spaces, dashes, dots or brackets."""
    value = PHONE_SEPARATORS.sub("", value or "")
    if value.startswith("00"):
        value = "+" + value[2:]
    return value


def validate_e164(value: str) -> None:
    if value and not E164.match(value):
        raise ValidationError(
            "Enter a phone number in international format, e.g. +14155550100.", code="invalid"
        )


class ExperienceLevel(models.TextChoices):
    ENTRY = "entry", "Entry"
    JUNIOR = "junior", "Junior"
    MID = "mid", "Mid"
    SENIOR = "senior", "Senior"
    LEAD = "lead", "Lead"
    PRINCIPAL = "principal", "Principal"


class CandidateStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"


class Candidate(TimestampedModel):
    """A person being interviewed, with or without a portal login."""

    ExperienceLevel = ExperienceLevel
    Status = CandidateStatus

    email = models.EmailField(max_length=254)
    full_name = models.CharField(max_length=255, validators=[MinLengthValidator(2)])
    phone = models.CharField(max_length=16, blank=True, default="", validators=[validate_e164])
    target_role = models.CharField(max_length=120, blank=True, default="", db_index=True)
    experience_level = models.CharField(
        max_length=16, choices=ExperienceLevel.choices, default=ExperienceLevel.MID
    )
    status = models.CharField(
        max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.ACTIVE
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate_profile",
    )
    # The login this profile was linked to when that login was soft-deleted: restoring that
    # login (and only that one) links the profile again (accounts.services.user_restore).
    former_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="former_candidate_profiles",
    )
    deleted_at = models.DateTimeField(null=True, blank=True)

    candidate_path = ""
    objects = LiveCandidateManager()
    all_objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            live_unique_email(
                violation_error_message="A candidate with this email already exists."
            ),
            email_normalised_check(),
            min_length_check(
                "full_name", 2, violation_error_message="Full name must have at least 2 characters."
            ),
            enum_check("experience_level", ExperienceLevel),
            enum_check(
                "status", CandidateStatus, violation_error_message="Unknown candidate status."
            ),
        ]
        indexes = [
            models.Index(fields=["created_at"], name="interviews_cand_created_idx"),
            # The few soft-deleted candidates, for the visibility filter (managers.py).
            models.Index(
                fields=["deleted_at"],
                condition=Q(deleted_at__isnull=False),
                name="interviews_cand_deleted_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def save(self, *args, **kwargs):
        # Stored forms hold whatever path wrote the row; check constraints refuse anything else.
        self.email = normalize_email(self.email)
        self.phone = normalize_phone(self.phone)
        super().save(*args, **kwargs)


class ParsingStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PROCESSING = "processing", "Processing"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


def resume_upload_to(resume: "Resume", filename: str) -> str:
    # The stored name never reuses the uploader's name (kept in file_name) to avoid collisions
    # and path tricks.
    extension = {
        "application/pdf": ".pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
        "text/plain": ".txt",
    }.get(resume.content_type, "")
    return f"resumes/{resume.candidate_id}/{resume.id}{extension}"


class Resume(TimestampedModel):
    """An uploaded resume file of a candidate and what the engine parsed from it."""

    ParsingStatus = ParsingStatus

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="resumes")
    file = models.FileField(upload_to=resume_upload_to, max_length=255)
    file_name = models.CharField(max_length=255)
    file_size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_at = models.DateTimeField(default=timezone.now)
    parsing_status = models.CharField(
        max_length=16, choices=ParsingStatus.choices, default=ParsingStatus.PENDING
    )
    parsed_at = models.DateTimeField(null=True, blank=True)
    parsed_data = models.JSONField(default=dict, blank=True)

    candidate_path = "candidate"
    objects = CandidateOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            enum_check("parsing_status", ParsingStatus),
            models.CheckConstraint(
                condition=Q(file_size__gte=0, file_size__lte=MAX_RESUME_BYTES),
                name="interviews_resume_file_size_range",
                violation_error_message="A resume is at most 10 MiB.",
            ),
            models.CheckConstraint(
                condition=~Q(parsing_status=ParsingStatus.COMPLETED) | Q(parsed_at__isnull=False),
                name="interviews_resume_parsed_at_when_completed",
                violation_error_message="A parsed resume has a parsing time.",
            ),
        ]

    def __str__(self) -> str:
        return self.file_name


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

    # Indexed by interviews_interview_cand_idx (candidate, -created_at).
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="interviews", db_index=False
    )
    resume = models.ForeignKey(
        Resume, on_delete=models.SET_NULL, null=True, blank=True, related_name="interviews"
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


class MessageType(models.TextChoices):
    AI_QUESTION = "ai_question", "AI question"
    CANDIDATE_RESPONSE = "candidate_response", "Candidate response"


class InterviewMessage(models.Model):
    """One transcript entry; sequence numbers are gapless 1..N per interview."""

    MessageType = MessageType

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    # The (interview, sequence_number) unique constraint is the index for this key.
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
                fields=["interview", "sequence_number"],
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
