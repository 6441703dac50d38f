"""Settings read from the environment: the secret key is required when debug is off."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

MANAGE = settings.BASE_DIR / "manage.py"


def manage_check(**overrides: str | None) -> subprocess.CompletedProcess:
    """Run `manage.py check` in a fresh interpreter; a None override removes the variable."""
    env = dict(os.environ)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, str(MANAGE), "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def dot_env_sets(name: str) -> bool:
    dot_env = settings.BASE_DIR / ".env"
    if not dot_env.exists():
        return False
    return any(
        line.strip().startswith(f"{name}=") and line.strip() != f"{name}="
        for line in dot_env.read_text().splitlines()
    )


def test_missing_secret_key_with_debug_off_refuses_to_start():
    if dot_env_sets("DJANGO_SECRET_KEY"):
        pytest.skip("the local .env sets DJANGO_SECRET_KEY, which the settings read")
    result = manage_check(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=None)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_empty_secret_key_with_debug_off_refuses_to_start():
    # An empty variable in the environment wins over .env (read without overwriting).
    result = manage_check(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_missing_secret_key_is_allowed_in_debug():
    result = manage_check(DJANGO_DEBUG="1", DJANGO_SECRET_KEY="")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_argon2_is_the_first_password_hasher_and_pbkdf2_is_kept_for_upgrades():
    from config import settings as project_settings

    hashers = project_settings.PASSWORD_HASHERS
    assert hashers[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in hashers


def test_one_authentication_backend_serves_api_and_admin():
    assert settings.AUTHENTICATION_BACKENDS == ["accounts.backends.LockoutBackend"]
