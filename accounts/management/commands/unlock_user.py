"""unlock_user: end an email's lockout and reset its failure counter."""

from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import User


class Command(BaseCommand):
    help = "End the lockout of an email and reset its failure counter."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.with_email(email).first()
        services.unknown_email_unlock(email=email)
        if user is None:
            raise CommandError(f"No live user has the email {email!r} (cached failures cleared).")
        services.user_unlock(user=user)
        self.stdout.write(self.style.SUCCESS(f"Unlocked {user.email}."))
