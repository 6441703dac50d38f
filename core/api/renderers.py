"""JSON rendering with orjson: the same JSON as DRF's renderer, several times faster."""

import decimal
import uuid

import orjson
from django.utils.functional import Promise
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder


def _default(value):
    # DRF's conventions for what orjson leaves to us: decimals as strings (serializers already
    # turn them into strings), lazy translations, and anything else DRF's encoder knows.
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    return JSONEncoder().default(value)


class ORJSONRenderer(JSONRenderer):
    """application/json through orjson. Datetimes reach it already formatted by serializers."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        # Error bodies of list fields are keyed by item index: allow non-string keys.
        options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
        return orjson.dumps(data, default=_default, option=options)
