"""The admin of users: their organization by role, soft delete, lockouts and access changes.

Platform admins manage every account; an owner its organization's (owners, recruiters,
engines), never roles or permissions beyond them."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.models import ORGANIZATION_ROLES, Role, User
from core.admin import (
    OrganizationScopedAdmin,
    SoftDeleteAdminMixin,
    SoftDeleteFilter,
    sees_every_organization,
)
from core.errors import ConflictError, InvalidInput


class LockedNowFilter(admin.SimpleListFilter):
    title = _("locked now")
    parameter_name = "locked"

    def lookups(self, request, model_admin):
        return [("yes", _("Locked")), ("no", _("Not locked"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(locked_until__gt=now)
        if self.value() == "no":
            return queryset.exclude(locked_until__gt=now)
        return queryset


def clean_user_email(email: str, *, exclude: User | None = None) -> str:
    """Return the stored form of `email` (services.user_check_email_free), or the form error."""
    try:
        return services.user_check_email_free(email=email, exclude=exclude)
    except services.EmailTaken as taken:
        raise ValidationError(_("A user with this email already exists."), code="unique") from taken


class OrganizationByRoleMixin:
    """The user's organization follows its role (services.user_organization_for_role): owners,
    recruiters and engines have one (blank: `default`, or the one they have), admins and
    candidates none. An owner's users always land in the owner's organization."""

    # Set by UserAdmin.get_form on the form class it builds for each request.
    acting_user: User | None = None

    def clean_organization_by_role(self, cleaned) -> None:
        if "role" not in cleaned or "organization" not in self.fields:
            return
        requested = cleaned.get("organization")
        stored = self.instance.role in ORGANIZATION_ROLES and not self.instance._state.adding
        try:
            acting = self.acting_user
            if acting is not None and not acting.is_superuser:
                requested = services.organization_for_write(by=acting, requested=requested)
            cleaned["organization"] = services.user_organization_for_role(
                role=cleaned["role"],
                organization=requested,
                current=self.instance.organization if stored else None,
            )
        except InvalidInput as refused:
            self.add_error("organization", refused.message)


ORGANIZATION_HELP = _(
    "Owners, recruiters and engines belong to one organization (blank: the one they have, "
    "else “default”); admins and candidates to none."
)


class UserCreationForm(OrganizationByRoleMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "role", "organization", "account_status"]
        help_texts = {"organization": ORGANIZATION_HELP}

    def clean_email(self):
        return clean_user_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        self.clean_organization_by_role(cleaned)
        return cleaned


class UserAdminChangeForm(OrganizationByRoleMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        help_texts = {"organization": ORGANIZATION_HELP}

    def clean_email(self):
        return clean_user_email(self.cleaned_data["email"], exclude=self.instance)

    def clean(self):
        cleaned = super().clean()
        self.clean_organization_by_role(cleaned)
        # self.instance still holds the stored values here (the form writes to it afterwards).
        changes = {
            name: cleaned[name]
            for name in services.ACCESS_FIELDS
            if name in self.changed_data and name in cleaned
        }
        if changes:
            try:
                services.user_check_access_change(
                    user=self.instance, by=self.acting_user, **changes
                )
            except ConflictError as refused:
                raise ValidationError(refused.message, code=refused.code) from refused
        return cleaned


@admin.register(User)
class UserAdmin(OrganizationScopedAdmin, SoftDeleteAdminMixin, DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserCreationForm
    organization_changeable = True  # by role, on the form (OrganizationByRoleMixin)

    def scope(self, request, queryset):
        # The accounts the user manages (the users/ API's rule): an owner its organization's.
        return queryset.manageable_by(request.user)

    list_display = [
        "email",
        "full_name",
        "role",
        "account_status",
        "is_locked_now",
        "failed_login_attempts",
        "last_login",
        "is_deleted",
        "created_at",
    ]
    list_filter = [SoftDeleteFilter, "role", "account_status", LockedNowFilter]
    search_fields = ["email", "full_name"]
    ordering = ["-created_at"]
    date_hierarchy = "created_at"
    actions = ["restore_selected", "unlock_selected"]
    readonly_fields = [
        "id",
        "is_staff",
        "is_superuser",
        "failed_login_attempts",
        "locked_until",
        "last_failed_login_at",
        "last_login",
        "login_count",
        "deleted_at",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["id", "email", "password"]}),
        (_("Profile"), {"fields": ["full_name", "timezone", "language"]}),
        (
            _("Role and status"),
            {"fields": ["role", "organization", "account_status", "is_staff", "is_superuser"]},
        ),
        (
            _("Login"),
            {
                "fields": [
                    "failed_login_attempts",
                    "locked_until",
                    "last_failed_login_at",
                    "last_login",
                    "login_count",
                ]
            },
        ),
        (_("Permissions"), {"classes": ["collapse"], "fields": ["groups", "user_permissions"]}),
        (_("Record"), {"fields": ["deleted_at", "created_at", "updated_at"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "full_name",
                    "role",
                    "organization",
                    "account_status",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]

    @admin.display(boolean=True, description=_("locked"))
    def is_locked_now(self, user: User) -> bool:
        return user.is_locked()

    @admin.display(boolean=True, description=_("deleted"), ordering="deleted_at")
    def is_deleted(self, user: User) -> bool:
        return user.deleted_at is not None

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if sees_every_organization(request):
            return fieldsets
        # Groups and permissions would let an owner grant what its role does not hold.
        hidden = {"groups", "user_permissions", "is_superuser"}
        kept = [
            (title, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for title, options in fieldsets
        ]
        return [(title, options) for title, options in kept if options["fields"]]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)  # a class built for this request
        form.acting_user = request.user
        if not sees_every_organization(request):
            # An owner gives the roles of its organization only, in its organization only.
            if "role" in form.base_fields:
                form.base_fields["role"].choices = [
                    (value, label) for value, label in Role.choices if value in ORGANIZATION_ROLES
                ]
            if "organization" in form.base_fields:
                form.base_fields["organization"].empty_label = None
        return form

    def soft_delete(self, obj: User, by: User | None = None) -> None:
        services.user_soft_delete(user=obj, by=by)

    def restore(self, obj: User) -> None:
        services.user_restore(user=obj)

    def has_delete_permission(self, request, obj=None):
        # No delete button where user_soft_delete would refuse (one's own account, the last
        # active admin): the rule's one home, as in the API (409) and the bulk action below.
        if obj is not None:
            try:
                services.user_check_access_change(user=obj, by=request.user, deleting=True)
            except ConflictError:
                return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        try:
            self.soft_delete(obj, by=request.user)
        except ConflictError as refused:
            self.message_user(request, f"Not deleted: {refused.message}", messages.ERROR)

    def delete_queryset(self, request, queryset):
        """Soft-delete each selected user the rule allows; say which it refused and why."""
        for user in queryset:
            try:
                self.soft_delete(user, by=request.user)
            except ConflictError as refused:
                self.message_user(request, f"{user}: {refused.message}", messages.WARNING)

    @admin.action(description=_("Unlock selected users"), permissions=["change"])
    def unlock_selected(self, request, queryset):
        count = 0
        for user in queryset:
            services.user_unlock(user=user)
            count += 1
        self.message_user(request, f"Unlocked {count} user(s).", messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        if change:
            many_to_many = {"groups", "user_permissions"}  # saved by save_related()
            changes = {
                name: getattr(obj, name) for name in form.changed_data if name not in many_to_many
            }
            try:
                services.user_update(user=obj, by=request.user, **changes)
            except ConflictError as refused:
                # The form's clean() checked the rule; a concurrent change can still make the
                # locked re-check refuse. Nothing was saved: say so rather than fail.
                self.message_user(request, f"Not saved: {refused.message}", messages.ERROR)
        else:
            super().save_model(request, obj, form, change)
