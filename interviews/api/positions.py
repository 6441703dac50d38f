"""The positions API: job openings with their skill rubric, and each one's hiring pipeline."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts import services as account_services
from accounts.models import STAFF_ROLES, Organization
from accounts.permissions import STAFF_AND_ENGINE, ActionRoles
from core.api.fields import StrictModelSerializer, VisibleRelatedField
from interviews import services
from interviews.api.filters import PositionFilter
from interviews.models import Interview, Position, validate_rubric
from interviews.models.positions import MAX_RUBRIC_SKILLS
from interviews.pipeline import position_pipeline

MAX_DESCRIPTION_CHARS = 20_000

RUBRIC_SCHEMA = {
    "type": "array",
    "maxItems": MAX_RUBRIC_SKILLS,
    "description": "The rubric the engine scores against: distinct skills with their weights.",
    "items": {
        "type": "object",
        "properties": {
            "skill": {"type": "string", "minLength": 1, "maxLength": 100},
            "weight": {
                "type": "number",
                "minimum": 0,
                "exclusiveMinimum": True,
                "maximum": 100,
            },
        },
        "required": ["skill", "weight"],
        "additionalProperties": False,
    },
}


@extend_schema_field(RUBRIC_SCHEMA)
class RubricField(serializers.JSONField):
    """A position's `skills`: a list of `{skill, weight}` (interviews.models.validate_rubric)."""

    default_error_messages = {
        "null_character": "A rubric cannot contain NUL (\\u0000) characters.",
    }

    def __init__(self, **kwargs):
        super().__init__(validators=[validate_rubric], **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        # PostgreSQL's jsonb cannot store NUL: refused here rather than by the database.
        if _has_null_character(value):
            self.fail("null_character")
        return value


def _has_null_character(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(map(_has_null_character, [*value.keys(), *value.values()]))
    if isinstance(value, list):
        return any(_has_null_character(item) for item in value)
    return False


class PositionSerializer(StrictModelSerializer):
    # Chosen by an admin on create (omitted: `default`); anyone else's is their own. Fixed after.
    organization = VisibleRelatedField(queryset=Organization.objects.all(), required=False)
    skills = RubricField(required=False)

    class Meta:
        model = Position
        fields = [
            "id",
            "organization",
            "title",
            "role_type",
            "experience_level",
            "description",
            "skills",
            "status",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_by", "created_at", "updated_at"]
        extra_kwargs = {"description": {"max_length": MAX_DESCRIPTION_CHARS}}

    def validate(self, attrs):
        organization = attrs.get("organization")
        if self.instance is not None and organization is not None:
            if organization.pk != self.instance.organization_id:
                raise serializers.ValidationError(
                    {"organization": ["A position cannot move to another organization."]}
                )
            del attrs["organization"]
        return attrs


class InterviewCountsSerializer(serializers.Serializer):
    """A position's interviews per status (every status, zero when none)."""

    scheduled = serializers.IntegerField()
    in_progress = serializers.IntegerField()
    completed = serializers.IntegerField()
    abandoned = serializers.IntegerField()


class ScoreSummarySerializer(serializers.Serializer):
    """Mean and quartiles of the assessed interviews' overall scores (null when none)."""

    mean = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    q1 = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    median = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    q3 = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)


class PositionPipelineSerializer(serializers.Serializer):
    position = serializers.UUIDField()
    interviews = InterviewCountsSerializer()
    total = serializers.IntegerField(help_text="Interviews of the position, in every status.")
    assessed = serializers.IntegerField(help_text="Interviews of the position with an assessment.")
    overall_score = ScoreSummarySerializer()


class PositionViewSet(viewsets.ModelViewSet):
    """Positions (job openings): owners, recruiters and admins write; engines read."""

    serializer_class = PositionSerializer
    permission_classes = [IsAuthenticated, ActionRoles]
    action_roles = {"read": STAFF_AND_ENGINE, "write": STAFF_ROLES}
    filterset_class = PositionFilter
    search_fields = ["title"]
    ordering_fields = ["created_at", "title"]
    ordering = ["-created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return Position.objects.visible_to(self.request.user)

    def perform_create(self, serializer):
        fields = dict(serializer.validated_data)
        organization = account_services.organization_for_write(
            by=self.request.user, requested=fields.pop("organization", None)
        )
        serializer.instance = services.position_create(
            by=self.request.user, organization=organization, **fields
        )

    def perform_update(self, serializer):
        serializer.instance = services.position_update(
            position=serializer.instance, **serializer.validated_data
        )

    @extend_schema(
        description="Delete a position no interview is held for; otherwise 409 "
        "`position_in_use` (close it instead).",
        responses={204: None, 409: OpenApiResponse(description="Conflict with the current state")},
    )
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        services.position_delete(position=instance)

    @extend_schema(responses={200: PositionPipelineSerializer})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def pipeline(self, request, pk=None):
        """The position's interviews per status, assessed count, score mean and quartiles."""
        pipeline = position_pipeline(
            position=self.get_object(), interviews=Interview.objects.visible_to(request.user)
        )
        return Response(PositionPipelineSerializer(pipeline).data)
