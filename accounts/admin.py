from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.emails import normalize_email, validate_email_address
from accounts.models import User
from core.errors import ConflictError


class LockoutAdminAuthenticationForm(AdminAuthenticationForm):
    """The admin login form, refusing locked-out emails (and every email while the cache is
    unreachable) like the API does."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": _("Too many failed logins. Try again in %(minutes)s minute(s)."),
        "unavailable": _("Login is temporarily unavailable. Try again shortly."),
    }

    def clean(self):
        try:
            return super().clean()
        except services.AccountLocked as locked:
            raise ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": max(1, round(locked.retry_after / 60))},
            ) from locked
        except services.LoginUnavailable as unavailable:
            raise ValidationError(
                self.error_messages["unavailable"], code="unavailable"
            ) from unavailable


admin.site.login_form = LockoutAdminAuthenticationForm
admin.site.site_header = "Interview platform"
admin.site.site_title = "Interview platform admin"


class SoftDeleteFilter(admin.SimpleListFilter):
    """Live rows by default; deleted rows or everything on request."""

    title = _("deleted")
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("no", _("Live")), ("yes", _("Deleted")), ("all", _("All"))]

    def choices(self, changelist):
        value = self.value() or "no"
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "no"
        if value == "no":
            return queryset.filter(deleted_at__isnull=True)
        if value == "yes":
            return queryset.filter(deleted_at__isnull=False)
        return queryset


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


class SoftDeleteAdminMixin:
    """Admin "delete" (single and bulk) soft-deletes; a restore action brings rows back.

    Model admins implement `soft_delete(obj)` and `restore(obj)` with their app's services;
    `restore` raises `core.errors.ConflictError` when the row cannot come back.
    """

    def soft_delete(self, obj) -> None:
        raise NotImplementedError

    def restore(self, obj) -> None:
        raise NotImplementedError

    def get_queryset(self, request):
        # Deleted rows stay reachable (to be restored); SoftDeleteFilter hides them by default.
        return self.model.all_objects.get_queryset()

    def delete_model(self, request, obj):
        self.soft_delete(obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.soft_delete(obj)

    def get_deleted_objects(self, objs, request):
        # Nothing cascades: a soft delete only hides the rows themselves.
        objs = list(objs)
        names = [str(obj) for obj in objs]
        return names, {self.model._meta.verbose_name_plural: len(objs)}, set(), []

    @admin.action(description=_("Restore selected %(verbose_name_plural)s"), permissions=["change"])
    def restore_selected(self, request, queryset):
        restored, refused = 0, []
        for obj in queryset.filter(deleted_at__isnull=False):
            try:
                self.restore(obj)
                restored += 1
            except ConflictError:
                refused.append(str(obj))
        if restored:
            self.message_user(request, f"Restored {restored}.", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                "Not restored, their email now belongs to a live row: " + ", ".join(refused),
                messages.ERROR,
            )


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "role", "account_status"]

    def clean_email(self):
        validate_email_address(self.cleaned_data["email"])
        email = normalize_email(self.cleaned_data["email"])
        if User.objects.with_email(email).exists():
            raise ValidationError(_("A user with this email already exists."), code="unique")
        return email


class UserAdminChangeForm(UserChangeForm):
    # Set by UserAdmin.get_form on the form class it builds for each request.
    acting_user: User | None = None

    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        validate_email_address(self.cleaned_data["email"])
        email = normalize_email(self.cleaned_data["email"])
        if User.objects.with_email(email).exclude(pk=self.instance.pk).exists():
            raise ValidationError(_("A user with this email already exists."), code="unique")
        return email

    def clean(self):
        cleaned = super().clean()
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
class UserAdmin(SoftDeleteAdminMixin, DjangoUserAdmin):
    form = UserAdminChangeForm
    add_form = UserCreationForm

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
        (_("Role and status"), {"fields": ["role", "account_status", "is_staff", "is_superuser"]}),
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

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)  # a class built for this request
        form.acting_user = request.user
        return form

    def soft_delete(self, obj: User, by: User | None = None) -> None:
        services.user_soft_delete(user=obj, by=by)

    def restore(self, obj: User) -> None:
        services.user_restore(user=obj)

    def has_delete_permission(self, request, obj=None):
        # As in the API (409) and the bulk action below: nobody deletes their own account here.
        if obj is not None and obj.pk == request.user.pk:
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
