"""What the OpenAPI schema cannot infer: the error answers of every operation and the exact
pattern of decimal strings (drf-spectacular hook and extension; core.apps loads this module)."""

from decimal import Decimal

from drf_spectacular.drainage import warn
from drf_spectacular.extensions import OpenApiSerializerFieldExtension

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
