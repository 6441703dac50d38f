"""Tenancy: the organization column every tenant row carries, and the queryset that scopes by it."""

from django.db import models

from accounts.managers import TenantQuerySet
from accounts.models import Organization

__all__ = ["TenantQuerySet", "organization_key"]


def organization_key(**options) -> models.ForeignKey:
    """Return the `organization` column of a tenant row (the sharding key, SPEC section 9).

    The services set it from the parent row; no client ever chooses it. Unindexed on its own:
    each model's composite indexes lead with it.
    """
    return models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        **options,
    )
