"""Resumes: a candidate's uploaded file, where it is stored, and what parsing made of it."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.tenancy import organization_key
from core.constraints import enum_check
from core.models import TimestampedModel
from interviews.managers import CandidateOwnedQuerySet
from interviews.models.candidates import Candidate

MAX_RESUME_BYTES = 10 * 1024 * 1024


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

    organization = organization_key()
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
        indexes = [
            models.Index(fields=["organization", "-uploaded_at"], name="interviews_resume_org_idx"),
        ]

    def __str__(self) -> str:
        return self.file_name
