"""The read-only admin of what services write: sessions, transcript messages, status history."""

from django.contrib import admin
from django.db import models
from django.db.models.functions import Substr
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core.admin import EstimatedCountPaginator, pretty_json
from interviews.admin.owned import ReadOnlyAdmin, interview_candidate_column, interview_column
from interviews.models import InterviewMessage, InterviewSession, InterviewStatusChange

PREVIEW_CHARS = 120


def preview(text: str) -> str:
    return Truncator(text or "").chars(PREVIEW_CHARS)


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
