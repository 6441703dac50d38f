"""The admin of invitations: each one's current status and expiry, inviting a person (through
services.invitation_create; the token is shown once), revoking and resending."""

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import widgets
from django.contrib.admin.utils import flatten_fieldsets
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.emails import normalize_email, validate_email_address
from core.admin import admin_link, copy_saved_row, sees_every_organization
from core.errors import ConflictError, InvalidInput
from interviews import services
from interviews.admin.owned import OrganizationPickAdmin, OrganizationPickForm, interview_column
from interviews.models import Interview, Invitation

# What the services refuse with: a conflict, a 400, a used-up or forbidden invitation.
REFUSALS = (ConflictError, InvalidInput, services.InvitationRefusal)


def accept_path() -> str:
    """Where the invited person's client posts the token (SPEC section 9)."""
    return reverse("auth-invitation-accept")


def invite_url(request, **prefill) -> str | None:
    """Return the invitation add page prefilled with `prefill` (email and name, a position),
    or None when the user may not invite."""
    if not request.user.has_perm("interviews.add_invitation"):
        return None
    if not sees_every_organization(request):
        prefill.pop("organization", None)  # a member always invites into its own
    return f"{reverse('admin:interviews_invitation_add')}?{urlencode(prefill)}"


class InvitationStatusFilter(admin.SimpleListFilter):
    """The status as the API shows it: a pending invitation past its expiry is "expired"."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Invitation.Status.choices

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == Invitation.Status.PENDING:
            return queryset.filter(status=Invitation.Status.PENDING, expires_at__gt=now)
        if self.value() == Invitation.Status.EXPIRED:
            return queryset.filter(status=Invitation.Status.PENDING, expires_at__lte=now)
        if self.value() in Invitation.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class InvitationForm(OrganizationPickForm):
    """Who is invited to what: the person by email and name, a position or a role type."""

    role_type = forms.ChoiceField(
        choices=[("", "---------"), *Interview.RoleType.choices],
        required=False,
        help_text=_("Leave blank to use the position's."),
    )
    scheduled_for = forms.SplitDateTimeField(
        required=False, widget=widgets.AdminSplitDateTime, label=_("Scheduled for")
    )

    class Meta:
        model = Invitation
        fields = ["organization", "email", "full_name", "position"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        validate_email_address(email)
        return normalize_email(email)

    def clean(self):
        cleaned_data = super().clean()
        organization, position = self.row_organization, cleaned_data.get("position")
        # A platform admin is offered every organization's positions; a member only its own.
        if position is not None and organization and position.organization_id != organization.pk:
            self.add_error("position", _("This position belongs to another organization."))
        if position is None and not cleaned_data.get("role_type") and "position" not in self.errors:
            self.add_error("role_type", _("Pick a position or a role type."))
        return cleaned_data


class InvitationRefused(Exception):
    """The invitations service refused a form the admin found valid (its own rules)."""


@admin.register(Invitation)
class InvitationAdmin(OrganizationPickAdmin, admin.ModelAdmin):
    form = InvitationForm
    list_display = [
        "email",
        "full_name",
        "status_label",
        "expires_at",
        "position",
        interview_column,
        "sent_count",
        "created_at",
    ]
    list_display_links = ["email"]
    list_filter = [InvitationStatusFilter]
    list_select_related = ["position", "interview"]
    search_fields = ["email", "full_name"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    autocomplete_fields = ["position"]
    actions = ["revoke_selected", "resend_selected"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "email",
                    "full_name",
                    "status_label",
                    "expires_at",
                    "sent_count",
                    "candidate_link",
                    "interview_link",
                    "position",
                ]
            },
        ),
        (
            _("Record"),
            {
                "fields": [
                    "created_by",
                    "accepted_at",
                    "accepted_by",
                    "revoked_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "position", "role_type", "scheduled_for"]})
    ]

    def get_readonly_fields(self, request, obj=None):
        # An invitation changes only by its actions (revoke, resend) and by being accepted.
        readonly = super().get_readonly_fields(request, obj)
        if obj is None:
            return readonly
        return list(dict.fromkeys([*readonly, *flatten_fieldsets(self.fieldsets)]))

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the record says who was invited and when

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, invitation: Invitation) -> str:
        return Invitation.Status(invitation.current_status).label

    @admin.display(description=_("candidate"))
    def candidate_link(self, invitation: Invitation) -> str:
        return admin_link(invitation.candidate)

    @admin.display(description=_("interview"))
    def interview_link(self, invitation: Invitation) -> str:
        return interview_column(invitation)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except InvitationRefused as refused:
            # Raised out of the view's transaction, which rolled back: nothing was written.
            self.message_user(request, f"Not invited: {refused}", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if change:
            return  # nothing on the change page is editable
        cleaned_data = form.cleaned_data
        try:
            invitation, token = services.invitation_create(
                by=request.user,
                organization=form.row_organization,
                email=cleaned_data["email"],
                full_name=cleaned_data["full_name"],
                position=cleaned_data.get("position"),
                role_type=cleaned_data.get("role_type") or None,
                scheduled_for=cleaned_data.get("scheduled_for"),
            )
        except REFUSALS as refused:
            raise InvitationRefused(refused.message) from refused
        copy_saved_row(into=obj, saved=invitation)
        self.show_token(request, invitation, token)

    def show_token(self, request, invitation: Invitation, token: str) -> None:
        """Say the raw token, once: only its digest is stored."""
        self.message_user(
            request,
            f"Send {invitation.email} this invitation token now; it is shown only this once: "
            f"{token} (the invitee's client posts it to {accept_path()}). It expires "
            f"{timezone.localtime(invitation.expires_at):%Y-%m-%d %H:%M}.",
            messages.WARNING,
        )

    @admin.action(description=_("Revoke selected invitations"), permissions=["change"])
    def revoke_selected(self, request, queryset):
        revoked = 0
        for invitation in queryset:
            try:
                services.invitation_revoke(invitation=invitation)
                revoked += 1
            except REFUSALS as refused:
                self.message_user(request, f"{invitation.email}: {refused.message}", messages.ERROR)
        if revoked:
            self.message_user(request, f"Revoked {revoked} invitation(s).", messages.SUCCESS)

    @admin.action(
        description=_("Resend selected invitations (a new token each)"), permissions=["change"]
    )
    def resend_selected(self, request, queryset):
        for invitation in queryset:
            try:
                resent, token = services.invitation_resend(invitation=invitation)
            except REFUSALS as refused:
                self.message_user(request, f"{invitation.email}: {refused.message}", messages.ERROR)
                continue
            self.show_token(request, resent, token)
