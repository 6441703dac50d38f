"""The assessment pieces of the candidate and interview admin pages.

The interview domain's admin (interviews.admin) knows nothing of assessments, which stack above
it. This module subclasses its CandidateAdmin and InterviewAdmin, adding the score column and
filter, the assessment summary with its skill chart and the candidate's skill progression, and
registers the subclasses in their place: the site shows one page per model, as before, and
interviews imports nothing from assessments.
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from assessments.charts import ProgressPoint, progression_chart, skill_chart
from assessments.models import AssessmentResult
from core.admin import admin_url
from interviews.admin.candidates import CandidateAdmin
from interviews.admin.interviews import InterviewAdmin
from interviews.models import Candidate, Interview


def inserted_after(items: list, anchor, *new) -> list:
    """Return a copy of `items` with `new` right after `anchor`."""
    at = items.index(anchor) + 1
    return [*items[:at], *new, *items[at:]]


def fieldset_titled(fieldsets: list, title) -> tuple:
    return next(fieldset for fieldset in fieldsets if fieldset[0] == title)


class AssessedFilter(admin.SimpleListFilter):
    title = _("assessed")
    parameter_name = "assessed"

    def lookups(self, request, model_admin):
        return [("yes", _("Assessed")), ("no", _("Not assessed"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(assessment__isnull=False)
        if self.value() == "no":
            return queryset.filter(assessment__isnull=True)
        return queryset


class AssessedCandidateAdmin(CandidateAdmin):
    """The candidate page with scores in its interviews table and a skill progression chart."""

    # The skill progression chart plots this many of the latest assessed interviews.
    progression_limit = 30
    interview_table_fields = (
        *CandidateAdmin.interview_table_fields,
        "assessment__id",
        "assessment__interview_id",
        "assessment__overall_score",
    )
    interview_table_related = ("assessment",)
    interview_table_scores = True
    readonly_fields = inserted_after(
        CandidateAdmin.readonly_fields, "interviews_table", "skill_progression"
    )
    fieldsets = inserted_after(
        CandidateAdmin.fieldsets,
        fieldset_titled(CandidateAdmin.fieldsets, _("Interviews")),
        (_("Skill progression"), {"fields": ["skill_progression"]}),
    )

    def interview_table_row(self, interview: Interview) -> dict:
        assessment = getattr(interview, "assessment", None)
        return {
            **super().interview_table_row(interview),
            "score": assessment.overall_score if assessment is not None else None,
            "assessment_url": admin_url(assessment) if assessment is not None else "",
        }

    @admin.display(description=_("skill scores over time"))
    def skill_progression(self, candidate: Candidate) -> str:
        latest = list(
            AssessmentResult.objects.filter(
                interview__candidate=candidate, interview__status=Interview.Status.COMPLETED
            )
            .order_by("-interview__completed_at")
            .values_list(
                "interview__completed_at",
                "interview__role_type",
                "overall_score",
                "skill_scores",
            )[: self.progression_limit]
        )
        roles = dict(Interview.RoleType.choices)
        points = []
        for completed_at, role_type, overall_score, skill_scores in reversed(latest):
            day = timezone.localtime(completed_at).date().isoformat()
            points.append(
                ProgressPoint(
                    label=day,
                    title=f"{day}, {roles.get(role_type, role_type)} interview, "
                    f"overall {overall_score}",
                    skill_scores=skill_scores if isinstance(skill_scores, dict) else {},
                )
            )
        return progression_chart(points)


class AssessedInterviewAdmin(InterviewAdmin):
    """The interview list with a score column and an "assessed" filter; the change page with
    the assessment's summary and skill chart."""

    list_display = inserted_after(InterviewAdmin.list_display, "cost_usd", "overall_score")
    list_filter = [*InterviewAdmin.list_filter, AssessedFilter]
    list_select_related = [*InterviewAdmin.list_select_related, "assessment"]
    change_page_related = (*InterviewAdmin.change_page_related, "assessment")
    readonly_fields = inserted_after(
        InterviewAdmin.readonly_fields, "updated_at", "assessment_summary"
    )
    fieldsets = inserted_after(
        InterviewAdmin.fieldsets,
        fieldset_titled(InterviewAdmin.fieldsets, _("Usage")),
        (_("Assessment"), {"fields": ["assessment_summary"]}),
    )

    @admin.display(description=_("score"), ordering="assessment__overall_score")
    def overall_score(self, interview: Interview):
        assessment = getattr(interview, "assessment", None)
        return assessment.overall_score if assessment is not None else None

    @admin.display(description=_("assessment"))
    def assessment_summary(self, interview: Interview) -> str:
        assessment = getattr(interview, "assessment", None)
        if assessment is None:
            return _("Not assessed.")
        return format_html(
            '<p><a href="{}">Overall score {} / 100</a>, integrity {}, generated {}</p>{}',
            admin_url(assessment),
            assessment.overall_score,
            "none" if assessment.integrity_score is None else assessment.integrity_score,
            timezone.localtime(assessment.generated_at).strftime("%Y-%m-%d %H:%M"),
            skill_chart(assessment.skill_scores),
        )


admin.site.unregister(Candidate)
admin.site.register(Candidate, AssessedCandidateAdmin)
admin.site.unregister(Interview)
admin.site.register(Interview, AssessedInterviewAdmin)
