"""The seed's orchestration: plan the demo, have each app write its rows, clear seeded data."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization, User
from accounts.seeding import (
    DEMO_CANDIDATE_EMAIL,
    DEMO_CANDIDATE_NAME,
    DEMO_ORGANIZATIONS,
    DEMO_RECRUITERS,
    seed_organizations,
)
from assessments.seeding import write_assessment
from config.seeding.load import LOAD_EMAIL_DOMAIN
from config.seeding.organizations import OrganizationPlan, demo_positions, plan_demo
from interviews import services
from interviews.models import Candidate, Interview, Invitation, Position
from interviews.seeding import CandidatePlan, write_candidate, write_position

Status = Interview.Status
COUNTED = ["positions", "candidates", "resumes", "interviews", "messages", "assessments"]


def _write_demo_candidate(
    plan: CandidatePlan,
    *,
    organization: Organization,
    by: User | None,
    now: datetime,
    user: User | None,
    positions: dict[str, Position],
) -> tuple[dict[str, int], list[tuple[Invitation, str]]]:
    """Write one planned candidate: its interview rows and invitations, then the assessments
    of its completed interviews, two minutes after each ended."""
    written = write_candidate(
        plan, organization=organization, by=by, now=now, user=user, positions=positions
    )
    counts = {**written.counts, "assessments": 0}
    for interview_plan, interview, times in written.interviews:  # DemoInterviewPlans
        if interview_plan.assessment is not None:
            write_assessment(
                interview=interview,
                fields=interview_plan.assessment,
                generated_at=times[Status.COMPLETED] + timedelta(minutes=2),
            )
            counts["assessments"] += 1
    return counts, written.invitations


def _seed_organization(
    plan: OrganizationPlan, organization: Organization, *, account: User | None, now, report
) -> dict[str, int]:
    """Write what of one organization's plan is missing; return the counts of new rows."""
    totals = dict.fromkeys([*COUNTED, "invitations"], 0)
    recruiter = DEMO_RECRUITERS.get(plan.slug, "")
    by = User.objects.with_email(recruiter).filter(organization=organization).first()

    positions = {
        position.title: position
        for position in Position.objects.filter(
            organization=organization, title__in=[p.title for p in plan.positions]
        )
    }
    for position_plan in plan.positions:
        if position_plan.title not in positions:
            positions[position_plan.title] = write_position(
                position_plan, organization=organization, by=by, now=now
            )
            totals["positions"] += 1

    # Soft-deleted candidates count as existing: someone removed them on purpose.
    existing = set(
        Candidate.all_objects.filter(
            organization=organization, email__in=[p.email for p in plan.candidates]
        ).values_list("email", flat=True)
    )
    to_write = [(p, None) for p in plan.candidates if p.email not in existing]
    if (
        account is not None
        and not Candidate.all_objects.filter(user=account, organization=organization).exists()
    ):
        unlinked = Candidate.objects.filter(organization=organization, email=account.email).first()
        if unlinked is None:
            to_write.append((plan.account_profile, account))
        elif unlinked.user_id is None:
            # A recruiter created this person before the account existed: the seed vouches
            # for its own demo account and links it rather than duplicate (signing up never
            # links: interviews.services.candidate_register).
            services.candidate_update(candidate=unlinked, user=account)
            report(f"linked {account.email} to its existing candidate profile in {plan.slug}")

    for candidate_plan, user in to_write:
        counts, invitations = _write_demo_candidate(
            candidate_plan,
            organization=organization,
            by=by,
            now=now,
            user=user,
            positions=positions,
        )
        for name, number in counts.items():
            totals[name] += number
        report(
            f"created candidate {candidate_plan.email} in {plan.slug}: "
            f"{counts['interviews']} interviews, {counts['messages']} messages"
        )
        for invitation, token in invitations:
            if invitation.current_status == Invitation.Status.PENDING:
                report(
                    f"  pending invitation of {invitation.email}: accept it with the token {token}"
                )
    return totals


def seed_demo_domain(*, seed: int = 0, stdout=None) -> dict[str, int]:
    """Create the missing demo data of every demo organization (positions, candidates with
    their resumes, interviews, transcripts, assessments and invitations); return how many
    rows of each kind were created (zeros when all exist).

    A live candidate account `candidate@example.com` without a profile in an organization gets
    one there, with its own interviews and accepted invitations, so the candidate portal shows
    interviews with both organizations.
    """
    totals = dict.fromkeys([*COUNTED, "invitations"], 0)

    def report(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    with transaction.atomic():
        now = timezone.now()
        organizations = seed_organizations(DEMO_ORGANIZATIONS)
        account = (
            User.objects.with_email(DEMO_CANDIDATE_EMAIL).filter(role=User.Role.CANDIDATE).first()
        )
        # The account's name only changes texts, never what the generator draws.
        plans = plan_demo(
            seed,
            account_name=account.full_name if account else DEMO_CANDIDATE_NAME,
            ttl=settings.INVITATION_TTL,
        )
        for plan, organization in zip(plans, organizations, strict=True):
            written = _seed_organization(
                plan, organization, account=account, now=now, report=report
            )
            for name, number in written.items():
                totals[name] += number
    if not any(totals.values()):
        report("Demo data already exists; nothing to do.")
    return totals


def clear_seeded_domain_data() -> dict[str, int]:
    """Delete every seeded candidate (load, demo, and the demo candidate account's profiles)
    and, by cascade, all rows under them, and the demo positions. Accounts and organizations
    are kept."""
    seeded = Candidate.all_objects.filter(
        Q(email__endswith=f"@{LOAD_EMAIL_DOMAIN}")
        | Q(email__startswith="demo.", email__endswith="@example.com")
        | Q(email=DEMO_CANDIDATE_EMAIL)
    )
    with transaction.atomic():
        _total, per_model = seeded.delete()
        deleted = {label.rsplit(".", 1)[-1]: count for label, count in per_model.items()}
        # The demo's positions (not a look-alike of a team's own), unless a kept interview
        # is held for one.
        demo = Q(pk__in=[])
        for slug, title, description in demo_positions():
            demo |= Q(organization__slug=slug, title=title, description=description)
        positions = Position.objects.filter(demo, interviews__isnull=True)
        _total, per_model = positions.delete()
    for label, count in per_model.items():
        name = label.rsplit(".", 1)[-1]
        deleted[name] = deleted.get(name, 0) + count
    return deleted
