"""Filter fields shared by the apps' filter sets."""

from datetime import UTC

import django_filters
from django import forms
from django_filters.fields import IsoDateTimeField


class UTCIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 date-time, converted to UTC.

    PostgreSQL refuses offsets beyond ±15:59 and Python cannot represent instants past year
    9999: both become a 400 here instead of a database error.
    """

    default_error_messages = {"overflow": "This date-time is out of range."}

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(UTC)
        except OverflowError as error:
            raise forms.ValidationError(self.error_messages["overflow"], code="overflow") from error


class IsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCIsoDateTimeField
