"""The interview domain's seed writer: a plan's positions, candidates, resumes, interviews,
transcripts and invitations.

Everything is written through the services, so the data obeys the same invariants as data
written through the API (gapless sequence numbers, counters equal to the sums of the messages,
an audit trail for every transition). Only the timestamps are moved back afterwards, to spread
the data over the last weeks the way a real team would have produced it (and an accepted
invitation is marked so: see _settle_invitation). What to write (the demo's people, texts and
statuses) is planned above the apps, in config/seeding/.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile

from accounts.models import Organization, User
from interviews import services
from interviews.models import (
    Candidate,
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
    Invitation,
    Position,
    Resume,
)

Status = Interview.Status
ParsingStatus = Resume.ParsingStatus


# --- what the writer takes: pure data, planned elsewhere (config/seeding/plan.py) ------------
#
# A plan holds no datetimes, only offsets: it is resolved against the moment of seeding when it
# is written, so a plan depends on the seed alone.


@dataclass
class MessagePlan:
    message_type: str
    content_text: str
    response_time_seconds: float
    tokens_used: int
    cost_usd: Decimal
    metadata: dict
    after_start: timedelta


@dataclass
class PositionPlan:
    title: str
    role_type: str
    experience_level: str
    description: str
    skills: list[dict]  # the rubric: [{skill, weight}]
    status: str = Position.Status.OPEN
    created_before: timedelta = timedelta(days=60)  # the seeding


@dataclass
class InvitationPlan:
    """The invitation that brought the candidate to an interview, sent when the interview was
    scheduled. `state` is the status the API shows: `expired` is stored as pending, and the
    planner made its interview older than the invitations' lifetime."""

    state: str
    answered_after: timedelta = timedelta(0)  # accepted or revoked this long after sending
    resent_after: timedelta | None = None  # resent (a new token) this long after sending


@dataclass
class InterviewPlan:
    role_type: str
    status: str
    ai_model_used: str
    position: str = ""  # the title of one of the organization's planned positions
    invitation: InvitationPlan | None = None
    # Day of the planned slot (days ago; negative: ahead) and its (hour, minute) in UTC.
    # An interview in progress has no slot: it started a little before the seeding.
    day_offset: int = 0
    clock: tuple[int, int] = (9, 0)
    # Scheduled interviews were created this long before the seeding, others this long
    # before their slot.
    lead_time: timedelta = timedelta(days=1)
    late: timedelta = timedelta(0)  # from the slot to the start
    idle: timedelta = timedelta(0)  # after the last message (or the slot, for a no-show)
    duration: timedelta | None = None
    abandon_reason: str = ""
    messages: list[MessagePlan] = field(default_factory=list)
    session_state: dict = field(default_factory=dict)


@dataclass
class ResumePlan:
    file_name: str
    content: bytes
    content_type: str
    parsing_status: str
    parsed_data: dict
    uploaded_after: timedelta  # the candidate's creation
    parsing_took: timedelta


@dataclass
class CandidatePlan:
    full_name: str
    email: str
    phone: str
    target_role: str
    experience_level: str
    status: str
    role_type: str
    created_before: timedelta = timedelta(0)  # the creation of its first interview
    resume: ResumePlan | None = None
    interviews: list[InterviewPlan] = field(default_factory=list)


@dataclass
class WrittenCandidate:
    """What `write_candidate` wrote: the candidate, its rows per kind, and each interview with
    its plan and the moments it reached each status (for the writers of the apps above)."""

    candidate: Candidate
    counts: dict[str, int]
    interviews: list[tuple[InterviewPlan, Interview, dict[str, datetime]]] = field(
        default_factory=list
    )
    invitations: list[tuple[Invitation, str]] = field(default_factory=list)  # and its token


# --- writing a plan through the services -----------------------------------------------------


def write_position(
    plan: PositionPlan, *, organization: Organization, by: User | None, now: datetime
) -> Position:
    """Write one position of the organization, created `plan.created_before` the seeding."""
    position = services.position_create(
        by=by,
        organization=organization,
        title=plan.title,
        role_type=plan.role_type,
        experience_level=plan.experience_level,
        description=plan.description,
        skills=plan.skills,
        status=plan.status,
    )
    created_at = now - plan.created_before
    Position.objects.filter(pk=position.pk).update(created_at=created_at, updated_at=created_at)
    return position


def _invite(
    plan: InterviewPlan,
    *,
    times: dict[str, datetime],
    candidate: Candidate,
    resume: Resume | None,
    position: Position | None,
    by: User | None,
) -> tuple[Interview, Invitation, str]:
    """Invite the candidate (created just before, so the service finds it) to a new scheduled
    interview, as a recruiter would; give the interview the plan's resume and model."""
    invitation, token = services.invitation_create(
        by=by,
        organization=candidate.organization,
        email=candidate.email,
        full_name=candidate.full_name,
        position=position,
        role_type=plan.role_type,
        scheduled_for=times["slot"],
    )
    interview = services.interview_update(
        interview=invitation.interview, resume=resume, ai_model_used=plan.ai_model_used
    )
    return interview, invitation, token


def _settle_invitation(
    plan: InvitationPlan,
    *,
    invitation: Invitation,
    token: str,
    sent_at: datetime,
    accepted_by: User | None,
) -> tuple[Invitation, str]:
    """Bring an invitation to its planned state, stamped as if answered then; return it with
    its current token (a resend kills the first one)."""
    InvitationStatus, last_sent = Invitation.Status, sent_at
    if plan.resent_after is not None:
        invitation, token = services.invitation_resend(invitation=invitation)
        last_sent = sent_at + plan.resent_after
    answered_at = sent_at + plan.answered_after
    stamps = {"created_at": sent_at, "updated_at": last_sent}
    if plan.state == InvitationStatus.REVOKED:
        services.invitation_revoke(invitation=invitation)
        stamps.update(revoked_at=answered_at, updated_at=answered_at)
    elif plan.state == InvitationStatus.ACCEPTED:
        # Not invitation_accept: it logs the invitee in (a bearer token the seed has no use
        # for) and links the profile, which the seed did when it wrote the candidate.
        stamps.update(
            status=InvitationStatus.ACCEPTED,
            accepted_at=answered_at,
            accepted_by=accepted_by,
            updated_at=answered_at,
        )
    # An expired one is a pending one whose lifetime has run out: the planner sent it early.
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=last_sent + settings.INVITATION_TTL, **stamps
    )
    invitation.refresh_from_db()
    return invitation, token


def _interview_times(plan: InterviewPlan, now: datetime) -> dict[str, datetime]:
    """Resolve the plan's offsets: when the interview reached each status, and its slot."""
    talk = plan.messages[-1].after_start if plan.messages else timedelta(0)
    if plan.status == Status.IN_PROGRESS:
        started_at = now - plan.idle - talk
        slot = started_at - plan.late
    else:
        hour, minute = plan.clock
        day = now - timedelta(days=plan.day_offset)
        slot = day.replace(hour=hour, minute=minute, second=0, microsecond=0)
        started_at = slot + plan.late if plan.messages else None
    created_at = (now if plan.status == Status.SCHEDULED else slot) - plan.lead_time
    times = {"slot": slot, Status.SCHEDULED: created_at}
    if started_at is not None:
        times[Status.IN_PROGRESS] = started_at
    if plan.status == Status.COMPLETED:
        times[Status.COMPLETED] = started_at + plan.duration
    elif plan.status == Status.ABANDONED:
        times[Status.ABANDONED] = (started_at + talk if started_at else slot) + plan.idle
    return times


def write_interview(
    plan: InterviewPlan,
    *,
    times: dict[str, datetime],
    candidate: Candidate,
    resume: Resume | None,
    position: Position | None,
    by: User | None,
    accepted_by: User | None = None,
) -> tuple[Interview, int, tuple[Invitation, str] | None]:
    """Write one interview with its transcript and the invitation that scheduled it, if the
    plan has one (accepted by `accepted_by`); return the interview, the number of its
    messages, and the invitation with its token."""
    invitation = token = None
    if plan.invitation is not None:
        interview, invitation, token = _invite(
            plan, times=times, candidate=candidate, resume=resume, position=position, by=by
        )
    else:
        interview = services.interview_create(
            candidate=candidate,
            role_type=plan.role_type,
            by=by,
            resume=resume,
            position=position,
            scheduled_for=times["slot"],
            ai_model_used=plan.ai_model_used,
        )
    messages: list[InterviewMessage] = []
    if plan.messages:
        interview = services.interview_start(interview=interview, by=by)
        messages = [
            services.message_append(
                interview=interview,
                message_type=message.message_type,
                content_text=message.content_text,
                tokens_used=message.tokens_used,
                cost_usd=message.cost_usd,
                response_time_seconds=message.response_time_seconds,
                metadata=message.metadata,
            )
            for message in plan.messages
        ]
        services.session_update(interview=interview, **plan.session_state)
    if plan.status == Status.COMPLETED:
        interview = services.interview_complete(interview=interview, by=by)
    elif plan.status == Status.ABANDONED:
        interview = services.interview_abandon(
            interview=interview, by=by, reason=plan.abandon_reason
        )

    # The services stamp everything "now"; move it back to when it would have happened.
    started_at = times.get(Status.IN_PROGRESS)
    for message, message_plan in zip(messages, plan.messages, strict=True):
        message.created_at = started_at + message_plan.after_start
    InterviewMessage.objects.bulk_update(messages, ["created_at"])
    for status in Status.values:
        if status in times:
            InterviewStatusChange.objects.filter(interview=interview, to_status=status).update(
                created_at=times[status]
            )
    if started_at is not None:
        last_activity = messages[-1].created_at
        InterviewSession.objects.filter(interview=interview).update(
            created_at=started_at, last_activity_at=last_activity, updated_at=last_activity
        )
    completed_at = times.get(Status.COMPLETED)
    Interview.objects.filter(pk=interview.pk).update(
        created_at=times[Status.SCHEDULED],
        started_at=started_at,
        completed_at=completed_at,
        # Whole seconds, as interview_complete stores them.
        duration_seconds=int((completed_at - started_at).total_seconds()) if completed_at else None,
        updated_at=max(times[status] for status in Status.values if status in times),
    )
    if invitation is None:
        return interview, len(messages), None
    settled = _settle_invitation(
        plan.invitation,
        invitation=invitation,
        token=token,
        sent_at=times[Status.SCHEDULED],
        accepted_by=accepted_by,
    )
    return interview, len(messages), settled


def write_candidate(
    plan: CandidatePlan,
    *,
    organization: Organization,
    by: User | None,
    now: datetime,
    user: User | None = None,
    positions: dict[str, Position] | None = None,
) -> WrittenCandidate:
    """Write one candidate of the organization with its resume, interviews (for the positions
    their plans name, out of `positions` by title) and invitations, stamped as if made before
    `now`. An accepted invitation was accepted by `user`, the candidate's account."""
    positions = positions or {}
    interview_times = [_interview_times(interview, now) for interview in plan.interviews]
    created_at = min(times[Status.SCHEDULED] for times in interview_times) - plan.created_before
    candidate = services.candidate_create(
        organization=organization,
        email=plan.email,
        full_name=plan.full_name,
        phone=plan.phone,
        target_role=plan.target_role,
        experience_level=plan.experience_level,
        status=plan.status,
        user=user,
    )
    Candidate.all_objects.filter(pk=candidate.pk).update(
        created_at=created_at, updated_at=created_at
    )
    counts = {"candidates": 1, "resumes": 0, "interviews": 0, "messages": 0, "invitations": 0}
    written = WrittenCandidate(candidate=candidate, counts=counts)

    resume = None
    if plan.resume is not None:
        resume = services.resume_create(
            candidate=candidate,
            file=ContentFile(plan.resume.content, name=plan.resume.file_name),
            content_type=plan.resume.content_type,
        )
        if plan.resume.parsing_status != ParsingStatus.PENDING:
            services.resume_update_parsing(
                resume=resume,
                parsing_status=plan.resume.parsing_status,
                parsed_data=plan.resume.parsed_data,
            )
        uploaded_at = created_at + plan.resume.uploaded_after
        parsed_at = None
        if plan.resume.parsing_status == ParsingStatus.COMPLETED:
            parsed_at = uploaded_at + plan.resume.parsing_took
        Resume.objects.filter(pk=resume.pk).update(
            uploaded_at=uploaded_at,
            created_at=uploaded_at,
            parsed_at=parsed_at,
            updated_at=parsed_at or uploaded_at,
        )
        written.counts["resumes"] = 1

    for interview_plan, times in zip(plan.interviews, interview_times, strict=True):
        interview, messages, invitation = write_interview(
            interview_plan,
            times=times,
            candidate=candidate,
            resume=resume,
            position=positions.get(interview_plan.position),
            by=by,
            accepted_by=user,
        )
        written.counts["interviews"] += 1
        written.counts["messages"] += messages
        written.interviews.append((interview_plan, interview, times))
        if invitation is not None:
            written.invitations.append(invitation)
            written.counts["invitations"] += 1
    return written
