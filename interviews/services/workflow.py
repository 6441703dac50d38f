"""Interviews and their workflow (schedule, edit, delete, start, complete, abandon), the
transcript and the live session. Each runs in one transaction; the interview row is locked
(SELECT ... FOR UPDATE) before any change that depends on its status or counters."""

from datetime import datetime
from decimal import Decimal
from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from core.errors import ConflictError, InvalidInput
from core.rows import save_fields
from interviews.models import (
    Candidate,
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
    Position,
    Resume,
)
from interviews.services.candidates import InvalidResume

Status = Interview.Status

# Allowed transitions: target status -> statuses it may come from.
TRANSITIONS = {
    Status.IN_PROGRESS: {Status.SCHEDULED},
    Status.COMPLETED: {Status.IN_PROGRESS},
    Status.ABANDONED: {Status.SCHEDULED, Status.IN_PROGRESS},
}


class InterviewPlan(TypedDict, total=False):
    """The fields of an interview's plan that interview_update sets (not its status)."""

    candidate: Candidate
    resume: Resume | None
    position: Position | None
    role_type: str
    scheduled_for: datetime | None
    ai_model_used: str


class MessageDetails(TypedDict, total=False):
    """The optional fields of a transcript message."""

    content_audio_url: str
    audio_duration_seconds: float | None
    audio_metadata: dict
    response_time_seconds: float | None
    metadata: dict


class SessionChanges(TypedDict, total=False):
    """The fields of a live session that session_update sets."""

    conversation_memory: dict
    current_difficulty_level: str
    skill_boundaries_identified: dict
    progression_state: dict


class TransitionNotAllowed(ConflictError):
    code = "invalid_transition"


class InterviewNotInProgress(ConflictError):
    code = "not_in_progress"


class InterviewNotDeletable(ConflictError):
    code = "interview_not_deletable"


# --- interviews and their workflow ------------------------------------------------------------


def _record_change(
    *, interview: Interview, from_status: str, by: User | None, reason: str = ""
) -> None:
    InterviewStatusChange.objects.create(
        organization_id=interview.organization_id,
        interview=interview,
        from_status=from_status,
        to_status=interview.status,
        changed_by=by if by is not None and by.is_authenticated else None,
        reason=reason,
    )


class CrossOrganizationReference(InvalidInput):
    """A row of one organization named in another organization's row (400)."""


def _check_references(
    *, organization_id, candidate: Candidate, resume: Resume | None, position: Position | None
) -> None:
    """The candidate, position and resume of an interview are all of its organization; the
    resume is the candidate's."""
    if candidate.organization_id != organization_id:
        raise CrossOrganizationReference(
            "This candidate belongs to another organization.", field="candidate"
        )
    if position is not None and position.organization_id != organization_id:
        raise CrossOrganizationReference(
            "This position belongs to another organization.", field="position"
        )
    if resume is not None and resume.candidate_id != candidate.pk:
        raise InvalidResume("This resume belongs to another candidate.", field="resume")


@transaction.atomic
def interview_create(
    *,
    candidate: Candidate,
    role_type: str,
    by: User | None,
    resume: Resume | None = None,
    position: Position | None = None,
    scheduled_for: datetime | None = None,
    ai_model_used: str = "",
) -> Interview:
    """Schedule an interview in its candidate's organization; its position, if any, must be of
    that organization and its resume, if any, the candidate's."""
    _check_references(
        organization_id=candidate.organization_id,
        candidate=candidate,
        resume=resume,
        position=position,
    )
    interview = Interview.objects.create(
        organization_id=candidate.organization_id,
        candidate=candidate,
        resume=resume,
        position=position,
        role_type=role_type,
        scheduled_for=scheduled_for,
        ai_model_used=ai_model_used,
    )
    _record_change(interview=interview, from_status="", by=by, reason="created")
    return interview


@transaction.atomic
def interview_update(*, interview: Interview, **fields: Unpack[InterviewPlan]) -> Interview:
    """Edit the plan of an interview (role, resume, schedule, model); not its status."""
    locked = _lock(interview)
    _check_references(
        organization_id=locked.organization_id,
        candidate=fields.get("candidate", locked.candidate),
        resume=fields.get("resume", locked.resume),
        position=fields.get("position", locked.position),
    )
    return save_fields(locked, **fields)


def interview_ensure_deletable(*, interview: Interview) -> None:
    """Raise InterviewNotDeletable unless `interview` may be deleted.

    Only a scheduled interview may be deleted, one with no transcript and no assessment: an
    interview that has started is a record of what happened, kept for good (abandon it to stop
    it). The workflow writes no message before the start; stray rows still count.
    """
    if interview.status != Status.SCHEDULED:
        raise InterviewNotDeletable(
            f"Only a scheduled interview can be deleted; this one is "
            f"{interview.get_status_display().lower()}. Its record is kept."
        )
    recorded = Interview.objects.filter(pk=interview.pk)
    if (
        recorded.filter(messages__isnull=False).exists()
        or recorded.filter(assessment__isnull=False).exists()
    ):
        raise InterviewNotDeletable(
            "This interview has a transcript or an assessment; its record is kept."
        )


@transaction.atomic
def interview_delete(*, interview: Interview) -> None:
    """Delete a scheduled interview (with its status history); conflict for any other."""
    locked = _lock(interview)
    interview_ensure_deletable(interview=locked)
    locked.delete()


def _lock(interview: Interview) -> Interview:
    """Return the interview re-read under a row lock (concurrent writers queue here)."""
    return Interview.objects.select_for_update().get(pk=interview.pk)


def _transition(
    *, interview: Interview, to: str, by: User | None, reason: str = "", **changes: Any
) -> Interview:
    locked = _lock(interview)
    if locked.status not in TRANSITIONS[to]:
        raise TransitionNotAllowed(
            f"Cannot move an interview from {locked.status} to {to}; "
            f"it is {locked.get_status_display().lower()}.",
        )
    from_status = locked.status
    locked.status = to
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save()
    _record_change(interview=locked, from_status=from_status, by=by, reason=reason)
    return locked


@transaction.atomic
def interview_start(*, interview: Interview, by: User | None) -> Interview:
    """scheduled -> in_progress: set started_at and open the live session at warm-up."""
    now = timezone.now()
    started = _transition(interview=interview, to=Status.IN_PROGRESS, by=by, started_at=now)
    InterviewSession.objects.create(
        organization_id=started.organization_id, interview=started, last_activity_at=now
    )
    return started


@transaction.atomic
def interview_complete(*, interview: Interview, by: User | None) -> Interview:
    """in_progress -> completed: set completed_at and the duration."""
    current = _lock(interview)
    # Read the clock once the lock is held: a message appended while this call waited for the
    # lock must not carry a time after the interview's completion.
    now = timezone.now()
    duration = int((now - current.started_at).total_seconds()) if current.started_at else 0
    return _transition(
        interview=current,
        to=Status.COMPLETED,
        by=by,
        completed_at=now,
        duration_seconds=max(duration, 0),
    )


@transaction.atomic
def interview_abandon(*, interview: Interview, by: User | None, reason: str) -> Interview:
    """scheduled or in_progress -> abandoned, with the reason."""
    return _transition(
        interview=interview, to=Status.ABANDONED, by=by, reason=reason, abandon_reason=reason
    )


# --- the live session and the transcript ------------------------------------------------------


@transaction.atomic
def message_append(
    *,
    interview: Interview,
    message_type: str,
    content_text: str = "",
    tokens_used: int = 0,
    cost_usd: Decimal = Decimal("0"),
    **fields: Unpack[MessageDetails],
) -> InterviewMessage:
    """Append one transcript message with the next sequence number.

    The interview row is locked and its `message_count` is the allocator: concurrent appends
    queue on the lock, so numbers stay gapless 1..N and the counters agree with the messages.
    """
    locked = _lock(interview)
    if locked.status != Status.IN_PROGRESS:
        raise InterviewNotInProgress(
            f"Messages can only be added while the interview is in progress; it is {locked.status}."
        )
    session = InterviewSession.objects.get(interview=locked)
    now = timezone.now()
    message = InterviewMessage.objects.create(
        organization_id=locked.organization_id,
        interview=locked,
        session=session,
        sequence_number=locked.message_count + 1,
        message_type=message_type,
        content_text=content_text,
        tokens_used=tokens_used,
        cost_usd=cost_usd,
        created_at=now,
        **fields,
    )
    Interview.objects.filter(pk=locked.pk).update(
        message_count=F("message_count") + 1,
        total_tokens_used=F("total_tokens_used") + tokens_used,
        cost_usd=F("cost_usd") + cost_usd,
        updated_at=now,
    )
    asked = 1 if message_type == InterviewMessage.MessageType.AI_QUESTION else 0
    InterviewSession.objects.filter(pk=session.pk).update(
        last_activity_at=now,
        questions_asked_count=F("questions_asked_count") + asked,
        updated_at=now,
    )
    return message


@transaction.atomic
def session_update(*, interview: Interview, **fields: Unpack[SessionChanges]) -> InterviewSession:
    """Change the difficulty or the JSON state of a running interview's session."""
    locked = _lock(interview)
    if locked.status != Status.IN_PROGRESS:
        raise InterviewNotInProgress(
            f"The session can only change while the interview is in progress; "
            f"it is {locked.status}."
        )
    session = InterviewSession.objects.select_for_update().get(interview=locked)
    return save_fields(session, **fields, last_activity_at=timezone.now())
