"""Serializers of invitations: as staff see and create them (the token only when issued), the
public preview of a token, and its acceptance."""

from rest_framework import serializers

from accounts.api.serializers import PASSWORD_FIELD_OPTIONS, EmailField, MeSerializer
from accounts.models import Organization
from core.api.fields import StrictCharField, StrictModelSerializer, VisibleRelatedField
from interviews.api.serializers import InterviewSerializer
from interviews.models import Invitation, InvitationStatus, Position, RoleType

TOKEN_MAX_LENGTH = 256


class InvitationSerializer(StrictModelSerializer):
    """An invitation as staff see it; on create, whom to invite to what."""

    # Chosen by an admin (omitted: `default`); anyone else's is their own.
    organization = VisibleRelatedField(queryset=Organization.objects.all(), required=False)
    email = EmailField(max_length=254)
    position = VisibleRelatedField(queryset=Position.objects.all(), required=False, allow_null=True)
    # The interview's plan: its role (else the position's) and time.
    role_type = serializers.ChoiceField(choices=RoleType.choices, required=False, write_only=True)
    scheduled_for = serializers.DateTimeField(required=False, allow_null=True, write_only=True)
    # `expired`: pending, past expires_at.
    status = serializers.ChoiceField(
        source="current_status", choices=InvitationStatus.choices, read_only=True
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "organization",
            "candidate",
            "interview",
            "position",
            "role_type",
            "scheduled_for",
            "email",
            "full_name",
            "status",
            "expires_at",
            "sent_count",
            "accepted_at",
            "accepted_by",
            "revoked_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "candidate",
            "interview",
            "expires_at",
            "sent_count",
            "accepted_at",
            "accepted_by",
            "revoked_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {"full_name": {"min_length": 2}}


class InvitationIssuedSerializer(InvitationSerializer):
    """An invitation just created or resent, with its secret token: shown this once."""

    token = serializers.SerializerMethodField()

    class Meta(InvitationSerializer.Meta):
        fields = [*InvitationSerializer.Meta.fields, "token"]

    def get_token(self, invitation: Invitation) -> str:
        return self.context["token"]


class InvitationTokenSerializer(serializers.Serializer):
    token = StrictCharField(max_length=TOKEN_MAX_LENGTH)


class InvitationPreviewSerializer(serializers.Serializer):
    """What the holder of a token learns before accepting."""

    organization_name = serializers.CharField(read_only=True)
    position_title = serializers.CharField(read_only=True, allow_null=True)
    email = serializers.EmailField(read_only=True)
    account_exists = serializers.BooleanField(read_only=True)


class InvitationAcceptSerializer(InvitationTokenSerializer):
    """The token, and for a new account (no account has the invited email) its password and,
    optionally, a name other than the invitation's."""

    password = StrictCharField(min_length=8, required=False, **PASSWORD_FIELD_OPTIONS)
    full_name = StrictCharField(min_length=2, max_length=255, required=False)


class InvitationAcceptedSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expires_at = serializers.DateTimeField(read_only=True)
    user = MeSerializer(read_only=True)
    interview = InterviewSerializer(read_only=True)
