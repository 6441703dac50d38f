"""The admin of resumes: upload (checked like the API's), parsing results, private download."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import admin_link, copy_saved_row, reject_nul_characters
from interviews import services
from interviews.admin.owned import CandidateOwnedAdmin, candidate_column
from interviews.models import Resume


class ResumeAddForm(forms.ModelForm):
    class Meta:
        model = Resume
        fields = ["candidate", "file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.detected_content_type = services.resume_check_upload(file=upload)
        except services.InvalidResume as invalid:
            raise forms.ValidationError(invalid.message) from invalid
        return upload


class ResumeChangeForm(forms.ModelForm):
    class Meta:
        model = Resume
        fields = ["parsing_status", "parsed_at", "parsed_data"]

    def clean_parsed_data(self):
        parsed_data = self.cleaned_data.get("parsed_data")
        if parsed_data is None:
            return {}
        if not isinstance(parsed_data, dict):
            raise forms.ValidationError(_("Expected a JSON object."))
        reject_nul_characters(parsed_data)
        return parsed_data

    def clean(self):
        cleaned_data = super().clean()
        # As resume_update_parsing does: completing without a time means now.
        completed = cleaned_data.get("parsing_status") == Resume.ParsingStatus.COMPLETED
        if completed and not cleaned_data.get("parsed_at"):
            cleaned_data["parsed_at"] = self.instance.parsed_at or timezone.now()
        return cleaned_data


@admin.register(Resume)
class ResumeAdmin(CandidateOwnedAdmin):
    form = ResumeChangeForm
    add_form = ResumeAddForm
    list_display = [
        "file_name",
        candidate_column,
        "content_type",
        "file_size",
        "parsing_status",
        "uploaded_at",
        "parsed_at",
    ]
    list_filter = ["parsing_status", "content_type"]
    list_select_related = ["candidate"]
    list_defer = ("parsed_data",)
    search_fields = ["file_name", "candidate__email", "candidate__full_name"]
    date_hierarchy = "uploaded_at"
    ordering = ["-uploaded_at"]
    autocomplete_fields = ["candidate"]
    readonly_fields = [
        "id",
        "candidate_link",
        "download",
        "file_name",
        "file_size",
        "content_type",
        "uploaded_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {"fields": ["id", "candidate_link", "download", "file_size", "content_type"]},
        ),
        (_("Parsing"), {"fields": ["parsing_status", "parsed_at", "parsed_data"]}),
        (_("Record"), {"fields": ["uploaded_at", "created_at", "updated_at"]}),
    ]
    add_fieldsets = [(None, {"fields": ["candidate", "file"]})]

    def get_readonly_fields(self, request, obj=None):
        return super().get_readonly_fields(request, obj) if obj is not None else []

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    @admin.display(description=_("candidate"))
    def candidate_link(self, resume: Resume) -> str:
        return admin_link(resume.candidate)

    @admin.display(description=_("file"))
    def download(self, resume: Resume) -> str:
        # Resumes are private: the API's authenticated download, never a public media URL.
        url = reverse("resume-download", kwargs={"pk": resume.pk})
        return format_html('<a href="{}">{}</a>', url, resume.file_name)

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: getattr(obj, name) for name in form.changed_data}
            services.resume_update_parsing(resume=obj, **changes)
        else:
            saved = services.resume_create(
                candidate=form.cleaned_data["candidate"],
                file=form.cleaned_data["file"],
                content_type=form.detected_content_type,
            )
            copy_saved_row(into=obj, saved=saved)
