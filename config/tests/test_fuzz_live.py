"""schemathesis over HTTP against a live server, once per role.

test_fuzz.py calls the WSGI application in process; this one goes through the whole stack as a
client does: gunicorn (the compose command's worker class, two workers) with debug off, on
PostgreSQL in a scratch database that the test creates, migrates and drops. schemathesis's own
runner (`schemathesis run`) loads the schema the server serves (/api/v1/schema/) and tests every
operation once per role (anonymous, candidate, engine, recruiter, admin), with the checks of
test_fuzz.py, except the two that revoke the caller's own token (`auth/logout/`,
`auth/password/`: the rest of the run would be anonymous).

Examples per operation: SCHEMATHESIS_MAX_EXAMPLES (default 3), as for test_fuzz.py; its
coverage phase (boundary and invalid values of every parameter, some 3,500 requests per role)
does not depend on it. SCHEMATHESIS_WORKERS (default 1) sets its concurrency. Each role prints
its counts (operations tested, test cases, requests the server answered, failures; `pytest -s`
shows them), and its JSON report and the server's logs stay in the test's temporary directory.
"""

import json
import os
import re
import secrets
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import yaml
from psycopg import sql

pytestmark = [pytest.mark.postgres, pytest.mark.system]

ROOT = Path(__file__).resolve().parents[2]
SERVER_URL = os.environ.get("TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "3"))
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
]
# These revoke the token that authenticates the run.
EXCLUDED_PATHS = ["/api/v1/auth/logout/", "/api/v1/auth/password/"]
# Least privileged first: what the admin's run creates or deletes cannot hide a failure of
# another role.
ROLES = ["anonymous", "candidate", "engine", "recruiter", "admin"]
WAIT_SECONDS = 60

# Rows for the generated requests to find (ids in paths are random, so most requests miss;
# lists, filters and searches see these), and one bearer token per role, printed as JSON.
WORLD = """
import json
from accounts import services
from accounts.models import User
from accounts.tests.factories import UserFactory
from assessments.tests.factories import AssessmentFactory
from interviews import services as interview_services
from interviews.tests.factories import CandidateFactory, InterviewFactory, ResumeFactory

users = {role: UserFactory(role=role) for role in ("admin", "recruiter", "engine", "candidate")}
own = CandidateFactory(user=users["candidate"], email=users["candidate"].email)
other = CandidateFactory()
for candidate in (own, other):
    ResumeFactory(candidate=candidate)
    scheduled = interview_services.interview_create(
        candidate=candidate, role_type="python", by=users["recruiter"]
    )
    running = interview_services.interview_create(
        candidate=candidate, role_type="react", by=users["recruiter"]
    )
    interview_services.interview_start(interview=running, by=users["engine"])
    interview_services.message_append(
        interview=running, message_type="ai_question", content_text="What is a closure?"
    )
    AssessmentFactory(interview__candidate=candidate)
print(json.dumps({role: services.token_issue(user=user).raw for role, user in users.items()}))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def _gunicorn_command(port: int, access_log: Path) -> list[str]:
    """The compose web service's gunicorn command, on a loopback port, logging every request."""
    command = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["web"][
        "command"
    ]
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    serve = argv[-1].replace("$$", "$").split("&&")[-1].strip()
    serve = re.sub(r"^exec\s+", "", serve)
    serve = re.sub(r"\$\{?WEB_CONCURRENCY[^\s}]*\}?", "2", serve)
    serve, replaced = re.subn(r"--bind[ =]\S+", f"--bind 127.0.0.1:{port}", serve)
    assert replaced == 1, serve
    words = shlex.split(serve)
    assert words[0] == "gunicorn", serve
    return [sys.executable, "-m", "gunicorn", *words[1:], "--access-logfile", str(access_log)]


@pytest.fixture(scope="module")
def scratch_database_url():
    """Create `fuzz_<random>` on the local PostgreSQL server; drop it afterwards."""
    name = f"fuzz_{secrets.token_hex(6)}"
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


@pytest.fixture(scope="module")
def live_api(scratch_database_url, tmp_path_factory):
    """gunicorn serving the project on the scratch database; yields (base URL, tokens, log)."""
    directory = tmp_path_factory.mktemp("fuzz-live")
    env = {
        **os.environ,
        "DATABASE_URL": scratch_database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "CACHE_URL": "locmemcache://",
        # The run logs in and registers at will: no per-IP throttle.
        "LOGIN_THROTTLE_RATE": "",
        "MEDIA_ROOT": str(directory / "media"),
        "STATIC_ROOT": str(directory / "static"),
    }
    for name in ("DB_PGBOUNCER", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, cwd=ROOT, check=True, timeout=300)
    # As the container's start-up does (static files are served from the manifest).
    subprocess.run(
        [*manage, "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True, timeout=120
    )
    seeded = subprocess.run(
        [*manage, "shell", "-v0", "-c", WORLD],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    tokens = json.loads(seeded.stdout.strip().splitlines()[-1])

    port = _free_port()
    access_log = directory / "access.log"
    server_log = directory / "gunicorn.log"
    with server_log.open("wb") as log:
        process = subprocess.Popen(
            _gunicorn_command(port, access_log),
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while not _answers(f"{base}/health"):
            assert process.poll() is None, server_log.read_text()[-3000:]
            assert time.monotonic() < deadline, "gunicorn did not answer"
            time.sleep(0.3)
        yield {"base": base, "tokens": tokens, "access_log": access_log, "dir": directory}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=30)


def _served_requests(access_log: Path) -> int:
    return len(access_log.read_text().splitlines()) if access_log.exists() else 0


@pytest.mark.parametrize("role", ROLES)
def test_live_server_conforms_to_its_schema(live_api, role):
    report = live_api["dir"] / f"schemathesis-{role}.json"
    config = live_api["dir"] / "schemathesis.toml"
    # Left on, schemathesis registers and logs in by itself when no token is given: the
    # anonymous run would not be anonymous.
    config.write_text("[auth]\nauto-signup = false\n")
    command = [
        str(Path(sys.executable).parent / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        f"{live_api['base']}/api/v1/schema/",
        "--checks",
        ",".join(CHECKS),
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        "20260101",
        "--generation-deterministic",
        "--workers",
        os.environ.get("SCHEMATHESIS_WORKERS", "1"),
        "--request-timeout",
        "30",
        "--suppress-health-check",
        "all",
        "--no-color",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    for path in EXCLUDED_PATHS:
        command += ["--exclude-path", path]
    token = live_api["tokens"].get(role)
    if token:
        command += ["--header", f"Authorization: Bearer {token}"]

    before = _served_requests(live_api["access_log"])
    run = subprocess.run(command, cwd=live_api["dir"], capture_output=True, text=True, timeout=900)
    served = _served_requests(live_api["access_log"]) - before

    assert report.exists(), run.stdout[-5000:] + run.stderr[-3000:]
    result = json.loads(report.read_text())
    operations, cases = result["operations"], result["test_cases"]
    failures = sum(group["count"] for group in result["failures"])
    print(
        f"\nschemathesis as {role}: {operations['tested']} of {operations['selected']} "
        f"operations tested, {cases['generated']} test cases, {served} requests served, "
        f"{failures} failures, {len(result['errors'])} errors"
    )
    assert operations["tested"] == operations["selected"] > 0, run.stdout[-8000:]
    assert (failures, result["errors"]) == (0, []), run.stdout[-8000:]
    assert run.returncode == 0, run.stdout[-8000:]
