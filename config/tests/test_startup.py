"""The web container's start-up sequence works, run without Docker.

The steps of the web service's `command` in docker-compose.yml (migrate, collectstatic, exec
gunicorn with WEB_CONCURRENCY workers) run as written, in the container's environment shape:
debug off, a secret key, allowed hosts, Redis as the cache when it answers, against a scratch
database on the local PostgreSQL server. Only the bind address changes (a free loopback port)
and SECURE_SSL_REDIRECT is off, since there is no TLS proxy in front of the test. Then the
server must answer health, static files (WhiteNoise, hashed names cached for ever), the admin
login and the API schema.
"""

import contextlib
import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import yaml
from psycopg import sql

from conftest import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.system]

ROOT = Path(__file__).resolve().parents[2]
# The server the PostgreSQL run uses (.ci/run and the Makefile export it); connected to directly,
# even when the suite itself runs through PgBouncer.
SERVER_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = "redis://127.0.0.1:6379/14"
WAIT_SECONDS = 30
WEB_CONCURRENCY = 2
ONE_YEAR = 365 * 24 * 3600


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _web_startup_steps() -> list[str]:
    """Return the shell steps of the web service's `sh -c "..."` command, unescaped."""
    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"][
        "command"
    ]
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    return [step.strip() for step in argv[2].replace("$$", "$").split("&&")]


def _fetch(
    url: str, headers: dict | None = None, timeout: float = WAIT_SECONDS
) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _children(pid: int) -> list[int]:
    """Return the ids of the processes whose parent is `pid` (Linux /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # The command name is in parentheses and may hold spaces: split after it.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                children.append(int(stat.parent.name))
    return children


def _max_age(cache_control: str) -> int:
    match = re.search(r"max-age=(\d+)", cache_control or "")
    return int(match[1]) if match else 0


@pytest.fixture
def scratch_database_url():
    """Create `startup_<random>` on the local PostgreSQL server; drop it afterwards."""
    name = f"startup_{secrets.token_hex(6)}"
    try:
        server = psycopg.connect(SERVER_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable at {SERVER_URL}: {error}")
    with server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield urlsplit(SERVER_URL)._replace(path=f"/{name}").geturl()
        finally:
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.fixture
def container_env(scratch_database_url, tmp_path) -> dict[str, str]:
    env = {
        **os.environ,
        # `python` and `gunicorn` in the compose command are this interpreter's.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "DATABASE_URL": scratch_database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "CACHE_URL": REDIS_URL if _redis_answers() else "locmemcache://",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "WEB_CONCURRENCY": str(WEB_CONCURRENCY),
    }
    for name in ("DB_PGBOUNCER", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    return env


def _run_step(step: str, env: dict[str, str]) -> None:
    result = subprocess.run(
        ["sh", "-c", step],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS,
    )
    assert result.returncode == 0, (
        f"`{step}` failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    )


@pytest.fixture
def web(container_env, tmp_path):
    """Run the compose web command's steps; yield (base_url, gunicorn master pid, STATIC_ROOT)."""
    migrate, collectstatic, serve = _web_startup_steps()
    _run_step(migrate, container_env)
    _run_step(collectstatic, container_env)

    port = _free_port()
    serve, replaced = re.subn(r"--bind[ =]\S+", f"--bind 127.0.0.1:{port}", serve)
    assert replaced == 1, serve
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("wb") as log:
        # A session of its own: whatever is left of it can be stopped as one process group.
        process = subprocess.Popen(
            ["sh", "-c", serve],
            env=container_env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"

    def serving() -> bool:
        assert process.poll() is None, f"gunicorn exited:\n{log_path.read_text()[-3000:]}"
        try:
            # A short timeout per probe keeps the whole wait within WAIT_SECONDS.
            return _fetch(f"{base}/health", timeout=2)[0] == 200
        except OSError:
            return False

    try:
        assert wait_for(serving, WAIT_SECONDS, 0.2), (
            f"gunicorn did not answer:\n{log_path.read_text()[-3000:]}"
        )
        yield base, process.pid, Path(container_env["STATIC_ROOT"])
    finally:
        process.terminate()
        try:
            process.wait(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            # The master is not reaped yet, so its group id is still ours: stop it and its workers.
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=WAIT_SECONDS)


def test_web_container_startup_serves_health_static_admin_and_schema(web):
    base, master_pid, static_root = web

    status, _headers, body = _fetch(f"{base}/health")
    assert status == 200
    assert json.loads(body)["status"] == "healthy"

    status, _headers, body = _fetch(f"{base}/health/database")
    assert status == 200, body
    assert json.loads(body)["database"] == "connected"

    # gunicorn forked the WEB_CONCURRENCY workers (the master pid is gunicorn: `exec`).
    assert wait_for(lambda: len(_children(master_pid)) == WEB_CONCURRENCY, 10, 0.2), (
        f"expected {WEB_CONCURRENCY} workers, found {len(_children(master_pid))}"
    )

    # collectstatic ran with the manifest storage; WhiteNoise serves the hashed name for ever.
    manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
    hashed = manifest["admin/css/base.css"]
    assert hashed != "admin/css/base.css"
    status, headers, body = _fetch(f"{base}/static/{hashed}")
    assert status == 200
    assert body == (static_root / hashed).read_bytes()
    assert _max_age(headers.get("Cache-Control")) >= ONE_YEAR, headers.get("Cache-Control")
    status, headers, _body = _fetch(f"{base}/static/{hashed}", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    # The unhashed copy is served too, but briefly cached: its content may change on deploy.
    status, headers, _body = _fetch(f"{base}/static/admin/css/base.css")
    assert status == 200
    assert _max_age(headers.get("Cache-Control")) < ONE_YEAR

    status, headers, body = _fetch(f"{base}/admin/login/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert f"/static/{hashed}".encode() in body, "the admin must link the hashed stylesheet"

    status, _headers, body = _fetch(f"{base}/api/v1/schema/")
    assert status == 200
    assert body.startswith(b"openapi: 3.")
