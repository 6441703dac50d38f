"""The seed's orchestration: plan the demo, have each app write its rows, clear seeded data."""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.seeding import DEMO_CANDIDATE_EMAIL, DEMO_CANDIDATE_NAME, DEMO_RECRUITER_EMAIL
from assessments.seeding import write_assessment
from config.seeding.load import LOAD_EMAIL_DOMAIN
from config.seeding.plan import plan_demo_domain
from interviews import services
from interviews.models import Candidate, Interview
from interviews.seeding import CandidatePlan, write_candidate

Status = Interview.Status


def _write_demo_candidate(
    plan: CandidatePlan, *, by: User | None, now: datetime, user: User | None
) -> dict[str, int]:
    """Write one planned candidate: its interview rows, then the assessments of its completed
    interviews, two minutes after each ended."""
    written = write_candidate(plan, by=by, now=now, user=user)
    counts = {**written.counts, "assessments": 0}
    for interview_plan, interview, times in written.interviews:  # DemoInterviewPlans
        if interview_plan.assessment is not None:
            write_assessment(
                interview=interview,
                fields=interview_plan.assessment,
                generated_at=times[Status.COMPLETED] + timedelta(minutes=2),
            )
            counts["assessments"] += 1
    return counts


def seed_demo_domain(*, seed: int = 0, stdout=None) -> dict[str, int]:
    """Create the missing demo candidates with their resumes, interviews, transcripts and
    assessments; return how many rows of each kind were created (zeros when all exist).

    A live candidate account `candidate@example.com` without a profile gets one, with its own
    interviews, so the candidate portal has something to show.
    """
    totals = {"candidates": 0, "resumes": 0, "interviews": 0, "messages": 0, "assessments": 0}

    def report(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    with transaction.atomic():
        now = timezone.now()
        by = User.objects.with_email(DEMO_RECRUITER_EMAIL).first()
        account = (
            User.objects.with_email(DEMO_CANDIDATE_EMAIL).filter(role=User.Role.CANDIDATE).first()
        )
        # The account's name only changes texts, never what the generator draws.
        candidates, account_profile = plan_demo_domain(
            seed, account_name=account.full_name if account else DEMO_CANDIDATE_NAME
        )
        # Soft-deleted candidates count as existing: someone removed them on purpose.
        existing = set(
            Candidate.all_objects.filter(email__in=[plan.email for plan in candidates]).values_list(
                "email", flat=True
            )
        )
        to_write = [(plan, None) for plan in candidates if plan.email not in existing]

        if account is not None and not Candidate.all_objects.filter(user=account).exists():
            unlinked = Candidate.objects.filter(email=account.email).first()
            if unlinked is None:
                to_write.append((account_profile, account))
            elif unlinked.user_id is None:
                # A recruiter created this person before the account existed: the seed vouches
                # for its own demo account and links it rather than duplicate (signing up never
                # links: interviews.services.candidate_register).
                services.candidate_update(candidate=unlinked, user=account)
                report(f"linked {account.email} to its existing candidate profile")

        for plan, user in to_write:
            written = _write_demo_candidate(plan, by=by, now=now, user=user)
            for name, number in written.items():
                totals[name] += number
            report(
                f"created candidate {plan.email}: {written['interviews']} interviews, "
                f"{written['messages']} messages"
            )
    if not to_write:
        report("Demo candidates already exist; nothing to do.")
    return totals


def clear_seeded_domain_data() -> dict[str, int]:
    """Delete every seeded candidate (load, demo, and the demo candidate account's profile)
    and, by cascade, all rows under them. Accounts are kept."""
    seeded = Candidate.all_objects.filter(
        Q(email__endswith=f"@{LOAD_EMAIL_DOMAIN}")
        | Q(email__startswith="demo.", email__endswith="@example.com")
        | Q(email=DEMO_CANDIDATE_EMAIL)
    )
    _total, per_model = seeded.delete()
    return {label.rsplit(".", 1)[-1]: count for label, count in per_model.items()}
