"""The account lifecycle: creation, changes (with the rule of who keeps admin access), password
change, soft delete and restore. Every function is keyword-only and runs in one transaction."""

from datetime import datetime
from typing import TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from accounts import signals
from accounts.emails import normalize_email, validate_email_address
from accounts.models import Organization, User
from accounts.services.tokens import IssuedToken, token_issue, user_revoke_access
from core.errors import ConflictError, InvalidInput
from core.rows import save_fields
from core.softdelete import restore, soft_delete


class AccessChanges(TypedDict, total=False):
    """New values of the fields whose change can take an account's access away."""

    role: str
    account_status: str
    is_active: bool


class UserProfileFields(AccessChanges, total=False):
    """The fields of a new user besides its email, password and name."""

    organization: Organization | None
    timezone: str
    language: str
    is_staff: bool
    is_superuser: bool


class UserFields(UserProfileFields, total=False):
    """The fields of a user that user_update sets (the API's and the admin's editable ones)."""

    email: str
    full_name: str
    failed_login_attempts: int
    locked_until: datetime | None
    last_login: datetime | None
    last_failed_login_at: datetime | None
    login_count: int


class EmailTaken(ConflictError):
    """Raised when a live user other than the one at hand has the email."""

    code = "email_taken"


def user_check_email_free(*, email: str, exclude: User | None = None) -> str:
    """Validate and normalise an email; return its stored form, or raise EmailTaken when a
    live user other than `exclude` has it. The one home of the rule: the API, the admin's
    forms and user_restore call it. An invalid email raises Django's ValidationError."""
    validate_email_address(email)
    email = normalize_email(email)
    if _email_taken(email, exclude=exclude):
        raise EmailTaken("A user with this email already exists.")
    return email


def _email_taken(email: str, *, exclude: User | None) -> bool:
    """Whether a live user other than `exclude` has the (normalised) email."""
    taken = User.objects.with_email(email)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    return taken.exists()


class OrganizationRoleMismatch(InvalidInput):
    """An organization given to an admin or a candidate, who belong to none (400)."""


def user_organization_for_role(
    *, role: str, organization: Organization | None, current: Organization | None = None
) -> Organization | None:
    """Return the organization a user of `role` belongs to: the one given, else the current
    one, else `default` for owners, recruiters and engines; none for admins and candidates
    (giving one is a 400)."""
    if role in User.ORGANIZATION_ROLES:
        return organization or current or Organization.objects.default()
    if organization is not None:
        raise OrganizationRoleMismatch(
            "Admins and candidates belong to no organization.", field="organization"
        )
    return None


@transaction.atomic
def user_create(
    *, email: str, password: str | None, full_name: str, **fields: Unpack[UserProfileFields]
) -> User:
    """Create an account (in `default` when an organization role names none); raise
    EmailTaken when a live user has the email."""
    email = user_check_email_free(email=email)
    fields["organization"] = user_organization_for_role(
        role=fields.get("role", User.Role.CANDIDATE), organization=fields.get("organization")
    )
    try:
        return User.objects.create_user(
            email=email, password=password, full_name=full_name, **fields
        )
    except ValidationError as error:
        # A concurrent creation committed the email between the check above and the manager's
        # own; that is the same conflict, not a server error. (Both passing both checks ends at
        # the unique index: an IntegrityError, which the API answers 409 as well.)
        if "email" in getattr(error, "error_dict", {}):
            raise EmailTaken("A user with this email already exists.") from error
        raise


# --- who keeps admin access ---------------------------------------------------------------

ACTIVE_ADMINS = Q(
    role=User.Role.ADMIN,
    account_status=User.AccountStatus.ACTIVE,
    is_active=True,
    deleted_at__isnull=True,
)
# The fields whose change can take an account's access away.
ACCESS_FIELDS = frozenset(AccessChanges.__annotations__)


def _lock_admins_and(user: User) -> User:
    """Lock the user's row and every active admin's, in primary-key order (two admins changing
    each other at once then queue instead of deadlocking); return the user as locked."""
    rows = User.all_objects.select_for_update().filter(Q(pk=user.pk) | ACTIVE_ADMINS)
    for row in rows.order_by("pk"):
        if row.pk == user.pk:
            return row
    raise User.DoesNotExist(f"No user {user.pk}.")


def user_check_access_change(
    *, user: User, by: User | None, deleting: bool = False, **changes: Unpack[AccessChanges]
) -> None:
    """Raise ConflictError if the change takes the acting admin's own access away, or leaves
    the platform with no active admin; `changes` holds new values of ACCESS_FIELDS.

    The one home of the rule: the API and the admin call it (the admin's forms to show the
    error, and user_update / user_soft_delete again under a lock, where it is decisive).
    """
    role = changes.get("role", user.role)
    status = changes.get("account_status", user.account_status)
    is_active = changes.get("is_active", user.is_active)
    if by is not None and by.pk == user.pk:
        if deleting:
            raise ConflictError("You cannot delete your own account.", code="self_delete")
        if user.role in (User.Role.ADMIN, User.Role.OWNER) and role != user.role:
            raise ConflictError(
                f"You cannot take away your own {user.role} role.", code="self_demotion"
            )
        if status != User.AccountStatus.ACTIVE or not is_active:
            raise ConflictError(
                "You cannot suspend or deactivate your own account.", code="self_suspension"
            )

    def active_admin(role, status, is_active) -> bool:
        return (
            role == User.Role.ADMIN
            and status == User.AccountStatus.ACTIVE
            and is_active
            and user.deleted_at is None
        )

    was_active_admin = active_admin(user.role, user.account_status, user.is_active)
    stays_active_admin = not deleting and active_admin(role, status, is_active)
    others = User.all_objects.filter(ACTIVE_ADMINS).exclude(pk=user.pk)
    if was_active_admin and not stays_active_admin and not others.exists():
        raise ConflictError(
            "This change would leave the platform with no active admin.",
            code="last_active_admin",
        )


@transaction.atomic
def user_update(*, user: User, by: User | None = None, **fields: Unpack[UserFields]) -> User:
    """Change the given fields only, on the row re-read under a lock (login bookkeeping
    written meanwhile is kept); suspending an account revokes its tokens. A change of role or
    status is refused (ConflictError) when `by` would lose its own access or no active admin
    would be left (user_check_access_change)."""
    if "email" in fields:
        fields["email"] = user_check_email_free(email=fields["email"], exclude=user)
    access_changes = {name: fields[name] for name in ACCESS_FIELDS & fields.keys()}
    if access_changes:
        locked = _lock_admins_and(user)
        user_check_access_change(user=locked, by=by, **access_changes)
    else:
        locked = User.all_objects.select_for_update().get(pk=user.pk)
    if "role" in fields or "organization" in fields:
        fields["organization"] = user_organization_for_role(
            role=fields.get("role", locked.role),
            organization=fields.get("organization"),
            current=locked.organization if locked.role in User.ORGANIZATION_ROLES else None,
        )
    save_fields(locked, **fields)
    # The account's own state, not its organization's: a suspended organization's tokens are
    # refused while it is suspended and work again when it is reactivated.
    if not locked.account_usable:
        user_revoke_access(user=locked)
    return locked


@transaction.atomic
def user_password_change(*, user: User, new_password: str) -> IssuedToken:
    """Set a new password, revoke every token, and issue a fresh one for the caller."""
    user.set_password(new_password)
    user.save(update_fields=["password", "updated_at"])
    user_revoke_access(user=user)
    return token_issue(user=user)


@transaction.atomic
def user_soft_delete(*, user: User, by: User | None = None) -> User:
    """Hide the user, make it unable to log in, and revoke its tokens at once. Refused
    (ConflictError) for `by`'s own account and for the last active admin. Sends
    user_soft_deleted in the transaction (interviews unlinks the candidate profile)."""
    if user.deleted_at is None:
        user_check_access_change(user=_lock_admins_and(user), by=by, deleting=True)
        soft_delete(user, is_active=False)
    user_revoke_access(user=user)
    signals.user_soft_deleted.send(sender=User, user=user)
    return user


@transaction.atomic
def user_restore(*, user: User) -> User:
    """Bring a soft-deleted user back; raise EmailTaken if a live user has its email. Sends
    user_restored in the transaction (interviews relinks the candidate profile)."""
    if _email_taken(user.email, exclude=user):
        raise EmailTaken("A live user has this email now.")
    restore(user, is_active=True)
    signals.user_restored.send(sender=User, user=user)
    return user
