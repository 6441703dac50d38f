"""Views of invitations: staff invite, list, revoke and resend (invitations/); anyone holding a
token previews and accepts it (auth/invitation/, auth/invitation/accept/)."""

import django_filters
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from accounts import services as account_services
from accounts.api.views import ERROR_BODY, LoginRateThrottle
from accounts.authentication import BearerTokenAuthentication
from accounts.models import STAFF_ROLES
from accounts.permissions import ActionRoles
from interviews import services
from interviews.api.invitation_serializers import (
    InvitationAcceptedSerializer,
    InvitationAcceptSerializer,
    InvitationIssuedSerializer,
    InvitationPreviewSerializer,
    InvitationSerializer,
    InvitationTokenSerializer,
)
from interviews.models import Invitation, InvitationStatus

Status = InvitationStatus

TOKEN_ERRORS = {
    400: OpenApiResponse(description="Field errors"),
    404: ERROR_BODY,
    409: ERROR_BODY,
    410: ERROR_BODY,
}


class Gone(exceptions.APIException):
    """The resource existed but can no longer be used (410)."""

    status_code = status.HTTP_410_GONE
    default_detail = "This is no longer available."
    default_code = "gone"


def as_api_exception(exc: Exception) -> Exception:
    """The API's answer to an invitation refusal of the services (others pass unchanged)."""
    if isinstance(exc, services.InvalidPassword):
        return serializers.ValidationError({"password": exc.messages})
    if isinstance(exc, services.InvitationNotFound):
        return exceptions.NotFound(exc.message, code=exc.code)
    if isinstance(exc, services.InvitationGone):
        return Gone(exc.message, code=exc.code)
    if isinstance(exc, services.InvitationForbidden):
        return exceptions.PermissionDenied(exc.message, code=exc.code)
    return exc


class InvitationRefusals:
    """Answer the services' invitation refusals with their documented statuses and codes."""

    def handle_exception(self, exc):
        return super().handle_exception(as_api_exception(exc))


class InvitationFilter(django_filters.FilterSet):
    # `expired` is derived (pending, past expires_at), so `pending` means still usable.
    status = django_filters.ChoiceFilter(choices=Status.choices, method="filter_status")
    candidate = django_filters.UUIDFilter(field_name="candidate_id")
    interview = django_filters.UUIDFilter(field_name="interview_id")
    position = django_filters.UUIDFilter(field_name="position_id")

    class Meta:
        model = Invitation
        fields = ["status", "candidate", "interview", "position"]

    def filter_status(self, queryset, name, value):
        now = timezone.now()
        if value == Status.EXPIRED:
            return queryset.filter(status=Status.PENDING, expires_at__lte=now)
        if value == Status.PENDING:
            return queryset.filter(status=Status.PENDING, expires_at__gt=now)
        return queryset.filter(status=value)


class InvitationViewSet(
    InvitationRefusals,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Invitations of a person to an interview: create (answers the token, once), list, revoke,
    resend (answers a new token; the old one stops working)."""

    serializer_class = InvitationSerializer
    permission_classes = [IsAuthenticated, ActionRoles]
    action_roles = {"read": STAFF_ROLES, "write": STAFF_ROLES}
    filterset_class = InvitationFilter
    search_fields = ["email", "full_name"]
    ordering_fields = ["created_at", "expires_at"]
    ordering = ["-created_at"]

    def get_queryset(self):
        return Invitation.objects.visible_to(self.request.user)

    def _issued(self, invitation: Invitation, token: str, status_code=status.HTTP_200_OK):
        context = {**self.get_serializer_context(), "token": token}
        return Response(InvitationIssuedSerializer(invitation, context=context).data, status_code)

    @extend_schema(
        description="Find or create the organization's candidate with this email, schedule an "
        "interview (role_type, else the position's) and invite the person to it. The answer "
        "holds the secret `token`, shown this once.",
        responses={201: InvitationIssuedSerializer},
    )
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        organization = account_services.organization_for_write(
            by=request.user, requested=fields.pop("organization", None)
        )
        invitation, token = services.invitation_create(
            by=request.user, organization=organization, **fields
        )
        return self._issued(invitation, token, status.HTTP_201_CREATED)

    @extend_schema(
        description="Withdraw the invitation: its token stops working. Revoking it again "
        "changes nothing; an accepted one is a 409 `invitation_used`.",
        request=None,
        responses={200: InvitationSerializer, 409: ERROR_BODY},
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        invitation = services.invitation_revoke(invitation=self.get_object())
        return Response(self.get_serializer(invitation).data)

    @extend_schema(
        description="Issue a new token with a new expiry (also for an expired invitation); the "
        "old token stops working. Accepted: 409 `invitation_used`; revoked: 410 "
        "`invitation_revoked`.",
        request=None,
        responses={200: InvitationIssuedSerializer, 409: ERROR_BODY, 410: ERROR_BODY},
    )
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        invitation, token = services.invitation_resend(invitation=self.get_object())
        return self._issued(invitation, token)


class InvitationPreviewView(InvitationRefusals, generics.GenericAPIView):
    """What an invitation is for, before accepting it: the organization's name, the position's
    title, the invited email and whether an account has that email (then: log in first)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [LoginRateThrottle]
    serializer_class = InvitationTokenSerializer

    @extend_schema(responses={200: InvitationPreviewSerializer, **TOKEN_ERRORS})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        preview = services.invitation_lookup(token=serializer.validated_data["token"])
        return Response(InvitationPreviewSerializer(preview).data)


class InvitationAcceptView(InvitationRefusals, generics.GenericAPIView):
    """Accept an invitation (once): link its candidate profile to the invitee's account and log
    that account in.

    Logged in (bearer token) as the candidate account with the invited email, or, when no
    account has that email, anonymously with a `password` for the account this creates. An
    account with another email, or a staff account, is a 403; anonymously while an account has
    the email, a 403 `invitation_login_required`.
    """

    permission_classes = [AllowAny]
    authentication_classes = [BearerTokenAuthentication]
    throttle_classes = [LoginRateThrottle]
    serializer_class = InvitationAcceptSerializer

    @extend_schema(responses={200: InvitationAcceptedSerializer, 403: ERROR_BODY, **TOKEN_ERRORS})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user if request.user.is_authenticated else None
        accepted = services.invitation_accept(user=user, **serializer.validated_data)
        body = {
            "token": accepted.token,
            "expires_at": accepted.expires_at,
            "user": accepted.user,
            "interview": accepted.interview,
        }
        return Response(InvitationAcceptedSerializer(body).data)
