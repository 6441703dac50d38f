"""Writes on accounts that touch several rows or have side effects, by concern: login and
lockout (lockout.py), bearer tokens (tokens.py), the account lifecycle (users.py). Callers use
`from accounts import services; services.<name>`: the names below are the package's API."""

from accounts.services.lockout import (
    UNKNOWN_EMAIL_COUNTER_SECONDS,
    AccountLocked,
    LoginUnavailable,
    login_authenticate,
    login_unavailable,
    unknown_email_unlock,
    user_unlock,
)
from accounts.services.tokens import IssuedToken, token_issue, token_revoke, user_revoke_access
from accounts.services.users import (
    ACCESS_FIELDS,
    ACTIVE_ADMINS,
    AccessChanges,
    EmailTaken,
    UserFields,
    UserProfileFields,
    user_check_access_change,
    user_check_email_free,
    user_create,
    user_password_change,
    user_restore,
    user_soft_delete,
    user_update,
)

__all__ = [
    "ACCESS_FIELDS",
    "ACTIVE_ADMINS",
    "UNKNOWN_EMAIL_COUNTER_SECONDS",
    "AccessChanges",
    "AccountLocked",
    "EmailTaken",
    "IssuedToken",
    "LoginUnavailable",
    "UserFields",
    "UserProfileFields",
    "login_authenticate",
    "login_unavailable",
    "token_issue",
    "token_revoke",
    "unknown_email_unlock",
    "user_check_access_change",
    "user_check_email_free",
    "user_create",
    "user_password_change",
    "user_restore",
    "user_revoke_access",
    "user_soft_delete",
    "user_unlock",
    "user_update",
]
