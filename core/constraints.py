"""Constraint builders for the invariants several models share: enum values, stored-form
emails unique among live rows, minimum text lengths.

Names follow `%(app_label)s_%(class)s_<what>`; Django fills in the model's app and name, so the
constraints (and their migrations) are the ones the models would spell out by hand.
"""

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import GreaterThanOrEqual


def enum_check(
    field: str,
    choices: type[models.TextChoices],
    *,
    name: str | None = None,
    violation_error_message: str | None = None,
) -> models.CheckConstraint:
    """Return the check that `field` holds one of `choices`' values.

    Named `<app>_<model>_<field>_valid` and explained as "Unknown <field words>." unless told.
    """
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}),
        name=name or f"%(app_label)s_%(class)s_{field}_valid",
        violation_error_message=violation_error_message or f"Unknown {field.replace('_', ' ')}.",
    )


def live_unique_email(
    *, violation_error_message: str, within: tuple[str, ...] = ()
) -> models.UniqueConstraint:
    """Return the uniqueness of `email`, whatever its case, among rows not soft-deleted, and
    among the rows that share the `within` columns (an organization's) when given."""
    return models.UniqueConstraint(
        *(F(column) for column in within),
        Lower("email"),
        condition=Q(deleted_at__isnull=True),
        name="%(app_label)s_%(class)s_email_live_unique",
        violation_error_message=violation_error_message,
    )


def email_normalised_check() -> models.CheckConstraint:
    """Return the check that `email` is stored lower-cased (the stored form's last step)."""
    return models.CheckConstraint(
        condition=Q(email=Lower("email")),
        name="%(app_label)s_%(class)s_email_normalised",
        violation_error_message="Email must be stored lower-cased.",
    )


def min_length_check(
    field: str, length: int, *, violation_error_message: str
) -> models.CheckConstraint:
    """Return the check that text `field` has at least `length` characters."""
    return models.CheckConstraint(
        condition=GreaterThanOrEqual(Length(field), length),
        name=f"%(app_label)s_%(class)s_{field}_length",
        violation_error_message=violation_error_message,
    )
