"""The interview status workflow in the admin: buttons on the change page, list actions.

Both run the transitions through the same services as the API; refusals become messages.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from core.admin import admin_url
from core.errors import ConflictError
from interviews import services
from interviews.models import Interview


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


class InterviewTransitionsMixin:
    """Status buttons (one URL per transition) and bulk status actions for InterviewAdmin."""

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

    # Status actions on the list page.

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
