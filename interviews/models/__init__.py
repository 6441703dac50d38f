"""The interviews app's models (being split by concern; see the next commit)."""

from interviews.models.interviews import *  # noqa: F403
from interviews.models.interviews import normalize_phone, resume_upload_to, validate_e164  # noqa: F401
