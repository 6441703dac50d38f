"""The demo plan of one organization's people: which interviews in which state, drawn from
one random generator (config/seeding/organizations.py plans the organizations around them).

The whole data set is planned up front from the seed, before the database is looked at: the
same seed gives the same candidates, statuses and texts whatever is already stored, and a
candidate that exists (matched by its email in its organization) is skipped, so runs are
idempotent. The plan is pure data (interviews.seeding's plan classes); each app's writer
stores its part.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.utils.text import slugify

from accounts.seeding import DEMO_CANDIDATE_EMAIL, DEMO_CANDIDATE_NAME
from config.seeding.resumes import plan_resume
from config.seeding.scores import plan_assessment, set_integrity
from config.seeding.texts import DROP_OUT_REASONS, LEVEL_PREFIX, NO_SHOW_REASONS, TITLES, ascii_only
from config.seeding.transcripts import plan_transcript, session_state
from interviews.models import Candidate, Interview, InvitationStatus, Resume
from interviews.seeding import CandidatePlan, InterviewPlan, InvitationPlan

Status = Interview.Status
RoleType = Interview.RoleType
Level = Candidate.ExperienceLevel
ParsingStatus = Resume.ParsingStatus

# The demo people, twelve per organization: `default`'s, then Acme's. Their emails are
# `demo.<slug>@example.com`, so seeded rows are recognisable and a second run finds them.
# Roles, levels and everything else come from the seed.
DEMO_NAMES = [
    "Amara Okafor",
    "Lucas Ferreira",
    "Mei-Lin Chen",
    "Arjun Raghavan",
    "Sofia Novak",
    "Kwame Mensah",
    "Zeynep Kaya",
    "Mateo González",
    "Hannah Schmidt",
    "Yuki Tanaka",
    "Chloé Dubois",
    "Oluwaseun Adeyemi",
]
ACME_NAMES = [
    "Priya Natarajan",
    "Jonas Berg",
    "Fatima Al-Sayed",
    "Diego Ramírez",
    "Aoife Byrne",
    "Tomasz Kowalski",
    "Nia Owusu",
    "Kenji Watanabe",
    "Leila Haddad",
    "Samuel Okoro",
    "Ingrid Johansson",
    "Rafael Costa",
]
ROLE_TYPES = list(RoleType.values)
CANDIDATES_PER_ROLE = len(DEMO_NAMES) // len(ROLE_TYPES)
RESUME_COUNT = 7
# Past interviews lie this many days back at most, so the data fits a 60-day dashboard.
MAX_DAYS_AGO = 45

AI_MODELS = ["gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet"]


@dataclass
class DemoInterviewPlan(InterviewPlan):
    """An interview of the demo plan, with the assessment fields of a completed one."""

    assessment: dict | None = None


def demo_email(full_name: str) -> str:
    """Return the recognisable email of a seeded candidate, e.g. demo.mei-lin-chen@example.com."""
    return f"demo.{slugify(ascii_only(full_name))}@example.com"


def _phone(rng: random.Random, number: int) -> str:
    # Ranges reserved for fiction (US 555-01xx, UK Ofcom drama, AU 0491 570); `number` keeps
    # the demo phones distinct.
    kind = rng.randrange(4)
    if kind == 0:
        return f"+1{rng.choice(['212', '415', '617'])}55501{number + 10:02d}"
    if kind == 1:
        return f"+4420794600{number + 10:02d}"
    if kind == 2:
        return f"+61491570{number + 110}"
    return ""


def _plan_interview(
    rng: random.Random, candidate: CandidatePlan, status: str, day_offset: int
) -> InterviewPlan:
    """Plan one interview; a finished one had its slot `day_offset` days before the seeding."""
    interview = DemoInterviewPlan(
        role_type=candidate.role_type,
        status=status,
        ai_model_used=rng.choice(AI_MODELS),
        clock=(rng.randint(8, 17), rng.choice([0, 15, 30, 45])),
        lead_time=timedelta(days=rng.randint(1, 7), hours=rng.randint(0, 6)),
    )
    if status == Status.SCHEDULED:
        interview.day_offset = -rng.randint(1, 14)
        interview.lead_time = timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 12))
        return interview
    if status == Status.ABANDONED and rng.random() < 0.5:  # a no-show: never started
        interview.day_offset = day_offset
        interview.idle = timedelta(minutes=rng.randint(30, 60))
        interview.abandon_reason = rng.choice(NO_SHOW_REASONS)
        return interview

    count = {
        Status.COMPLETED: 2 * rng.randint(4, 10),  # ends with the candidate's last answer
        Status.IN_PROGRESS: rng.randint(6, 15),
        Status.ABANDONED: rng.randint(6, 12),
    }[status]
    interview.messages = plan_transcript(
        rng,
        first_name=candidate.full_name.split()[0],
        role_type=candidate.role_type,
        level=candidate.experience_level,
        count=count,
    )
    interview.late = timedelta(minutes=rng.randint(0, 6), seconds=rng.randint(0, 59))
    interview.session_state = session_state(interview.messages, finished=status == Status.COMPLETED)
    if status == Status.IN_PROGRESS:
        interview.idle = timedelta(seconds=rng.randint(20, 300))
        return interview
    interview.day_offset = day_offset
    if status == Status.COMPLETED:
        talk = interview.messages[-1].after_start
        interview.duration = talk + timedelta(seconds=rng.randint(30, 120))
        interview.assessment = plan_assessment(
            rng,
            role_type=candidate.role_type,
            level=candidate.experience_level,
            messages=interview.messages,
            model=interview.ai_model_used,
        )
    else:
        interview.idle = timedelta(minutes=rng.randint(5, 15))
        interview.abandon_reason = rng.choice(DROP_OUT_REASONS)
    return interview


def _plan_candidate(
    rng: random.Random,
    *,
    number: int,
    full_name: str,
    email: str,
    role_type: str,
    level: str,
    statuses: list[str],
    resume_status: str | None,
) -> CandidatePlan:
    candidate = CandidatePlan(
        full_name=full_name,
        email=email,
        phone=_phone(rng, number),
        target_role=LEVEL_PREFIX[level] + rng.choice(TITLES[role_type]),
        experience_level=level,
        status=Candidate.Status.INACTIVE if rng.random() < 0.1 else Candidate.Status.ACTIVE,
        role_type=role_type,
        created_before=timedelta(days=rng.randint(0, 3), hours=rng.randint(2, 8)),
    )
    # Distinct past days, the earliest for the first status of the list.
    days = sorted(rng.sample(range(1, MAX_DAYS_AGO + 1), len(statuses)), reverse=True)
    candidate.interviews = [
        _plan_interview(rng, candidate, status, day_offset)
        for status, day_offset in zip(statuses, days, strict=True)
    ]
    if resume_status is not None:
        candidate.resume = plan_resume(rng, candidate, resume_status)
    return candidate


def plan_people(
    rng: random.Random,
    names: list[str],
    *,
    account_name: str = DEMO_CANDIDATE_NAME,
    account_statuses: tuple[str, ...] = (Status.COMPLETED, Status.SCHEDULED),
) -> tuple[list[CandidatePlan], CandidatePlan]:
    """Return one organization's demo candidates (one per name of `names`, twelve) and the
    profile there of the demo candidate account, with interviews in `account_statuses`.

    Every status appears for every role type: each role type has three candidates sharing
    five interviews, the four statuses and one more finished one, so nobody has two
    interviews running or booked at once.
    """
    if len(names) != len(DEMO_NAMES):
        raise ValueError(f"The plan shares its interviews among {len(DEMO_NAMES)} people.")
    levels = [level for level in Level.values for _ in range(2)]
    rng.shuffle(levels)
    roles = [role for role in ROLE_TYPES for _ in range(CANDIDATES_PER_ROLE)]
    rng.shuffle(roles)
    resume_statuses = [ParsingStatus.COMPLETED] * 4 + [
        ParsingStatus.PENDING,
        ParsingStatus.PROCESSING,
        ParsingStatus.FAILED,
    ]
    rng.shuffle(resume_statuses)
    with_resume = dict(
        zip(rng.sample(range(len(names)), RESUME_COUNT), resume_statuses, strict=True)
    )

    statuses_of: dict[int, list[str]] = {}
    for role in ROLE_TYPES:
        extra = rng.choice([Status.COMPLETED, Status.COMPLETED, Status.ABANDONED])
        statuses = [*Status.values, extra]
        rng.shuffle(statuses)
        shares = [2, 2, 1]  # five interviews over the role's CANDIDATES_PER_ROLE (three) people
        rng.shuffle(shares)
        members = [index for index, member_role in enumerate(roles) if member_role == role]
        for index, share in zip(members, shares, strict=True):
            statuses_of[index], statuses = statuses[:share], statuses[share:]

    candidates = [
        _plan_candidate(
            rng,
            number=index,
            full_name=full_name,
            email=demo_email(full_name),
            role_type=roles[index],
            level=levels[index],
            statuses=statuses_of[index],
            resume_status=with_resume.get(index),
        )
        for index, full_name in enumerate(names)
    ]
    # The portal demo: e.g. a finished interview with its assessment and the next one booked.
    account_profile = _plan_candidate(
        rng,
        number=len(names),
        full_name=account_name,
        email=DEMO_CANDIDATE_EMAIL,
        role_type=rng.choice(ROLE_TYPES),
        level=Level.MID,
        statuses=list(account_statuses),
        resume_status=ParsingStatus.COMPLETED,
    )
    account_profile.status = Candidate.Status.ACTIVE

    # About one assessment in four has an integrity flag, and at least one of the demo
    # candidates' has, so a dashboard has something to filter on.
    assessments = [
        interview.assessment
        for candidate in candidates
        for interview in candidate.interviews
        if interview.assessment is not None
    ]
    flagged = [rng.random() < 0.25 for _ in assessments]
    if not any(flagged):
        flagged[rng.randrange(len(flagged))] = True
    for assessment, is_flagged in zip(assessments, flagged, strict=True):
        set_integrity(rng, assessment, flagged=is_flagged)
    for interview in account_profile.interviews:
        if interview.assessment is not None:
            set_integrity(rng, interview.assessment, flagged=False)
    return candidates, account_profile


def plan_invitee(
    rng: random.Random, *, number: int, full_name: str, state: str, ttl: timedelta
) -> CandidatePlan:
    """Plan a person a recruiter invited, with the one interview the invitation scheduled
    (the candidate is created with it), in the invitation's `state`: pending (resent once),
    expired (sent longer than `ttl`, the invitations' lifetime, ago), or revoked (and the
    interview, never started, abandoned then). Accepted invitations are the demo candidate
    account's (see config/seeding/organizations.py)."""
    role_type = rng.choice(ROLE_TYPES)
    level = rng.choice(Level.values)
    candidate = CandidatePlan(
        full_name=full_name,
        email=demo_email(full_name),
        phone=_phone(rng, number),
        target_role=LEVEL_PREFIX[level] + rng.choice(TITLES[role_type]),
        experience_level=level,
        status=Candidate.Status.ACTIVE,
        role_type=role_type,
    )
    interview = DemoInterviewPlan(
        role_type=role_type,
        status=Status.SCHEDULED,
        ai_model_used=rng.choice(AI_MODELS),
        clock=(rng.randint(8, 17), rng.choice([0, 15, 30, 45])),
        day_offset=-rng.randint(1, 10),
    )
    if state == InvitationStatus.PENDING:
        # Sent within the lifetime, resent halfway to now: still open.
        interview.lead_time = min(timedelta(hours=rng.randint(6, 72)), ttl / 2)
        interview.invitation = InvitationPlan(state, resent_after=interview.lead_time / 2)
    elif state == InvitationStatus.EXPIRED:
        interview.lead_time = ttl + timedelta(days=rng.randint(1, 3), hours=rng.randint(0, 12))
        interview.invitation = InvitationPlan(state)
    elif state == InvitationStatus.REVOKED:
        # Revoked before the slot, which has passed; the interview was called off then.
        interview.status = Status.ABANDONED
        interview.day_offset = rng.randint(3, MAX_DAYS_AGO // 2)
        interview.lead_time = timedelta(days=rng.randint(2, 5), hours=rng.randint(0, 12))
        revoked_after = min(interview.lead_time, ttl) * rng.uniform(0.3, 0.8)
        interview.idle = revoked_after - interview.lead_time  # from the slot: before it
        interview.abandon_reason = "Invitation revoked."
        interview.invitation = InvitationPlan(state, answered_after=revoked_after)
    else:
        raise ValueError(f"An invitee's invitation is pending, expired or revoked, not {state}.")
    candidate.interviews = [interview]
    return candidate


def accept_invitation(interview: InterviewPlan, rng: random.Random, *, ttl: timedelta) -> None:
    """Give a planned interview the invitation that scheduled it, accepted before its slot."""
    accepted_after = min(interview.lead_time, ttl) * rng.uniform(0.1, 0.6)
    interview.invitation = InvitationPlan(InvitationStatus.ACCEPTED, answered_after=accepted_after)
