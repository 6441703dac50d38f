"""The admin of assessments."""

from assessments.admin import results  # noqa: F401  registers the model admins
