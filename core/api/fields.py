"""Serializer fields shared by the apps: JSON types taken as they are (a boolean is not a
number, a number is not a string), a bounded free-form JSON object, and a primary key among the
rows the caller may see.

DRF coerces both: a FloatField stores `true` as 1.0 and a CharField stores `5` as "5". Here
they are field errors. Numeric strings stay accepted by number fields ("12.5"), as DRF does,
since form-encoded bodies carry every value as a string.
"""

import json

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A primary key among the rows the caller may see (`visible_to`); others are 'not found'."""

    def get_queryset(self):
        return super().get_queryset().visible_to(self.context["request"].user)


class StrictCharField(serializers.CharField):
    """A string; numbers, booleans, lists and objects are refused."""

    default_error_messages = {"invalid": "Not a valid string."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictFloatField(serializers.FloatField):
    """A number; `true` and `false` are refused."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose generated text and float fields are the strict ones."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        models.FloatField: StrictFloatField,
    }


@extend_schema_field({"type": "object", "additionalProperties": True})
class JSONObjectField(serializers.JSONField):
    """A free-form JSON object (never a list or scalar), at most `max_bytes` when encoded."""

    default_error_messages = {
        "not_object": "Expected a JSON object.",
        "too_large": "This JSON value is too large: {size} bytes, at most {max_bytes}.",
        "null_character": "JSON text cannot contain NUL (\\u0000) characters.",
    }

    def __init__(self, *args, max_bytes: int = 256 * 1024, **kwargs):
        self.max_bytes = max_bytes
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not isinstance(value, dict):
            self.fail("not_object")
        encoded = json.dumps(value, separators=(",", ":"), default=str)
        if len(encoded.encode()) > self.max_bytes:
            self.fail("too_large", size=len(encoded.encode()), max_bytes=self.max_bytes)
        if "\\u0000" in encoded:  # PostgreSQL's jsonb cannot store it
            self.fail("null_character")
        return value
