"""Admin building blocks every app's admin uses: links, JSON display, NUL checks, soft delete,
lean changelists and estimated counts."""

import json
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
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
