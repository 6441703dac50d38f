"""Accounts in the admin, in a real browser: an admin unlocks and restores users, a recruiter
cannot reach the user admin, a locked-out account cannot log in."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from accounts import services
from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]


def run_action(browser, action: str, users: list[User], name: str) -> None:
    for user in users:
        browser.find(f'input.action-select[value="{user.pk}"]').click()
    browser.choose('select[name="action"]', action)
    browser.click('button[name="index"]', name)


def test_admin_unlocks_a_locked_user_and_restores_a_deleted_one(browser):
    admin = UserFactory(role=User.Role.ADMIN, email="boss@example.com")
    locked = UserFactory(
        email="locked@example.com",
        failed_login_attempts=5,
        locked_until=timezone.now() + timedelta(minutes=15),
    )
    deleted = services.user_soft_delete(user=UserFactory(email="deleted@example.com"))

    browser.log_in(admin.email)
    assert "locked@example.com" in browser.text("#dashboard-locked")

    browser.click("#dashboard-locked caption a", "locked-users")
    assert [cell.text for cell in browser.find_all("#result_list tbody th a")] == [locked.email]
    run_action(browser, "unlock_selected", [locked], "unlocked")
    assert browser.messages() == ["Unlocked 1 user(s)."]
    locked.refresh_from_db()
    assert (locked.failed_login_attempts, locked.locked_until) == (0, None)

    browser.visit("/admin/accounts/user/?deleted=yes", "deleted-users")
    assert [cell.text for cell in browser.find_all("#result_list tbody th a")] == [deleted.email]
    run_action(browser, "restore_selected", [deleted], "restored")
    assert browser.messages() == ["Restored 1."]
    deleted.refresh_from_db()
    assert deleted.deleted_at is None and deleted.is_active

    browser.visit("/admin/accounts/user/", "live-users")
    listed = {cell.text for cell in browser.find_all("#result_list tbody th a")}
    assert {"deleted@example.com", "locked@example.com", "boss@example.com"} <= listed


def test_recruiter_cannot_reach_the_user_admin(browser, recruiters_group):
    recruiter = UserFactory(role=User.Role.RECRUITER, email="rita@example.com")
    browser.log_in(recruiter.email)
    assert browser.path == "/admin/"
    assert not browser.find_all('a[href="/admin/accounts/user/"]')
    assert browser.find_all('a[href="/admin/interviews/candidate/"]')
    browser.visit("/admin/accounts/user/", "user-admin-forbidden")
    assert "403 Forbidden" in browser.text("body")
    browser.visit(f"/admin/accounts/user/{recruiter.pk}/change/", "own-account-forbidden")
    assert "403 Forbidden" in browser.text("body")


def test_locked_out_account_cannot_log_into_the_admin(browser):
    admin = UserFactory(role=User.Role.ADMIN, email="boss@example.com")
    for attempt in range(settings.LOGIN_FAILURE_LIMIT):
        browser.log_in(admin.email, "not-the-password")
        assert "Please enter the correct" in browser.text(".errornote"), attempt
    browser.log_in(admin.email)
    assert browser.path.startswith("/admin/login/")
    assert "Too many failed logins" in browser.text(".errornote")
    browser.visit("/admin/", "still-logged-out")
    assert browser.path.startswith("/admin/login/")
    admin.refresh_from_db()
    assert admin.is_locked()
