"""State changes of the interview domain. Each runs in one transaction; the interview row is
locked (SELECT ... FOR UPDATE) before any change that depends on its status or counters."""

from datetime import datetime
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts import services as account_services
from accounts.emails import normalize_email, validate_email_address
from accounts.models import User
from config.errors import ConflictError, InvalidInput
from core.rows import save_fields, update_locked
from interviews.documents import detect_resume_type
from interviews.models import (
    MAX_RESUME_BYTES,
    Candidate,
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
    ParsingStatus,
    Resume,
)

Status = Interview.Status

# Allowed transitions: target status -> statuses it may come from.
TRANSITIONS = {
    Status.IN_PROGRESS: {Status.SCHEDULED},
    Status.COMPLETED: {Status.IN_PROGRESS},
    Status.ABANDONED: {Status.SCHEDULED, Status.IN_PROGRESS},
}


class TransitionNotAllowed(ConflictError):
    code = "invalid_transition"


class InterviewNotInProgress(ConflictError):
    code = "not_in_progress"


class InterviewNotDeletable(ConflictError):
    code = "interview_not_deletable"


class InvalidResume(InvalidInput):
    """The upload is not a resume, or the resume is not the interview's candidate's (400)."""


class CandidateEmailTaken(ConflictError):
    """Raised when a live candidate other than the one at hand has the email."""

    code = "email_taken"


# --- candidates and resumes -------------------------------------------------------------------


def candidate_check_email(*, email: str, exclude: Candidate | None = None) -> str:
    """Validate and normalise an email; return its stored form, or raise CandidateEmailTaken
    when a live candidate other than `exclude` has it. The one home of the rule: the API, the
    admin's forms and the services call it. An invalid email raises Django's ValidationError."""
    validate_email_address(email)
    email = normalize_email(email)
    if _candidate_email_taken(email, exclude=exclude):
        raise CandidateEmailTaken("A candidate with this email already exists.")
    return email


def _candidate_email_taken(email: str, *, exclude: Candidate | None) -> bool:
    """Whether a live candidate other than `exclude` has the (normalised) email."""
    taken = Candidate.objects.filter(email=email)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    return taken.exists()


@transaction.atomic
def candidate_create(*, email: str, **fields) -> Candidate:
    """Create a candidate; raise CandidateEmailTaken when a live candidate has the email."""
    email = candidate_check_email(email=email)
    return Candidate.objects.create(email=email, **fields)


@transaction.atomic
def candidate_register(
    *,
    email: str,
    password: str,
    full_name: str,
    target_role: str | None = None,
    experience_level: str | None = None,
) -> User:
    """Create an active candidate account, with a Candidate profile if none has its email.

    A live Candidate with the same email (created by a recruiter before the person signed up,
    or the profile of a deleted login) is never linked to the new account: typing an email
    proves nothing about owning it. The account is then created alone; linking that profile
    takes an invitation (SPEC section 9). Raise EmailTaken when a live user has the email.
    """
    user = account_services.user_create(
        email=email,
        password=password,
        full_name=full_name,
        role=User.Role.CANDIDATE,
        account_status=User.AccountStatus.ACTIVE,
    )
    if not _candidate_email_taken(user.email, exclude=None):
        profile = {"target_role": target_role, "experience_level": experience_level}
        candidate_create(
            email=user.email,
            full_name=full_name,
            user=user,
            **{name: value for name, value in profile.items() if value is not None},
        )
    return user


@transaction.atomic
def candidate_update(*, candidate: Candidate, **fields) -> Candidate:
    """Change the given fields only, on the row re-read under a lock (no lost updates)."""
    if fields.get("email") is not None:
        fields["email"] = candidate_check_email(email=fields["email"], exclude=candidate)
    return update_locked(candidate, **fields)


@transaction.atomic
def candidate_soft_delete(*, candidate: Candidate) -> Candidate:
    """Hide the candidate and, through it, its resumes, interviews and assessments."""
    if candidate.deleted_at is None:
        candidate.deleted_at = timezone.now()
        candidate.save(update_fields=["deleted_at", "updated_at"])
    return candidate


@transaction.atomic
def candidate_restore(*, candidate: Candidate) -> Candidate:
    """Bring a soft-deleted candidate back; conflict if a live candidate has its email."""
    if _candidate_email_taken(candidate.email, exclude=candidate):
        raise CandidateEmailTaken("A live candidate has this email now.")
    candidate.deleted_at = None
    candidate.save(update_fields=["deleted_at", "updated_at"])
    return candidate


def resume_check_upload(*, file: UploadedFile) -> str:
    """Return the content type recognised from the upload's bytes (PDF, DOCX or UTF-8 text);
    raise InvalidResume when it is over 10 MiB or none of those. The one home of the upload
    rule: the API (through resume_upload) and the admin's form call it."""
    if file.size > MAX_RESUME_BYTES:
        raise InvalidResume("A resume is at most 10 MiB.", field="file")
    content_type = detect_resume_type(file)
    if content_type is None:
        raise InvalidResume(
            "Upload a PDF, a DOCX document or a plain UTF-8 text file.", field="file"
        )
    return content_type


def resume_upload(*, candidate: Candidate, file: UploadedFile) -> Resume:
    """Check an upload (resume_check_upload) and store it as the candidate's resume."""
    content_type = resume_check_upload(file=file)
    return resume_create(candidate=candidate, file=file, content_type=content_type)


def resume_create(*, candidate: Candidate, file: UploadedFile, content_type: str) -> Resume:
    """Store an uploaded resume whose content type was recognised from its bytes.

    The file is written, then the row in its own transaction. If that transaction fails (a
    constraint, the candidate purged meanwhile: a deferred foreign key fails at the commit), the
    file is removed again once the error is back here. Django has no rollback hook; undoing after
    the failed block is what its documentation advises. When the caller's own, enclosing
    transaction rolls back later (the admin's, the seed's), the file stays until
    `manage.py orphaned_files --delete`.
    """
    resume = Resume(
        candidate=candidate,
        file_name=(file.name or "resume")[-255:],
        file_size=file.size,
        content_type=content_type,
    )
    resume.file.save(file.name or "resume", file, save=False)
    try:
        with transaction.atomic():
            resume.save()
    except BaseException:
        resume.file.delete(save=False)
        raise
    return resume


@transaction.atomic
def resume_update_parsing(*, resume: Resume, **fields) -> Resume:
    """Record the engine's parsing progress; completing sets parsed_at unless given."""
    locked = Resume.objects.select_for_update().get(pk=resume.pk)
    completed = fields.get("parsing_status", locked.parsing_status) == ParsingStatus.COMPLETED
    if completed and fields.get("parsed_at", locked.parsed_at) is None:
        fields["parsed_at"] = timezone.now()
    return save_fields(locked, **fields)


# --- interviews and their workflow ------------------------------------------------------------


def _record_change(
    *, interview: Interview, from_status: str, by: User | None, reason: str = ""
) -> None:
    InterviewStatusChange.objects.create(
        interview=interview,
        from_status=from_status,
        to_status=interview.status,
        changed_by=by if by is not None and by.is_authenticated else None,
        reason=reason,
    )


def _check_resume(candidate: Candidate, resume: Resume | None) -> None:
    if resume is not None and resume.candidate_id != candidate.pk:
        raise InvalidResume("This resume belongs to another candidate.", field="resume")


@transaction.atomic
def interview_create(
    *,
    candidate: Candidate,
    role_type: str,
    by: User | None,
    resume: Resume | None = None,
    scheduled_for: datetime | None = None,
    ai_model_used: str = "",
) -> Interview:
    """Schedule an interview; its resume, if any, must be the candidate's."""
    _check_resume(candidate, resume)
    interview = Interview.objects.create(
        candidate=candidate,
        resume=resume,
        role_type=role_type,
        scheduled_for=scheduled_for,
        ai_model_used=ai_model_used,
    )
    _record_change(interview=interview, from_status="", by=by, reason="created")
    return interview


@transaction.atomic
def interview_update(*, interview: Interview, **fields) -> Interview:
    """Edit the plan of an interview (role, resume, schedule, model); not its status."""
    locked = _lock(interview)
    _check_resume(locked.candidate, fields.get("resume", locked.resume))
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
    *, interview: Interview, to: str, by: User | None, reason: str = "", **changes
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
    InterviewSession.objects.create(interview=started, last_activity_at=now)
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
    **fields,
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
def session_update(*, interview: Interview, **fields) -> InterviewSession:
    """Change the difficulty or the JSON state of a running interview's session."""
    locked = _lock(interview)
    if locked.status != Status.IN_PROGRESS:
        raise InterviewNotInProgress(
            f"The session can only change while the interview is in progress; "
            f"it is {locked.status}."
        )
    session = InterviewSession.objects.select_for_update().get(interview=locked)
    return save_fields(session, **fields, last_activity_at=timezone.now())
