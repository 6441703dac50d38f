"""docker-compose.yml describes the production-like stack the settings need (no Docker required).

Docker is not available where the suite runs, so the compose file is checked as data: the
services, volumes, health checks and start-up order, that no secret is written in it, and that
every variable the settings read is documented in `.env.example`. `test_startup.py` runs the web
service's start-up command itself, without Docker.
"""

import ast
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

pytestmark = pytest.mark.system

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"

# Compose interpolation: ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error},
# ${NAME:+alt}. `$${...}` is an escape: the shell in the container expands it, not compose.
REFERENCE = re.compile(r"(?<!\$)\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<modifier>:?[-?+][^}]*)?\}")
SECRET_NAME = re.compile(r"PASSWORD|_PASS$|SECRET|TOKEN|(^|_)KEY$", re.IGNORECASE)
URL = re.compile(r"[a-z][a-z0-9+.-]*://[^\s\"']+", re.IGNORECASE)
# `NAME=value` in .env.example; `# NAME=value` documents a variable best left unset by default.
ENV_EXAMPLE_LINE = re.compile(r"^\s*(?P<comment>#\s*)?(?P<name>[A-Z][A-Z0-9_]*)=", re.MULTILINE)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def _environment(service: dict) -> dict[str, str]:
    """Return a service's `environment` as a mapping, whichever of the two syntaxes it uses."""
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(
            item.split("=", 1) if "=" in item else (item, "") for item in environment
        )
    return {name: "" if value is None else str(value) for name, value in environment.items()}


def _healthcheck_command(service: dict) -> str:
    test = service.get("healthcheck", {}).get("test")
    if isinstance(test, list):
        return " ".join(test[1:] if test[0] in {"CMD", "CMD-SHELL"} else test)
    return test or ""


def _startup_steps(service: dict) -> list[str]:
    """Return the shell steps of a `sh -c "a && b && exec c"` command, unescaped as compose does."""
    command = service["command"]
    argv = shlex.split(command) if isinstance(command, str) else list(command)
    assert argv[:2] == ["sh", "-c"], f"expected a `sh -c` start-up command, got {argv[:2]}"
    return [step.strip() for step in argv[2].replace("$$", "$").split("&&")]


def _strings(node):
    """Yield every string (keys and values) in a parsed YAML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(key)
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif isinstance(node, str):
        yield node


def _without_references(text: str) -> tuple[str, dict[str, re.Match]]:
    """Replace each ${...} reference by a placeholder, so that URLs around them parse."""
    references: dict[str, re.Match] = {}

    def placeholder(match: re.Match) -> str:
        key = f"ref{len(references)}ref"
        references[key] = match
        return key

    return REFERENCE.sub(placeholder, text), references


def _url(value: str):
    plain, _references = _without_references(value)
    return urlsplit(plain)


def _settings_variables() -> set[str]:
    """Return the names config/settings.py reads through `env(...)` or `env.<type>(...)`."""
    tree = ast.parse((ROOT / "config" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        function = node.func
        reads_env = (isinstance(function, ast.Name) and function.id == "env") or (
            isinstance(function, ast.Attribute)
            and isinstance(function.value, ast.Name)
            and function.value.id == "env"
        )
        first = node.args[0]
        if reads_env and isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.add(first.value)
    return names


def _env_example() -> dict[str, bool]:
    """Return the variables .env.example lists, mapped to True when set rather than commented."""
    listed: dict[str, bool] = {}
    for match in ENV_EXAMPLE_LINE.finditer((ROOT / ".env.example").read_text()):
        listed[match["name"]] = listed.get(match["name"], False) or not match["comment"]
    return listed


# --- Services -----------------------------------------------------------------------------------


def test_db_service_is_postgres_16(services):
    assert services["db"]["image"] in {"postgres:16", "postgres:16-alpine"}


def test_db_keeps_its_data_in_a_named_volume(compose, services):
    mounts = {
        target: source
        for source, target in (
            volume.split(":")[:2] for volume in services["db"]["volumes"] if isinstance(volume, str)
        )
    }
    source = mounts.get("/var/lib/postgresql/data")
    assert source, "db must mount a volume at /var/lib/postgresql/data"
    assert source in (compose.get("volumes") or {}), f"{source!r} is not a named volume"


def test_db_healthcheck_uses_pg_isready(services):
    assert "pg_isready" in _healthcheck_command(services["db"])


def test_redis_service_has_a_healthcheck(services):
    assert "redis-cli ping" in _healthcheck_command(services["redis"])


def test_every_service_has_a_healthcheck(services):
    missing = [name for name, service in services.items() if not _healthcheck_command(service)]
    assert not missing, f"services without a health check: {missing}"


def test_web_is_built_from_the_repository(services):
    build = services["web"]["build"]
    context = build["context"] if isinstance(build, dict) else build
    assert context == "."
    assert (ROOT / "Dockerfile").is_file()


def test_web_reads_its_settings_from_dot_env(services):
    env_file = services["web"]["env_file"]
    files = [env_file] if isinstance(env_file, str | dict) else env_file
    paths = [item["path"] if isinstance(item, dict) else item for item in files]
    assert ".env" in paths


def test_web_healthcheck_hits_health(services):
    assert re.search(r"/health\b(?!/)", _healthcheck_command(services["web"]))


def test_web_waits_for_healthy_db_and_redis(services):
    depends_on = services["web"]["depends_on"]
    assert isinstance(depends_on, dict), "depends_on needs the long syntax to carry conditions"
    for dependency in ("db", "redis"):
        assert depends_on[dependency]["condition"] == "service_healthy", dependency


def test_web_migrates_and_collects_static_before_exec_gunicorn(services):
    steps = _startup_steps(services["web"])
    assert len(steps) == 3, steps
    migrate, collectstatic, serve = steps
    assert re.fullmatch(r"python manage\.py migrate --noinput", migrate)
    assert re.fullmatch(r"python manage\.py collectstatic --noinput", collectstatic)
    # `exec`: gunicorn replaces the shell, so it is PID 1 and receives docker's SIGTERM.
    assert serve.startswith("exec gunicorn config.wsgi ")


def _dockerfile_serve_step() -> str:
    """Return the last step of the Dockerfile's `CMD ["sh", "-c", "a && b && exec c"]`."""
    match = re.search(r"^CMD (\[.*\])$", (ROOT / "Dockerfile").read_text(), re.MULTILINE)
    argv = json.loads(match[1])
    assert argv[:2] == ["sh", "-c"], argv
    return argv[2].split("&&")[-1].strip()


@pytest.mark.parametrize("source", ["docker-compose", "Dockerfile"])
def test_gunicorn_settings_come_from_the_config_file_only(services, source):
    serve = (
        _startup_steps(services["web"])[-1]
        if source == "docker-compose"
        else (_dockerfile_serve_step())
    )
    assert serve.startswith("exec gunicorn config.wsgi "), serve
    assert re.search(r"--config[ =]gunicorn\.conf\.py\b", serve), serve
    # The command line says where to listen, nothing else: one place for the settings.
    options = set(re.findall(r"(--[a-z-]+|-[a-zA-Z]\b)", serve))
    assert options == {"--config", "--bind"}, serve


PRINT_GUNICORN_CONFIG = [
    sys.executable,
    "-m",
    "gunicorn",
    "config.wsgi",
    "--config",
    "gunicorn.conf.py",
    "--print-config",
]


def test_gunicorn_config_runs_gthread_workers_sized_by_the_environment():
    printed = subprocess.run(
        PRINT_GUNICORN_CONFIG,
        # --print-config loads the application too; with debug on it needs no collected static.
        env={**os.environ, "WEB_CONCURRENCY": "5", "WEB_THREADS": "3", "DJANGO_DEBUG": "1"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    config = dict(
        (name.strip(), value.strip())
        for name, _, value in (line.partition("=") for line in printed.splitlines())
    )
    assert config["worker_class"] == "gthread"
    assert (config["workers"], config["threads"]) == ("5", "3")
    assert config["limit_request_line"] == "8190"
    assert config["accesslog"] == "-"
    assert {"WEB_CONCURRENCY", "WEB_THREADS"} <= set(_env_example())


def test_web_serves_on_the_port_its_healthcheck_and_port_mapping_use(services):
    web = services["web"]
    bind = re.search(r"--bind[ =]0\.0\.0\.0:(\d+)", _startup_steps(web)[-1])
    assert bind, "gunicorn must listen on all interfaces of the container"
    port = bind[1]
    assert f"127.0.0.1:{port}/health" in _healthcheck_command(web)
    assert any(str(mapping).endswith(f":{port}") for mapping in web["ports"])


def test_web_environment_points_at_the_db_and_redis_services(services):
    environment = _environment(services["web"])
    database = _url(environment["DATABASE_URL"])
    assert database.scheme in {"postgres", "postgresql", "pgsql"}
    assert database.hostname == "db" and database.port == 5432
    cache = _url(environment["CACHE_URL"])
    assert cache.scheme in {"redis", "rediss"}
    assert cache.hostname == "redis"


# --- Background jobs: RabbitMQ, workers, beat ---------------------------------------------------

# The services that run the project's code, from the one image.
APP_SERVICES = ("web", "worker", "beat")


def test_rabbitmq_service_is_rabbitmq_with_a_ping_healthcheck(services):
    rabbitmq = services["rabbitmq"]
    assert re.fullmatch(r"rabbitmq:[34](\.[\w.-]+)?(-management)?", rabbitmq["image"])
    assert "rabbitmq-diagnostics -q ping" in _healthcheck_command(rabbitmq)


def test_rabbitmq_keeps_its_queues_in_a_named_volume_under_a_fixed_node_name(compose, services):
    rabbitmq = services["rabbitmq"]
    # The data directory is named after the node (rabbit@HOSTNAME): a hostname that changed with
    # each new container would leave the durable queues behind.
    assert rabbitmq["hostname"] == "rabbitmq"
    mounts = {volume.split(":")[1]: volume.split(":")[0] for volume in rabbitmq["volumes"]}
    assert mounts.get("/var/lib/rabbitmq") in (compose.get("volumes") or {})


def test_rabbitmq_password_comes_from_the_environment(services):
    match = REFERENCE.fullmatch(_environment(services["rabbitmq"])["RABBITMQ_DEFAULT_PASS"])
    assert match and match["name"] == "RABBITMQ_PASSWORD"
    assert (match["modifier"] or "").lstrip(":")[:1] in {"", "?"}


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_publish_to_rabbitmq_with_credentials_from_the_environment(services, name):
    broker = _url(_environment(services[name])["CELERY_BROKER_URL"])
    assert broker.scheme == "amqp"
    assert (broker.hostname, broker.port) == ("rabbitmq", 5672)
    _plain, references = _without_references(_environment(services[name])["CELERY_BROKER_URL"])
    assert references[broker.password]["name"] == "RABBITMQ_PASSWORD"
    assert references[broker.username]["name"] == "RABBITMQ_USER"
    assert services[name]["depends_on"]["rabbitmq"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_worker_and_beat_run_the_web_image_with_its_settings(services, name):
    service, web = services[name], services["web"]
    assert service["build"] == web["build"]
    assert service["env_file"] == web["env_file"]
    shared = ("DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL", "MEDIA_ROOT")
    web_environment, environment = _environment(web), _environment(service)
    assert {key: environment.get(key) for key in shared} == {
        key: web_environment[key] for key in shared
    }


def _argv(service: dict) -> list[str]:
    command = service["command"]
    return shlex.split(command) if isinstance(command, str) else list(command)


def test_worker_runs_celery_worker_on_the_project_app_and_waits_for_its_services(services):
    worker = services["worker"]
    assert _argv(worker)[:4] == ["celery", "-A", "config", "worker"]
    # Its concurrency is CELERY_WORKER_CONCURRENCY, read by the settings from .env.
    assert not any(arg.startswith(("-c", "--concurrency")) for arg in _argv(worker))
    for dependency in ("db", "redis", "rabbitmq"):
        assert worker["depends_on"][dependency]["condition"] == "service_healthy", dependency
    assert "celery -A config inspect ping" in _healthcheck_command(worker)


def test_worker_reads_uploads_from_the_media_volume_web_writes(services):
    assert "media:/app/media" in services["worker"]["volumes"]
    assert "media:/app/media" in services["web"]["volumes"]


def test_beat_runs_celery_beat_with_a_writable_schedule_file(services):
    beat = services["beat"]
    argv = _argv(beat)
    assert argv[:4] == ["celery", "-A", "config", "beat"]
    # The image's user owns only media/ and staticfiles/ under /app: the schedule goes to /tmp.
    schedule = [arg.split("=", 1)[1] for arg in argv if arg.startswith("--schedule=")]
    assert schedule == ["/tmp/celerybeat-schedule"]
    assert "/tmp" in _healthcheck_command(beat) and "celerybeat-schedule" in (
        _healthcheck_command(beat)
    )


def test_celery_settings_read_by_the_services_are_in_env_example():
    assert {
        "CELERY_BROKER_URL",
        "CELERY_WORKER_CONCURRENCY",
        "JOB_SWEEP_SECONDS",
        "CELERY_TASK_TIME_LIMIT",
        "CELERY_TASK_SOFT_TIME_LIMIT",
        "RABBITMQ_USER",
        "RABBITMQ_PASSWORD",
    } <= set(_env_example())


# --- Volumes ------------------------------------------------------------------------------------


def test_every_named_volume_used_is_declared(compose, services):
    declared = set(compose.get("volumes") or {})
    used = set()
    for service in services.values():
        for volume in service.get("volumes", []):
            if isinstance(volume, dict):
                source = volume.get("source") if volume.get("type", "volume") == "volume" else None
            else:
                source = volume.split(":")[0] if ":" in volume else None
            if source and not source.startswith((".", "/", "~", "$")):
                used.add(source)
    assert used, "expected at least the database's named volume"
    assert used <= declared, f"named volumes used but not declared: {sorted(used - declared)}"


# --- Secrets ------------------------------------------------------------------------------------


def test_no_secret_value_is_written_in_the_compose_file(services):
    """Secret-named variables hold a bare ${VAR} reference: no literal, no default value."""
    offending = []
    for service_name, service in services.items():
        for name, value in _environment(service).items():
            if not SECRET_NAME.search(name):
                continue
            match = REFERENCE.fullmatch(value)
            if not match or (match["modifier"] or "").lstrip(":")[:1] in {"-", "+"}:
                offending.append(f"{service_name}.{name}={value}")
    assert not offending, f"secrets must come from the environment (.env): {offending}"


def test_no_password_is_written_in_a_url(compose):
    offending = []
    for text in _strings(compose):
        plain, references = _without_references(text)
        for url in URL.findall(plain):
            password = urlsplit(url).password
            if password is None:
                continue
            reference = references.get(password)
            if reference is None or (reference["modifier"] or "").lstrip(":")[:1] in {"-", "+"}:
                offending.append(text)
    assert not offending, f"URL passwords must be a bare ${{VAR}} reference: {offending}"


def test_postgres_password_comes_from_the_environment(services):
    match = REFERENCE.fullmatch(_environment(services["db"])["POSTGRES_PASSWORD"])
    assert match and match["name"] == "POSTGRES_PASSWORD"
    # No default: `${POSTGRES_PASSWORD:?message}` stops `docker compose up` when it is missing.
    assert (match["modifier"] or "").lstrip(":")[:1] in {"", "?"}


def test_dot_env_is_kept_out_of_the_image():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".env" in ignored


# --- Environment variables ----------------------------------------------------------------------


def test_settings_variables_are_found():
    # Guards the parser below: an empty result would make the next test pass vacuously.
    assert {"DATABASE_URL", "DJANGO_SECRET_KEY", "CACHE_URL", "DB_POOL_MAX_SIZE"} <= (
        _settings_variables()
    )


def test_every_variable_the_settings_read_is_in_env_example():
    missing = _settings_variables() - set(_env_example())
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_every_variable_the_compose_file_interpolates_is_in_env_example():
    names = {match["name"] for match in REFERENCE.finditer(COMPOSE_FILE.read_text())}
    missing = names - set(_env_example())
    assert not missing, f"add to .env.example: {sorted(missing)}"


@pytest.mark.parametrize(
    "name", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "POSTGRES_PASSWORD", "RABBITMQ_PASSWORD"]
)
def test_variables_required_in_production_are_set_in_env_example(name):
    """No production default: the copied .env must carry a line to fill in, not a comment."""
    assert _env_example().get(name), f"{name}= must be an uncommented line of .env.example"
