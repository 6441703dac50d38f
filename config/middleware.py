"""Turn an unreachable database into a 503 JSON answer instead of an HTML 500 page."""

import logging

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
