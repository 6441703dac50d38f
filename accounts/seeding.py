"""The accounts' seed writer: the demo accounts, one per role, through the service."""

from accounts import services
from accounts.models import User

DEMO_RECRUITER_EMAIL = "recruiter@example.com"
DEMO_CANDIDATE_EMAIL = "candidate@example.com"
DEMO_CANDIDATE_NAME = "Cody Candidate"
DEMO_ACCOUNTS = [
    ("admin@example.com", "Ada Admin", User.Role.ADMIN),
    (DEMO_RECRUITER_EMAIL, "Rita Recruiter", User.Role.RECRUITER),
    ("engine@example.com", "Interview Engine", User.Role.ENGINE),
    (DEMO_CANDIDATE_EMAIL, DEMO_CANDIDATE_NAME, User.Role.CANDIDATE),
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
