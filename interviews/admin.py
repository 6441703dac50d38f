"""The admin of the interview domain: candidates, resumes, interviews and their transcripts.

Every write goes through `interviews.services` (status history, counters, locks); rows of
soft-deleted candidates are hidden by `visible_to`, the rule the API uses too.
"""

import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models.functions import Substr
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accounts.admin import SoftDeleteAdminMixin, SoftDeleteFilter
from accounts.emails import normalize_email, validate_email_address
from assessments.charts import ProgressPoint, progression_chart, skill_chart
from assessments.models import AssessmentResult
from core.errors import ConflictError
from interviews import dashboard, services
from interviews.documents import detect_resume_type
from interviews.models import (
    MAX_RESUME_BYTES,
    Candidate,
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
    Resume,
    normalize_phone,
    validate_e164,
)

PREVIEW_CHARS = 120
# A transcript message on the interview page shows this much; its own page has all of it.
MESSAGE_CHARS = 1000

# The admin index shows the recruiters' dashboard (templates/admin/index.html).
dashboard.install(admin.site)


# --- shared pieces ----------------------------------------------------------------------------


def admin_url(row, action: str = "change") -> str:
    meta = row._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=[row.pk])


def changelist_url(model, **filters) -> str:
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def admin_link(row, label=None) -> str:
    return format_html('<a href="{}">{}</a>', admin_url(row), row if label is None else label)


def pretty_json(value) -> str:
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, sort_keys=True, default=str))


def preview(text: str) -> str:
    return Truncator(text or "").chars(PREVIEW_CHARS)


def has_nul_character(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul_character(key) or has_nul_character(item) for key, item in value.items())
    if isinstance(value, list):
        return any(has_nul_character(item) for item in value)
    return False


def reject_nul_characters(value) -> None:
    """Refuse JSON holding a NUL character: PostgreSQL's jsonb cannot store one (a 500 else)."""
    if has_nul_character(value):
        raise forms.ValidationError(_("Null characters are not allowed."), code="null_characters")


def copy_saved_row(*, into, saved) -> None:
    """Make the admin's unsaved instance the row a service created.

    The admin logs and redirects with the instance it passed to `save_model`, while services
    create their own; copying the saved values keeps both views of the row the same.
    """
    for field in saved._meta.concrete_fields:
        setattr(into, field.attname, getattr(saved, field.attname))
    into._state.adding = False
    into._state.db = saved._state.db


def planner_row_estimate(queryset) -> int | None:
    """Return PostgreSQL's estimate of the rows `queryset` returns (None elsewhere)."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    plan = queryset.order_by().explain(format="json")
    if not plan:  # a query Django knows to be empty is never sent, nor explained
        return None
    return int(json.loads(plan)[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """Exact counts for small results; for large ones on PostgreSQL, the planner's estimate.

    Counting a million transcript rows joined to their candidates takes most of a second on
    every list page; planning the query takes a millisecond. The pagination template says
    "about" when the count is an estimate.
    """

    exact_below = 50_000
    count_is_estimate = False

    @cached_property
    def count(self) -> int:
        estimate = planner_row_estimate(self.object_list)
        if estimate is None or estimate < self.exact_below:
            return super().count
        self.count_is_estimate = True
        return estimate


class LeanChangeList(ChangeList):
    """A changelist that leaves the admin's `list_defer` fields (long text, big JSON) unread."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.defer(*self.model_admin.list_defer)


class CandidateOwnedAdmin(admin.ModelAdmin):
    """The admin of rows under a candidate: they disappear with their soft-deleted candidate."""

    list_defer: tuple[str, ...] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_changelist(self, request, **kwargs):
        return LeanChangeList


class ReadOnlyAdmin(CandidateOwnedAdmin):
    """Rows written only by services as a side effect (transcript, session, audit trail)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.display(description=_("candidate"), ordering="candidate__full_name")
def candidate_column(row) -> str:
    return admin_link(row.candidate, row.candidate.full_name)


@admin.display(description=_("candidate"), ordering="interview__candidate__full_name")
def interview_candidate_column(row) -> str:
    candidate = row.interview.candidate
    return admin_link(candidate, candidate.full_name)


@admin.display(description=_("interview"), ordering="interview__created_at")
def interview_column(row) -> str:
    interview = row.interview
    return admin_link(interview, f"{interview.get_role_type_display()} ({interview.status})")


# --- candidates -------------------------------------------------------------------------------


class CandidateForm(forms.ModelForm):
    # Wider than the stored E.164 form so "+1 (415) 555-0100" can be typed and normalised.
    phone = forms.CharField(max_length=32, required=False)

    class Meta:
        model = Candidate
        fields = [
            "email",
            "full_name",
            "phone",
            "target_role",
            "experience_level",
            "status",
            "user",
        ]

    def clean_email(self):
        validate_email_address(self.cleaned_data["email"])
        email = normalize_email(self.cleaned_data["email"])
        if Candidate.objects.filter(email=email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("A candidate with this email already exists."))
        return email

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data.get("phone", ""))
        validate_e164(phone)
        return phone

    def clean_user(self):
        user = self.cleaned_data.get("user")
        if user is not None and user.role != user.Role.CANDIDATE:
            raise forms.ValidationError(_("Only a candidate account can be linked."))
        return user


@admin.register(Candidate)
class CandidateAdmin(SoftDeleteAdminMixin, admin.ModelAdmin):
    form = CandidateForm
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
    # The skill progression chart plots this many of the latest assessed interviews.
    progression_limit = 30
    readonly_fields = [
        "id",
        "interviews_table",
        "skill_progression",
        "resumes_table",
        "deleted_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["id", "email", "full_name", "phone", "user"]}),
        (_("Profile"), {"fields": ["target_role", "experience_level", "status"]}),
        (_("Interviews"), {"fields": ["interviews_table"]}),
        (_("Skill progression"), {"fields": ["skill_progression"]}),
        (_("Resumes"), {"fields": ["resumes_table"]}),
        (_("Record"), {"fields": ["deleted_at", "created_at", "updated_at"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "phone", "user"]}),
        (_("Profile"), {"fields": ["target_role", "experience_level", "status"]}),
    ]

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets if obj is not None else self.add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        # Linking portal accounts needs to see accounts; recruiters cannot.
        if request.user.has_perm("accounts.view_user"):
            return self.readonly_fields
        return [*self.readonly_fields, "user"]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # The changelist shows deleted rows on request; pickers never offer them.
        if getattr(request.resolver_match, "url_name", None) == "autocomplete":
            queryset = queryset.filter(deleted_at__isnull=True)
        return queryset, may_have_duplicates

    @admin.display(boolean=True, description=_("deleted"), ordering="deleted_at")
    def is_deleted(self, candidate: Candidate) -> bool:
        return candidate.deleted_at is not None

    @admin.display(description=_("interviews"))
    def interviews_table(self, candidate: Candidate) -> str:
        interviews = (
            Interview.objects.filter(candidate=candidate)
            .select_related("assessment")
            .only(
                "id",
                "candidate_id",
                "role_type",
                "status",
                "scheduled_for",
                "started_at",
                "completed_at",
                "message_count",
                "created_at",
                "assessment__id",
                "assessment__interview_id",
                "assessment__overall_score",
            )
            .order_by("-created_at")[: self.related_rows_limit]
        )
        rows = []
        for interview in interviews:
            assessment = getattr(interview, "assessment", None)
            rows.append(
                {
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
                    "score": assessment.overall_score if assessment is not None else None,
                    "assessment_url": admin_url(assessment) if assessment is not None else "",
                }
            )
        return render_to_string(
            "admin/interviews/candidate/interviews.html",
            {
                "rows": rows,
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

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: getattr(obj, name) for name in form.changed_data}
            services.candidate_update(candidate=obj, **changes)
        else:
            fields = {name: getattr(obj, name) for name in form.cleaned_data}
            copy_saved_row(into=obj, saved=services.candidate_create(id=obj.id, **fields))

    def soft_delete(self, obj: Candidate) -> None:
        services.candidate_soft_delete(candidate=obj)

    def restore(self, obj: Candidate) -> None:
        # A ConflictError (email taken) is reported as "not restored" by restore_selected.
        services.candidate_restore(candidate=obj)


# --- resumes ----------------------------------------------------------------------------------


class ResumeAddForm(forms.ModelForm):
    class Meta:
        model = Resume
        fields = ["candidate", "file"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_RESUME_BYTES:
            raise forms.ValidationError(_("A resume is at most 10 MiB."))
        self.detected_content_type = detect_resume_type(upload)
        if self.detected_content_type is None:
            raise forms.ValidationError(
                _("Upload a PDF, a DOCX document or a plain UTF-8 text file.")
            )
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

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets if obj is not None else self.add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

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


# --- interviews -------------------------------------------------------------------------------


class InterviewForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = ["candidate", "resume", "role_type", "scheduled_for", "ai_model_used"]

    def clean(self):
        cleaned_data = super().clean()
        candidate = cleaned_data.get("candidate") or getattr(self.instance, "candidate", None)
        resume = cleaned_data.get("resume")
        if resume is not None and candidate is not None and resume.candidate_id != candidate.pk:
            self.add_error("resume", _("This resume belongs to another candidate."))
        return cleaned_data


class AbandonForm(forms.Form):
    """The reason the abandon button asks for, with the API's limits."""

    reason = forms.CharField(max_length=2000)


@dataclass(frozen=True)
class TransitionButton:
    """A status change offered on the interview page: its URL name, target and wording."""

    action: str
    to_status: str
    label: str
    done: str


# In the order the workflow goes; a button shows where services.TRANSITIONS allows it.
TRANSITION_BUTTONS = {
    button.action: button
    for button in (
        TransitionButton(
            "start", Interview.Status.IN_PROGRESS, _("Start interview"), _("Interview started.")
        ),
        TransitionButton(
            "complete",
            Interview.Status.COMPLETED,
            _("Complete interview"),
            _("Interview completed."),
        ),
        TransitionButton(
            "abandon",
            Interview.Status.ABANDONED,
            _("Abandon interview"),
            _("Interview abandoned."),
        ),
    )
}


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


@admin.register(Interview)
class InterviewAdmin(CandidateOwnedAdmin):
    form = InterviewForm
    # The change page shows the first messages; the message changelist has the rest.
    transcript_limit = 200
    history_limit = 50

    list_display = [
        "candidate_name",
        "candidate_email",
        "role_type",
        "status",
        "scheduled_for",
        "started_at",
        "completed_at",
        "message_count",
        "total_tokens_used",
        "cost_usd",
        "overall_score",
        "created_at",
    ]
    list_display_links = ["candidate_name"]
    list_filter = ["status", "role_type", AssessedFilter]
    list_select_related = ["candidate", "assessment"]
    search_fields = ["candidate__email", "candidate__full_name", "ai_model_used"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    autocomplete_fields = ["candidate"]
    raw_id_fields = ["resume"]
    actions = ["start_selected", "complete_selected", "abandon_selected"]
    readonly_fields = [
        "id",
        "candidate",
        "status",
        "started_at",
        "completed_at",
        "duration_seconds",
        "abandon_reason",
        "message_count",
        "total_tokens_used",
        "cost_usd",
        "created_at",
        "updated_at",
        "assessment_summary",
        "status_history",
        "session_state",
        "transcript",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "id",
                    "candidate",
                    "resume",
                    "role_type",
                    "scheduled_for",
                    "ai_model_used",
                ]
            },
        ),
        (
            _("Status"),
            {
                "description": _(
                    "The status changes only through the buttons above (or the actions of the "
                    "list page), which record who changed it and why."
                ),
                "fields": [
                    "status",
                    "started_at",
                    "completed_at",
                    "duration_seconds",
                    "abandon_reason",
                ],
            },
        ),
        (_("Usage"), {"fields": ["message_count", "total_tokens_used", "cost_usd"]}),
        (_("Assessment"), {"fields": ["assessment_summary"]}),
        (_("Status history"), {"fields": ["status_history"]}),
        (_("Session state"), {"fields": ["session_state"]}),
        (_("Transcript"), {"fields": ["transcript"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["candidate", "resume", "role_type", "scheduled_for", "ai_model_used"]})
    ]

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets if obj is not None else self.add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    @admin.display(description=_("candidate"), ordering="candidate__full_name")
    def candidate_name(self, interview: Interview) -> str:
        return interview.candidate.full_name

    @admin.display(description=_("email"), ordering="candidate__email")
    def candidate_email(self, interview: Interview) -> str:
        return interview.candidate.email

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

    @admin.display(description=_("status history"))
    def status_history(self, interview: Interview) -> str:
        # The workflow writes at most three entries; the cap only guards against odd data.
        changes = interview.status_changes.select_related("changed_by").order_by("created_at")[
            : self.history_limit
        ]
        return render_to_string(
            "admin/interviews/interview/status_history.html",
            {
                "changes": changes,
                "all_url": changelist_url(InterviewStatusChange, interview__id__exact=interview.pk),
            },
        )

    @admin.display(description=_("session"))
    def session_state(self, interview: Interview) -> str:
        session = getattr(interview, "session", None)
        if session is None:
            return _("No session: the interview has not started.")
        state = {
            "current_difficulty_level": session.current_difficulty_level,
            "questions_asked_count": session.questions_asked_count,
            "last_activity_at": session.last_activity_at.isoformat(),
            "conversation_memory": session.conversation_memory,
            "skill_boundaries_identified": session.skill_boundaries_identified,
            "progression_state": session.progression_state,
        }
        return format_html(
            '{}<a href="{}">Session page</a>', pretty_json(state), admin_url(session)
        )

    @admin.display(description=_("transcript"))
    def transcript(self, interview: Interview) -> str:
        limit = self.transcript_limit
        rows = list(
            interview.messages.order_by("sequence_number")
            .annotate(text_start=Substr("content_text", 1, MESSAGE_CHARS + 1))
            .only(
                "id",
                "interview",  # the related manager sets `.interview` on each row from it
                "sequence_number",
                "message_type",
                "response_time_seconds",
                "audio_duration_seconds",
                "tokens_used",
                "created_at",
            )[: limit + 1]
        )
        truncated = len(rows) > limit
        messages_of_interview = [
            {
                "url": admin_url(message),
                "sequence_number": message.sequence_number,
                "kind": message.message_type,
                "type": message.get_message_type_display(),
                "is_question": message.message_type == InterviewMessage.MessageType.AI_QUESTION,
                "text": message.text_start[:MESSAGE_CHARS],
                "cut": len(message.text_start) > MESSAGE_CHARS,
                "response_time_seconds": message.response_time_seconds,
                "audio_duration_seconds": message.audio_duration_seconds,
                "tokens_used": message.tokens_used,
                "created_at": message.created_at,
            }
            for message in rows[:limit]
        ]
        return render_to_string(
            "admin/interviews/interview/transcript.html",
            {
                "messages": messages_of_interview,
                "limit": limit,
                "total": interview.messages.count() if truncated else len(rows),
                "truncated": truncated,
                "full_transcript_url": changelist_url(
                    InterviewMessage, interview__id__exact=interview.pk
                ),
            },
        )

    def save_model(self, request, obj, form, change):
        if change:
            changes = {name: getattr(obj, name) for name in form.changed_data}
            services.interview_update(interview=obj, **changes)
        else:
            saved = services.interview_create(
                candidate=obj.candidate,
                role_type=obj.role_type,
                by=request.user,
                resume=obj.resume,
                scheduled_for=obj.scheduled_for,
                ai_model_used=obj.ai_model_used,
            )
            copy_saved_row(into=obj, saved=saved)

    # --- deletion: the rule of services.interview_delete ----------------------------------------

    def get_deleted_objects(self, objs, request):
        # An interview the service would refuse is listed as protected: the confirmation page
        # (single and bulk) then says why and refuses the deletion, as Django does for PROTECT.
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        for interview in objs:
            try:
                services.interview_ensure_deletable(interview=interview)
            except ConflictError as refusal:
                protected.append(
                    f"{interview.get_role_type_display()} interview of "
                    f"{interview.candidate.full_name}: {refusal.message}"
                )
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        try:
            services.interview_delete(interview=obj)
        except ConflictError as refusal:  # its status changed since the confirmation page
            self.message_user(request, refusal.message, messages.ERROR)

    def delete_queryset(self, request, queryset):
        for interview in queryset:
            self.delete_model(request, interview)

    def get_object(self, request, object_id, from_field=None):
        # The change page shows the candidate, resume, session and assessment: one query.
        queryset = self.get_queryset(request).select_related(
            "candidate", "resume", "session", "assessment"
        )
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (Interview.DoesNotExist, ValidationError, ValueError):
            return None

    # --- status buttons on the change page ----------------------------------------------------

    def get_urls(self):
        opts = self.opts
        buttons = [
            path(
                f"<path:object_id>/{action}/",
                self.admin_site.admin_view(self.transition_view),
                {"action": action},
                name=f"{opts.app_label}_{opts.model_name}_{action}",
            )
            for action in TRANSITION_BUTTONS
        ]
        return buttons + super().get_urls()

    def transition_buttons(self, request, interview: Interview) -> list[dict]:
        """Return the transitions `interview` allows now, if the user may change it."""
        if not self.has_change_permission(request, interview):
            return []
        opts = self.opts
        return [
            {
                "action": button.action,
                "label": button.label,
                "url": reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_{button.action}",
                    args=[interview.pk],
                ),
            }
            for button in TRANSITION_BUTTONS.values()
            if interview.status in services.TRANSITIONS[button.to_status]
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            # The model's __str__ names the candidate by id; people read names.
            context["subtitle"] = (
                f"{obj.get_role_type_display()} interview of {obj.candidate.full_name} "
                f"({obj.get_status_display().lower()})"
            )
            context["transition_buttons"] = self.transition_buttons(request, obj)
            context["abandon_reason_max_length"] = AbandonForm.base_fields["reason"].max_length
        return super().render_change_form(request, context, add, change, form_url, obj)

    def transition_view(self, request, object_id, action):
        """Run one status transition through the same service as the API, then go back to the
        change page; refusals (ConflictError) and a missing reason are shown as messages."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        interview = self.get_object(request, unquote(object_id))
        if interview is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, interview):
            raise PermissionDenied
        button = TRANSITION_BUTTONS[action]
        change_page = redirect(admin_url(interview))
        reason = ""
        if action == "abandon":
            form = AbandonForm(request.POST)
            if not form.is_valid():
                for error in form.errors["reason"]:
                    self.message_user(request, f"Not abandoned: {error}", messages.ERROR)
                return change_page
            reason = form.cleaned_data["reason"]
        try:
            if action == "start":
                changed = services.interview_start(interview=interview, by=request.user)
            elif action == "complete":
                changed = services.interview_complete(interview=interview, by=request.user)
            else:
                changed = services.interview_abandon(
                    interview=interview, by=request.user, reason=reason
                )
        except ConflictError as conflict:
            self.message_user(request, conflict.message, messages.ERROR)
            return change_page
        self.log_change(request, changed, str(button.done))
        self.message_user(request, button.done, messages.SUCCESS)
        return change_page

    # --- status actions on the list page --------------------------------------------------------

    def _transition_each(self, request, queryset, verb: str, transition) -> None:
        done, refused = 0, []
        for interview in queryset:
            try:
                transition(interview)
                done += 1
            except ConflictError as conflict:
                refused.append(f"{interview.candidate.full_name}: {conflict.message}")
        if done:
            self.message_user(request, f"{verb} {done} interview(s).", messages.SUCCESS)
        for refusal in refused:
            self.message_user(request, refusal, messages.ERROR)

    @admin.action(description=_("Start selected scheduled interviews"), permissions=["change"])
    def start_selected(self, request, queryset):
        self._transition_each(
            request,
            queryset,
            "Started",
            lambda interview: services.interview_start(interview=interview, by=request.user),
        )

    @admin.action(description=_("Complete selected interviews"), permissions=["change"])
    def complete_selected(self, request, queryset):
        self._transition_each(
            request,
            queryset,
            "Completed",
            lambda interview: services.interview_complete(interview=interview, by=request.user),
        )

    @admin.action(description=_("Abandon selected interviews"), permissions=["change"])
    def abandon_selected(self, request, queryset):
        reason = f"Abandoned in the admin by {request.user.email}."
        self._transition_each(
            request,
            queryset,
            "Abandoned",
            lambda interview: services.interview_abandon(
                interview=interview, by=request.user, reason=reason
            ),
        )


# --- what services write: session, transcript, audit trail (read-only here) -------------------


@admin.register(InterviewSession)
class InterviewSessionAdmin(ReadOnlyAdmin):
    list_display = [
        interview_column,
        interview_candidate_column,
        "current_difficulty_level",
        "questions_asked_count",
        "last_activity_at",
    ]
    list_display_links = ["current_difficulty_level"]
    list_filter = ["current_difficulty_level", "interview__status"]
    list_select_related = ["interview", "interview__candidate"]
    list_defer = ("conversation_memory", "skill_boundaries_identified", "progression_state")
    search_fields = ["interview__candidate__email", "interview__candidate__full_name"]
    date_hierarchy = "last_activity_at"
    ordering = ["-last_activity_at"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    raw_id_fields = ["interview"]
    fields = [
        "interview",
        "current_difficulty_level",
        "questions_asked_count",
        "last_activity_at",
        "state",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["state", "created_at", "updated_at"]

    @admin.display(description=_("state"))
    def state(self, session: InterviewSession) -> str:
        return pretty_json(
            {
                "conversation_memory": session.conversation_memory,
                "skill_boundaries_identified": session.skill_boundaries_identified,
                "progression_state": session.progression_state,
            }
        )


@admin.register(InterviewMessage)
class InterviewMessageAdmin(ReadOnlyAdmin):
    list_display = [
        "sequence_number",
        interview_column,
        interview_candidate_column,
        "message_type",
        "text_preview",
        "response_time_seconds",
        "tokens_used",
        "cost_usd",
        "created_at",
    ]
    list_filter = ["message_type"]
    list_select_related = ["interview", "interview__candidate"]
    list_defer = ("content_text", "metadata", "audio_metadata")
    search_fields = ["content_text", "interview__candidate__email"]
    # No date_hierarchy: created_at has no index, and the year links would read every row.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    raw_id_fields = ["interview", "session"]
    readonly_fields = ["created_at"]
    # The view-only page still builds a form; say the scheme instead of Django 6's default.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        # The list shows the start of each message without reading whole transcripts.
        return (
            super()
            .get_queryset(request)
            .annotate(text_start=Substr("content_text", 1, PREVIEW_CHARS + 1))
        )

    def get_ordering(self, request):
        # One interview's transcript reads in order (the (interview, sequence_number) index).
        # Across interviews, newest first by primary key: ids are time-ordered UUIDv7s, so the
        # primary key index serves the order, where "-created_at" (no index) sorted every row.
        if any(key.startswith("interview") for key in request.GET):
            return ["sequence_number"]
        return ["-id"]

    @admin.display(description=_("text"))
    def text_preview(self, message: InterviewMessage) -> str:
        return preview(message.text_start)


@admin.register(InterviewStatusChange)
class InterviewStatusChangeAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        interview_column,
        interview_candidate_column,
        "from_status",
        "to_status",
        "author_email",
        "reason",
    ]
    list_filter = ["to_status", "from_status"]
    list_select_related = ["interview", "interview__candidate", "changed_by"]
    search_fields = ["interview__candidate__email", "reason"]
    # Newest first by time-ordered UUIDv7 primary key (created_at is indexed only after the
    # interview), and no date_hierarchy, whose year links would read every row.
    ordering = ["-id"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    raw_id_fields = ["interview", "changed_by"]
    readonly_fields = ["created_at"]

    @admin.display(description=_("changed by"))
    def author_email(self, change: InterviewStatusChange) -> str:
        if change.author is not None:
            return change.author.email
        return _("deleted account") if change.changed_by_id else self.get_empty_value_display()
