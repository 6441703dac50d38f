"""Request parsers. Kept apart from core.api.exceptions: DRF's views import this module through
the DEFAULT_PARSER_CLASSES setting while core.api.exceptions itself imports DRF's views."""

from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, also turning a too deeply nested document into a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise exceptions.ParseError(
                "JSON parse error - the document is nested too deeply."
            ) from error
