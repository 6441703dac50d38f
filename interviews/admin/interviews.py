"""The admin of interviews: the list, the change page (session, transcript, status history)
and deletion by the rule of `services.interview_delete`."""

from django import forms
from django.contrib import admin, messages
from django.db.models.functions import Substr
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin import (
    EstimatedCountPaginator,
    ScopedRelatedFieldListFilter,
    admin_url,
    changelist_url,
    copy_saved_row,
    pretty_json,
)
from core.errors import ConflictError
from interviews import services
from interviews.admin.owned import CandidateOwnedAdmin
from interviews.admin.transitions import AbandonForm, InterviewTransitionsMixin
from interviews.models import Interview, InterviewMessage, InterviewStatusChange

# A transcript message on the interview page shows this much; its own page has all of it.
MESSAGE_CHARS = 1000


class InterviewForm(forms.ModelForm):
    class Meta:
        model = Interview
        fields = ["candidate", "position", "resume", "role_type", "scheduled_for", "ai_model_used"]

    def clean(self):
        cleaned_data = super().clean()
        candidate = cleaned_data.get("candidate") or getattr(self.instance, "candidate", None)
        resume = cleaned_data.get("resume")
        if resume is not None and candidate is not None and resume.candidate_id != candidate.pk:
            self.add_error("resume", _("This resume belongs to another candidate."))
        # The rule of services.interview_create, as a form error: a platform admin is offered
        # every organization's positions, an organization's members only their own.
        position = cleaned_data.get("position")
        if (
            position is not None
            and candidate is not None
            and position.organization_id != candidate.organization_id
        ):
            self.add_error("position", _("This position belongs to another organization."))
        return cleaned_data


@admin.register(Interview)
class InterviewAdmin(InterviewTransitionsMixin, CandidateOwnedAdmin):
    form = InterviewForm
    # The change page shows the first messages; the message changelist has the rest.
    transcript_limit = 200
    history_limit = 50
    change_page_related: tuple[str, ...] = ("candidate", "resume", "session")

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
        "created_at",
    ]
    list_display_links = ["candidate_name"]
    list_filter = ["status", "role_type", ("position", ScopedRelatedFieldListFilter)]
    list_select_related = ["candidate"]
    search_fields = ["candidate__email", "candidate__full_name", "ai_model_used"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    autocomplete_fields = ["candidate", "position"]
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
                    "position",
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
        (_("Status history"), {"fields": ["status_history"]}),
        (_("Session state"), {"fields": ["session_state"]}),
        (_("Transcript"), {"fields": ["transcript"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "fields": [
                    "candidate",
                    "position",
                    "resume",
                    "role_type",
                    "scheduled_for",
                    "ai_model_used",
                ]
            },
        )
    ]

    def get_readonly_fields(self, request, obj=None):
        return super().get_readonly_fields(request, obj) if obj is not None else []

    @admin.display(description=_("candidate"), ordering="candidate__full_name")
    def candidate_name(self, interview: Interview) -> str:
        return interview.candidate.full_name

    @admin.display(description=_("email"), ordering="candidate__email")
    def candidate_email(self, interview: Interview) -> str:
        return interview.candidate.email

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
                position=obj.position,
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

    def object_related(self, request) -> tuple[str, ...]:
        # The change page shows the candidate, resume, session (and what subclasses add to
        # `change_page_related`): one query.
        return (*super().object_related(request), *self.change_page_related)

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
