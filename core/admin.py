"""Admin building blocks every app's admin uses: links, JSON display, NUL checks, soft delete,
lean changelists, estimated counts and the scoping of organizations' rows."""

import json
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.errors import ConflictError

# --- links and display ------------------------------------------------------------------------


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


# --- form checks and saves --------------------------------------------------------------------


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


# --- big lists --------------------------------------------------------------------------------


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


# --- soft delete ------------------------------------------------------------------------------


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


class SoftDeleteAdminMixin:
    """Admin "delete" (single and bulk) soft-deletes; a restore action brings rows back.

    Model admins implement `soft_delete(obj)` and `restore(obj)` with their app's services;
    `restore` raises `ConflictError` when the row cannot come back.
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


# --- organizations ----------------------------------------------------------------------------


def sees_every_organization(request) -> bool:
    """Whether the admin-site user is a platform admin (the admins are exactly the superusers)."""
    return request.user.is_superuser


class OrganizationScopedAdmin:
    """The admin of an organization's rows, scoped by the rows' `visible_to(user)`.

    Owners and recruiters see their organization's rows only: in the changelist, its search,
    filters and actions, the change and delete pages, and every related-row picker (dropdown,
    raw id, autocomplete: each reads the related model's `visible_to`). Platform admins see
    every organization's, with an organization column and filter.
    """

    organization_field = "organization"
    # Whether a platform admin picks the organization on the add page (rows without a parent:
    # candidates, positions, invitations); rows under a parent take the parent's.
    organization_on_add = False
    # Whether the organization may change on the change page (it never does for tenant rows:
    # their children carry the same organization).
    organization_changeable = False

    def scope(self, request, queryset):
        """Return the rows of `queryset` the admin-site user may see."""
        return queryset.visible_to(request.user)

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def object_related(self, request) -> tuple[str, ...]:
        """The relations a change page reads with its row (select_related: one query)."""
        return (self.organization_field,) if sees_every_organization(request) else ()

    def get_object(self, request, object_id, from_field=None):
        # Django's, reading `object_related` with the row.
        queryset = self.get_queryset(request)
        related = self.object_related(request)
        if related:
            queryset = queryset.select_related(*related)
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def get_field_queryset(self, db, db_field, request):
        # Django offers every row of the related model (ordered by its admin); offer those the
        # user may see, so a row of another organization is "not a valid choice" when posted.
        queryset = super().get_field_queryset(db, db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(db).all()
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(request.user)
        return queryset

    # The add page's fieldsets, when they differ from the change page's `fieldsets`.
    add_fieldsets: list | None = None

    def get_fieldsets(self, request, obj=None):
        if obj is None and self.add_fieldsets is not None:
            fieldsets = self.add_fieldsets
        else:
            fieldsets = super().get_fieldsets(request, obj)
        name = self.organization_field
        if name in flatten_fieldsets(fieldsets) or not sees_every_organization(request):
            return fieldsets
        if obj is None and not self.organization_on_add:
            return fieldsets
        (title, options), *rest = fieldsets
        return [(title, {**options, "fields": [name, *options["fields"]]}), *rest]

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is None or self.organization_changeable or self.organization_field in readonly:
            return readonly
        return [*readonly, self.organization_field]

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if sees_every_organization(request):
            return [*columns, self.organization_field]
        return columns

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if sees_every_organization(request):
            return [*filters, self.organization_field]
        return filters

    def get_list_select_related(self, request):
        related = super().get_list_select_related(request)
        if not sees_every_organization(request) or related is True:
            return related
        return [*(related or []), self.organization_field]


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A filter by a related row that offers only the related rows the user may see."""

    def field_choices(self, field, request, model_admin):
        queryset = field.remote_field.model._default_manager.visible_to(request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(row.pk, str(row)) for row in queryset]
