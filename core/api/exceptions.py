"""The API's error answers: the exception handler, error bodies, the 409 and 503 exceptions, and
the JSON 400/403/404/500 views (handler400... in config/urls.py)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.breaker import record_database_error
from core.errors import ConflictError, InvalidInput


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
    elif isinstance(exc, InvalidInput):
        detail = exc.message if exc.field is None else {exc.field: [exc.message]}
        exc = exceptions.ValidationError(detail, code=exc.code)
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
