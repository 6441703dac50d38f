"""A real PostgreSQL goes away under a running gunicorn and comes back.

A throwaway cluster is made with the installed initdb/pg_ctl in a temporary directory; the
application runs in gunicorn against it, as in production (gunicorn.conf.py, the psycopg pool
and its default DB_POOL_TIMEOUT). While the database is down, /health/database answers 503
quickly and the API answers 503 JSON, at once once a worker has seen a connection fail (the
breaker, core.breaker), not after waiting for the pool; when it is back, both recover without
restarting the application.
"""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.system]

ROOT = Path(__file__).resolve().parents[2]
WORKERS = 2
POOL_TIMEOUT_SECONDS = 10  # DB_POOL_TIMEOUT's default
# A 503 of the breaker takes milliseconds; a wait for the pool takes POOL_TIMEOUT_SECONDS.
FAST_SECONDS = 1.0
OUTAGE_REQUESTS = 30
PG_BIN = next(
    (p.parent for p in sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), reverse=True)),
    Path(shutil.which("pg_ctl") or "/nonexistent").parent,
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_cluster_owner(command: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root: run its tools as the postgres system user then.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class ThrowawayCluster:
    def __init__(self):
        self.directory = Path(tempfile.mkdtemp(prefix="outage-pg-"))
        self.data = self.directory / "data"
        self.port = _free_port()
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")

    def run(self, *args: str) -> None:
        subprocess.run(_as_cluster_owner(list(args)), check=True, capture_output=True, timeout=60)

    def init(self) -> None:
        self.run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1"
        self.run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.directory / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"


def _get(url: str, token: str | None = None) -> tuple[int, dict, float]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    return status, json.loads(body), time.monotonic() - started


@pytest.fixture
def cluster():
    if not (PG_BIN / "initdb").exists():
        pytest.skip("initdb/pg_ctl are not installed")
    throwaway = ThrowawayCluster()
    try:
        throwaway.init()
        throwaway.start()
        yield throwaway
    finally:
        throwaway.remove()


@pytest.fixture
def server(cluster, collected_static):
    """gunicorn serving the project against the throwaway cluster; yields (base_url, token)."""
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "outage-test-secret",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DB_POOL_TIMEOUT": str(POOL_TIMEOUT_SECONDS),
        "DB_OUTAGE_RETRY_SECONDS": "2",
        "CACHE_URL": "locmemcache://",
        "STATIC_ROOT": str(collected_static),
    }
    env.pop("DB_PGBOUNCER", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT, timeout=120)
    token = subprocess.run(
        [
            *manage,
            "shell",
            "-v0",
            "-c",
            "from accounts.services import user_create, token_issue\n"
            "user = user_create(email='ops@example.com', password='Outage-pass-123', "
            "full_name='Ops Person', role='recruiter')\n"
            "print(token_issue(user=user).raw)",
        ],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout.strip()
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(WORKERS),
            "--timeout",
            "30",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def up():
            try:
                return _get(f"{base}/health")[0] == 200
            except OSError:
                return False

        assert wait_for(up, 30, 0.3), "gunicorn did not start"
        yield base, token
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_database_outage_answers_503_and_recovers_without_restart(cluster, server):
    base, token = server
    assert _get(f"{base}/health/database")[0] == 200
    assert _get(f"{base}/api/v1/candidates/", token)[0] == 200

    cluster.stop()

    status, body, elapsed = _get(f"{base}/health/database")
    assert status == 503
    assert body["status"] == "unhealthy"
    assert body["database"] == "disconnected"
    assert body["error"]
    # A refused connection fails at once; the probe must not hang (bounded by its 2 s timeout).
    assert elapsed < 5, f"health probe took {elapsed:.1f} s while the database was down"

    # Every request answers 503 JSON. Only the first one a worker serves may wait for the pool
    # (that is how the worker learns of the outage); after it, the worker answers at once.
    latencies = []
    for _ in range(OUTAGE_REQUESTS):
        status, body, elapsed = _get(f"{base}/api/v1/candidates/", token)
        assert status == 503
        assert body["code"] == "service_unavailable"
        latencies.append(elapsed)
        waited = [seconds for seconds in latencies if seconds >= FAST_SECONDS]
        assert len(waited) <= WORKERS, f"more than one wait per worker: {latencies}"
    answered_at_once = sorted(seconds for seconds in latencies if seconds < FAST_SECONDS)
    median = answered_at_once[len(answered_at_once) // 2]
    print(
        f"outage 503 latency: {len(answered_at_once)} of {len(latencies)} requests at once, "
        f"median {median * 1000:.0f} ms, max {answered_at_once[-1] * 1000:.0f} ms; "
        f"first requests that waited for the pool: {[round(s, 1) for s in waited]} s "
        f"(DB_POOL_TIMEOUT {POOL_TIMEOUT_SECONDS} s)"
    )
    assert median < 0.25

    # /health/database still asks the database: the real error, not the breaker's.
    status, body, _elapsed = _get(f"{base}/health/database")
    assert status == 503 and body["database"] == "disconnected" and body["error"]

    cluster.start()

    assert wait_for(lambda: _get(f"{base}/health/database")[0] == 200, 30, 0.3)
    assert wait_for(lambda: _get(f"{base}/api/v1/candidates/", token)[0] == 200, 30, 0.3)
