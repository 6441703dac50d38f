"""Users' querysets and manager: soft delete, lookups by stored email, account creation.

Imports nothing of accounts.models (the model reaches them, not the reverse); roles come from
`self.model`."""

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.emails import normalize_email
from core.softdelete import LiveManagerMixin, SoftDeleteQuerySet


class UserQuerySet(SoftDeleteQuerySet):
    def with_email(self, email: str):
        """Filter on the normalised email (the stored form), whatever its case on input."""
        return self.filter(email=normalize_email(email))

    def locked(self, now=None):
        return self.filter(locked_until__gt=now or timezone.now())

    def search(self, term: str):
        return self.filter(Q(email__icontains=term) | Q(full_name__icontains=term))

    def manageable_by(self, user):
        """Return the accounts `user` may manage: an admin every one; an owner its own
        organization's (owners, recruiters and engines: admins and candidates belong to none);
        anybody else none."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.role == user.Role.ADMIN:
            return self
        if user.role == user.Role.OWNER:
            return self.filter(
                organization_id=user.organization_id, role__in=user.ORGANIZATION_ROLES
            )
        return self.none()


class TenantQuerySet(models.QuerySet):
    """Rows of one organization, found by `tenant_column`.

    `visible_to(user)`: an admin sees every organization's rows; owners, recruiters and engines
    their own organization's; anybody else none. Roles are read off the user's model.
    """

    tenant_column = "organization_id"

    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.none()
        if user.role == user.Role.ADMIN:
            return self
        if user.role in user.ORGANIZATION_ROLES:
            return self.filter(**{self.tenant_column: user.organization_id})
        return self.none()


class OrganizationQuerySet(TenantQuerySet):
    """Organizations, scoped like tenant rows on their own key."""

    tenant_column = "pk"

    def default(self):
        """Return the organization `default` (migration 0002 creates it; made here if gone)."""
        organization, _created = self.get_or_create(
            slug=self.model.DEFAULT_SLUG, defaults={"name": "Default"}
        )
        return organization


class UserManager(LiveManagerMixin, BaseUserManager.from_queryset(UserQuerySet)):
    """The default manager: live (not soft-deleted) users only."""

    def get_by_natural_key(self, username):
        return self.with_email(username).get()

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email is required.")
        if extra_fields.get("role") in self.model.ORGANIZATION_ROLES and not (
            extra_fields.get("organization") or extra_fields.get("organization_id")
        ):
            # A single-tenant deployment's staff land in `default` (SPEC section 9).
            organization_field = self.model._meta.get_field("organization")
            extra_fields["organization"] = organization_field.related_model.objects.default()
        user = self.model(email=normalize_email(email), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
        # Django cannot see the partial unique constraint on Lower(email), so its own callers
        # (createsuperuser) do not check for a taken email; refuse a live duplicate here.
        if self.with_email(user.email).exists():
            raise ValidationError(
                {"email": ValidationError("A user with this email already exists.", code="unique")}
            )
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("role", self.model.Role.CANDIDATE)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["role"] = self.model.Role.ADMIN
        extra_fields.setdefault("account_status", self.model.AccountStatus.ACTIVE)
        return self._create_user(email, password, **extra_fields)
