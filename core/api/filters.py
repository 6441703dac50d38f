"""Filter backends and filter fields shared by the apps' views and filter sets."""

from datetime import UTC

import django_filters
import django_filters.rest_framework
from django import forms
from django_filters.fields import IsoDateTimeField
from rest_framework import filters
from rest_framework.exceptions import ValidationError

# Longer than any name or email (255): a longer search can only scan for nothing. It also keeps
# every search URL well inside gunicorn's request-line limit (gunicorn.conf.py), so an overlong
# search gets the API's JSON 400, not gunicorn's plain-text 414.
SEARCH_MAX_LENGTH = 255


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


class FilterBackend(django_filters.rest_framework.DjangoFilterBackend):
    """django-filter's backend, skipping the filter set when no filter parameter is given.

    Building and validating a FilterSet costs about a millisecond per request; unfiltered list
    pages (the common dashboard call) do not need it.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or request.query_params.keys().isdisjoint(
            filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


class SearchFilter(filters.SearchFilter):
    """DRF's `search`, on the views that name `search_fields` only.

    A term DRF refuses (a NUL character) is a field error of `search`, the shape of every
    other bad query parameter, rather than DRF's bare list of messages; so is a term longer than
    SEARCH_MAX_LENGTH. Views without search fields neither document nor read the parameter.
    """

    def filter_queryset(self, request, queryset, view):
        if not self.get_search_fields(view, request):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_search_terms(self, request):
        value = request.query_params.get(self.search_param, "")
        if len(value) > SEARCH_MAX_LENGTH:
            raise ValidationError(
                {
                    self.search_param: [
                        f"Ensure this value has at most {SEARCH_MAX_LENGTH} characters "
                        f"(it has {len(value)})."
                    ]
                }
            )
        try:
            return super().get_search_terms(request)
        except ValidationError as error:
            raise ValidationError({self.search_param: error.detail}) from error

    def get_schema_operation_parameters(self, view):
        if not getattr(view, "search_fields", None):
            return []
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["maxLength"] = SEARCH_MAX_LENGTH
        return parameters
