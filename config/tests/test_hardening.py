"""Login abuse, resource limits and deployment settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from argon2 import Type
from django.contrib.auth.hashers import get_hasher, make_password
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from interviews.models import InterviewSession
from interviews.tests.factories import InterviewFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
OWASP_ARGON2_MIN_MEMORY_KIB = 19 * 1024
OWASP_ARGON2_MIN_ITERATIONS = 2


@pytest.mark.real_hasher
def test_default_hasher_is_argon2id_at_or_above_owasp_minimum():
    hasher = get_hasher("default")
    assert hasher.algorithm == "argon2"
    params = hasher.params()
    assert params.type == Type.ID
    assert params.memory_cost >= OWASP_ARGON2_MIN_MEMORY_KIB
    assert params.time_cost >= OWASP_ARGON2_MIN_ITERATIONS
    assert make_password("some-password").startswith("argon2$argon2id$")


@pytest.mark.real_hasher
def test_login_upgrades_a_legacy_pbkdf2_hash_to_argon2(anon_client):
    user = UserFactory(email="legacy@example.com")
    User.objects.filter(pk=user.pk).update(
        password=make_password(DEFAULT_PASSWORD, hasher="pbkdf2_sha256")
    )

    response = anon_client.post(
        reverse("auth-login"), {"email": "legacy@example.com", "password": DEFAULT_PASSWORD}
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(DEFAULT_PASSWORD)


def test_login_throttle_per_ip_uses_the_shared_redis_cache(settings, redis_cache, anon_client):
    settings.LOGIN_THROTTLE_RATE = "3/min"
    UserFactory(email="throttled@example.com")
    body = {"email": "throttled@example.com", "password": "wrong-password"}

    statuses = [anon_client.post(reverse("auth-login"), body).status_code for _ in range(4)]

    assert statuses == [401, 401, 401, 429]
    refused = anon_client.post(reverse("auth-login"), body)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert any(b"throttle" in key for key in redis_cache._cache.get_client().keys("*"))
    # Another address is not throttled.
    other = anon_client.post(reverse("auth-login"), body, REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 401


def test_registration_is_throttled_with_login(settings, anon_client):
    settings.LOGIN_THROTTLE_RATE = "2/min"
    for number in range(2):
        response = anon_client.post(
            reverse("auth-register"),
            {
                "email": f"new{number}@example.com",
                "password": "a-Strong-pass-19",
                "full_name": "New Person",
            },
        )
        assert response.status_code == 201
    third = anon_client.post(
        reverse("auth-register"),
        {"email": "new3@example.com", "password": "a-Strong-pass-19", "full_name": "New Person"},
    )
    assert third.status_code == 429
    assert not User.objects.with_email("new3@example.com").exists()


def test_empty_throttle_rate_disables_the_throttle(settings, anon_client):
    settings.LOGIN_THROTTLE_RATE = None
    body = {"email": "nobody@example.com", "password": "wrong-password"}
    statuses = {anon_client.post(reverse("auth-login"), body).status_code for _ in range(4)}
    assert statuses == {401}


def test_oversized_json_body_is_refused_with_413_and_not_stored(engine_api):
    interview = InterviewFactory(in_progress=True)
    huge = {"conversation_memory": {"history": "x" * (10 * 1024 * 1024)}}

    response = engine_api.patch(
        reverse("interview-session", kwargs={"interview_pk": interview.pk}), huge, format="json"
    )

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert InterviewSession.objects.get(interview=interview).conversation_memory == {}


def test_json_field_over_its_own_bound_is_a_400(engine_api):
    interview = InterviewFactory(in_progress=True)
    big = {"conversation_memory": {"history": "x" * (1024 * 1024 + 10)}}

    response = engine_api.patch(
        reverse("interview-session", kwargs={"interview_pk": interview.pk}), big, format="json"
    )

    assert response.status_code == 400
    assert "conversation_memory" in response.json()
    assert InterviewSession.objects.get(interview=interview).conversation_memory == {}


def test_page_size_is_capped_at_100(admin_api):
    UserFactory.create_batch(105)
    response = admin_api.get(reverse("user-list"), {"page_size": 1000})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 100


def test_check_deploy_passes_with_production_settings(collected_static):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SECRET_KEY="x" * 20 + "production-like-secret-key-with-enough-entropy-0123456789",
        DJANGO_ALLOWED_HOSTS="interviews.example.com",
        # A deployment has collected its static files (config.E001 otherwise).
        STATIC_ROOT=str(collected_static),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_is_off_unless_asked_for():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env["DJANGO_SECRET_KEY"] = "y" * 60
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings';"
            "django.setup(); from django.conf import settings;"
            "print(settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["False", "True", "31536000"], result.stderr
