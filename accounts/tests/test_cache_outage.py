"""Login and registration while the cache is unreachable: one short 503 for every email."""

import logging
import shutil
import subprocess
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from conftest import client_for, closed_port, redis_reachable
from core.cache import cache_settings

pytestmark = pytest.mark.django_db

UNAVAILABLE = {
    "detail": "Login is temporarily unavailable. Try again shortly.",
    "code": "service_unavailable",
}


def login(email: str, password: str):
    return APIClient().post(reverse("auth-login"), {"email": email, "password": password})


def register(email: str):
    body = {"email": email, "password": "plenty-long-passphrase", "full_name": "New Person"}
    return APIClient().post(reverse("auth-register"), body)


def attempts() -> dict[str, tuple[str, str]]:
    UserFactory(email="known@example.com")
    return {
        "unknown email": ("nobody@example.com", "wrong-password"),
        "wrong password": ("known@example.com", "wrong-password"),
        "right password": ("known@example.com", DEFAULT_PASSWORD),
    }


def assert_same_short_503(answers: dict) -> None:
    reference = next(iter(answers.values()))
    for name, response in answers.items():
        assert response.status_code == 503, name
        assert response.json() == UNAVAILABLE, name
        assert response["Retry-After"] == "5", name
        assert response.content == reference.content, name
        assert dict(response.headers) == dict(reference.headers), name


@pytest.mark.parametrize("throttle", [None, "5/min"])
def test_every_login_answers_the_same_503_while_the_cache_is_unreachable(
    settings, unreachable_cache, throttle
):
    settings.LOGIN_THROTTLE_RATE = throttle
    answers = {}
    for name, (email, password) in attempts().items():
        started = time.perf_counter()
        answers[name] = login(email, password)
        assert time.perf_counter() - started < 2, name
    assert_same_short_503(answers)
    assert User.objects.get(email="known@example.com").last_login is None


def test_registration_answers_503_while_the_cache_is_unreachable_and_throttled(
    settings, unreachable_cache
):
    settings.LOGIN_THROTTLE_RATE = "5/min"
    UserFactory(email="known@example.com")
    answers = {
        "new email": register("new@example.com"),
        "taken email": register("known@example.com"),
    }
    assert_same_short_503(answers)
    assert not User.objects.with_email("new@example.com").exists()


def test_registration_without_a_throttle_does_not_need_the_cache(settings, unreachable_cache):
    settings.LOGIN_THROTTLE_RATE = None
    assert register("new@example.com").status_code == 201


def test_nothing_is_counted_during_the_outage_so_no_email_stands_out_after_it(
    settings, unreachable_cache, limit_of_three
):
    known = UserFactory(email="known@example.com")
    for _ in range(limit_of_three + 2):
        assert login("known@example.com", "wrong-password").status_code == 503
        assert login("nobody@example.com", "wrong-password").status_code == 503
    known.refresh_from_db()
    assert known.failed_login_attempts == 0

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    for email in ("known@example.com", "nobody@example.com"):
        statuses = [login(email, "wrong-password").status_code for _ in range(limit_of_three + 1)]
        assert statuses == [401] * limit_of_three + [429], email


def test_refused_logins_are_logged_as_warnings(unreachable_cache, caplog):
    UserFactory(email="known@example.com")
    with caplog.at_level(logging.WARNING, logger="accounts"):
        login("known@example.com", DEFAULT_PASSWORD)
    messages = [
        record.getMessage()
        for record in caplog.records
        if record.name == "accounts.services.lockout"
    ]
    assert any("cache is unreachable" in message for message in messages), caplog.text


def test_throttle_refusals_are_logged_as_warnings(settings, unreachable_cache, caplog):
    settings.LOGIN_THROTTLE_RATE = "5/min"
    with caplog.at_level(logging.WARNING, logger="accounts"):
        register("new@example.com")
    assert any(
        record.name == "accounts.api.views" and "cache is unreachable" in record.getMessage()
        for record in caplog.records
    ), caplog.text


def test_admin_login_shows_an_error_page_not_a_500(unreachable_cache):
    UserFactory(email="boss@example.com", role=User.Role.ADMIN)
    browser = Client()
    response = browser.post(
        reverse("admin:login"), {"username": "boss@example.com", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 200
    assert "Login is temporarily unavailable" in response.content.decode()
    assert "_auth_user_id" not in browser.session


def test_unlock_of_a_real_account_works_while_the_cache_is_unreachable(unreachable_cache):
    admin = UserFactory(role=User.Role.ADMIN)
    locked = UserFactory(failed_login_attempts=9, locked_until=timezone.now().replace(year=2999))
    response = client_for(admin).post(reverse("user-unlock", args=[locked.pk]))
    assert response.status_code == 200
    assert response.json()["failed_login_attempts"] == 0


class ThrowawayRedis:
    """A redis-server of this test's own on a free port, stopped and started at will."""

    def __init__(self):
        self.port = closed_port()
        self.process = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not redis_reachable(self.url):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@pytest.fixture
def throwaway_redis(settings):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = ThrowawayRedis()
    server.start()
    original = settings.CACHES
    settings.CACHES = {"default": cache_settings(server.url, socket_timeout=0.5)}
    yield server
    settings.CACHES = original
    if server.process.poll() is None:
        server.stop()


@pytest.mark.system
def test_login_refuses_while_redis_is_down_and_recovers_by_itself(settings, throwaway_redis):
    settings.LOGIN_THROTTLE_RATE = "50/min"
    UserFactory(email="known@example.com")
    assert login("known@example.com", DEFAULT_PASSWORD).status_code == 200
    assert login("nobody@example.com", "wrong-password").status_code == 401

    throwaway_redis.stop()
    assert login("known@example.com", DEFAULT_PASSWORD).status_code == 503
    assert login("nobody@example.com", "wrong-password").status_code == 503

    throwaway_redis.start()  # empty: the counts and buckets of before are gone
    assert login("known@example.com", DEFAULT_PASSWORD).status_code == 200
    assert login("nobody@example.com", "wrong-password").status_code == 401


@pytest.fixture
def limit_of_three(settings) -> int:
    settings.LOGIN_FAILURE_LIMIT = 3
    return 3
