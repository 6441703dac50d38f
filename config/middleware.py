"""Middleware: JSON answers for an unreachable database (503) and oversized bodies (413), and
request bodies read to their end so that kept-alive connections stay usable."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse, UnreadablePostError

from config.health import ping_database
from core.breaker import database_breaker, record_database_error

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer 503 with a JSON body when the database is unreachable.

    A view that fails for want of a database connection gets the 503, and opens the breaker
    (core.breaker): while it is open, requests answer 503 at once, without waiting for a
    connection. The health endpoints are never refused; they ask the database themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        is_health = path == "/health" or path.startswith("/health/")
        if not is_health and not database_breaker.admit(probe=ping_database):
            return self._unavailable()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.warning("database unavailable: %s", exception)
        record_database_error(exception)
        return self._unavailable()

    @staticmethod
    def _unavailable() -> JsonResponse:
        response = JsonResponse(
            {
                "detail": "The service is temporarily unavailable. Try again shortly.",
                "code": "service_unavailable",
            },
            status=503,
        )
        response["Retry-After"] = "5"
        return response


class RequestSizeLimitMiddleware:
    """Refuse oversized request bodies with 413 before anything reads them.

    Django checks DATA_UPLOAD_MAX_MEMORY_SIZE only when `request.body` is read, and DRF's
    parsers read the stream directly, so the limit is enforced here from Content-Length:
    multipart uploads (resumes) may carry up to MAX_UPLOAD_REQUEST_BYTES, anything else up to
    DATA_UPLOAD_MAX_MEMORY_SIZE.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        content_type = request.META.get("CONTENT_TYPE", "")
        limit = (
            settings.MAX_UPLOAD_REQUEST_BYTES
            if content_type.startswith("multipart/")
            else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if limit is not None and length > limit:
            return JsonResponse(
                {
                    "detail": f"The request body is too large: {length} bytes, at most {limit}.",
                    "code": "request_too_large",
                },
                status=413,
            )
        return self.get_response(request)


class UnreadBodyMiddleware:
    """Read to its end the request body a response left unread (bodies up to the upload limit).

    DRF answers 401, 403, 405 and 415 without reading the body, URL resolution answers 404 and
    host validation 400 before any view, and RequestSizeLimitMiddleware answers 413 from the
    Content-Length alone. On a kept-alive connection those unread bytes come before the client's
    next request; gunicorn drains at most 64 KiB of them and otherwise drops the connection that
    its response announced as kept alive, so that next request fails. Reading them here keeps
    the connection usable. Bodies above MAX_UPLOAD_REQUEST_BYTES are left alone: gunicorn.conf.py
    closes those connections, and says so in the response.
    """

    CHUNK_BYTES = 64 * 1024

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if 0 < length <= settings.MAX_UPLOAD_REQUEST_BYTES:
            try:
                # Reads what is left: nothing when a parser consumed the body, and request.read()
                # stops at Content-Length.
                while request.read(self.CHUNK_BYTES):
                    pass
            except (OSError, UnreadablePostError):
                pass  # the client went away; so did the connection
        return response
