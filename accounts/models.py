"""Accounts: organizations (hiring teams), users (people and service accounts that log in by
email) and their access tokens."""

import hashlib
import secrets
import zoneinfo
from functools import lru_cache

from django.conf import global_settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone as django_timezone
from uuid6 import uuid7

from accounts.emails import normalize_email
from accounts.managers import OrganizationQuerySet, UserManager, UserQuerySet
from core.constraints import email_normalised_check, enum_check, live_unique_email, min_length_check
from core.models import TimestampedModel

LANGUAGE_CODES = frozenset(code for code, _name in global_settings.LANGUAGES)


@lru_cache(maxsize=1)
def _timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    """Reject anything that is not an IANA time zone name."""
    if value not in _timezone_names():
        raise ValidationError(f"“{value}” is not an IANA time zone name.", code="invalid_timezone")


def validate_language(value: str) -> None:
    """Reject language codes Django does not know."""
    if value not in LANGUAGE_CODES:
        raise ValidationError(f"“{value}” is not a supported language code.", code="invalid")


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"


# The organization a single-tenant deployment keeps using; created by migration 0002.
DEFAULT_ORGANIZATION_SLUG = "default"


class Organization(TimestampedModel):
    """A hiring team: it owns its users, candidates, positions and everything under them."""

    Status = OrganizationStatus
    DEFAULT_SLUG = DEFAULT_ORGANIZATION_SLUG

    name = models.CharField(max_length=255, validators=[MinLengthValidator(2)])
    slug = models.SlugField(max_length=64, unique=True)
    status = models.CharField(
        max_length=16, choices=OrganizationStatus.choices, default=OrganizationStatus.ACTIVE
    )
    retention_days = models.PositiveIntegerField(
        default=30, help_text="Days a soft-deleted row is kept before purge_deleted removes it."
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            min_length_check(
                "name", 2, violation_error_message="Name must have at least 2 characters."
            ),
            models.CheckConstraint(
                condition=Q(slug=Lower("slug")),
                name="accounts_organization_slug_lower",
                violation_error_message="A slug is lower-case.",
            ),
            enum_check("status", OrganizationStatus, violation_error_message="Unknown status."),
            models.CheckConstraint(
                condition=Q(retention_days__gte=1),
                name="accounts_organization_retention_positive",
                violation_error_message="Retention is at least one day.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.slug = (self.slug or "").lower()
        super().save(*args, **kwargs)

    @property
    def is_active(self) -> bool:
        return self.status == OrganizationStatus.ACTIVE


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    OWNER = "owner", "Owner"
    RECRUITER = "recruiter", "Recruiter"
    ENGINE = "engine", "AI engine"
    CANDIDATE = "candidate", "Candidate"


class AccountStatus(models.TextChoices):
    PENDING_VERIFICATION = "pending_verification", "Pending verification"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"


STAFF_ROLES = (Role.ADMIN, Role.OWNER, Role.RECRUITER)
# The roles that belong to exactly one organization; admins and candidates belong to none.
ORGANIZATION_ROLES = (Role.OWNER, Role.RECRUITER, Role.ENGINE)


class User(AbstractBaseUser, PermissionsMixin):
    """A person or service account that logs in by email."""

    Role = Role
    AccountStatus = AccountStatus
    STAFF_ROLES = STAFF_ROLES
    ORGANIZATION_ROLES = ORGANIZATION_ROLES

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    email = models.EmailField("email address", max_length=254)
    full_name = models.CharField(max_length=255, validators=[MinLengthValidator(2)])
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.CANDIDATE)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        db_index=False,  # accounts_user_org_role_idx (organization, role) leads with it
    )
    account_status = models.CharField(
        max_length=24, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    failed_login_attempts = models.IntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failed_login_at = models.DateTimeField(null=True, blank=True)
    login_count = models.IntegerField(default=0)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    language = models.CharField(max_length=16, default="en", validators=[validate_language])
    is_staff = models.BooleanField(
        "staff status", default=False, help_text="Derived from the role: admins and recruiters."
    )
    is_active = models.BooleanField(
        default=True, help_text="Cleared by soft delete; an inactive account cannot log in."
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=django_timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()
    all_objects = UserQuerySet.as_manager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            live_unique_email(violation_error_message="A user with this email already exists."),
            email_normalised_check(),
            min_length_check(
                "full_name", 2, violation_error_message="Full name must have at least 2 characters."
            ),
            enum_check("role", Role),
            enum_check("account_status", AccountStatus),
            models.CheckConstraint(
                condition=Q(failed_login_attempts__gte=0),
                name="accounts_user_failed_login_attempts_non_negative",
                violation_error_message="Failed login attempts cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(login_count__gte=0),
                name="accounts_user_login_count_non_negative",
                violation_error_message="Login count cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=STAFF_ROLES, is_staff=True)
                | (~Q(role__in=STAFF_ROLES) & Q(is_staff=False)),
                name="accounts_user_staff_matches_role",
                violation_error_message="Only admins, owners and recruiters are staff.",
            ),
            models.CheckConstraint(
                condition=Q(role=Role.ADMIN, is_superuser=True)
                | (~Q(role=Role.ADMIN) & Q(is_superuser=False)),
                name="accounts_user_superuser_matches_role",
                violation_error_message="Exactly the admins are superusers.",
            ),
            models.CheckConstraint(
                condition=Q(role__in=ORGANIZATION_ROLES, organization__isnull=False)
                | (~Q(role__in=ORGANIZATION_ROLES) & Q(organization__isnull=True)),
                name="accounts_user_organization_matches_role",
                violation_error_message=(
                    "Owners, recruiters and engines belong to one organization; "
                    "admins and candidates to none."
                ),
            ),
        ]
        indexes = [
            models.Index(
                fields=["locked_until"],
                condition=Q(locked_until__isnull=False),
                name="accounts_user_locked_idx",
            ),
            models.Index(fields=["role"], name="accounts_user_role_idx"),
            models.Index(fields=["organization", "role"], name="accounts_user_org_role_idx"),
            models.Index(fields=["created_at"], name="accounts_user_created_idx"),
            models.Index(fields=["last_login"], name="accounts_user_last_login_idx"),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args, **kwargs):
        # Normalised and derived columns hold whatever path wrote the row (admin, API, shell);
        # the check constraints above refuse anything else.
        self.email = normalize_email(self.email)
        self.is_staff = self.role in self.STAFF_ROLES
        self.is_superuser = self.role == self.Role.ADMIN
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "role" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_staff", "is_superuser"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ", 1)[0]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def is_locked(self, now=None) -> bool:
        """Return whether a lockout is running."""
        return self.locked_until is not None and self.locked_until > (now or django_timezone.now())

    @property
    def account_usable(self) -> bool:
        """Return whether the account itself may authenticate (password and organization
        aside): not deleted, deactivated, suspended or pending."""
        return (
            self.is_active
            and self.deleted_at is None
            and self.account_status == self.AccountStatus.ACTIVE
        )

    @property
    def can_log_in(self) -> bool:
        """Return whether the account may authenticate at all (password aside): a member of a
        suspended organization may not. Load `organization` with the user (select_related) on
        hot paths; otherwise this reads it."""
        return self.account_usable and (self.organization_id is None or self.organization.is_active)


class AccessTokenQuerySet(models.QuerySet):
    def live(self, now=None):
        return self.filter(expires_at__gt=now or django_timezone.now())

    def for_raw_token(self, raw_token: str):
        return self.filter(digest=AccessToken.digest_of(raw_token))


class AccessToken(models.Model):
    """A bearer token issued at login; only its SHA-256 digest is stored."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="access_tokens")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=django_timezone.now, editable=False)
    expires_at = models.DateTimeField(db_index=True)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"token of {self.user_id} until {self.expires_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def new_raw_token() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(raw_token: str) -> str:
        return hashlib.sha256(raw_token.encode()).hexdigest()
