"""Pagination of every list: page numbers, keyset cursors, and strict paging parameters.

A malformed paging parameter is a 400, never a silent fall-back to the default: `page` and
`page_size` must be whole numbers of at least 1 (an empty value counts as not given, as for
the filters); `page_size` above the maximum is capped, DRF's convention. A cursor is opaque:
one the server did not write is a 400 `invalid_cursor`.
"""

import binascii
from base64 import b64decode
from urllib import parse

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, pagination, status
from rest_framework.pagination import Cursor

WHOLE_NUMBER = "Expected a whole number of at least 1."


class InvalidCursor(exceptions.APIException):
    """A cursor the server did not write (400)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Invalid cursor"
    default_code = "invalid_cursor"


def positive_int_param(request, name: str) -> int | None:
    """Return query parameter `name` as an integer >= 1, None when absent or empty.

    Anything else is a 400 naming the parameter, in the field-error shape filters use.
    """
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise exceptions.ValidationError({name: [WHOLE_NUMBER]})
    return int(raw)


def _page_size_parameter(paginator) -> dict:
    return {
        "name": paginator.page_size_query_param,
        "required": False,
        "in": "query",
        "description": f"Number of results per page (default {paginator.page_size}; "
        f"values above {paginator.max_page_size} are capped at {paginator.max_page_size}).",
        "schema": {"type": "integer", "minimum": 1},
    }


class PageNumberPagination(pagination.PageNumberPagination):
    """`page` and `page_size` (at most 100) with `count`, `next`, `previous`, `results`."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        requested = positive_int_param(request, self.page_size_query_param)
        return self.page_size if requested is None else min(requested, self.max_page_size)

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) in self.last_page_strings:
            return paginator.num_pages
        return positive_int_param(request, self.page_query_param) or 1

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "A page number (from 1); past the last page is a 404.",
                "schema": {"type": "integer", "minimum": 1},
            },
            _page_size_parameter(self),
        ]


class CursorPagination(pagination.CursorPagination):
    """DRF's keyset pagination, refusing cursors it did not write.

    DRF decodes the cursor leniently and passes its position to the database unchecked, so a
    position that is not a value of the ordering field (`p=abc`, a NUL, an integer past the
    column's range) was a 500. Here every part is checked: only the keys DRF writes (`o`, `r`,
    `p`), once each; an offset within `offset_cutoff`; a reverse flag of 0 or 1; and a position
    that the ordering field's own validation accepts.
    """

    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        requested = positive_int_param(request, self.page_size_query_param)
        return self.page_size if requested is None else min(requested, self.max_page_size)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None or encoded == "":
            return None
        try:
            querystring = b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
            pairs = parse.parse_qsl(querystring, keep_blank_values=True, strict_parsing=True)
        except (binascii.Error, UnicodeError, ValueError):
            raise InvalidCursor() from None
        tokens = dict(pairs)
        if len(tokens) != len(pairs) or not set(tokens) <= {"o", "r", "p"}:
            raise InvalidCursor()
        offset = tokens.get("o", "0")
        if not (offset.isascii() and offset.isdigit()) or int(offset) > self.offset_cutoff:
            raise InvalidCursor()
        if tokens.get("r", "0") not in {"0", "1"}:
            raise InvalidCursor()
        position = tokens.get("p")
        if position is not None:
            self._check_position(position)
        return Cursor(offset=int(offset), reverse=tokens.get("r") == "1", position=position)

    def _check_position(self, position: str) -> None:
        field = self.model._meta.get_field(self.ordering[0].lstrip("-"))
        if "\x00" in position:
            raise InvalidCursor()
        try:
            field.clean(position, None)
        except DjangoValidationError:
            raise InvalidCursor() from None

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The cursor of a `next` or `previous` link (opaque).",
                "schema": {"type": "string"},
            },
            _page_size_parameter(self),
        ]
