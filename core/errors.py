"""Domain errors raised by services, mapped to HTTP answers in one place (core.api.exceptions)."""


class ConflictError(Exception):
    """The request is valid but clashes with the current state; the API answers 409."""

    code = "conflict"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InvalidInput(Exception):
    """The request breaks a rule only a service can check; the API answers 400 with the
    message under `field` (or as `{"detail", "code"}` without one), as a serializer would."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code
