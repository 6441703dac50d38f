"""Invitations (SPEC section 9): invite a person to an interview, revoke, resend; the public
preview of a token and its atomic, single-use acceptance."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.emails import normalize_email, validate_email_address
from accounts.models import Organization, User
from core.errors import ConflictError, InvalidInput
from core.rows import save_fields
from interviews.models import Candidate, Interview, Invitation, Position
from interviews.services.candidates import candidate_create
from interviews.services.workflow import interview_create

Status = Invitation.Status


# --- refusals ---------------------------------------------------------------------------------


class InvitationRefusal(Exception):
    """A token that cannot be used as asked; the API answers per subclass (404, 410, 403)."""

    code = "invalid"
    message = "This invitation cannot be used."

    def __init__(self, message: str | None = None, *, code: str | None = None):
        self.message = message or self.message
        super().__init__(self.message)
        if code is not None:
            self.code = code


class InvitationNotFound(InvitationRefusal):
    """No invitation has this token (404)."""

    code = "not_found"
    message = "No invitation has this token."


class InvitationGone(InvitationRefusal):
    """The invitation can no longer be used: it expired or was revoked (410)."""


class InvitationExpired(InvitationGone):
    code = "invitation_expired"
    message = "This invitation has expired; ask for a new one."


class InvitationRevoked(InvitationGone):
    code = "invitation_revoked"
    message = "This invitation was withdrawn."


class InvitationForbidden(InvitationRefusal):
    """This caller may not accept the invitation (403); `code` says why."""

    code = "permission_denied"


class InvitationUsed(ConflictError):
    code = "invitation_used"


class ProfileLinkedElsewhere(ConflictError):
    """The invited Candidate profile, or the account, is linked otherwise already (409)."""

    code = "profile_linked"


class InvalidPassword(InvalidInput):
    """The password of the account an acceptance creates breaks a password rule (400)."""

    def __init__(self, messages: list[str]):
        super().__init__(" ".join(messages), field="password")
        self.messages = messages


# --- what the services answer -----------------------------------------------------------------


@dataclass(frozen=True)
class InvitationPreview:
    """What the holder of a token may learn before accepting, and nothing else."""

    organization_name: str
    position_title: str | None
    email: str
    account_exists: bool


@dataclass(frozen=True)
class AcceptedInvitation:
    invitation: Invitation
    user: User
    interview: Interview
    token: str
    expires_at: datetime


# --- staff: invite, revoke, resend ------------------------------------------------------------


def _new_token() -> tuple[str, str, datetime]:
    """A fresh token, its digest (the only form stored) and the expiry it gets."""
    token = Invitation.new_token()
    return token, Invitation.digest_of(token), timezone.now() + settings.INVITATION_TTL


def _candidate_for(*, organization: Organization, email: str, full_name: str) -> Candidate:
    """The organization's live Candidate with this email, or a new one."""
    existing = Candidate.objects.filter(organization=organization, email=email).first()
    if existing is not None:
        return existing
    return candidate_create(organization=organization, email=email, full_name=full_name)


@transaction.atomic
def invitation_create(
    *,
    by: User | None,
    organization: Organization,
    email: str,
    full_name: str,
    position: Position | None = None,
    role_type: str | None = None,
    scheduled_for: datetime | None = None,
) -> tuple[Invitation, str]:
    """Invite a person to a new scheduled interview of the organization; return the invitation
    and its token (shown once: only its SHA-256 is stored).

    The organization's live Candidate with that email is the invitee, or one is created. The
    interview's role is `role_type`, else the position's; one of them is required. A position
    of another organization is a 400. An invalid email raises Django's ValidationError.
    """
    if position is not None and position.organization_id != organization.pk:
        raise InvalidInput("This position belongs to another organization.", field="position")
    role_type = role_type or (position.role_type if position is not None else None)
    if not role_type:
        raise InvalidInput("role_type or a position is required.", field="role_type")
    validate_email_address(email)
    email = normalize_email(email)
    candidate = _candidate_for(organization=organization, email=email, full_name=full_name)
    interview = interview_create(
        candidate=candidate,
        role_type=role_type,
        by=by,
        position=position,
        scheduled_for=scheduled_for,
    )
    token, digest, expires_at = _new_token()
    invitation = Invitation.objects.create(
        organization_id=candidate.organization_id,
        candidate=candidate,
        interview=interview,
        position=position,
        email=email,
        full_name=full_name,
        token_digest=digest,
        expires_at=expires_at,
        created_by=by,
    )
    return invitation, token


def _lock(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update().get(pk=invitation.pk)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Withdraw a pending (or expired) invitation: its token stops working. An accepted one is a
    conflict (`invitation_used`); revoking a revoked one again changes nothing."""
    locked = _lock(invitation)
    if locked.status == Status.ACCEPTED:
        raise InvitationUsed("This invitation was accepted already; it cannot be revoked.")
    if locked.status == Status.REVOKED:
        return locked
    return save_fields(locked, status=Status.REVOKED, revoked_at=timezone.now())


@transaction.atomic
def invitation_resend(*, invitation: Invitation) -> tuple[Invitation, str]:
    """Issue a pending (or expired) invitation a new token with a new expiry; the old token
    stops working. Return the invitation and the new token. Accepted: 409 `invitation_used`;
    revoked: 410 `invitation_revoked`."""
    locked = _lock(invitation)
    if locked.status == Status.ACCEPTED:
        raise InvitationUsed("This invitation was accepted already.")
    if locked.status == Status.REVOKED:
        raise InvitationRevoked("This invitation was withdrawn; create a new one.")
    token, digest, expires_at = _new_token()
    save_fields(
        locked, token_digest=digest, expires_at=expires_at, sent_count=locked.sent_count + 1
    )
    return locked, token


# --- the invitee: preview and accept ----------------------------------------------------------


def _check_usable(invitation: Invitation | None) -> Invitation:
    """Return the invitation if its token may still be used; raise the documented refusal."""
    if invitation is None:
        raise InvitationNotFound()
    if invitation.status == Status.ACCEPTED:
        raise InvitationUsed("This invitation was accepted already.")
    # A soft-deleted invitee is an invitation the organization withdrew.
    if invitation.status == Status.REVOKED or invitation.candidate.deleted_at is not None:
        raise InvitationRevoked()
    if invitation.current_status == Status.EXPIRED:
        raise InvitationExpired()
    # A suspended organization stops its own work at once; taking new candidates in is part.
    if not invitation.organization.is_active:
        raise InvitationForbidden(
            "This organization is not taking candidates in at the moment.",
            code="organization_suspended",
        )
    return invitation


def _by_token(token: str):
    return Invitation.objects.filter(token_digest=Invitation.digest_of(token))


def invitation_lookup(*, token: str) -> InvitationPreview:
    """What the public preview shows of a usable token: the organization's name, the
    position's title, the invited email and whether an account has that email."""
    invitation = _check_usable(
        _by_token(token).select_related("organization", "position", "candidate").first()
    )
    return InvitationPreview(
        organization_name=invitation.organization.name,
        position_title=invitation.position.title if invitation.position is not None else None,
        email=invitation.email,
        account_exists=User.objects.with_email(invitation.email).exists(),
    )


def _account_for(
    invitation: Invitation, *, user: User | None, password: str | None, full_name: str | None
) -> User:
    """The candidate account accepting: the logged-in one (with the invited email), else a new
    one with `password`. Not logged in while an account has the email: log in first (403)."""
    if user is not None:
        if user.role != User.Role.CANDIDATE:
            raise InvitationForbidden(
                "Only a candidate account can accept an invitation.",
                code="invitation_not_candidate",
            )
        if normalize_email(user.email) != invitation.email:
            raise InvitationForbidden(
                "This invitation is for another email address than this account's.",
                code="invitation_email_mismatch",
            )
        return user
    if User.objects.with_email(invitation.email).exists():
        raise InvitationForbidden(
            "An account with this email exists: log in, then accept with its bearer token.",
            code="invitation_login_required",
        )
    if not password:
        raise InvalidInput("A password is required to create your account.", field="password")
    full_name = full_name or invitation.full_name
    try:
        password_validation.validate_password(
            password, User(email=invitation.email, full_name=full_name)
        )
    except ValidationError as error:
        raise InvalidPassword(list(error.messages)) from error
    return account_services.user_create(
        email=invitation.email,
        password=password,
        full_name=full_name,
        role=User.Role.CANDIDATE,
        account_status=User.AccountStatus.ACTIVE,
    )


def _link(candidate: Candidate, user: User) -> None:
    """Link the invited profile to the account: one profile per account and organization, and
    a profile another account holds stays that account's."""
    if candidate.user_id == user.pk:
        return
    if candidate.user_id is not None:
        raise ProfileLinkedElsewhere("This candidate profile belongs to another account.")
    other = Candidate.all_objects.filter(organization_id=candidate.organization_id, user=user)
    if other.exclude(pk=candidate.pk).exists():
        raise ProfileLinkedElsewhere(
            "This account has another candidate profile in this organization."
        )
    save_fields(candidate, user=user)


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    password: str | None = None,
    full_name: str | None = None,
) -> AcceptedInvitation:
    """Accept an invitation once: link its Candidate profile to the invitee's account (the
    logged-in `user`, or a new candidate account with `password` when no account has the
    invited email), mark it accepted and issue a bearer token for that account.

    The invitation row is locked first, so of concurrent accepts of one token exactly one
    succeeds and the others see it accepted (409). `password` and `full_name` only serve a
    new account. A refusal writes nothing: one raised after the new account was created rolls
    it back with the rest.
    """
    # Locks the invitation and its candidate together (FOR UPDATE covers the joined row).
    invitation = _check_usable(
        _by_token(token)
        .select_related("candidate", "organization")
        .select_for_update(of=("self", "candidate"))
        .first()
    )
    account = _account_for(invitation, user=user, password=password, full_name=full_name)
    _link(invitation.candidate, account)
    save_fields(invitation, status=Status.ACCEPTED, accepted_at=timezone.now(), accepted_by=account)
    issued = account_services.token_issue(user=account)
    interview = Interview.objects.select_related("candidate").get(pk=invitation.interview_id)
    return AcceptedInvitation(
        invitation=invitation,
        user=account,
        interview=interview,
        token=issued.raw,
        expires_at=issued.expires_at,
    )
