"""Abstract models every app's rows build on: a UUIDv7 key with creation and update times."""

from django.db import models
from django.utils import timezone
from uuid6 import uuid7


class TimestampedModel(models.Model):
    """A row keyed by a time-ordered UUID (v7) that records when it was created and updated."""

    id = models.UUIDField(primary_key=True, default=uuid7, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
