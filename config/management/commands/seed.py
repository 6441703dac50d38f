"""`manage.py seed`: the demo data or the load data, each app writing its own rows."""

import os
import secrets
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from accounts.seeding import seed_accounts
from config.seeding.demo import clear_seeded_domain_data, seed_demo_domain
from config.seeding.load import LoadPlan, seed_load_data


class Command(BaseCommand):
    help = (
        "Create demo data (two organizations, each with an owner, a recruiter and an engine, "
        "positions, candidates, interviews in every status with sessions, transcripts and "
        "assessments, invitations in every state; an admin and a candidate account interviewing "
        "with both), or load data with --candidates (spread over --organizations). Idempotent; "
        "reproducible with --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--candidates", type=int, help="Load data: this many candidates.")
        parser.add_argument("--interviews-per-candidate", type=int, default=1)
        parser.add_argument("--messages-per-interview", type=int, default=20)
        parser.add_argument(
            "--organizations",
            type=int,
            help="Load data: spread the candidates over this many organizations (default 1: "
            "all in `default`; then org-2 ... org-N, created with an owner, a recruiter and an "
            "engine each).",
        )
        parser.add_argument("--seed", type=int, default=0, help="Random seed (reproducible).")
        parser.add_argument(
            "--clear",
            action="store_true",
            help="First delete seeded domain data (demo and load candidates and everything "
            "under them). Accounts are kept.",
        )

    def handle(self, *args, **options):
        for name in ("candidates", "interviews_per_candidate", "messages_per_interview"):
            if options[name] is not None and options[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')} cannot be negative.")
        if options["organizations"] is not None:
            if options["candidates"] is None:
                raise CommandError("--organizations applies to load data (--candidates).")
            if options["organizations"] < 1:
                raise CommandError("--organizations is at least 1.")
        if options["clear"]:
            deleted = clear_seeded_domain_data()
            summary = ", ".join(f"{name} {count}" for name, count in deleted.items()) or "nothing"
            self.stdout.write(f"Cleared seeded domain data: {summary}.")
            if options["candidates"] is None:
                return
        organizations = options["organizations"] or 1
        self._seed_accounts(load_organizations=organizations)
        if options["candidates"] is None:
            created = seed_demo_domain(seed=options["seed"], stdout=self.stdout)
            self.stdout.write("Demo data: " + ", ".join(f"{k} {v}" for k, v in created.items()))
            return
        self._seed_load(options, organizations=organizations)

    def _seed_accounts(self, *, load_organizations: int) -> None:
        password = os.environ.get("SEED_PASSWORD") or secrets.token_urlsafe(12)
        with transaction.atomic():
            created = seed_accounts(password=password, load_organizations=load_organizations)
        for user in created:
            self.stdout.write(f"created {user.role:<10} {user.email}")
        if created and not os.environ.get("SEED_PASSWORD"):
            self.stdout.write(
                self.style.WARNING(f"Password of the new demo accounts (shown once): {password}")
            )

    def _seed_load(self, options, *, organizations: int) -> None:
        plan = LoadPlan(
            candidates=options["candidates"],
            interviews_per_candidate=options["interviews_per_candidate"],
            messages_per_interview=options["messages_per_interview"],
            seed=options["seed"],
            organizations=organizations,
        )
        interviews = plan.candidates * plan.interviews_per_candidate
        expected = interviews * (plan.messages_per_interview + 5) + plan.candidates
        with tqdm(total=expected, unit="rows", file=sys.stderr, disable=None) as bar:
            report = seed_load_data(plan, on_rows=bar.update)
        for table, count in report.rows.items():
            self.stdout.write(f"{table:<16} {count:>10}")
        rate = report.total_rows / report.seconds if report.seconds else 0.0
        self.stdout.write(
            f"{report.total_rows} rows in {report.seconds:.2f} s ({rate:,.0f} rows/s)"
        )
