import os
import secrets

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import services
from accounts.models import User

DEMO_ACCOUNTS = [
    ("admin@example.com", "Ada Admin", User.Role.ADMIN),
    ("recruiter@example.com", "Rita Recruiter", User.Role.RECRUITER),
    ("engine@example.com", "Interview Engine", User.Role.ENGINE),
    ("candidate@example.com", "Cody Candidate", User.Role.CANDIDATE),
]


def seed_accounts(*, password: str) -> list[User]:
    """Create the missing demo accounts (one per role); leave existing ones untouched."""
    created = []
    for email, full_name, role in DEMO_ACCOUNTS:
        if not User.objects.with_email(email).exists():
            created.append(
                services.user_create(email=email, password=password, full_name=full_name, role=role)
            )
    return created


class Command(BaseCommand):
    help = "Create demo data: one account per role (idempotent)."

    def handle(self, *args, **options):
        password = os.environ.get("SEED_PASSWORD") or secrets.token_urlsafe(12)
        with transaction.atomic():
            created = seed_accounts(password=password)
        for user in created:
            self.stdout.write(f"created {user.role:<10} {user.email}")
        if created and not os.environ.get("SEED_PASSWORD"):
            self.stdout.write(
                self.style.WARNING(f"Password of the new demo accounts (shown once): {password}")
            )
        if not created:
            self.stdout.write("Demo accounts already exist; nothing to do.")
