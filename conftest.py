"""Shared fixtures: API clients and admin browsers per role, the candidate user's own profile,
real and unreachable caches, polling, test-only speed-ups."""

import os
import socket
import time
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from accounts import services
from accounts.models import Organization, User
from accounts.tests.factories import OrganizationFactory, UserFactory
from core.cache import cache_settings
from interviews.models import Candidate
from interviews.tests.factories import CandidateFactory

# A Redis database the tests may flush (each clears it before and after use).
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Under pytest-xdist (`-n 2 --dist loadgroup`), the tests that share something outside their own
# test database run in one worker: the Redis database REDIS_URL (flushed by each of them), the one
# browser and its artifacts folder, the gunicorn site of config/tests/conftest.py, and the Celery
# workers a module starts once.
XDIST_GROUP_BY_FIXTURE = {"redis_cache": "redis", "site": "site"}
XDIST_GROUP_BY_MARKER = {"e2e": "e2e"}
XDIST_GROUP_BY_MODULE = {"config/tests/test_jobs.py": "celery-workers"}


def xdist_group_of(item) -> str | None:
    for name, group in XDIST_GROUP_BY_MARKER.items():
        if item.get_closest_marker(name):
            return group
    for name, group in XDIST_GROUP_BY_FIXTURE.items():
        if name in getattr(item, "fixturenames", ()):
            return group
    return XDIST_GROUP_BY_MODULE.get(item.nodeid.split("::", 1)[0])


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Group the tests that must share an xdist worker; skip tests marked `postgres` when the
    suite runs on another database."""
    from django.conf import settings

    for item in items:
        group = xdist_group_of(item)
        if group and not item.get_closest_marker("xdist_group"):
            item.add_marker(pytest.mark.xdist_group(group))
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine == "django.db.backends.postgresql":
        return
    skip = pytest.mark.skip(reason=f"needs PostgreSQL; this run uses {engine.rsplit('.', 1)[-1]}")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings, request):
    """Hash with MD5 in tests; tests of the real hasher mark themselves `real_hasher`."""
    if "real_hasher" not in request.keywords:
        settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Serve static URLs without the collectstatic manifest that production builds."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def clear_cache():
    """Each test starts with an empty cache (login failures of unknown emails, throttles)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def closed_database_breaker():
    """Each test starts with the breaker closed: an outage a test simulates ends with it."""
    from core.breaker import database_breaker

    database_breaker.reset()
    yield
    database_breaker.reset()


def redis_reachable(url: str = REDIS_URL) -> bool:
    address = urlsplit(url)
    try:
        socket.create_connection((address.hostname, address.port or 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_cache(settings):
    """The default cache on the real Redis at TEST_REDIS_URL, configured as the settings do."""
    if not redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    # A key prefix of this process: concurrent runs on the same machine (xdist workers, other
    # checkouts) share REDIS_URL, so each clears only its own keys, never the whole database.
    prefix = f"test-{os.getpid()}"
    settings.CACHES = {
        "default": cache_settings(f"{REDIS_URL}?key_prefix={prefix}", socket_timeout=0.5)
    }
    from django.core.cache import cache

    def clear() -> None:
        client = cache._cache.get_client()
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)

    clear()
    yield cache
    clear()


def wait_for(predicate, seconds: float, interval: float = 0.05) -> bool:
    """Poll `predicate` every `interval` seconds until it is true or `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def closed_port() -> int:
    """Return a local TCP port nothing listens on (bound for a moment, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unreachable_cache(settings):
    """The default cache on Redis at a closed local port, as the settings would configure it."""
    original = settings.CACHES
    url = f"redis://127.0.0.1:{closed_port()}/0"
    settings.CACHES = {"default": cache_settings(url, socket_timeout=0.5)}
    yield url
    settings.CACHES = original  # before clear_cache's teardown clears the cache


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


def client_for(user: User | None) -> APIClient:
    """Return an APIClient authenticated with a real bearer token of `user` (None: anonymous)."""
    client = APIClient()
    if user is not None:
        issued = services.token_issue(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    return client


@pytest.fixture
def admin_user(db) -> User:
    return UserFactory(role=User.Role.ADMIN, email="admin@example.com")


@pytest.fixture
def recruiter_user(db) -> User:
    return UserFactory(role=User.Role.RECRUITER)


@pytest.fixture
def owner_user(db) -> User:
    return UserFactory(role=User.Role.OWNER)


@pytest.fixture
def owner_api(owner_user) -> APIClient:
    return client_for(owner_user)


@pytest.fixture
def other_organization(db) -> Organization:
    """A second organization, besides `default` (where the role fixtures above belong)."""
    return OrganizationFactory(name="Other Team", slug="other-team")


@pytest.fixture
def engine_user(db) -> User:
    return UserFactory(role=User.Role.ENGINE)


@pytest.fixture
def candidate_user(db) -> User:
    return UserFactory(role=User.Role.CANDIDATE)


@pytest.fixture
def anon_client() -> APIClient:
    return APIClient()


@pytest.fixture
def admin_api(admin_user) -> APIClient:
    return client_for(admin_user)


@pytest.fixture
def recruiter_api(recruiter_user) -> APIClient:
    return client_for(recruiter_user)


@pytest.fixture
def engine_api(engine_user) -> APIClient:
    return client_for(engine_user)


@pytest.fixture
def candidate_api(candidate_user) -> APIClient:
    return client_for(candidate_user)


@pytest.fixture
def own_candidate(candidate_user) -> Candidate:
    """The Candidate profile of the logged-in candidate user."""
    return CandidateFactory(user=candidate_user, email=candidate_user.email)


def browser_for(user: User) -> Client:
    """A browser logged into the admin (our User has no username, so no admin_client)."""
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_admin(db) -> User:
    return UserFactory(role=User.Role.ADMIN, email="boss@example.com")


@pytest.fixture
def admin_site(staff_admin) -> Client:
    """A browser logged into the admin as an admin-role user."""
    return browser_for(staff_admin)


@pytest.fixture
def recruiter_site(db) -> Client:
    """A browser logged into the admin as a recruiter."""
    return browser_for(UserFactory(role=User.Role.RECRUITER))
