"""The assessments API viewset."""

from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from accounts.permissions import ALL_ROLES, STAFF_AND_ENGINE, ActionRoles
from assessments import services
from assessments.api.filters import AssessmentFilter
from assessments.api.serializers import AssessmentSerializer
from assessments.models import AssessmentResult


class AssessmentViewSet(viewsets.ModelViewSet):
    """Assessments: one per completed interview."""

    queryset = AssessmentResult.objects.select_related("interview")
    serializer_class = AssessmentSerializer
    permission_classes = [IsAuthenticated, ActionRoles]
    action_roles = {"read": ALL_ROLES, "write": STAFF_AND_ENGINE}
    filterset_class = AssessmentFilter
    ordering_fields = ["overall_score", "integrity_score", "generated_at", "created_at"]
    ordering = ["-generated_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def perform_create(self, serializer):
        serializer.instance = services.assessment_create(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.assessment_update(
            assessment=serializer.instance, **serializer.validated_data
        )
