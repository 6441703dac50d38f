"""orphaned_files: list (or delete) stored resume files that no row refers to."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from interviews.models import Resume

RESUMES_FOLDER = "resumes"


def _stored_names(storage, folder: str):
    """Yield the name of every file under `folder` of `storage`, sub-folders included."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for child in folders:
        yield from _stored_names(storage, f"{folder}/{child}")


class Command(BaseCommand):
    help = (
        "List the files under MEDIA_ROOT/resumes/ that no resume row names (left by a database "
        "cascade run outside Django or a rolled-back upload); --delete removes them. Files "
        "younger than --min-age minutes are left alone: their upload may not have committed yet."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove the orphaned files.")
        parser.add_argument("--min-age", type=int, default=60, metavar="MINUTES")

    def handle(self, *args, delete, min_age, **options):
        if min_age < 0:
            raise CommandError("--min-age must be zero or more minutes.")
        storage = Resume._meta.get_field("file").storage
        # Every row, soft-deleted candidates' included: their files are not orphans.
        named = set(Resume.objects.exclude(file="").values_list("file", flat=True))
        cutoff = timezone.now() - timedelta(minutes=min_age)
        orphans, too_young = [], 0
        for name in _stored_names(storage, RESUMES_FOLDER):
            if name in named:
                continue
            if min_age and storage.get_modified_time(name) > cutoff:
                too_young += 1
                continue
            orphans.append(name)

        for name in orphans:
            self.stdout.write(name)
            if delete:
                storage.delete(name)
        verb = "deleted" if delete else "found"
        self.stdout.write(f"orphaned files: {verb} {len(orphans)}")
        if too_young:
            self.stdout.write(f"skipped {too_young} younger than {min_age} minutes")
        missing = sum(not storage.exists(name) for name in named)
        if missing:
            self.stdout.write(self.style.WARNING(f"resumes whose file is missing: {missing}"))
