"""Role-based permissions shared by every app's API."""

from rest_framework.permissions import BasePermission

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
