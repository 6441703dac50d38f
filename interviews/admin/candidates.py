"""The admin of candidates: profile form, soft delete and restore, their interviews and resumes."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.managers import TenantQuerySet
from core.admin import (
    SoftDeleteAdminMixin,
    SoftDeleteFilter,
    admin_url,
    changelist_url,
    copy_saved_row,
    sees_every_organization,
)
from interviews import services
from interviews.admin.invitations import invite_url
from interviews.admin.owned import OrganizationPickAdmin, OrganizationPickForm
from interviews.models import Candidate, Interview, Resume, normalize_phone, validate_e164


class CandidateForm(OrganizationPickForm):
    # Wider than the stored E.164 form so "+1 (415) 555-0100" can be typed and normalised.
    phone = forms.CharField(max_length=32, required=False)

    class Meta:
        model = Candidate
        fields = [
            "organization",
            "email",
            "full_name",
            "phone",
            "target_role",
            "experience_level",
            "status",
            "user",
        ]

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data.get("phone", ""))
        validate_e164(phone)
        return phone

    def clean_user(self):
        user = self.cleaned_data.get("user")
        if user is not None and user.role != user.Role.CANDIDATE:
            raise forms.ValidationError(_("Only a candidate account can be linked."))
        return user

    def clean(self):
        cleaned_data = super().clean()
        organization = self.row_organization
        if organization is None:
            return cleaned_data
        # The email is unique among the live candidates of the organization.
        if "email" in cleaned_data:
            try:
                cleaned_data["email"] = services.candidate_check_email(
                    email=cleaned_data["email"],
                    organization_id=organization.pk,
                    exclude=self.instance,
                )
            except services.CandidateEmailTaken:
                self.add_error("email", _("A candidate with this email already exists."))
            except ValidationError as invalid:
                self.add_error("email", invalid)
        user = cleaned_data.get("user")
        if user is not None:
            profiles = Candidate.all_objects.filter(organization=organization, user=user)
            if profiles.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "user", _("This account has a profile in this organization already.")
                )
        return cleaned_data


@admin.register(Candidate)
class CandidateAdmin(OrganizationPickAdmin, SoftDeleteAdminMixin, admin.ModelAdmin):
    form = CandidateForm
    change_form_template = "admin/invite_change_form.html"
    list_display = [
        "full_name",
        "email",
        "phone",
        "target_role",
        "experience_level",
        "status",
        "is_deleted",
        "created_at",
    ]
    list_filter = [SoftDeleteFilter, "status", "experience_level"]
    search_fields = ["email", "full_name", "phone"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    raw_id_fields = ["user"]
    actions = ["restore_selected"]
    # The candidate page lists this many interviews and resumes, newest first, and links to
    # the filtered list pages for the rest.
    related_rows_limit = 50
    # What the interviews table reads of each interview; a subclass may follow relations
    # (`interview_table_related`) and add columns (`interview_table_row`).
    interview_table_fields: tuple[str, ...] = (
        "id",
        "candidate_id",
        "role_type",
        "status",
        "scheduled_for",
        "started_at",
        "completed_at",
        "message_count",
        "created_at",
    )
    interview_table_related: tuple[str, ...] = ()
    interview_table_scores = False  # the table's score column, for an admin that fills it
    readonly_fields = [
        "id",
        "interviews_table",
        "resumes_table",
        "deleted_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["id", "email", "full_name", "phone", "user"]}),
        (_("Profile"), {"fields": ["target_role", "experience_level", "status"]}),
        (_("Interviews"), {"fields": ["interviews_table"]}),
        (_("Resumes"), {"fields": ["resumes_table"]}),
        (_("Record"), {"fields": ["deleted_at", "created_at", "updated_at"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "phone", "user"]}),
        (_("Profile"), {"fields": ["target_role", "experience_level", "status"]}),
    ]

    def scope(self, request, queryset):
        # The organization rule alone: deleted candidates stay reachable here, to be restored
        # (SoftDeleteFilter hides them by default), where `visible_to` hides them.
        return TenantQuerySet.visible_to(queryset, request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # Portal accounts are linked by platform admins (candidates accept invitations
        # themselves); an organization's members never see accounts outside it.
        if sees_every_organization(request):
            return readonly
        return [*readonly, "user"]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and obj.deleted_at is None:
            context["invite_url"] = invite_url(
                request,
                email=obj.email,
                full_name=obj.full_name,
                organization=obj.organization_id,
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The changelist shows deleted rows on request; pickers never offer them.
        if getattr(request.resolver_match, "url_name", None) == "autocomplete":
            queryset = queryset.filter(deleted_at__isnull=True)
        return queryset, may_have_duplicates

    @admin.display(boolean=True, description=_("deleted"), ordering="deleted_at")
    def is_deleted(self, candidate: Candidate) -> bool:
        return candidate.deleted_at is not None

    def interview_table_row(self, interview: Interview) -> dict:
        """Return one row of the candidate page's interviews table."""
        return {
            "url": admin_url(interview),
            "role": interview.get_role_type_display(),
            "status": interview.status,
            "status_label": interview.get_status_display(),
            # The date that says most about where it stands.
            "date": interview.completed_at
            or interview.started_at
            or interview.scheduled_for
            or interview.created_at,
            "messages": interview.message_count,
        }

    @admin.display(description=_("interviews"))
    def interviews_table(self, candidate: Candidate) -> str:
        interviews = Interview.objects.filter(candidate=candidate)
        if self.interview_table_related:  # select_related() without names would follow all
            interviews = interviews.select_related(*self.interview_table_related)
        interviews = interviews.only(*self.interview_table_fields).order_by("-created_at")
        return render_to_string(
            "admin/interviews/candidate/interviews.html",
            {
                "rows": [
                    self.interview_table_row(interview)
                    for interview in interviews[: self.related_rows_limit]
                ],
                "scores": self.interview_table_scores,
                # Counted every time so the page's query count does not depend on the data.
                "total": candidate.interviews.count(),
                "all_url": changelist_url(Interview, candidate__id__exact=candidate.pk),
            },
        )

    @admin.display(description=_("resumes"))
    def resumes_table(self, candidate: Candidate) -> str:
        resumes = candidate.resumes.defer("parsed_data").order_by("-uploaded_at")[
            : self.related_rows_limit
        ]
        rows = [
            {
                "url": admin_url(resume),
                # Resumes are private: the API's authenticated download (session auth works).
                "download_url": reverse("resume-download", kwargs={"pk": resume.pk}),
                "file_name": resume.file_name,
                "file_size": resume.file_size,
                "content_type": resume.content_type,
                "parsing_status": resume.parsing_status,
                "parsing_label": resume.get_parsing_status_display(),
                "uploaded_at": resume.uploaded_at,
                "parsed_at": resume.parsed_at,
            }
            for resume in resumes
        ]
        return render_to_string(
            "admin/interviews/candidate/resumes.html",
            {
                "rows": rows,
                "total": candidate.resumes.count(),
                "all_url": changelist_url(Resume, candidate__id__exact=candidate.pk),
            },
        )

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: getattr(obj, name) for name in form.changed_data}
            services.candidate_update(candidate=obj, **changes)
        else:
            fields = {name: getattr(obj, name) for name in form.cleaned_data}
            fields.pop("organization", None)
            saved = services.candidate_create(
                organization=form.row_organization, id=obj.id, **fields
            )
            copy_saved_row(into=obj, saved=saved)

    def soft_delete(self, obj: Candidate) -> None:
        services.candidate_soft_delete(candidate=obj)

    def restore(self, obj: Candidate) -> None:
        # A ConflictError (email taken) is reported as "not restored" by restore_selected.
        services.candidate_restore(candidate=obj)
