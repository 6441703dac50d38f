"""Soft delete for models with a `deleted_at` column: querysets, the live-rows manager, and the
stamping and clearing that services do (the admin's mixin and filter live in core.admin)."""

from django.db import models
from django.utils import timezone

from core.rows import save_fields


class SoftDeleteQuerySet(models.QuerySet):
    """Rows of a soft-deletable model: `live()` and `deleted()` split them on `deleted_at`."""

    def live(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)


class LiveManagerMixin:
    """Makes a manager show live (not soft-deleted) rows only: the model's default manager.

    The model also keeps `all_objects` (its queryset's plain manager) for deleted rows.
    """

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


def soft_delete(row: models.Model, **changes) -> bool:
    """Stamp `row` deleted now, with `changes` (other fields to set), unless it is already.

    Return whether it was live. Run it inside the caller's transaction; it saves only the
    fields it sets (and `updated_at`).
    """
    if row.deleted_at is not None:
        return False
    row.deleted_at = timezone.now()
    _save(row, changes)
    return True


def restore(row: models.Model, **changes) -> None:
    """Make `row` live again, with `changes` (other fields to set); the caller checks first
    that nothing live took its place (a unique email, say)."""
    row.deleted_at = None
    _save(row, changes)


def _save(row: models.Model, changes: dict) -> None:
    save_fields(row, deleted_at=row.deleted_at, **changes)
