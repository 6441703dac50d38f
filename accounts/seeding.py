"""The accounts' seed writer: the demo organizations and their accounts, and the load data's
organizations, through the services."""

from django.contrib.auth.hashers import make_password

from accounts import services
from accounts.models import Organization, User

Role = User.Role

DEFAULT_SLUG = Organization.DEFAULT_SLUG
ACME_SLUG = "acme"
# The demo's hiring teams: `default`, which a single-tenant deployment keeps using, and a second
# one, so that what one organization sees of the other (nothing) can be tried.
DEMO_ORGANIZATIONS = [(DEFAULT_SLUG, "Default"), (ACME_SLUG, "Acme Robotics")]

DEMO_RECRUITER_EMAIL = "recruiter@example.com"
DEMO_CANDIDATE_EMAIL = "candidate@example.com"
DEMO_CANDIDATE_NAME = "Cody Candidate"
# Each organization's recruiter: the author of the demo's transitions, positions, invitations.
DEMO_RECRUITERS = {DEFAULT_SLUG: DEMO_RECRUITER_EMAIL, ACME_SLUG: "recruiter@acme.example.com"}
# (email, full name, role, organization slug): one admin, an owner, a recruiter and an engine
# in each organization, and one candidate account, which interviews with both.
DEMO_ACCOUNTS = [
    ("admin@example.com", "Ada Admin", Role.ADMIN, None),
    ("owner@example.com", "Olive Owner", Role.OWNER, DEFAULT_SLUG),
    (DEMO_RECRUITER_EMAIL, "Rita Recruiter", Role.RECRUITER, DEFAULT_SLUG),
    ("engine@example.com", "Interview Engine", Role.ENGINE, DEFAULT_SLUG),
    ("owner@acme.example.com", "Oscar Owner", Role.OWNER, ACME_SLUG),
    (DEMO_RECRUITERS[ACME_SLUG], "Ravi Recruiter", Role.RECRUITER, ACME_SLUG),
    ("engine@acme.example.com", "Acme Interview Engine", Role.ENGINE, ACME_SLUG),
    (DEMO_CANDIDATE_EMAIL, DEMO_CANDIDATE_NAME, Role.CANDIDATE, None),
]


def seed_organizations(names: list[tuple[str, str]]) -> list[Organization]:
    """Return the organizations of `names` ((slug, name) pairs), creating the missing ones; an
    existing one is left as it is (renamed or suspended on purpose)."""
    slugs = [slug for slug, _name in names]
    existing = {org.slug: org for org in Organization.objects.filter(slug__in=slugs)}
    return [
        existing.get(slug) or services.organization_create(name=name, slug=slug)
        for slug, name in names
    ]


def load_organization_names(count: int) -> list[tuple[str, str]]:
    """The (slug, name) pairs the load data spreads over: `default`, then org-2 ... org-N."""
    return [(DEFAULT_SLUG, "Default")] + [
        (f"org-{number}", f"Load Organization {number}") for number in range(2, count + 1)
    ]


LOAD_STAFF = [(Role.OWNER, "Owner"), (Role.RECRUITER, "Recruiter"), (Role.ENGINE, "Engine")]


def _load_accounts(organizations: int) -> list[tuple[str, str, str, str]]:
    """The staff of the load organizations beyond `default` (which has the demo's)."""
    return [
        (f"{role.value}@{slug}.example.com", f"{name} {label}", role, slug)
        for slug, name in load_organization_names(organizations)[1:]
        for role, label in LOAD_STAFF
    ]


def seed_accounts(*, password: str, load_organizations: int = 1) -> list[User]:
    """Create the missing demo organizations and accounts, and the load organizations (when
    more than one) with an owner, a recruiter and an engine each; leave existing ones
    untouched. Return the accounts created.

    They share one password, so it is hashed once: one Argon2 hash (a third of a second) for
    all of them instead of one each, which the load's timing (docs/performance.md) includes.
    """
    slugs = DEMO_ORGANIZATIONS + load_organization_names(load_organizations)[1:]
    organizations = {org.slug: org for org in seed_organizations(slugs)}
    created = []
    for email, full_name, role, slug in DEMO_ACCOUNTS + _load_accounts(load_organizations):
        if not User.objects.with_email(email).exists():
            created.append(
                services.user_create(
                    email=email,
                    password=None,
                    full_name=full_name,
                    role=role,
                    organization=organizations[slug] if slug else None,
                )
            )
    if created:
        encoded = make_password(password)
        User.objects.filter(pk__in=[user.pk for user in created]).update(password=encoded)
        for user in created:
            user.password = encoded
    return created
