"""The admin of organizations: platform admins create, suspend, reactivate and delete them; an
owner reads its own and renames it."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import Organization
from core.admin import copy_saved_row, sees_every_organization
from core.errors import ConflictError


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "slug", "status", "retention_days"]

    def clean_slug(self):
        # Stored lower-case (a check constraint); lowered first, the unique check sees it so.
        return self.cleaned_data["slug"].lower()


def in_use(organization: Organization) -> bool:
    """Whether any user or tenant row belongs to the organization (one EXISTS per table)."""
    relations = [
        field
        for field in Organization._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)
    ]
    return any(
        relation.related_model._base_manager.filter(**{relation.field.name: organization}).exists()
        for relation in relations
    )


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    form = OrganizationForm
    list_display = ["name", "slug", "status", "retention_days", "created_at"]
    list_filter = ["status"]
    search_fields = ["name", "slug"]
    ordering = ["name"]
    actions = ["suspend_selected", "reactivate_selected"]
    readonly_fields = ["id", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["id", "name", "slug", "status"]}),
        (_("Settings"), {"fields": ["retention_days"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if sees_every_organization(request):
            return readonly
        # An owner renames its organization, no more (as the API allows it).
        return [*readonly, "slug", "status", "retention_days"]

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ("name",)} if obj is None else {}

    def has_add_permission(self, request):
        return sees_every_organization(request) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return sees_every_organization(request) and super().has_delete_permission(request, obj)

    def has_suspend_permission(self, request) -> bool:
        return sees_every_organization(request)

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: getattr(obj, name) for name in form.changed_data}
            services.organization_update(organization=obj, **changes)
        else:
            fields = {name: getattr(obj, name) for name in form.cleaned_data}
            copy_saved_row(into=obj, saved=services.organization_create(**fields))

    # --- suspend and reactivate -----------------------------------------------------------

    def _set_status(self, request, queryset, status: str, done: str) -> None:
        changed = 0
        for organization in queryset.exclude(status=status):
            services.organization_update(organization=organization, status=status)
            changed += 1
        self.message_user(request, done.format(count=changed), messages.SUCCESS)

    @admin.action(description=_("Suspend selected organizations"), permissions=["suspend"])
    def suspend_selected(self, request, queryset):
        self._set_status(
            request,
            queryset,
            Organization.Status.SUSPENDED,
            "Suspended {count} organization(s): their members' tokens and sessions stop "
            "working now.",
        )

    @admin.action(description=_("Reactivate selected organizations"), permissions=["suspend"])
    def reactivate_selected(self, request, queryset):
        self._set_status(
            request, queryset, Organization.Status.ACTIVE, "Reactivated {count} organization(s)."
        )

    # --- deletion: only of an organization that owns nothing -------------------------------

    def get_deleted_objects(self, objs, request):
        # Every row points at its organization with PROTECT: say which are in use instead of
        # listing their rows, as Django's collector would.
        objs = list(objs)
        names = [str(organization) for organization in objs]
        protected = [
            f"{organization}: it still has users or data; suspend it instead."
            for organization in objs
            if in_use(organization)
        ]
        return names, {self.model._meta.verbose_name_plural: len(objs)}, set(), protected

    def delete_model(self, request, obj):
        try:
            services.organization_delete(organization=obj)
        except ConflictError as refused:  # a row was added since the confirmation page
            self.message_user(request, f"Not deleted: {refused.message}", messages.ERROR)

    def delete_queryset(self, request, queryset):
        for organization in queryset:
            self.delete_model(request, organization)
