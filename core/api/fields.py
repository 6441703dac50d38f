"""Serializer fields that take JSON types as they are: a boolean is not a number, a number is
not a string.

DRF coerces both: a FloatField stores `true` as 1.0 and a CharField stores `5` as "5". Here
they are field errors. Numeric strings stay accepted by number fields ("12.5"), as DRF does,
since form-encoded bodies carry every value as a string.
"""

from django.db import models
from rest_framework import serializers


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
