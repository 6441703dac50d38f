"""API plumbing shared by every app: pagination, error bodies and the conflict error."""

import json

from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import ConflictError


class PageNumberPagination(pagination.PageNumberPagination):
    """`page` and `page_size` (at most 100) with `count`, `next`, `previous`, `results`."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class Conflict(exceptions.APIException):
    """The request is valid but clashes with the current state (409)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


class ServiceUnavailable(exceptions.APIException):
    """The database cannot be reached (503)."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service is temporarily unavailable. Try again shortly."
    default_code = "service_unavailable"


def exception_handler(exc, context):
    """Render errors as JSON with `detail` and, for single-message errors, a machine `code`."""
    if isinstance(exc, ConflictError):
        exc = Conflict(exc.message, code=exc.code)
    elif isinstance(exc, (OperationalError, InterfaceError)):
        exc = ServiceUnavailable()
    elif isinstance(exc, IntegrityError):
        # A constraint caught what validation could not see (a concurrent duplicate, say).
        exc = Conflict("The request conflicts with existing data.")
    elif isinstance(exc, DatabaseError):
        return None
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(response.data, dict) and isinstance(response.data.get("detail"), str):
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
        if isinstance(codes, dict):
            codes = codes.get("detail")
        if isinstance(codes, str):
            response.data["code"] = codes
    if isinstance(exc, ServiceUnavailable):
        response["Retry-After"] = "5"
    return response


def error_response(detail: str, code: str, status_code: int, **headers: str) -> Response:
    """Return an error body in the API's shape: `{"detail": ..., "code": ...}`."""
    response = Response({"detail": detail, "code": code}, status=status_code)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


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
