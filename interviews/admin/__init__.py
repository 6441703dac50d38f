"""The admin of the interview domain (being split by model)."""

from interviews.admin.interviews import *  # noqa: F403  temporary, until the split below
from interviews.admin.interviews import MESSAGE_CHARS  # noqa: F401
