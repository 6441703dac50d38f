"""Bearer tokens: issue, revoke one, revoke all of a user's."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from accounts.models import AccessToken, User


@dataclass(frozen=True)
class IssuedToken:
    raw: str
    token: AccessToken

    @property
    def expires_at(self) -> datetime:
        return self.token.expires_at


def token_issue(*, user: User) -> IssuedToken:
    """Create a bearer token for the user; only its digest is stored."""
    raw = AccessToken.new_raw_token()
    token = AccessToken.objects.create(
        user=user,
        digest=AccessToken.digest_of(raw),
        expires_at=timezone.now() + settings.TOKEN_TTL,
    )
    return IssuedToken(raw=raw, token=token)


def token_revoke(*, token: AccessToken) -> None:
    AccessToken.objects.filter(pk=token.pk).delete()


def user_revoke_access(*, user: User) -> None:
    """Revoke every token of the user at once. Sessions die with the account's usability:
    the backend's get_user() refuses users who cannot log in."""
    AccessToken.objects.filter(user=user).delete()
