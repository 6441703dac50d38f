"""The admin of assessment results: scores of completed interviews, with a skill bar chart
(assessments.charts)."""

from decimal import Decimal

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from assessments import services
from assessments.api.serializers import AssessmentSerializer
from assessments.charts import skill_chart
from assessments.models import AssessmentResult
from core.admin import (
    EstimatedCountPaginator,
    admin_link,
    copy_saved_row,
    reject_nul_characters,
)
from interviews.admin.owned import (
    CandidateOwnedAdmin,
    interview_candidate_column,
    interview_column,
)

JSON_FIELDS = [
    "skill_scores",
    "skill_boundary_map",
    "strengths",
    "weaknesses",
    "integrity_flags",
    "ai_reasoning",
    "recommended_actions",
]


def error_messages(detail) -> list[str]:
    """Flatten a DRF error detail (nested lists and dicts) into readable messages."""
    if isinstance(detail, dict):
        return [
            f"{key}: {message}"
            for key, value in detail.items()
            for message in error_messages(value)
        ]
    if isinstance(detail, list):
        return [message for item in detail for message in error_messages(item)]
    return [str(detail)]


class AssessmentForm(forms.ModelForm):
    """Checks the JSON fields with the API's rules, so both doors accept the same shapes."""

    class Meta:
        model = AssessmentResult
        fields = [
            "interview",
            "overall_score",
            "integrity_score",
            "generated_at",
            *JSON_FIELDS,
        ]

    def clean_interview(self):
        interview = self.cleaned_data["interview"]
        if interview.candidate.deleted_at is not None:
            raise forms.ValidationError(_("This interview's candidate is deleted."))
        try:
            services.assessment_check_allowed(interview=interview)
        except services.AssessmentNotAllowed as refused:
            raise forms.ValidationError(refused.message) from refused
        return interview

    def clean(self):
        cleaned_data = super().clean()
        api = AssessmentSerializer()
        for name in JSON_FIELDS:
            if name not in cleaned_data:
                continue
            value = cleaned_data[name]
            if value is None:  # an emptied textarea
                value = AssessmentResult._meta.get_field(name).get_default()
            try:
                value = api.fields[name].run_validation(value)
                if name == "skill_scores":
                    value = api.validate_skill_scores(value)
                reject_nul_characters(value)
            except serializers.ValidationError as error:
                self.add_error(name, error_messages(error.detail))
                continue
            except forms.ValidationError as error:
                self.add_error(name, error)
                continue
            cleaned_data[name] = value
        return cleaned_data


class ScoreBandFilter(admin.SimpleListFilter):
    title = _("overall score")
    parameter_name = "score"
    bands = {
        "low": (Decimal(0), Decimal(50)),
        "fair": (Decimal(50), Decimal(70)),
        "good": (Decimal(70), Decimal(85)),
        "excellent": (Decimal(85), None),
    }

    def lookups(self, request, model_admin):
        return [
            ("low", _("Below 50")),
            ("fair", _("50 to 70")),
            ("good", _("70 to 85")),
            ("excellent", _("85 and above")),
        ]

    def queryset(self, request, queryset):
        if self.value() not in self.bands:
            return queryset
        low, high = self.bands[self.value()]
        queryset = queryset.filter(overall_score__gte=low)
        return queryset.filter(overall_score__lt=high) if high is not None else queryset


class IntegrityFlaggedFilter(admin.SimpleListFilter):
    title = _("integrity flags")
    parameter_name = "flagged"

    def lookups(self, request, model_admin):
        return [("yes", _("Flagged")), ("no", _("No flags"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(integrity_flags=[])
        if self.value() == "no":
            return queryset.filter(integrity_flags=[])
        return queryset


@admin.register(AssessmentResult)
class AssessmentResultAdmin(CandidateOwnedAdmin):
    form = AssessmentForm
    list_display = [
        "assessment_label",
        interview_column,
        interview_candidate_column,
        "role_type",
        "overall_score",
        "integrity_score",
        "generated_at",
    ]
    list_display_links = ["assessment_label"]
    list_filter = [ScoreBandFilter, IntegrityFlaggedFilter, "interview__role_type"]
    list_select_related = ["interview", "interview__candidate"]
    list_defer = ("skill_boundary_map", "ai_reasoning")
    search_fields = ["interview__candidate__email", "interview__candidate__full_name"]
    date_hierarchy = "generated_at"
    ordering = ["-generated_at"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    raw_id_fields = ["interview"]
    readonly_fields = [
        "id",
        "interview_link",
        "candidate",
        "skill_chart",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "id",
                    "interview_link",
                    "candidate",
                    "overall_score",
                    "integrity_score",
                    "generated_at",
                ]
            },
        ),
        (_("Skills"), {"fields": ["skill_chart", "skill_scores", "skill_boundary_map"]}),
        (
            _("Review"),
            {
                "fields": [
                    "strengths",
                    "weaknesses",
                    "integrity_flags",
                    "recommended_actions",
                    "ai_reasoning",
                ]
            },
        ),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["interview", "overall_score", "integrity_score", "generated_at"]}),
        (_("Skills"), {"fields": ["skill_scores", "skill_boundary_map"]}),
        (
            _("Review"),
            {
                "fields": [
                    "strengths",
                    "weaknesses",
                    "integrity_flags",
                    "recommended_actions",
                    "ai_reasoning",
                ]
            },
        ),
    ]

    def get_readonly_fields(self, request, obj=None):
        return super().get_readonly_fields(request, obj) if obj is not None else []

    @admin.display(description=_("assessment"), ordering="generated_at")
    def assessment_label(self, assessment: AssessmentResult) -> str:
        return f"{assessment.overall_score} / 100"

    @admin.display(description=_("role"), ordering="interview__role_type")
    def role_type(self, assessment: AssessmentResult) -> str:
        return assessment.interview.get_role_type_display()

    @admin.display(description=_("interview"))
    def interview_link(self, assessment: AssessmentResult) -> str:
        interview = assessment.interview
        return admin_link(interview, f"{interview.get_role_type_display()} ({interview.status})")

    @admin.display(description=_("candidate"))
    def candidate(self, assessment: AssessmentResult) -> str:
        return admin_link(assessment.interview.candidate)

    @admin.display(description=_("skill scores"))
    def skill_chart(self, assessment: AssessmentResult) -> str:
        return skill_chart(assessment.skill_scores)

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: getattr(obj, name) for name in form.changed_data}
            services.assessment_update(assessment=obj, **changes)
        else:
            fields = {name: form.cleaned_data[name] for name in form.cleaned_data}
            interview = fields.pop("interview")
            saved = services.assessment_create(interview=interview, id=obj.id, **fields)
            copy_saved_row(into=obj, saved=saved)
