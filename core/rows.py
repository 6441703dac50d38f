"""Row writes every app repeats: change some fields of a row, re-read under a lock."""

from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction

Row = TypeVar("Row", bound=models.Model)


@transaction.atomic
def update_locked(row: Row, /, **fields: Any) -> Row:
    """Re-read `row` under a row lock (SELECT ... FOR UPDATE), set `fields` on it and write only
    them (save_fields); return the locked row.

    Columns other writers changed meanwhile keep their values, and concurrent callers queue on
    the lock instead of overwriting each other. The row is read through the model's base
    manager, so a soft-deleted row is found too.
    """
    locked = type(row)._base_manager.select_for_update().get(pk=row.pk)
    return save_fields(locked, **fields)


def save_fields(row: Row, /, **fields: Any) -> Row:
    """Set `fields` on a row the caller has locked and write only them, with `updated_at` when
    the model has one; return the row. For services that check the locked row first."""
    for name, value in fields.items():
        setattr(row, name, value)
    update_fields = [*fields]
    if "updated_at" not in fields and _has_field(type(row), "updated_at"):
        update_fields.append("updated_at")
    row.save(update_fields=update_fields)
    return row


def _has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True
