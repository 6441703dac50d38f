"""The auth endpoints: register, login, logout, me, password change, and bearer tokens."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from accounts.models import AccessToken, User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from conftest import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.pgbouncer]

NEW_PASSWORD = "a-brand-new-passphrase-42"
ME_FIELDS = {
    "id",
    "email",
    "full_name",
    "role",
    "organization",
    "account_status",
    "timezone",
    "language",
}


def login(email: str, password: str):
    return APIClient().post(reverse("auth-login"), {"email": email, "password": password})


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def register(**fields):
    body = {"email": "new@example.com", "password": "plenty-long-passphrase", "full_name": "Newt"}
    return APIClient().post(reverse("auth-register"), {**body, **fields})


# --- register ---------------------------------------------------------------------------------


def test_register_creates_an_active_candidate_with_a_normalised_email():
    response = register(email="  New.Person@Example.COM ", full_name="New Person")
    assert response.status_code == 201
    body = response.json()
    assert body["email"] == "new.person@example.com"
    assert body["role"] == "candidate"
    assert body["account_status"] == "active"
    assert "password" not in body
    user = User.objects.get(pk=body["id"])
    assert user.email == "new.person@example.com"
    assert user.check_password("plenty-long-passphrase")
    assert not user.is_staff


def test_registered_user_can_log_in():
    register(email="joiner@example.com", password="plenty-long-passphrase")
    response = login("Joiner@Example.com", "plenty-long-passphrase")
    assert response.status_code == 200


def test_register_ignores_a_requested_role():
    response = register(role="admin")
    assert response.status_code == 201
    assert User.objects.get(pk=response.json()["id"]).role == User.Role.CANDIDATE


@pytest.mark.parametrize("email", ["taken@example.com", "TAKEN@Example.com", " taken@example.com"])
def test_register_with_a_live_email_is_conflict(email):
    UserFactory(email="taken@example.com")
    response = register(email=email)
    assert response.status_code == 409
    assert response.json() == {
        "detail": "A user with this email already exists.",
        "code": "email_taken",
    }
    assert User.all_objects.count() == 1


WEAK_PASSWORDS = [
    "password123",  # too common
    "4815162342",  # entirely numeric
    "new@example.com",  # too similar to the email
]


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"password": "short1"}, "password"),
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"full_name": ""}, "full_name"),
        ({"full_name": "A"}, "full_name"),
    ],
)
def test_register_with_bad_input_answers_field_errors_and_creates_nothing(fields, error_field):
    response = register(**fields)
    assert response.status_code == 400
    assert error_field in response.json()
    assert User.all_objects.count() == 0


@pytest.mark.parametrize("password", WEAK_PASSWORDS)
def test_register_with_a_weak_password_is_400_and_creates_nothing(password):
    response = register(password=password)
    assert response.status_code == 400
    assert User.all_objects.count() == 0


@pytest.mark.parametrize("password", WEAK_PASSWORDS)
def test_register_with_a_weak_password_reports_the_error_on_the_password_field(password):
    response = register(password=password)
    assert response.status_code == 400
    assert "password" in response.json()


def test_register_without_a_name_answers_field_errors():
    response = APIClient().post(
        reverse("auth-register"), {"email": "a@example.com", "password": "plenty-long-passphrase"}
    )
    assert response.status_code == 400
    assert "full_name" in response.json()
    assert User.all_objects.count() == 0


def test_register_accepts_a_128_character_password():
    response = register(password="Zq9-" * 32)
    assert response.status_code == 201


def test_register_and_login_are_throttled_per_ip_when_a_rate_is_set(settings):
    settings.LOGIN_THROTTLE_RATE = "2/min"
    assert login("a@example.com", "whatever-pass").status_code == 401
    assert login("b@example.com", "whatever-pass").status_code == 401
    response = login("c@example.com", "whatever-pass")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


# --- login ------------------------------------------------------------------------------------


def test_login_answers_token_expiry_and_the_user():
    user = UserFactory(email="me@example.com", full_name="Me Myself")
    response = login("ME@example.com", DEFAULT_PASSWORD)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "expires_at", "user"}
    assert set(body["user"]) == ME_FIELDS
    assert body["user"]["id"] == str(user.pk)
    assert body["user"]["email"] == "me@example.com"
    expires_at = parse_datetime(body["expires_at"])
    expected = timezone.now() + timedelta(hours=168)
    assert abs((expires_at - expected).total_seconds()) < 60
    # Only a digest is stored, never the token itself.
    stored = AccessToken.objects.get(user=user)
    assert stored.digest == AccessToken.digest_of(body["token"])
    assert stored.digest != body["token"]


def test_login_records_last_login_and_count():
    user = UserFactory()
    login(user.email, DEFAULT_PASSWORD)
    login(user.email, DEFAULT_PASSWORD)
    user.refresh_from_db()
    assert user.login_count == 2
    assert user.last_login is not None


def test_login_token_works_as_bearer_on_me(admin_user):
    token = login("ADMIN@example.com", DEFAULT_PASSWORD).json()["token"]
    response = bearer(token).get(reverse("auth-me"))
    assert response.status_code == 200
    assert response.json()["email"] == "admin@example.com"


def test_login_with_missing_fields_answers_field_errors():
    response = APIClient().post(reverse("auth-login"), {"email": "a@example.com"})
    assert response.status_code == 400
    assert "password" in response.json()


def test_token_ttl_follows_the_setting(settings):
    settings.TOKEN_TTL = timedelta(hours=1)
    user = UserFactory()
    expires_at = parse_datetime(login(user.email, DEFAULT_PASSWORD).json()["expires_at"])
    assert abs((expires_at - timezone.now() - timedelta(hours=1)).total_seconds()) < 60


# --- tokens -----------------------------------------------------------------------------------


def test_request_without_credentials_is_401_with_a_code(anon_client):
    response = anon_client.get(reverse("auth-me"))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_unknown_token_is_401_with_a_code():
    response = bearer("made-up-token").get(reverse("auth-me"))
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_expired_token_is_401(candidate_user):
    client = client_for(candidate_user)
    assert client.get(reverse("auth-me")).status_code == 200
    AccessToken.objects.filter(user=candidate_user).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("auth-me"))
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_token_of_a_suspended_user_is_401(candidate_user):
    client = client_for(candidate_user)
    User.objects.filter(pk=candidate_user.pk).update(account_status="suspended")
    assert client.get(reverse("auth-me")).status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer one two", "Token abc"])
def test_malformed_authorization_header_is_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get(reverse("auth-me")).status_code == 401


# --- logout -----------------------------------------------------------------------------------


def test_logout_revokes_only_the_token_used(candidate_user):
    token = login(candidate_user.email, DEFAULT_PASSWORD).json()["token"]
    other_token = login(candidate_user.email, DEFAULT_PASSWORD).json()["token"]
    response = bearer(token).post(reverse("auth-logout"))
    assert response.status_code == 204
    assert bearer(token).get(reverse("auth-me")).status_code == 401
    assert bearer(other_token).get(reverse("auth-me")).status_code == 200


def test_logout_needs_credentials(anon_client):
    assert anon_client.post(reverse("auth-logout")).status_code == 401


# --- me ---------------------------------------------------------------------------------------


def test_me_shows_the_callers_account(candidate_user, candidate_api):
    response = candidate_api.get(reverse("auth-me"))
    assert response.status_code == 200
    assert response.json() == {
        "id": str(candidate_user.pk),
        "email": candidate_user.email,
        "full_name": candidate_user.full_name,
        "role": "candidate",
        "organization": None,
        "account_status": "active",
        "timezone": "UTC",
        "language": "en",
    }


def test_me_patch_updates_name_timezone_and_language(candidate_user, candidate_api):
    response = candidate_api.patch(
        reverse("auth-me"),
        {"full_name": "Renamed Person", "timezone": "Europe/Paris", "language": "fr"},
    )
    assert response.status_code == 200
    assert response.json()["timezone"] == "Europe/Paris"
    candidate_user.refresh_from_db()
    assert (candidate_user.full_name, candidate_user.timezone, candidate_user.language) == (
        "Renamed Person",
        "Europe/Paris",
        "fr",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timezone", "Mars/Olympus"),
        ("language", "klingon"),
        ("full_name", "X"),
        ("full_name", 123456),  # numbers are not strings (issue 12, item 14)
    ],
)
def test_me_patch_with_an_invalid_value_is_400_and_changes_nothing(
    candidate_user, candidate_api, field, value
):
    before = getattr(candidate_user, field)
    response = candidate_api.patch(reverse("auth-me"), {field: value})
    assert response.status_code == 400
    assert field in response.json()
    candidate_user.refresh_from_db()
    assert getattr(candidate_user, field) == before


def test_me_patch_cannot_change_role_email_or_status(candidate_user, candidate_api):
    response = candidate_api.patch(
        reverse("auth-me"),
        {"role": "admin", "email": "hijack@example.com", "account_status": "suspended"},
    )
    assert response.status_code == 200
    candidate_user.refresh_from_db()
    assert candidate_user.role == User.Role.CANDIDATE
    assert candidate_user.email != "hijack@example.com"
    assert candidate_user.account_status == User.AccountStatus.ACTIVE
    assert not candidate_user.is_staff


def test_me_put_is_not_allowed(candidate_api):
    assert candidate_api.put(reverse("auth-me"), {"full_name": "Whole"}).status_code == 405


# --- password change --------------------------------------------------------------------------


def test_password_change_with_a_wrong_old_password_is_400_and_keeps_the_password(
    candidate_user, candidate_api
):
    response = candidate_api.post(
        reverse("auth-password"), {"old_password": "wrong-one", "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 400
    assert "old_password" in response.json()
    candidate_user.refresh_from_db()
    assert candidate_user.check_password(DEFAULT_PASSWORD)
    assert candidate_api.get(reverse("auth-me")).status_code == 200


def test_password_change_with_a_weak_new_password_is_400(candidate_user, candidate_api):
    response = candidate_api.post(
        reverse("auth-password"), {"old_password": DEFAULT_PASSWORD, "new_password": "12345678"}
    )
    assert response.status_code == 400
    assert "new_password" in response.json()
    candidate_user.refresh_from_db()
    assert candidate_user.check_password(DEFAULT_PASSWORD)


def test_password_change_revokes_tokens_and_returns_a_working_one(candidate_user, candidate_api):
    other_device = client_for(candidate_user)
    response = candidate_api.post(
        reverse("auth-password"), {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert set(response.json()) == {"token", "expires_at"}
    assert candidate_api.get(reverse("auth-me")).status_code == 401
    assert other_device.get(reverse("auth-me")).status_code == 401
    assert bearer(response.json()["token"]).get(reverse("auth-me")).status_code == 200
    assert login(candidate_user.email, NEW_PASSWORD).status_code == 200
    assert login(candidate_user.email, DEFAULT_PASSWORD).status_code == 401


def test_password_change_needs_credentials(anon_client):
    response = anon_client.post(
        reverse("auth-password"), {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 401


# --- schema -----------------------------------------------------------------------------------


def test_openapi_schema_and_docs_are_public(anon_client):
    schema = anon_client.get(reverse("schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/auth/login/" in schema.json()["paths"]
    assert anon_client.get(reverse("swagger-ui")).status_code == 200
