"""The users endpoints (admins only): list, search, create, update, soft delete, restore, unlock."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import AccessToken, User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from conftest import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.pgbouncer]

NEW_USER = {
    "email": "Hired@Example.com",
    "password": "a-sturdy-passphrase-7",
    "full_name": "Hired Person",
    "role": "recruiter",
}


def login(email: str, password: str = DEFAULT_PASSWORD):
    return APIClient().post(reverse("auth-login"), {"email": email, "password": password})


def detail(user: User) -> str:
    return reverse("user-detail", args=[user.pk])


def emails(response) -> list[str]:
    return [row["email"] for row in response.json()["results"]]


# --- list and retrieve ------------------------------------------------------------------------


def test_list_is_paginated_and_shows_live_users_without_passwords(admin_api):
    UserFactory.create_batch(5)
    UserFactory(email="gone@example.com", deleted_at=timezone.now())
    response = admin_api.get(
        reverse("user-list")
    )  # query counts: config/tests/test_list_queries.py
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 6  # five plus the admin
    assert "gone@example.com" not in emails(response)
    for row in body["results"]:
        assert "password" not in row
        assert {"role", "account_status", "failed_login_attempts", "locked_until"} <= set(row)


def test_list_honours_page_size_up_to_100(admin_api):
    User.objects.bulk_create(
        User(email=f"bulk{number}@example.com", full_name="Bulk Person", password="!")
        for number in range(101)
    )
    small = admin_api.get(reverse("user-list"), {"page_size": 2}).json()
    assert (len(small["results"]), small["count"]) == (2, 102)
    assert small["next"] is not None
    capped = admin_api.get(reverse("user-list"), {"page_size": 500}).json()
    assert len(capped["results"]) == 100


@pytest.mark.parametrize("term", ["needle", "NEEDLE", "Needle Person"])
def test_list_search_matches_email_or_name(admin_api, term):
    by_email = UserFactory(email="needle@example.com", full_name="Someone Else")
    by_name = UserFactory(email="hay@example.com", full_name="Needle Person")
    UserFactory(email="straw@example.com", full_name="Straw Person")
    response = admin_api.get(reverse("user-list"), {"search": term})
    assert response.status_code == 200
    expected = {by_name.email} if " " in term else {by_email.email, by_name.email}
    assert set(emails(response)) == expected


def test_list_filters_by_role_and_status(admin_api):
    engine = UserFactory(role=User.Role.ENGINE)
    suspended = UserFactory(account_status=User.AccountStatus.SUSPENDED)
    UserFactory()
    assert emails(admin_api.get(reverse("user-list"), {"role": "engine"})) == [engine.email]
    by_status = admin_api.get(reverse("user-list"), {"account_status": "suspended"})
    assert emails(by_status) == [suspended.email]


def test_retrieve_shows_the_user(admin_api):
    user = UserFactory(role=User.Role.RECRUITER)
    response = admin_api.get(detail(user))
    assert response.status_code == 200
    assert response.json()["id"] == str(user.pk)
    assert response.json()["is_staff"] is True
    assert "password" not in response.json()


@pytest.mark.parametrize("pk", [uuid.uuid4(), "not-a-uuid"])
def test_unknown_user_id_is_404(admin_api, pk):
    assert admin_api.get(reverse("user-detail", args=[pk])).status_code == 404
    assert admin_api.patch(reverse("user-detail", args=[pk]), {}).status_code == 404
    assert admin_api.delete(reverse("user-detail", args=[pk])).status_code == 404
    assert admin_api.post(reverse("user-restore", args=[pk])).status_code == 404
    assert admin_api.post(reverse("user-unlock", args=[pk])).status_code == 404


def test_soft_deleted_user_is_404_on_detail(admin_api):
    user = UserFactory(deleted_at=timezone.now())
    assert admin_api.get(detail(user)).status_code == 404
    assert admin_api.patch(detail(user), {"full_name": "Ghost Ghost"}).status_code == 404


# --- create -----------------------------------------------------------------------------------


def test_create_answers_201_without_the_password_and_the_user_can_log_in(admin_api):
    response = admin_api.post(reverse("user-list"), NEW_USER)
    assert response.status_code == 201
    body = response.json()
    assert "password" not in body
    assert NEW_USER["password"] not in response.content.decode()
    assert body["email"] == "hired@example.com"
    assert body["role"] == "recruiter"
    assert body["is_staff"] is True
    user = User.objects.get(pk=body["id"])
    assert user.password != NEW_USER["password"]
    assert login("hired@example.com", NEW_USER["password"]).status_code == 200


def test_create_can_make_a_pending_account(admin_api):
    response = admin_api.post(
        reverse("user-list"), {**NEW_USER, "account_status": "pending_verification"}
    )
    assert response.status_code == 201
    assert response.json()["account_status"] == "pending_verification"
    assert login("hired@example.com", NEW_USER["password"]).status_code == 401


@pytest.mark.parametrize("email", ["hired@example.com", "HIRED@example.com"])
def test_create_with_a_live_email_is_conflict(admin_api, email):
    UserFactory(email="hired@example.com")
    response = admin_api.post(reverse("user-list"), {**NEW_USER, "email": email})
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"
    assert User.all_objects.filter(email="hired@example.com").count() == 1


@pytest.mark.parametrize(
    ("changes", "error_field"),
    [
        ({"password": None}, "password"),
        ({"password": "short"}, "password"),
        ({"password": "password123"}, "password"),
        ({"email": "nope"}, "email"),
        ({"full_name": "A"}, "full_name"),
        ({"role": "wizard"}, "role"),
        ({"account_status": "banned"}, "account_status"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"language": "xx"}, "language"),
        # Numbers are not strings (issue 12, item 14).
        ({"full_name": 12345}, "full_name"),
        ({"password": 90817263544536}, "password"),
    ],
)
def test_create_with_bad_input_is_400_and_creates_nothing(admin_api, changes, error_field):
    payload = {**NEW_USER, **changes}
    payload = {key: value for key, value in payload.items() if value is not None}
    response = admin_api.post(reverse("user-list"), payload)
    assert response.status_code == 400
    assert error_field in response.json()
    assert not User.all_objects.filter(email="hired@example.com").exists()


# --- update -----------------------------------------------------------------------------------


def test_patch_changes_role_and_the_staff_flag_follows(admin_api):
    user = UserFactory(role=User.Role.CANDIDATE)
    response = admin_api.patch(detail(user), {"role": "recruiter", "full_name": "Promoted One"})
    assert response.status_code == 200
    assert response.json()["is_staff"] is True
    user.refresh_from_db()
    assert (user.role, user.full_name, user.is_staff) == ("recruiter", "Promoted One", True)


def test_patch_with_a_password_is_400(admin_api):
    user = UserFactory()
    response = admin_api.patch(detail(user), {"password": "another-passphrase-9"})
    assert response.status_code == 400
    assert "password" in response.json()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_patch_to_another_live_users_email_is_conflict(admin_api):
    UserFactory(email="taken@example.com")
    user = UserFactory(email="mine@example.com")
    response = admin_api.patch(detail(user), {"email": "Taken@Example.com"})
    assert response.status_code == 409
    user.refresh_from_db()
    assert user.email == "mine@example.com"


def test_patch_email_is_stored_normalised(admin_api):
    user = UserFactory(email="mine@example.com")
    response = admin_api.patch(detail(user), {"email": " Moved@Example.com "})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.email == "moved@example.com"


def test_suspending_a_user_revokes_their_tokens_at_once(admin_api, candidate_user):
    their_client = client_for(candidate_user)
    assert their_client.get(reverse("auth-me")).status_code == 200
    response = admin_api.patch(detail(candidate_user), {"account_status": "suspended"})
    assert response.status_code == 200
    assert their_client.get(reverse("auth-me")).status_code == 401
    assert not AccessToken.objects.filter(user=candidate_user).exists()
    assert login(candidate_user.email).status_code == 401


def test_reactivating_a_suspended_user_lets_them_log_in_again(admin_api):
    user = UserFactory(account_status=User.AccountStatus.SUSPENDED)
    assert login(user.email).status_code == 401
    admin_api.patch(detail(user), {"account_status": "active"})
    assert login(user.email).status_code == 200


# --- soft delete ------------------------------------------------------------------------------


def test_delete_soft_deletes_and_takes_effect_at_once(admin_api, candidate_user):
    their_client = client_for(candidate_user)
    response = admin_api.delete(detail(candidate_user))
    assert response.status_code == 204
    row = User.all_objects.get(pk=candidate_user.pk)
    assert row.deleted_at is not None
    assert not row.is_active
    assert candidate_user.email not in emails(admin_api.get(reverse("user-list")))
    assert their_client.get(reverse("auth-me")).status_code == 401
    assert not AccessToken.objects.filter(user=candidate_user).exists()


def test_deleted_user_login_gets_the_same_401_as_an_unknown_email(admin_api, candidate_user):
    admin_api.delete(detail(candidate_user))
    deleted = login(candidate_user.email)
    unknown = login("nobody@example.com")
    assert deleted.status_code == unknown.status_code == 401
    assert deleted.content == unknown.content


def test_email_of_a_deleted_user_can_be_registered_again(admin_api, candidate_user):
    admin_api.delete(detail(candidate_user))
    response = APIClient().post(
        reverse("auth-register"),
        {"email": candidate_user.email, "password": "fresh-start-passphrase", "full_name": "Again"},
    )
    assert response.status_code == 201
    assert response.json()["id"] != str(candidate_user.pk)
    assert User.all_objects.filter(email=candidate_user.email).count() == 2


def test_admin_cannot_delete_their_own_account(admin_api, admin_user):
    response = admin_api.delete(detail(admin_user))
    assert response.status_code == 409
    assert response.json()["code"] == "self_delete"
    admin_user.refresh_from_db()
    assert admin_user.deleted_at is None
    assert admin_api.get(reverse("auth-me")).status_code == 200


# --- restore ----------------------------------------------------------------------------------


def test_restore_brings_a_deleted_user_back(admin_api):
    user = UserFactory()
    services.user_soft_delete(user=user)
    response = admin_api.post(reverse("user-restore", args=[user.pk]))
    assert response.status_code == 200
    assert response.json()["id"] == str(user.pk)
    user.refresh_from_db()
    assert user.deleted_at is None
    assert user.is_active
    assert user.email in emails(admin_api.get(reverse("user-list")))
    assert login(user.email).status_code == 200


def test_restore_when_a_live_user_took_the_email_is_conflict(admin_api):
    user = UserFactory(email="wanted@example.com")
    services.user_soft_delete(user=user)
    UserFactory(email="wanted@example.com")
    response = admin_api.post(reverse("user-restore", args=[user.pk]))
    assert response.status_code == 409
    assert response.json()["code"] == "email_taken"
    user.refresh_from_db()
    assert user.deleted_at is not None


def test_restore_of_a_live_user_is_404(admin_api, candidate_user):
    assert admin_api.post(reverse("user-restore", args=[candidate_user.pk])).status_code == 404


# --- unlock -----------------------------------------------------------------------------------


def test_unlock_resets_the_counter_and_the_lockout(admin_api):
    user = UserFactory(failed_login_attempts=7, locked_until=timezone.now() + timedelta(minutes=10))
    assert login(user.email).status_code == 429
    response = admin_api.post(reverse("user-unlock", args=[user.pk]))
    assert response.status_code == 200
    assert response.json()["failed_login_attempts"] == 0
    assert response.json()["locked_until"] is None
    user.refresh_from_db()
    assert (user.failed_login_attempts, user.locked_until) == (0, None)
    assert login(user.email).status_code == 200
