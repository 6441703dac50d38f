"""The demo's organizations: each one's positions, people, invitees and the demo candidate
account's profile there, planned from one seed.

Each organization draws from its own generator, seeded with the seed and its slug, so adding
an organization to the plan changes nothing in the others. Every interview is held for the
organization's open position of its role type; the invitations cover every state: pending,
expired and revoked ones of three invitees, and accepted ones of the candidate account, which
interviews with both organizations.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from accounts.seeding import ACME_SLUG, DEFAULT_SLUG, DEMO_CANDIDATE_NAME
from config.seeding.plan import (
    ACME_NAMES,
    DEMO_NAMES,
    MAX_DAYS_AGO,
    accept_invitation,
    plan_invitee,
    plan_people,
)
from config.seeding.texts import SKILLS
from interviews.models import Candidate, Interview, InvitationStatus, Position
from interviews.seeding import CandidatePlan, PositionPlan

Status = Interview.Status
RoleType = Interview.RoleType
Level = Candidate.ExperienceLevel


@dataclass(frozen=True)
class DemoOrganization:
    slug: str
    names: list[str]  # the twelve demo people
    invitees: list[str]  # pending, expired and revoked invitations, in that order
    positions: dict[str, str]  # role type -> title of the open position
    closed_position: tuple[str, str]  # (title, role type) of a filled, closed one
    # The demo candidate account's interviews here (the first by an accepted invitation).
    account_statuses: tuple[str, ...]


DEMO_ORGANIZATION_PLANS = [
    DemoOrganization(
        slug=DEFAULT_SLUG,
        names=DEMO_NAMES,
        invitees=["Elena Petrova", "Marcus Webb", "Aisha Bello"],
        positions={
            RoleType.PYTHON: "Backend Engineer (Python)",
            RoleType.REACT: "Frontend Engineer (React)",
            RoleType.JAVASCRIPT: "JavaScript Engineer (Node.js)",
            RoleType.FULLSTACK: "Full-Stack Engineer",
        },
        closed_position=("Senior Django Developer", RoleType.PYTHON),
        account_statuses=(Status.COMPLETED, Status.SCHEDULED),
    ),
    DemoOrganization(
        slug=ACME_SLUG,
        names=ACME_NAMES,
        invitees=["Noah Fischer", "Mariam Yusuf", "Luca Romano"],
        positions={
            RoleType.PYTHON: "Robot Control Software Engineer",
            RoleType.REACT: "Fleet Dashboard Engineer",
            RoleType.JAVASCRIPT: "Telemetry Platform Engineer (Node.js)",
            RoleType.FULLSTACK: "Full-Stack Engineer, Robotics Cloud",
        },
        closed_position=("Simulation Tools Developer", RoleType.FULLSTACK),
        account_statuses=(Status.SCHEDULED,),
    ),
]
INVITEE_STATES = [InvitationStatus.PENDING, InvitationStatus.EXPIRED, InvitationStatus.REVOKED]
RUBRIC_WEIGHTS = [30, 25, 20, 15, 10]


@dataclass
class OrganizationPlan:
    slug: str
    positions: list[PositionPlan]
    candidates: list[CandidatePlan]  # the demo people and the invitees
    account_profile: CandidatePlan  # the demo candidate account's profile here


def position_description(title: str, role_type: str) -> str:
    """The description of a demo position: its title and role's only, whatever the seed, so
    that `seed --clear` recognises the demo's positions (demo_positions)."""
    return (
        f"{title}: you will work on {', '.join(SKILLS[role_type][:3])} "
        f"and more in a small, product-minded team."
    )


def demo_positions() -> list[tuple[str, str, str]]:
    """(organization slug, title, description) of every demo position, of any seed."""
    return [
        (organization.slug, title, position_description(title, role_type))
        for organization in DEMO_ORGANIZATION_PLANS
        for role_type, title in [
            *organization.positions.items(),
            organization.closed_position[::-1],
        ]
    ]


def _plan_position(
    rng: random.Random, title: str, role_type: str, *, status: str, created_before: timedelta
) -> PositionPlan:
    weights = list(RUBRIC_WEIGHTS)
    rng.shuffle(weights)
    skills = [
        {"skill": skill, "weight": weight}
        for skill, weight in zip(SKILLS[role_type], weights, strict=True)
    ]
    level = rng.choice([Level.JUNIOR, Level.MID, Level.SENIOR, Level.LEAD])
    return PositionPlan(
        title=title,
        role_type=role_type,
        experience_level=level,
        description=position_description(title, role_type),
        skills=skills,
        status=status,
        created_before=created_before,
    )


def plan_organization(
    organization: DemoOrganization, seed: int, *, account_name: str, ttl: timedelta
) -> OrganizationPlan:
    """Plan one organization's demo data; `ttl` is the invitations' lifetime."""
    rng = random.Random(f"{seed}:{organization.slug}")
    # Opened before any of the demo's interviews was scheduled.
    positions = [
        _plan_position(
            rng,
            title,
            role_type,
            status=Position.Status.OPEN,
            created_before=timedelta(days=MAX_DAYS_AGO + rng.randint(10, 30)),
        )
        for role_type, title in organization.positions.items()
    ]
    title, role_type = organization.closed_position
    positions.append(
        _plan_position(
            rng,
            title,
            role_type,
            status=Position.Status.CLOSED,
            created_before=timedelta(days=rng.randint(90, 150)),
        )
    )
    people, account_profile = plan_people(
        rng,
        organization.names,
        account_name=account_name,
        account_statuses=organization.account_statuses,
    )
    invitees = [
        plan_invitee(rng, number=len(people) + 1 + index, full_name=name, state=state, ttl=ttl)
        for index, (name, state) in enumerate(
            zip(organization.invitees, INVITEE_STATES, strict=True)
        )
    ]
    accept_invitation(account_profile.interviews[0], rng, ttl=ttl)
    if len(account_profile.interviews) == 1:
        account_profile.created_before = timedelta(0)  # created by the invitation
    for candidate in [*people, *invitees, account_profile]:
        for interview in candidate.interviews:
            interview.position = organization.positions[interview.role_type]
    return OrganizationPlan(
        slug=organization.slug,
        positions=positions,
        candidates=[*people, *invitees],
        account_profile=account_profile,
    )


def plan_demo(
    seed: int = 0, *, account_name: str = DEMO_CANDIDATE_NAME, ttl: timedelta
) -> list[OrganizationPlan]:
    """Plan every demo organization from `seed`; the account's name only changes texts."""
    return [
        plan_organization(organization, seed, account_name=account_name, ttl=ttl)
        for organization in DEMO_ORGANIZATION_PLANS
    ]
