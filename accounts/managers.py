"""Users' querysets and manager: soft delete, lookups by stored email, account creation.

Imports nothing of accounts.models (the model reaches them, not the reverse); roles come from
`self.model`."""

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
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


class UserManager(LiveManagerMixin, BaseUserManager.from_queryset(UserQuerySet)):
    """The default manager: live (not soft-deleted) users only."""

    def get_by_natural_key(self, username):
        return self.with_email(username).get()

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email is required.")
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
