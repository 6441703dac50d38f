"""API plumbing shared by every app: error bodies, the conflict error, JSON object fields, and
what the OpenAPI schema cannot infer (error answers, exact decimal strings)."""

import json
from decimal import Decimal

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.views import defaults
from drf_spectacular.drainage import warn
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.breaker import record_database_error
from core.errors import ConflictError


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
    """Render every error in one of the two documented shapes.

    `{"detail": str, "code": str}`, or for a 400 an object of field errors (field name ->
    list of messages). Django's Http404 and PermissionDenied become DRF's exceptions first, so
    that they carry their code too; a validation error that names no field (a bare list in
    DRF) becomes `{"detail", "code"}`.
    """
    if isinstance(exc, ConflictError):
        exc = Conflict(exc.message, code=exc.code)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
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
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
    if isinstance(response.data, list):
        messages = [str(message) for message in response.data]
        first_code = codes[0] if isinstance(codes, list) and codes else None
        response.data = {
            "detail": " ".join(messages),
            "code": first_code if isinstance(first_code, str) else "invalid",
        }
    elif isinstance(response.data, dict) and isinstance(response.data.get("detail"), str):
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
        "required": ["detail", "code"],
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


def bad_request(request, exception):
    """handler400 (a suspicious request: a disallowed Host, too many parameters): JSON under
    /api/ and /health."""
    if _wants_json(request):
        return JsonResponse({"detail": "Bad request.", "code": "bad_request"}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    """handler403: JSON under /api/ and /health."""
    if _wants_json(request):
        return JsonResponse(
            {"detail": "You do not have permission to do this.", "code": "permission_denied"},
            status=403,
        )
    return defaults.permission_denied(request, exception)


def server_error(request):
    """handler500: JSON under /api/ and /health. Any 500 is a bug; this only shapes the answer."""
    if _wants_json(request):
        return JsonResponse({"detail": "Server error.", "code": "server_error"}, status=500)
    return defaults.server_error(request)


def decimal_pattern(
    *,
    decimal_places: int | None,
    max_whole_digits: int | None,
    min_value: Decimal | int | None,
    max_value: Decimal | int | None,
) -> str | None:
    """Return a regular expression matching exactly the decimal strings a DecimalField accepts
    (in their plain form), or None where the bounds are not ones it can express.

    drf-spectacular's own pattern makes every digit optional (`^-?\\d{0,3}(?:\\.\\d{0,2})?$`
    matches "" and "-") and ignores the bounds. Here a lower bound of 0 drops the sign, and an
    upper bound that is a power of ten (100, 1000) is written out: below it any fraction, at it
    only zeros.
    """
    if min_value is None:
        sign = "-?"
    elif min_value == 0:
        sign = ""
    else:
        return None
    fraction = r"(?:\.\d+)?" if decimal_places is None else rf"(?:\.\d{{1,{decimal_places}}})?"
    if decimal_places == 0:
        fraction = ""
    if max_value is None:
        if max_whole_digits is None:
            whole = r"\d+"
        elif max_whole_digits == 0:
            whole = "0"
        else:
            whole = rf"\d{{1,{max_whole_digits}}}"
        return rf"^{sign}{whole}{fraction}$"
    exponent = Decimal(max_value).normalize().as_tuple()
    if exponent.sign or exponent.digits != (1,) or exponent.exponent < 0:
        return None  # not a power of ten
    power = exponent.exponent
    zeros = "" if decimal_places == 0 else rf"(?:\.0{{1,{decimal_places or 1}}})?"
    below = "0" if power == 0 else rf"\d{{1,{power}}}"
    return rf"^{sign}(?:{below}{fraction}|1{'0' * power}{zeros})$"


class DecimalFieldExtension(OpenApiSerializerFieldExtension):
    """Describe every DRF DecimalField that renders as a string by its exact pattern."""

    target_class = "rest_framework.fields.DecimalField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = auto_schema._map_serializer_field(field, direction, bypass_extensions=True)
        if schema.get("type") != "string":
            return schema  # coerce_to_string is off: a JSON number with bounds
        pattern = decimal_pattern(
            decimal_places=field.decimal_places,
            max_whole_digits=field.max_whole_digits,
            min_value=field.min_value,
            max_value=field.max_value,
        )
        if pattern is None:
            warn(
                f"decimal field {field.field_name!r}: bounds {field.min_value}..{field.max_value} "
                "cannot be written as a pattern; the schema allows more than the field accepts"
            )
            return schema
        return {**schema, "pattern": pattern}
