"""The cache's settings from CACHE_URL: key prefix honoured, Redis waits bounded."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import REDIS_URL, redis_reachable
from core.cache import cache_settings


def test_key_prefix_in_a_redis_url_becomes_djangos_key_prefix():
    config = cache_settings("redis://127.0.0.1:6379/7?key_prefix=x", socket_timeout=0.5)
    assert config["KEY_PREFIX"] == "x"
    assert "key_prefix" not in config
    assert "key_prefix" not in config["OPTIONS"]
    assert config["LOCATION"] == "redis://127.0.0.1:6379/7"


def test_other_django_cache_keys_in_the_url_are_upper_cased_too():
    config = cache_settings("redis://h:6379/0?timeout=60&version=3", socket_timeout=0.5)
    assert (config["TIMEOUT"], config["VERSION"]) == (60, 3)


def test_key_prefix_works_for_other_backends():
    config = cache_settings("dbcache://cache_table?key_prefix=x", socket_timeout=0.5)
    assert config["KEY_PREFIX"] == "x"


def test_redis_waits_are_bounded_unless_the_url_says_otherwise():
    config = cache_settings("redis://h:6379/0", socket_timeout=0.5)
    assert config["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    config = cache_settings("redis://h:6379/0?socket_timeout=3", socket_timeout=0.5)
    assert config["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 3}


def test_local_memory_cache_gets_no_redis_options():
    assert "OPTIONS" not in cache_settings("locmemcache://", socket_timeout=0.5)


def test_settings_read_the_prefix_and_timeout_from_the_environment():
    environment = {
        **os.environ,
        "CACHE_URL": "redis://127.0.0.1:6379/7?key_prefix=x",
        "CACHE_SOCKET_TIMEOUT": "0.25",
    }
    result = subprocess.run(
        [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "shell",
            "-c",
            "from django.conf import settings; print(settings.CACHES['default'])",
        ],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "'KEY_PREFIX': 'x'" in result.stdout
    assert "'socket_timeout': 0.25" in result.stdout
    assert "'key_prefix'" not in result.stdout


@pytest.mark.django_db
def test_keys_written_to_redis_carry_the_prefix(settings):
    if not redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    settings.CACHES = {
        "default": cache_settings(f"{REDIS_URL}?key_prefix=tenant-a", socket_timeout=0.5)
    }
    from django.core.cache import cache

    cache.clear()
    try:
        settings.LOGIN_THROTTLE_RATE = "5/min"
        body = {"email": "ghost@example.com", "password": "wrong-password"}
        assert APIClient().post(reverse("auth-login"), body).status_code == 401
        keys = cache._cache.get_client().keys("*")
        assert keys, "the login wrote nothing to Redis"
        assert all(key.startswith(b"tenant-a:") for key in keys), keys
        assert any(b"login-failures" in key for key in keys), keys
        assert any(b"throttle_login" in key for key in keys), keys
    finally:
        cache.clear()
