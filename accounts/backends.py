"""The login backend: email and password through the lockout rules."""

from functools import reduce
from operator import or_

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

from accounts.models import Role, User
from accounts.services import login_authenticate

# Created by assessments/migrations/0002_recruiters_group.py.
RECRUITERS_GROUP = "Recruiters"

ALL_ACTIONS = ("add", "change", "delete", "view")
# What a role holds besides the Recruiters group, by (app label, model, actions): positions and
# invitations came after the group's migration; owners also manage their organization's users
# and read and rename the organization itself. Granted by role, like the group, so nothing is
# kept in sync; which rows each permission reaches is `visible_to(user)`'s to decide.
POSITIONS_AND_INVITATIONS = (
    ("interviews", "position", ALL_ACTIONS),
    ("interviews", "invitation", ALL_ACTIONS),
)
ROLE_PERMISSIONS = {
    Role.OWNER: (
        *POSITIONS_AND_INVITATIONS,
        ("accounts", "user", ALL_ACTIONS),
        ("accounts", "organization", ("change", "view")),
    ),
    Role.RECRUITER: POSITIONS_AND_INVITATIONS,
}


def role_permissions(role: str):
    """Return the permissions `role` holds by itself (ROLE_PERMISSIONS), as a queryset."""
    grants = [
        Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        )
        for app_label, model, actions in ROLE_PERMISSIONS.get(role, ())
    ]
    if not grants:
        return Permission.objects.none()
    return Permission.objects.filter(reduce(or_, grants))


class LockoutBackend(ModelBackend):
    """Email and password login with lockout (spec section 4), for the API and the admin alike.

    `authenticate()` raises `accounts.services.AccountLocked` while the email is locked out;
    callers turn it into a 429 (API) or a form error (admin login).
    """

    def authenticate(self, request, email=None, password=None, username=None, **kwargs):
        email = email if email is not None else username
        if email is None or password is None:
            return None
        return login_authenticate(email=email, password=password)

    def user_can_authenticate(self, user: User) -> bool:
        return user.can_log_in

    def get_user(self, user_id):
        # Sessions die as soon as the account is deleted, suspended or deactivated.
        user = User.objects.select_related("organization").filter(pk=user_id).first()
        return user if user is not None and user.can_log_in else None

    def _get_group_permissions(self, user_obj):
        # Owners and recruiters hold the Recruiters group's permissions by their role, so the group
        # follows the role without membership rows to keep in sync; and those of their role.
        permissions = super()._get_group_permissions(user_obj)
        if user_obj.role in (Role.OWNER, Role.RECRUITER):
            permissions = (
                permissions
                | Permission.objects.filter(group__name=RECRUITERS_GROUP)
                | role_permissions(user_obj.role)
            )
        return permissions
