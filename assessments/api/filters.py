"""Query filters of the assessment list (scores, skills, dates, candidate and position)."""

import json

import django_filters
from django import forms
from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast

from assessments.models import AssessmentResult, AssessmentSkillScore
from core.api.filters import IsoDateTimeFilter


class AssessmentFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        bounds = (
            cleaned.get("min_skill_score") is not None or cleaned.get("max_skill_score") is not None
        )
        if bounds and not cleaned.get("skill"):
            raise forms.ValidationError(
                {"skill": "Name the skill that min_skill_score / max_skill_score apply to."}
            )
        return cleaned


class AssessmentFilter(django_filters.FilterSet):
    interview = django_filters.UUIDFilter(field_name="interview_id")
    candidate = django_filters.UUIDFilter(field_name="interview__candidate_id")
    # Another organization's position, like any id the caller cannot see, matches no rows.
    position = django_filters.UUIDFilter(field_name="interview__position_id")
    min_score = django_filters.NumberFilter(
        field_name="overall_score", lookup_expr="gte", min_value=0, max_value=100
    )
    max_score = django_filters.NumberFilter(
        field_name="overall_score", lookup_expr="lte", min_value=0, max_value=100
    )
    min_integrity_score = django_filters.NumberFilter(
        field_name="integrity_score", lookup_expr="gte", min_value=0, max_value=100
    )
    max_integrity_score = django_filters.NumberFilter(
        field_name="integrity_score", lookup_expr="lte", min_value=0, max_value=100
    )
    generated_after = IsoDateTimeFilter(field_name="generated_at", lookup_expr="gte")
    generated_before = IsoDateTimeFilter(field_name="generated_at", lookup_expr="lt")
    skill = django_filters.CharFilter(method="filter_noop", max_length=100)
    min_skill_score = django_filters.NumberFilter(method="filter_noop", min_value=0, max_value=100)
    max_skill_score = django_filters.NumberFilter(method="filter_noop", min_value=0, max_value=100)
    integrity_flag = django_filters.CharFilter(method="filter_integrity_flag", max_length=1000)
    organization = django_filters.UUIDFilter(field_name="organization_id")

    class Meta:
        model = AssessmentResult
        fields = ["interview"]
        form = AssessmentFilterForm

    def filter_noop(self, queryset, name, value):
        return queryset  # applied together in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if data.get("skill"):
            queryset = filter_by_skill(
                queryset,
                skill=data["skill"],
                min_score=data.get("min_skill_score"),
                max_score=data.get("max_skill_score"),
                organization_id=getattr(self.request.user, "organization_id", None),
            )
        return queryset

    def filter_integrity_flag(self, queryset, name, value):
        if connection.vendor == "postgresql":
            return queryset.filter(integrity_flags__contains=[value])
        # SQLite has no JSON containment: match the encoded element in the JSON text.
        return queryset.alias(flags_text=Cast("integrity_flags", TextField())).filter(
            flags_text__contains=json.dumps(value)
        )


def filter_by_skill(queryset, *, skill: str, min_score=None, max_score=None, organization_id=None):
    """Keep assessments that scored `skill` (within the bounds, when given): a range scan of
    the (organization, skill, score) index of AssessmentSkillScore for a member of an
    organization, of the (skill, score) one for an admin."""
    rows = AssessmentSkillScore.objects.filter(skill=skill)
    if organization_id is not None:
        rows = rows.filter(organization_id=organization_id)
    if min_score is not None:
        rows = rows.filter(score__gte=min_score)
    if max_score is not None:
        rows = rows.filter(score__lte=max_score)
    return queryset.filter(id__in=rows.values("assessment_id"))
