"""The interviews app's models, one module per concern: candidates, resumes, interviews and
their sessions, the transcript and status history. Import them from here."""

from interviews.models.candidates import (
    Candidate,
    CandidateStatus,
    ExperienceLevel,
    normalize_phone,
    validate_e164,
)
from interviews.models.interviews import (
    DifficultyLevel,
    Interview,
    InterviewSession,
    InterviewStatus,
    RoleType,
)
from interviews.models.resumes import MAX_RESUME_BYTES, ParsingStatus, Resume
from interviews.models.transcript import InterviewMessage, InterviewStatusChange, MessageType

__all__ = [
    "MAX_RESUME_BYTES",
    "Candidate",
    "CandidateStatus",
    "DifficultyLevel",
    "ExperienceLevel",
    "Interview",
    "InterviewMessage",
    "InterviewSession",
    "InterviewStatus",
    "InterviewStatusChange",
    "MessageType",
    "ParsingStatus",
    "Resume",
    "RoleType",
    "normalize_phone",
    "validate_e164",
]
