"""The admin bases and list columns of rows that live under a candidate, and of rows whose
organization is picked on their add page."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts import services as account_services
from accounts.models import Organization, User
from core.admin import (
    LeanChangeList,
    OrganizationScopedAdmin,
    admin_link,
    sees_every_organization,
)


class CandidateOwnedAdmin(OrganizationScopedAdmin, admin.ModelAdmin):
    """The admin of rows under a candidate: they disappear with their soft-deleted candidate,
    and are scoped to the user's organization (`visible_to`, OrganizationScopedAdmin)."""

    list_defer: tuple[str, ...] = ()

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


class OrganizationPickForm(forms.ModelForm):
    """The form of a row with no parent (a candidate, a position, an invitation): it belongs to
    the organization a platform admin picks, or to the acting member's own
    (accounts.services.organization_for_write); once stored, to its own for good."""

    # Set by OrganizationPickAdmin.get_form on the form class it builds for each request.
    acting_user: User | None = None
    # The row's organization, once clean() has found it (None: a form error says why).
    row_organization: Organization | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organization" in self.fields:  # a platform admin's pick; blank is `default`
            self.fields["organization"].required = False

    def clean(self):
        cleaned_data = super().clean()
        self.row_organization = self.find_organization(cleaned_data)
        if "organization" in self.fields and self.row_organization is not None:
            cleaned_data["organization"] = self.row_organization
        return cleaned_data

    def find_organization(self, cleaned_data) -> Organization | None:
        if not self.instance._state.adding:
            return self.instance.organization
        picked = "organization" in self.fields
        if "organization" in self.errors:
            return None  # the field's own error says why
        try:
            return account_services.organization_for_write(
                by=self.acting_user, requested=cleaned_data.get("organization")
            )
        except account_services.OtherOrganization as other:
            self.add_error("organization" if picked else None, other.message)
            return None


class OrganizationPickAdmin(OrganizationScopedAdmin):
    """The admin of rows with an OrganizationPickForm: a platform admin picks the organization
    on the add page (`default` preselected); an organization's members write into their own."""

    organization_on_add = True

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)  # a class built for this request
        form.acting_user = request.user
        return form

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if sees_every_organization(request):
            initial.setdefault("organization", Organization.objects.default().pk)
        return initial


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
