"""Candidates: the people being interviewed, their stored email and phone forms, and enums."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import Q

from accounts.emails import normalize_email
from accounts.tenancy import organization_key
from core.constraints import email_normalised_check, enum_check, live_unique_email, min_length_check
from core.models import TimestampedModel
from interviews.managers import CandidateQuerySet, LiveCandidateManager

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
PHONE_SEPARATORS = re.compile(r"[\s\-().]")


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
    """A person being interviewed by one organization, with or without a portal login (one login
    may hold a profile in each of several organizations)."""

    ExperienceLevel = ExperienceLevel
    Status = CandidateStatus

    organization = organization_key()
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
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate_profiles",
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
                within=("organization",),
                violation_error_message="A candidate with this email already exists.",
            ),
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=Q(user__isnull=False),
                name="interviews_candidate_user_unique",
                violation_error_message="This account has a profile in this organization already.",
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
            models.Index(fields=["organization", "-created_at"], name="interviews_cand_org_idx"),
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
