"""Management commands: seed, unlock_user, purge_deleted, createsuperuser."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import AccessToken, Organization, User
from accounts.tests.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory
from interviews.models import Invitation

pytestmark = pytest.mark.django_db

# Each demo account: its role and its organization's slug (None: it belongs to none).
DEMO_ACCOUNTS = {
    "admin@example.com": ("admin", None),
    "owner@example.com": ("owner", "default"),
    "recruiter@example.com": ("recruiter", "default"),
    "engine@example.com": ("engine", "default"),
    "owner@acme.example.com": ("owner", "acme"),
    "recruiter@acme.example.com": ("recruiter", "acme"),
    "engine@acme.example.com": ("engine", "acme"),
    "candidate@example.com": ("candidate", None),
}
DEMO_EMAILS = set(DEMO_ACCOUNTS)


def accounts() -> dict[str, tuple[str, str | None]]:
    return {
        user.email: (user.role, user.organization.slug if user.organization else None)
        for user in User.objects.select_related("organization")
    }


def run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


def login(email: str, password: str):
    return APIClient().post(reverse("auth-login"), {"email": email, "password": password})


# --- seed -------------------------------------------------------------------------------------


def test_seed_creates_the_staff_of_two_organizations_and_is_idempotent(monkeypatch):
    monkeypatch.delenv("SEED_PASSWORD", raising=False)
    run("seed")
    first = {user.email: user.pk for user in User.objects.all()}
    organizations = set(Organization.objects.values_list("pk", "slug", "name"))
    second_output = run("seed")
    assert accounts() == DEMO_ACCOUNTS
    assert {user.email: user.pk for user in User.objects.all()} == first
    assert set(Organization.objects.values_list("pk", "slug", "name")) == organizations
    assert {slug for _pk, slug, _name in organizations} == {"default", "acme"}
    assert "Password" not in second_output
    assert "nothing to do" in second_output


def test_seed_keeps_an_existing_organization_as_it_is(monkeypatch):
    monkeypatch.setenv("SEED_PASSWORD", "from-the-environment-42")
    acme = OrganizationFactory(slug="acme", name="Acme Renamed")
    run("seed")
    acme.refresh_from_db()
    assert acme.name == "Acme Renamed"
    assert Organization.objects.filter(slug="acme").count() == 1
    assert User.objects.get(email="recruiter@acme.example.com").organization == acme


def test_seed_prints_the_generated_password_once_and_it_works(monkeypatch):
    monkeypatch.delenv("SEED_PASSWORD", raising=False)
    output = run("seed")
    printed = re.findall(r"\(shown once\): (\S+)", output)
    assert len(printed) == 1
    password = printed[0]
    assert len(password) >= 12
    for email in DEMO_EMAILS:
        assert login(email, password).status_code == 200, email
    assert password not in run("seed")


def test_seed_generates_a_different_password_each_time(monkeypatch):
    monkeypatch.delenv("SEED_PASSWORD", raising=False)
    first = re.search(r"\(shown once\): (\S+)", run("seed")).group(1)
    User.all_objects.all().delete()
    second = re.search(r"\(shown once\): (\S+)", run("seed")).group(1)
    assert first != second


def test_seed_uses_seed_password_and_does_not_print_it(monkeypatch):
    monkeypatch.setenv("SEED_PASSWORD", "from-the-environment-42")
    output = run("seed")
    assert "from-the-environment-42" not in output
    for email in DEMO_EMAILS:
        assert login(email, "from-the-environment-42").status_code == 200, email


def test_seed_leaves_existing_demo_accounts_untouched(monkeypatch):
    monkeypatch.setenv("SEED_PASSWORD", "from-the-environment-42")
    existing = UserFactory(email="admin@example.com", role=User.Role.ADMIN, full_name="Kept Name")
    run("seed")
    existing.refresh_from_db()
    assert existing.full_name == "Kept Name"
    assert existing.check_password(DEFAULT_PASSWORD)
    assert User.objects.count() == len(DEMO_ACCOUNTS)


def test_seed_hashes_the_shared_password_once_for_every_account(monkeypatch):
    monkeypatch.setenv("SEED_PASSWORD", "from-the-environment-42")
    run("seed", "--candidates", "3", "--organizations", "3", "--messages-per-interview", "0")
    assert User.objects.count() == len(DEMO_ACCOUNTS) + 2 * 3
    assert User.objects.values("password").distinct().count() == 1
    for email in ("recruiter@org-3.example.com", "owner@acme.example.com", "admin@example.com"):
        assert login(email, "from-the-environment-42").status_code == 200, email


def test_seed_prints_the_pending_invitations_tokens_and_they_can_be_accepted(monkeypatch):
    monkeypatch.setenv("SEED_PASSWORD", "from-the-environment-42")
    output = run("seed")
    tokens = re.findall(r"pending invitation of (\S+): accept it with the token (\S+)", output)
    assert [email for email, _token in tokens] == [
        "demo.elena-petrova@example.com",
        "demo.noah-fischer@example.com",
    ]
    email, token = tokens[1]
    preview = APIClient().post(reverse("auth-invitation"), {"token": token})
    assert preview.status_code == 200
    assert preview.json() == {
        "organization_name": "Acme Robotics",
        "position_title": Invitation.objects.get(email=email).position.title,
        "email": email,
        "account_exists": False,
    }
    accepted = APIClient().post(
        reverse("auth-invitation-accept"), {"token": token, "password": "a-new-passphrase-77"}
    )
    assert accepted.status_code == 200, accepted.json()
    assert login("demo.noah-fischer@example.com", "a-new-passphrase-77").status_code == 200
    assert "token" not in run("seed")


# --- unlock_user ------------------------------------------------------------------------------


def test_unlock_user_resets_the_lockout_whatever_the_email_case():
    user = UserFactory(
        email="stuck@example.com",
        failed_login_attempts=6,
        locked_until=timezone.now() + timedelta(minutes=10),
    )
    output = run("unlock_user", "STUCK@Example.com")
    assert "stuck@example.com" in output
    user.refresh_from_db()
    assert (user.failed_login_attempts, user.locked_until) == (0, None)
    assert login("stuck@example.com", DEFAULT_PASSWORD).status_code == 200


def test_unlock_user_with_an_unknown_email_fails_but_clears_cached_failures(settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    for _ in range(2):
        login("ghost@example.com", "wrong-password")
    assert login("ghost@example.com", "wrong-password").status_code == 429
    with pytest.raises(CommandError, match=re.escape("ghost@example.com")):
        run("unlock_user", "ghost@example.com")
    assert login("ghost@example.com", "wrong-password").status_code == 401


# --- purge_deleted ----------------------------------------------------------------------------


@pytest.fixture
def deleted_users():
    """A user deleted 40 days ago, one deleted yesterday, and a live one."""
    now = timezone.now()
    old = UserFactory(email="old@example.com")
    recent = UserFactory(email="recent@example.com")
    live = UserFactory(email="live@example.com")
    services.token_issue(user=old)
    services.user_soft_delete(user=old)
    services.user_soft_delete(user=recent)
    User.all_objects.filter(pk=old.pk).update(deleted_at=now - timedelta(days=40))
    User.all_objects.filter(pk=recent.pk).update(deleted_at=now - timedelta(days=1))
    return old, recent, live


def test_purge_deleted_dry_run_counts_and_removes_nothing(deleted_users):
    output = run("purge_deleted", "--older-than", "30", "--dry-run")
    assert "accounts.User: would delete 1" in output
    assert User.all_objects.count() == 3


def test_purge_deleted_removes_only_rows_deleted_before_the_cutoff(deleted_users):
    old, recent, live = deleted_users
    output = run("purge_deleted", "--older-than", "30")
    assert "accounts.User: deleted 1" in output
    assert set(User.all_objects.all()) == {recent, live}
    assert not AccessToken.objects.filter(user_id=old.pk).exists()


def test_purge_deleted_with_zero_days_removes_every_deleted_row(deleted_users):
    _old, _recent, live = deleted_users
    run("purge_deleted", "--older-than", "0")
    assert list(User.all_objects.all()) == [live]


def test_purge_deleted_refuses_a_negative_retention(deleted_users):
    with pytest.raises(CommandError):
        run("purge_deleted", "--older-than", "-1")
    assert User.all_objects.count() == 3


# --- createsuperuser --------------------------------------------------------------------------


def test_createsuperuser_noinput_creates_an_admin_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Root@Example.COM")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "root-passphrase-99")
    monkeypatch.setenv("DJANGO_SUPERUSER_FULL_NAME", "Root Person")
    run("createsuperuser", "--noinput")
    user = User.objects.get()
    assert user.email == "root@example.com"
    assert user.full_name == "Root Person"
    assert (user.role, user.is_staff, user.is_superuser) == ("admin", True, True)
    assert user.account_status == User.AccountStatus.ACTIVE
    assert login("root@example.com", "root-passphrase-99").status_code == 200


def test_createsuperuser_noinput_refuses_a_taken_email(monkeypatch):
    UserFactory(email="root@example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "ROOT@example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "root-passphrase-99")
    monkeypatch.setenv("DJANGO_SUPERUSER_FULL_NAME", "Root Person")
    with pytest.raises(CommandError, match="already exists"):
        run("createsuperuser", "--noinput")
    assert User.all_objects.count() == 1
