"""Middleware: JSON answers for an unreachable database (503) and oversized bodies (413)."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer 503 with a JSON body when a view fails because the database is unreachable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.warning("database unavailable: %s", exception)
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
