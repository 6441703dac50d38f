"""The user admin: changelist filters, add and change pages, soft delete, actions, lockout."""

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import AccessToken, User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:accounts_user_changelist"


def changelist(admin_site: Client, **params):
    response = admin_site.get(reverse(CHANGELIST), params)
    assert response.status_code == 200
    return response


def listed(response) -> set[str]:
    return {user.email for user in response.context["cl"].result_list}


def run_action(admin_site: Client, action: str, users: list[User], query: str = ""):
    return admin_site.post(
        reverse(CHANGELIST) + query,
        {"action": action, ACTION_CHECKBOX_NAME: [str(user.pk) for user in users], "index": 0},
    )


# --- changelist -------------------------------------------------------------------------------


def test_changelist_shows_live_users_by_default(admin_site):
    live = UserFactory(email="live@example.com")
    UserFactory(email="gone@example.com", deleted_at=timezone.now())
    response = changelist(admin_site)
    assert listed(response) == {"boss@example.com", live.email}
    assert "live@example.com" in response.content.decode()


def test_changelist_deleted_filter_shows_deleted_or_all(admin_site):
    UserFactory(email="live@example.com")
    UserFactory(email="gone@example.com", deleted_at=timezone.now())
    assert listed(changelist(admin_site, deleted="yes")) == {"gone@example.com"}
    assert listed(changelist(admin_site, deleted="all")) == {
        "boss@example.com",
        "live@example.com",
        "gone@example.com",
    }
    assert listed(changelist(admin_site, deleted="no")) == {"boss@example.com", "live@example.com"}


def test_changelist_locked_filter(admin_site):
    now = timezone.now()
    UserFactory(email="locked@example.com", locked_until=now + timedelta(minutes=5))
    UserFactory(email="expired@example.com", locked_until=now - timedelta(minutes=5))
    assert listed(changelist(admin_site, locked="yes")) == {"locked@example.com"}
    assert listed(changelist(admin_site, locked="no")) == {
        "boss@example.com",
        "expired@example.com",
    }


@pytest.mark.parametrize("role", User.Role.values)
def test_changelist_role_filter(admin_site, role):
    for each in User.Role.values:
        UserFactory(email=f"{each}-person@example.com", role=each)
    expected = {f"{role}-person@example.com"} | (
        {"boss@example.com"} if role == User.Role.ADMIN else set()
    )
    assert listed(changelist(admin_site, role__exact=role)) == expected


def test_changelist_search_and_status_filter(admin_site):
    UserFactory(email="findme@example.com", account_status=User.AccountStatus.SUSPENDED)
    UserFactory(email="other@example.com")
    assert listed(changelist(admin_site, q="findme")) == {"findme@example.com"}
    assert listed(changelist(admin_site, account_status__exact="suspended")) == {
        "findme@example.com"
    }


# --- add and change ---------------------------------------------------------------------------


def test_add_page_renders(admin_site):
    response = admin_site.get(reverse("admin:accounts_user_add"))
    assert response.status_code == 200
    assert 'name="password1"' in response.content.decode()


def test_add_page_creates_a_user_with_a_normalised_email(admin_site):
    response = admin_site.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "  Added@Example.COM ",
            "full_name": "Added Person",
            "role": "recruiter",
            "account_status": "active",
            "password1": "admin-made-passphrase",
            "password2": "admin-made-passphrase",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(email="added@example.com")
    assert (user.role, user.is_staff, user.is_superuser) == ("recruiter", True, False)
    assert user.check_password("admin-made-passphrase")


def test_add_page_refuses_a_live_email_in_another_case(admin_site):
    UserFactory(email="taken@example.com")
    response = admin_site.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "TAKEN@example.com",
            "full_name": "Second Person",
            "role": "candidate",
            "account_status": "active",
            "password1": "admin-made-passphrase",
            "password2": "admin-made-passphrase",
        },
    )
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    assert User.all_objects.filter(email="taken@example.com").count() == 1


def change_form(user: User, **changes) -> dict:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "timezone": user.timezone,
        "language": user.language,
        "role": user.role,
        "account_status": user.account_status,
        **changes,
    }


def test_change_page_renders(admin_site):
    user = UserFactory()
    response = admin_site.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200
    assert user.email in response.content.decode()


def test_change_page_of_a_deleted_user_renders(admin_site):
    user = UserFactory(deleted_at=timezone.now())
    response = admin_site.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200


def test_change_page_saves_role_and_profile(admin_site):
    user = UserFactory(role=User.Role.CANDIDATE)
    response = admin_site.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        change_form(user, role="admin", full_name="Now In Charge", email="NEW@Example.com"),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert (user.role, user.is_staff, user.is_superuser) == ("admin", True, True)
    assert user.full_name == "Now In Charge"
    assert user.email == "new@example.com"


def test_change_page_refuses_an_invalid_time_zone(admin_site):
    user = UserFactory()
    response = admin_site.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        change_form(user, timezone="Mars/Olympus"),
    )
    assert response.status_code == 200
    assert "timezone" in response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.timezone == "UTC"


def test_suspending_on_the_change_page_revokes_tokens(admin_site):
    user = UserFactory()
    services.token_issue(user=user)
    response = admin_site.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        change_form(user, account_status="suspended"),
    )
    assert response.status_code == 302
    assert not AccessToken.objects.filter(user=user).exists()


# --- delete, restore, unlock ------------------------------------------------------------------


def test_delete_page_soft_deletes(admin_site):
    user = UserFactory()
    services.token_issue(user=user)
    url = reverse("admin:accounts_user_delete", args=[user.pk])
    assert admin_site.get(url).status_code == 200
    response = admin_site.post(url, {"post": "yes"})
    assert response.status_code == 302
    row = User.all_objects.get(pk=user.pk)
    assert row.deleted_at is not None
    assert not row.is_active
    assert not AccessToken.objects.filter(user=user).exists()


def test_delete_page_refuses_the_current_admins_own_account(admin_site, staff_admin):
    url = reverse("admin:accounts_user_delete", args=[staff_admin.pk])
    assert admin_site.get(url).status_code == 403
    assert admin_site.post(url, {"post": "yes"}).status_code == 403
    staff_admin.refresh_from_db()
    assert staff_admin.deleted_at is None
    assert admin_site.get(reverse("admin:index")).status_code == 200


def test_bulk_delete_action_soft_deletes_and_spares_the_current_admin(admin_site, staff_admin):
    first, second = UserFactory(), UserFactory()
    bystander = UserFactory()
    response = admin_site.post(
        reverse(CHANGELIST),
        {
            "action": "delete_selected",
            ACTION_CHECKBOX_NAME: [str(first.pk), str(second.pk), str(staff_admin.pk)],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert set(User.all_objects.deleted()) == {first, second}
    assert User.objects.filter(pk__in=[staff_admin.pk, bystander.pk]).count() == 2


def test_bulk_delete_confirmation_page_renders(admin_site):
    user = UserFactory()
    response = run_action(admin_site, "delete_selected", [user])
    assert response.status_code == 200
    assert user.email in response.content.decode()
    assert User.objects.filter(pk=user.pk).exists()


def test_restore_action_brings_deleted_users_back(admin_site):
    first, second = UserFactory(), UserFactory()
    services.user_soft_delete(user=first)
    services.user_soft_delete(user=second)
    response = run_action(admin_site, "restore_selected", [first, second], "?deleted=yes")
    assert response.status_code == 302
    assert set(User.objects.filter(pk__in=[first.pk, second.pk])) == {first, second}
    assert all(user.is_active for user in User.objects.filter(pk__in=[first.pk, second.pk]))


def test_restore_action_skips_users_whose_email_is_live_again(admin_site):
    deleted = UserFactory(email="wanted@example.com")
    services.user_soft_delete(user=deleted)
    UserFactory(email="wanted@example.com")
    response = run_action(admin_site, "restore_selected", [deleted], "?deleted=yes")
    assert response.status_code == 302
    deleted.refresh_from_db()
    assert deleted.deleted_at is not None
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("wanted@example.com" in message for message in messages)


def test_unlock_action_resets_lockouts(admin_site):
    locked = UserFactory(
        failed_login_attempts=9, locked_until=timezone.now() + timedelta(minutes=5)
    )
    response = run_action(admin_site, "unlock_selected", [locked])
    assert response.status_code == 302
    locked.refresh_from_db()
    assert (locked.failed_login_attempts, locked.locked_until) == (0, None)


# --- admin login ------------------------------------------------------------------------------


def admin_login(email: str, password: str):
    return Client().post(
        reverse("admin:login"), {"username": email, "password": password, "next": "/admin/"}
    )


def test_admin_login_with_the_right_password_gets_in(staff_admin):
    response = admin_login("BOSS@example.com", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_admin_login_is_locked_out_like_the_api(settings, staff_admin):
    settings.LOGIN_FAILURE_LIMIT = 3
    for _ in range(3):
        response = admin_login(staff_admin.email, "wrong-password")
        assert response.status_code == 200
        assert "Too many failed logins" not in response.content.decode()
    response = admin_login(staff_admin.email, DEFAULT_PASSWORD)
    assert response.status_code == 200
    assert "Too many failed logins" in response.content.decode()
    staff_admin.refresh_from_db()
    assert staff_admin.is_locked()


def test_admin_and_api_failures_share_one_counter(settings, staff_admin):
    settings.LOGIN_FAILURE_LIMIT = 2
    admin_login(staff_admin.email, "wrong-password")
    Client().post(
        reverse("auth-login"),
        {"email": staff_admin.email, "password": "wrong-password"},
        content_type="application/json",
    )
    response = admin_login(staff_admin.email, DEFAULT_PASSWORD)
    assert "Too many failed logins" in response.content.decode()


def test_candidate_cannot_log_into_the_admin():
    candidate = UserFactory(role=User.Role.CANDIDATE)
    response = admin_login(candidate.email, DEFAULT_PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in response.wsgi_request.session


def test_recruiter_reaches_the_admin_index_but_not_the_user_changelist():
    recruiter = UserFactory(role=User.Role.RECRUITER)
    client = Client()
    client.force_login(recruiter)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403


def test_admin_session_ends_when_the_account_is_soft_deleted(admin_site, staff_admin):
    assert admin_site.get(reverse("admin:index")).status_code == 200
    other_admin = UserFactory(role=User.Role.ADMIN)  # the last active admin is never deleted
    services.user_soft_delete(user=staff_admin, by=other_admin)
    response = admin_site.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
