"""The admin of positions: an organization's job openings, their skill rubric (JSON checked
like the API's) and the invite button of a position's page."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin import copy_saved_row, reject_nul_characters
from interviews import services
from interviews.admin.invitations import invite_url
from interviews.admin.owned import OrganizationPickAdmin, OrganizationPickForm
from interviews.models import Interview, Position

IN_USE = _("Interviews are held for this position; close it instead of deleting it.")


class PositionForm(OrganizationPickForm):
    class Meta:
        model = Position
        fields = [
            "organization",
            "title",
            "role_type",
            "experience_level",
            "description",
            "skills",
            "status",
        ]
        help_texts = {
            "skills": _(
                "The rubric the engine scores against: a JSON list such as "
                '[{"skill": "python", "weight": 60}, {"skill": "sql", "weight": 40}].'
            )
        }

    def clean_skills(self):
        # The model's validate_rubric checks the shape (as a form error on this field).
        skills = self.cleaned_data.get("skills")
        if skills is None:  # an emptied textarea
            return []
        reject_nul_characters(skills)
        return skills


@admin.register(Position)
class PositionAdmin(OrganizationPickAdmin, admin.ModelAdmin):
    form = PositionForm
    change_form_template = "admin/invite_change_form.html"
    list_display = [
        "title",
        "role_type",
        "experience_level",
        "status",
        "rubric",
        "created_at",
    ]
    list_filter = ["status", "role_type", "experience_level"]
    search_fields = ["title"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    readonly_fields = ["id", "created_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["id", "title", "role_type", "experience_level", "status"]}),
        (_("Description and rubric"), {"fields": ["description", "skills"]}),
        (_("Record"), {"fields": ["created_by", "created_at", "updated_at"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["title", "role_type", "experience_level", "status"]}),
        (_("Description and rubric"), {"fields": ["description", "skills"]}),
    ]

    @admin.display(description=_("rubric"))
    def rubric(self, position: Position) -> str:
        skills = position.skills if isinstance(position.skills, list) else []
        return ", ".join(f"{item.get('skill')} {item.get('weight')}" for item in skills)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and obj.status == Position.Status.OPEN:
            context["invite_url"] = invite_url(
                request, position=obj.pk, organization=obj.organization_id
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: getattr(obj, name) for name in form.changed_data}
            services.position_update(position=obj, **changes)
        else:
            fields = {name: getattr(obj, name) for name in form.cleaned_data}
            fields.pop("organization", None)
            saved = services.position_create(
                by=request.user, organization=form.row_organization, **fields
            )
            copy_saved_row(into=obj, saved=saved)

    # --- deletion: refused while interviews are held for the position (PROTECT) ----------------

    def get_deleted_objects(self, objs, request):
        # Nothing cascades but the invitations' link; say why instead of listing every
        # interview, as Django's collector would.
        objs = list(objs)
        in_use = Interview.objects.filter(position__in=objs).exists()
        names = [str(position) for position in objs]
        protected = [str(IN_USE)] if in_use else []
        return names, {self.model._meta.verbose_name_plural: len(objs)}, set(), protected

    def delete_model(self, request, obj):
        try:
            services.position_delete(position=obj)
        except services.PositionInUse as refused:  # scheduled since the confirmation page
            self.message_user(request, refused.message, messages.ERROR)

    def delete_queryset(self, request, queryset):
        for position in queryset:
            self.delete_model(request, position)
