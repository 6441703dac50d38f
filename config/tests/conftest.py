"""Fixtures of the tests that run the project in a real gunicorn (config/tests/servers.py)."""

import pytest

from config.tests.servers import Gunicorn, manage, production_env

# The accounts the served site has, by role, with their bearer tokens (site_tokens).
SITE_ROLES = ("recruiter", "engine")


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """STATIC_ROOT after `collectstatic`, as every deployment has it (config.wsgi checks it)."""
    static_root = tmp_path_factory.mktemp("collected-static")
    manage(production_env(STATIC_ROOT=str(static_root)), "collectstatic", "--noinput", "-v0")
    return static_root


@pytest.fixture(scope="session")
def site_env(tmp_path_factory, collected_static) -> dict[str, str]:
    """A deployment's environment on its own migrated SQLite database and media folder."""
    folder = tmp_path_factory.mktemp("site")
    env = production_env(
        DATABASE_URL=f"sqlite:///{folder / 'site.sqlite3'}",
        STATIC_ROOT=str(collected_static),
        MEDIA_ROOT=str(folder / "media"),
        WEB_CONCURRENCY="2",
    )
    manage(env, "migrate", "-v0")
    return env


@pytest.fixture(scope="session")
def site_tokens(site_env) -> dict[str, str]:
    """A bearer token per role of SITE_ROLES, on the site's database."""
    script = "\n".join(
        [
            "from accounts.services import token_issue, user_create",
            f"for role in {SITE_ROLES!r}:",
            "    user = user_create(email=f'{role}@example.com', password='Site-pass-1234',"
            " full_name=f'Site {role}', role=role)",
            "    print(role, token_issue(user=user).raw)",
        ]
    )
    output = manage(site_env, "shell", "-v0", "-c", script)
    return dict(line.split() for line in output.splitlines())


@pytest.fixture(scope="session")
def site(site_env, site_tokens, tmp_path_factory):
    """The site served by gunicorn with gunicorn.conf.py (gthread, keep-alive)."""
    log_path = tmp_path_factory.mktemp("site-log") / "gunicorn.log"
    with Gunicorn(site_env, log_path) as server:
        yield server
