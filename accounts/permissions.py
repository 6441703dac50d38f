"""Role-based permissions shared by every app's API."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from accounts.models import User


def has_role(user, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.role in roles)


class IsAdminRole(BasePermission):
    """Admins only."""

    def has_permission(self, request, view):
        return has_role(request.user, User.Role.ADMIN)


class IsStaffRole(BasePermission):
    """Admins and recruiters."""

    def has_permission(self, request, view):
        return has_role(request.user, *User.STAFF_ROLES)


class IsStaffOrEngine(BasePermission):
    """Admins, recruiters and the AI engine service account."""

    def has_permission(self, request, view):
        return has_role(request.user, *User.STAFF_ROLES, User.Role.ENGINE)


ALL_ROLES = tuple(User.Role.values)
STAFF_AND_ENGINE = (*User.STAFF_ROLES, User.Role.ENGINE)


class ActionRoles(BasePermission):
    """Roles per action, declared on the view as `action_roles`.

    Keys are action names; "read" and "write" are the fallbacks for safe and unsafe methods.
    Which rows a role sees is decided separately, by the model's `visible_to(user)`.
    """

    def has_permission(self, request, view):
        roles = view.action_roles.get(getattr(view, "action", None))
        if roles is None:
            roles = view.action_roles["read" if request.method in SAFE_METHODS else "write"]
        return has_role(request.user, *roles)
