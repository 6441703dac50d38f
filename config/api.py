"""API plumbing shared by every app: pagination, error bodies and the conflict error."""

import json

from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.http import JsonResponse
from django.views import defaults
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.breaker import record_database_error
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
        record_database_error(exc)
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


ERROR_RESPONSES = {
    "400": ("Invalid input: field errors", "ValidationErrorBody"),
    "401": ("Missing or invalid credentials", "ErrorBody"),
    "403": ("The caller's role may not do this", "ErrorBody"),
    "404": ("Not found, or not visible to the caller", "ErrorBody"),
    "405": ("Method not allowed", "ErrorBody"),
    "409": ("Conflict with the current state", "ErrorBody"),
    "413": ("Request body too large", "ErrorBody"),
    "415": ("Unsupported media type", "ErrorBody"),
    "429": ("Locked out or throttled (see Retry-After)", "ErrorBody"),
    "503": ("The database is unreachable", "ErrorBody"),
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: document the error answers every operation can give.

    Errors share two shapes: `{"detail", "code"}`, and for 400 an object of field errors.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorBody"] = {
        "type": "object",
        "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
        "required": ["detail"],
    }
    schemas["ValidationErrorBody"] = {
        "type": "object",
        "description": "Field name (or non_field_errors) -> messages; or {detail, code}.",
        "additionalProperties": True,
    }
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            for status_code, (description, schema_name) in ERROR_RESPONSES.items():
                responses.setdefault(
                    status_code,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{schema_name}"}
                            }
                        },
                    },
                )
    return result


def _wants_json(request) -> bool:
    return request.path.startswith(("/api/", "/health"))


def page_not_found(request, exception):
    """handler404: JSON under /api/ and /health (the admin keeps its HTML page)."""
    if _wants_json(request):
        return JsonResponse({"detail": "Not found.", "code": "not_found"}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """handler500: JSON under /api/ and /health. Any 500 is a bug; this only shapes the answer."""
    if _wants_json(request):
        return JsonResponse({"detail": "Server error.", "code": "server_error"}, status=500)
    return defaults.server_error(request)
