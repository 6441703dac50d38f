"""The interviews app's models, one module per concern: candidates, resumes, interviews and
their sessions, positions, invitations, the transcript and status history. Import them from
here."""

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
from interviews.models.invitations import Invitation, InvitationStatus
from interviews.models.positions import Position, PositionStatus, validate_rubric
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
    "Invitation",
    "InvitationStatus",
    "MessageType",
    "ParsingStatus",
    "Position",
    "PositionStatus",
    "Resume",
    "RoleType",
    "normalize_phone",
    "validate_e164",
    "validate_rubric",
]
