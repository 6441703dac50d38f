"""The organizations endpoint: admins manage them all, an owner reads and renames its own."""

from collections.abc import Mapping

from rest_framework import exceptions, serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from accounts import services
from accounts.models import Organization, Role
from accounts.permissions import ActionRoles
from core.api.fields import StrictModelSerializer

MAX_RETENTION_DAYS = 36_500
ADMIN_ONLY = (Role.ADMIN,)
ADMIN_AND_OWNER = (Role.ADMIN, Role.OWNER)


class OrganizationSerializer(StrictModelSerializer):
    """An organization as admins see and change it."""

    # Unique case-insensitively: the service answers 409 `slug_taken`, so the model's
    # case-sensitive UniqueValidator (a 400) is not used.
    slug = serializers.SlugField(max_length=64)

    class Meta:
        model = Organization
        fields = ["id", "name", "slug", "status", "retention_days", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            "name": {"min_length": 2},
            # A century: the column's range differs by database, a bound of the API's does not.
            "retention_days": {"min_value": 1, "max_value": MAX_RETENTION_DAYS},
        }


class OrganizationOwnerSerializer(OrganizationSerializer):
    """An organization as its owner sees it: only the name is the owner's to change."""

    slug = serializers.SlugField(read_only=True)

    class Meta(OrganizationSerializer.Meta):
        read_only_fields = ["id", "status", "retention_days", "created_at", "updated_at"]


# What an owner may not change on its organization: sending any of them is a 403.
ADMIN_FIELDS = frozenset({"slug", "status", "retention_days"})


class OrganizationViewSet(viewsets.ModelViewSet):
    """Organizations (SPEC section 9): CRUD for admins; an owner lists, reads and renames its
    own. Another organization is a 404 to an owner. Suspending one (`status`) stops its
    members' tokens and sessions at once; reactivating brings them back."""

    permission_classes = [IsAuthenticated, ActionRoles]
    action_roles = {
        "read": ADMIN_AND_OWNER,
        "write": ADMIN_ONLY,
        "update": ADMIN_AND_OWNER,
        "partial_update": ADMIN_AND_OWNER,
    }
    filterset_fields = ["status"]
    search_fields = ["name", "slug"]
    ordering_fields = ["name", "slug", "created_at"]
    ordering = ["name"]

    def get_queryset(self):
        return Organization.objects.visible_to(self.request.user)

    def _by_owner(self) -> bool:
        return getattr(self.request.user, "role", None) == Role.OWNER

    def get_serializer_class(self):
        return OrganizationOwnerSerializer if self._by_owner() else OrganizationSerializer

    def perform_create(self, serializer):
        # 409 `slug_taken` when another organization has the slug in any case.
        serializer.instance = services.organization_create(**serializer.validated_data)

    def update(self, request, *args, **kwargs):
        if self._by_owner() and isinstance(request.data, Mapping):
            refused = sorted(ADMIN_FIELDS & request.data.keys())
            if refused:
                # Whatever the values; another organization is still a 404 (get_object).
                self.get_object()
                raise exceptions.PermissionDenied(
                    f"Only an admin changes an organization's {', '.join(refused)}."
                )
        return super().update(request, *args, **kwargs)

    def perform_update(self, serializer):
        serializer.instance = services.organization_update(
            organization=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        # 409 `organization_in_use` while any user or row belongs to it.
        services.organization_delete(organization=instance)
