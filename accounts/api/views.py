"""Views of accounts: login, logout, the caller's account and password, users for admins and
owners; the login throttle and error bodies the signup view (interviews.api.views) shares."""

import logging

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import logout as session_logout
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from accounts import services
from accounts.api.filters import UserFilter
from accounts.api.serializers import (
    LoginResponseSerializer,
    LoginSerializer,
    MeSerializer,
    PasswordChangeSerializer,
    TokenSerializer,
    UserCreateSerializer,
    UserSerializer,
)
from accounts.models import AccessToken, Role, User
from accounts.permissions import ActionRoles
from core.api.exceptions import ServiceUnavailable, error_response
from core.cache import cache_errors
from core.errors import InvalidInput
from core.proxies import client_address

ERROR_BODY = inline_serializer(
    "Error", {"detail": serializers.CharField(), "code": serializers.CharField()}
)
INVALID_CREDENTIALS = "Invalid email or password."
LOGIN_UNAVAILABLE = "Login is temporarily unavailable. Try again shortly."
# Who manages accounts on users/: admins every one, owners their organization's.
USER_MANAGERS = (Role.ADMIN, Role.OWNER)

logger = logging.getLogger(__name__)


def login_unavailable() -> ServiceUnavailable:
    """The 503 for login and registration while the cache is down, the same for every email."""
    return ServiceUnavailable(LOGIN_UNAVAILABLE)


class LoginRateThrottle(SimpleRateThrottle):
    """Per-IP throttle on login and registration (LOGIN_THROTTLE_RATE; empty disables it).

    The address is `core.proxies.client_address` (X-Forwarded-For only behind
    TRUSTED_PROXY_COUNT proxies). Without a reachable cache it cannot count, so it refuses:
    503 for every request, rather than letting them all through.
    """

    scope = "login"

    def get_rate(self):
        return settings.LOGIN_THROTTLE_RATE

    def get_ident(self, request):
        return client_address(request)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except cache_errors() as error:
            logger.warning(
                "Login throttle refused a request: the cache is unreachable (%s: %s).",
                type(error).__name__,
                error,
            )
            raise login_unavailable() from error


class LoginView(generics.GenericAPIView):
    """Exchange email and password for a bearer token."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [LoginRateThrottle]
    serializer_class = LoginSerializer

    @extend_schema(
        responses={
            200: LoginResponseSerializer,
            400: OpenApiResponse(description="Field errors"),
            401: ERROR_BODY,
            429: ERROR_BODY,
        }
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user = authenticate(request, **serializer.validated_data)
        except services.AccountLocked as locked:
            return error_response(
                "Too many failed logins. Try again later.",
                "locked",
                status.HTTP_429_TOO_MANY_REQUESTS,
                Retry_After=str(locked.retry_after),
            )
        except services.LoginUnavailable as unavailable:
            raise login_unavailable() from unavailable
        if user is None:
            return error_response(
                INVALID_CREDENTIALS, "invalid_credentials", status.HTTP_401_UNAUTHORIZED
            )
        issued = services.token_issue(user=user)
        body = {"token": issued.raw, "expires_at": issued.expires_at, "user": user}
        return Response(LoginResponseSerializer(body).data)


class LogoutView(APIView):
    """Revoke the token used for this request (or end the session)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, AccessToken):
            services.token_revoke(token=request.auth)
        else:
            session_logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(generics.RetrieveUpdateAPIView):
    """The caller's own account."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "options", "head"]

    def get_object(self):
        return self.request.user

    def perform_update(self, serializer):
        serializer.instance = services.user_update(
            user=self.request.user, **serializer.validated_data
        )


class PasswordChangeView(generics.GenericAPIView):
    """Change the caller's password; every token is revoked and a new one is returned."""

    serializer_class = PasswordChangeSerializer

    @extend_schema(responses={200: TokenSerializer, 400: OpenApiResponse(description="Errors")})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = services.user_password_change(
            user=request.user, new_password=serializer.validated_data["new_password"]
        )
        return Response(
            TokenSerializer({"token": issued.raw, "expires_at": issued.expires_at}).data
        )


class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Accounts, for admins (every one) and owners (their organization's owners, recruiters and
    engines: `User.objects.manageable_by`). DELETE is a soft delete; restore and unlock are
    actions."""

    queryset = User.objects.all()
    serializer_class = UserSerializer
    permission_classes = [IsAuthenticated, ActionRoles]
    action_roles = {"read": USER_MANAGERS, "write": USER_MANAGERS}
    filterset_class = UserFilter
    search_fields = ["email", "full_name"]
    ordering_fields = ["created_at", "email", "full_name", "last_login"]
    ordering = ["-created_at"]

    def get_queryset(self):
        users = User.all_objects.deleted() if self.action == "restore" else super().get_queryset()
        return users.manageable_by(self.request.user)

    def get_serializer_class(self):
        # Only creation takes a password: the schema of PUT and PATCH does not offer one.
        return UserCreateSerializer if self.action == "create" else UserSerializer

    def _owner_fields(self, fields: dict) -> dict:
        """Check what an owner asks for: the role is named on create (400 if not) and is an
        organization role (403 for admin or candidate); the organization is the owner's own
        (another one is a 400). An admin's fields pass as they are."""
        by = self.request.user
        if by.role != Role.OWNER:
            return fields
        creating = self.action == "create"
        if creating and "role" not in fields:
            # The model's default role (candidate) is not one an owner may give.
            raise InvalidInput("Name the role: owner, recruiter or engine.", field="role")
        if "role" in fields and fields["role"] not in User.ORGANIZATION_ROLES:
            raise PermissionDenied("Owners manage owners, recruiters and engines only.")
        if creating or "organization" in fields:
            fields["organization"] = services.organization_for_write(
                by=by, requested=fields.get("organization")
            )
        return fields

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        # 409 `email_taken` when a live user has the email; 400 for an organization given to an
        # admin or a candidate (user_organization_for_role).
        fields = self._owner_fields(dict(serializer.validated_data))
        serializer.instance = services.user_create(**fields)

    def perform_update(self, serializer):
        # 409 for a taken email, one's own demotion or suspension, or a change that leaves no
        # active admin. A role change between organization roles keeps the organization; to
        # admin or candidate it clears it (user_update).
        fields = self._owner_fields(dict(serializer.validated_data))
        serializer.instance = services.user_update(
            user=serializer.instance, by=self.request.user, **fields
        )

    def perform_destroy(self, instance):
        services.user_soft_delete(user=instance, by=self.request.user)  # 409 for oneself

    @extend_schema(request=None, responses={200: UserSerializer, 409: ERROR_BODY})
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        user = services.user_restore(user=self.get_object())  # EmailTaken answers 409
        return Response(self.get_serializer(user).data)

    @extend_schema(request=None, responses={200: UserSerializer})
    @action(detail=True, methods=["post"])
    def unlock(self, request, pk=None):
        user = services.user_unlock(user=self.get_object())
        return Response(self.get_serializer(user).data)
