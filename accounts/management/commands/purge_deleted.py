"""purge_deleted: remove soft-deleted rows (and their stored files) older than a cut-off: the
one given, or each organization's own retention."""

from collections import Counter
from datetime import datetime, timedelta

from django.apps import apps
from django.core.files.storage import Storage
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.deletion import Collector
from django.utils import timezone

from accounts.models import Organization

# Soft-deletable models, purged in this order (a user's candidate profile goes first).
SOFT_DELETE_MODELS = ["interviews.Candidate", "accounts.User"]


def stored_files(queryset: models.QuerySet) -> list[tuple[Storage, str]]:
    """Return the stored files of the rows that deleting `queryset` removes, cascades included.

    Django's own deletion collector finds the rows (a purged candidate's resumes, say); the
    files themselves are deleted once the deletion commits (interviews.signals).
    """
    collector = Collector(using=queryset.db, origin=queryset)
    collector.collect(queryset)
    files = []
    for model, rows in collector.data.items():
        fields = [
            field for field in model._meta.concrete_fields if isinstance(field, models.FileField)
        ]
        for row in rows:
            for field in fields:
                stored = getattr(row, field.attname)
                if stored:
                    files.append((field.storage, stored.name))
    return files


def retention_scopes(model, *, now: datetime, older_than: int | None) -> list[tuple[Q, datetime]]:
    """Return (rows, cut-off) pairs covering every row of `model`: one for all rows when
    `older_than` is given; else one per organization (its `retention_days`), and for rows of no
    organization (admins, candidate accounts) the retention of `default`."""
    if older_than is not None:
        return [(Q(), now - timedelta(days=older_than))]
    scopes = [
        (Q(organization_id=pk), now - timedelta(days=days))
        for pk, days in Organization.objects.values_list("pk", "retention_days")
    ]
    if model._meta.get_field("organization").null:
        default_days = Organization.objects.default().retention_days
        scopes.append((Q(organization__isnull=True), now - timedelta(days=default_days)))
    return scopes


class Command(BaseCommand):
    help = (
        "Delete for real the rows soft-deleted more than --older-than DAYS ago (default: each "
        "organization's retention_days), with what they cascade to and their stored files; "
        "report what was (or, with --dry-run, would be) removed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            help="One cut-off for every organization, instead of each one's retention_days.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")

    def handle(self, *args, older_than, dry_run, **options):
        if older_than is not None and older_than < 0:
            raise CommandError("--older-than must be zero or more days.")
        now = timezone.now()
        verb = "would delete" if dry_run else "deleted"
        files: list[tuple[Storage, str]] = []
        # A dry run deletes too, then rolls back: its counts are exactly those of a real run.
        with transaction.atomic():
            for label in SOFT_DELETE_MODELS:
                try:
                    model = apps.get_model(label)
                except LookupError:
                    continue
                per_model = Counter()
                for rows, cutoff in retention_scopes(model, now=now, older_than=older_than):
                    expired = model.all_objects.filter(rows, deleted_at__lt=cutoff)
                    files += stored_files(expired)
                    per_model.update(expired.delete()[1])
                cascaded = ", ".join(
                    f"{other} {count}"
                    for other, count in sorted(per_model.items())
                    if other != label and count
                )
                line = f"{label}: {verb} {per_model.get(label, 0)}"
                self.stdout.write(f"{line} (with {cascaded})" if cascaded else line)
            if dry_run:
                transaction.set_rollback(True)
        if dry_run:
            self.stdout.write(f"files: would delete {len(files)}")
            return
        # The deletion has committed, so the files are gone now; say so only for those that are.
        removed = sum(not storage.exists(name) for storage, name in files)
        self.stdout.write(f"files: deleted {removed} of {len(files)}")
