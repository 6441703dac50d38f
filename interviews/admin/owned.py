"""The admin bases and list columns of rows that live under a candidate."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import LeanChangeList, admin_link


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
