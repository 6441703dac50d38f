from datetime import timedelta

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

# Soft-deletable models, purged in this order (a user's candidate profile goes first).
SOFT_DELETE_MODELS = ["interviews.Candidate", "accounts.User"]


class Command(BaseCommand):
    help = "Delete for real the rows soft-deleted more than --older-than DAYS ago."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS")
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")

    def handle(self, *args, older_than, dry_run, **options):
        if older_than < 0:
            raise CommandError("--older-than must be zero or more days.")
        cutoff = timezone.now() - timedelta(days=older_than)
        with transaction.atomic():
            for label in SOFT_DELETE_MODELS:
                try:
                    model = apps.get_model(label)
                except LookupError:
                    continue
                expired = model.all_objects.filter(deleted_at__lt=cutoff)
                count = expired.count()
                if not dry_run and count:
                    expired.delete()
                verb = "would delete" if dry_run else "deleted"
                self.stdout.write(f"{label}: {verb} {count}")
