"""Health endpoints: liveness, database reachability (for real, not mocked), staff report."""

import copy
import socket
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from conftest import wait_for

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """Return a local TCP port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def unreachable_database():
    """Point the default alias at a database that cannot be reached, then put it back."""
    original = connections[DEFAULT_DB_ALIAS]
    broken_settings = copy.deepcopy(original.settings_dict)
    with tempfile.TemporaryDirectory() as scratch:
        if original.vendor == "postgresql":
            broken_settings["HOST"] = "127.0.0.1"
            broken_settings["PORT"] = str(closed_port())
            broken_settings["OPTIONS"].pop("pool", None)  # pools are shared per alias
        else:
            broken_settings["NAME"] = str(Path(scratch) / "missing-directory" / "db.sqlite3")
        broken = original.__class__(broken_settings, DEFAULT_DB_ALIAS)
        connections[DEFAULT_DB_ALIAS] = broken
        try:
            yield
        finally:
            connections[DEFAULT_DB_ALIAS] = original
            broken.close()


def test_liveness_answers_healthy_with_version_and_timestamp(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "version", "timestamp"}
    assert body["status"] == "healthy"
    assert body["version"] == settings.VERSION
    assert parse_datetime(body["timestamp"]) is not None
    assert "no-cache" in response["Cache-Control"]


def test_liveness_only_answers_get(client):
    assert client.post(reverse("health")).status_code == 405


def test_database_health_answers_connected_with_latency(client):
    response = client.get(reverse("health-database"))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"status", "database", "latency_ms", "timestamp"}
    assert (body["status"], body["database"]) == ("healthy", "connected")
    assert body["latency_ms"] >= 0


def test_database_health_answers_503_when_the_database_is_unreachable_and_recovers(client):
    with unreachable_database():
        response = client.get(reverse("health-database"))
    assert response.status_code == 503
    body = response.json()
    assert set(body) == {"status", "database", "error", "timestamp"}
    assert (body["status"], body["database"]) == ("unhealthy", "disconnected")
    assert body["error"]
    recovered = client.get(reverse("health-database"))
    assert recovered.status_code == 200
    assert recovered.json()["database"] == "connected"


def test_api_answers_503_json_when_the_database_is_unreachable(client):
    with unreachable_database():
        response = client.post(
            reverse("auth-login"),
            {"email": "someone@example.com", "password": "whatever-it-is"},
            content_type="application/json",
        )
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"] == "5"


def test_after_a_failed_connection_requests_answer_503_at_once_until_a_probe_reconnects(
    recruiter_api, settings, django_assert_num_queries
):
    settings.DB_OUTAGE_RETRY_SECONDS = 0.3
    url = reverse("candidate-list")
    with unreachable_database():
        assert recruiter_api.get(url).status_code == 503

    # The database is back, but until a probe has seen it the breaker answers for it.
    with django_assert_num_queries(0):
        response = recruiter_api.get(url)
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert response["Retry-After"] == "5"
    # The interval over, a background probe finds the database and closes the breaker.
    assert wait_for(lambda: recruiter_api.get(url).status_code == 200, 5)


def test_database_health_asks_the_database_while_the_breaker_is_open_and_closes_it(
    client, recruiter_api, settings
):
    settings.DB_OUTAGE_RETRY_SECONDS = 600
    url = reverse("candidate-list")
    with unreachable_database():
        assert recruiter_api.get(url).status_code == 503
        # Truthful during the outage: the real error, not the breaker's.
        unhealthy = client.get(reverse("health-database"))
        assert unhealthy.status_code == 503
        assert unhealthy.json()["database"] == "disconnected"
    assert recruiter_api.get(url).status_code == 503

    healthy = client.get(reverse("health-database"))
    assert healthy.status_code == 200
    assert recruiter_api.get(url).status_code == 200


def test_liveness_answers_while_the_breaker_is_open(client, recruiter_api, settings):
    settings.DB_OUTAGE_RETRY_SECONDS = 600
    with unreachable_database():
        recruiter_api.get(reverse("candidate-list"))
    assert client.get(reverse("health")).status_code == 200


def test_with_the_breaker_off_every_request_tries_the_database(recruiter_api, settings):
    settings.DB_OUTAGE_RETRY_SECONDS = 0
    url = reverse("candidate-list")
    with unreachable_database():
        assert recruiter_api.get(url).status_code == 503
    assert recruiter_api.get(url).status_code == 200


@pytest.mark.parametrize("role_api", ["admin_api", "recruiter_api"])
def test_detailed_health_reports_database_pool_migrations_and_cache_to_staff(request, role_api):
    response = request.getfixturevalue(role_api).get(reverse("health-detailed"))
    assert response.status_code == 200
    body = response.json()
    assert {"status", "database", "pool", "migrations", "cache"} <= set(body)
    assert body["status"] == "healthy"
    assert body["database"]["status"] == "connected"
    assert body["database"]["vendor"] == connections[DEFAULT_DB_ALIAS].vendor
    assert body["migrations"] == {"unapplied": []}
    assert body["cache"]["status"] == "ok"
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        assert "pool_max" in body["pool"]
    else:
        assert body["pool"] is None


def test_detailed_health_says_login_is_available_when_the_cache_answers(admin_api):
    cache = admin_api.get(reverse("health-detailed")).json()["cache"]
    assert cache["status"] == "ok"
    assert cache["login"] == "available"


@pytest.mark.parametrize("throttle", [None, "20/min"])
def test_detailed_health_reports_an_unreachable_cache_and_what_login_does(
    admin_api, settings, unreachable_cache, throttle
):
    settings.LOGIN_THROTTLE_RATE = throttle
    response = admin_api.get(reverse("health-detailed"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["database"]["status"] == "connected"
    cache = body["cache"]
    assert cache["status"] == "error"
    assert cache["backend"] == "RedisCache"
    assert "refused" in cache["error"].lower()
    assert cache["login"].startswith("unavailable: every login answers 503")
    assert ("registration too" in cache["login"]) == bool(throttle)
