"""The login backend: email and password through the lockout rules."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from accounts.models import Role, User
from accounts.services import login_authenticate

# Created by assessments/migrations/0002_recruiters_group.py.
RECRUITERS_GROUP = "Recruiters"


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
        # follows the role without membership rows to keep in sync.
        permissions = super()._get_group_permissions(user_obj)
        if user_obj.role in (Role.OWNER, Role.RECRUITER):
            permissions = permissions | Permission.objects.filter(group__name=RECRUITERS_GROUP)
        return permissions
