"""Invitations: a single-use, expiring link that brings a person to an organization's interview."""

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.tenancy import TenantQuerySet, organization_key
from core.constraints import email_normalised_check, min_length_check
from core.models import TimestampedModel
from interviews.models.candidates import Candidate
from interviews.models.interviews import Interview
from interviews.models.positions import Position


class InvitationStatus(models.TextChoices):
    """The stored states; `expired` is a pending invitation past `expires_at` (not stored)."""

    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    REVOKED = "revoked", "Revoked"
    EXPIRED = "expired", "Expired"


STORED_STATUSES = (InvitationStatus.PENDING, InvitationStatus.ACCEPTED, InvitationStatus.REVOKED)


class Invitation(TimestampedModel):
    """An invitation of a person (by email) to one scheduled interview of an organization.

    Only the SHA-256 digest of its token is stored; the token is shown once, when it is issued.
    """

    Status = InvitationStatus

    organization = organization_key()
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="invitations")
    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="invitations")
    position = models.ForeignKey(
        Position, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    email = models.EmailField(max_length=254)
    full_name = models.CharField(max_length=255, validators=[MinLengthValidator(2)])
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        max_length=16, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    expires_at = models.DateTimeField()
    sent_count = models.PositiveIntegerField(default=1)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=STORED_STATUSES),
                name="interviews_invitation_status_valid",
                violation_error_message="Unknown invitation status.",
            ),
            email_normalised_check(),
            min_length_check(
                "full_name", 2, violation_error_message="Full name must have at least 2 characters."
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=InvitationStatus.PENDING, accepted_at__isnull=True)
                    | Q(status=InvitationStatus.ACCEPTED, accepted_at__isnull=False)
                    | Q(status=InvitationStatus.REVOKED, revoked_at__isnull=False)
                ),
                name="interviews_invitation_times_match_status",
                violation_error_message="Acceptance and revocation times do not match the status.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "-created_at"], name="interviews_invitation_org_idx"
            ),
            models.Index(fields=["interview"], name="interviews_invitation_iv_idx"),
        ]

    def __str__(self) -> str:
        return f"invitation of {self.email} ({self.current_status})"

    @property
    def current_status(self) -> str:
        """The status as the API shows it: a pending invitation past its expiry is `expired`."""
        if self.status == InvitationStatus.PENDING and self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return self.status

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
