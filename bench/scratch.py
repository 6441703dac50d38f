"""The scratch PostgreSQL database and the servers of one run, removed at its end.

Both are created for one run and removed at its end, also when the run fails.
"""

import contextlib
import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent


class BenchError(Exception):
    """Something the bench needs did not work (not a missed goal: those are figures)."""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class ScratchDatabase:
    """Create `bench_<random>` through the admin URL; drop it on exit unless `keep`."""

    def __init__(self, admin_url: str, *, keep: bool = False):
        self.admin_url = admin_url
        self.keep = keep
        self.name = f"bench_{secrets.token_hex(4)}"
        parts = urlsplit(admin_url)
        self.url = urlunsplit(parts._replace(path=f"/{self.name}"))

    def __enter__(self) -> "ScratchDatabase":
        try:
            with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as admin:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
        except psycopg.Error as error:
            message = f"cannot create a scratch database via {self.admin_url}: {error}"
            raise BenchError(message) from error
        log(f"created scratch database {self.name}")
        return self

    def __exit__(self, *exc_info) -> None:
        if self.keep:
            log(f"kept scratch database {self.name} ({self.url})")
            return
        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as admin:
            # FORCE ends what is still connected (our own in-process pool, a killed worker).
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
            )
        log(f"dropped scratch database {self.name}")

    def connect(self, **kwargs) -> psycopg.Connection:
        return psycopg.connect(self.url, connect_timeout=5, **kwargs)

    def vacuum(self) -> None:
        """Set hint bits and the visibility map after a bulk load, as autovacuum soon would, so
        that no measurement pays for it (or for autovacuum running in the middle of it)."""
        began = time.perf_counter()
        with self.connect(autocommit=True) as conn:
            conn.execute("VACUUM (ANALYZE)")
        log(f"VACUUM (ANALYZE) in {time.perf_counter() - began:.1f} s")

    def django_env(self, *, password: str) -> dict[str, str]:
        """The environment of every Django process of the run (migrate, seed, gunicorn, us)."""
        return {
            # The project's settings with the floor views mounted (bench/urls.py).
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": self.url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": f"bench-{secrets.token_urlsafe(32)}",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "DJANGO_SESSION_COOKIE_SECURE": "0",
            "DJANGO_CSRF_COOKIE_SECURE": "0",
            # One cache per process is enough here: no throttle, and no unknown-email failures.
            "CACHE_URL": "locmemcache://",
            "LOGIN_THROTTLE_RATE": "",
            "DB_PGBOUNCER": "0",
            "SEED_PASSWORD": password,
            "LOG_LEVEL": "WARNING",
        }


def manage(env: dict[str, str], *args: str, timeout: float) -> tuple[float, str]:
    """Run `manage.py *args` with `env`; return (wall seconds, stdout)."""
    return run_python(env, "manage.py", *args, timeout=timeout)


def run_python(env: dict[str, str], *args: str, timeout: float) -> tuple[float, str]:
    """Run `python *args` in the repository with `env`; return (wall seconds, stdout)."""
    began = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, *args],
            cwd=ROOT,
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as error:
        raise BenchError(f"{' '.join(args)} took more than {timeout:.0f} s") from error
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise BenchError(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A server process on a free loopback port, healthy on enter and stopped on exit.

    Subclasses give the command line (`command()`) and a label. `cpu_seconds()` is the CPU
    time (user + system) that the master's children, the workers, have used so far.
    """

    label = "server"

    def __init__(self, env: dict[str, str], *, workers: int):
        self.env = env
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log_path = Path(tempfile.gettempdir()) / f"bench-server-{self.port}.log"

    def command(self) -> list[str]:
        raise NotImplementedError

    def __enter__(self) -> "Server":
        self.log_file = open(self.log_path, "w")  # closed in __exit__
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env={**os.environ, **self.env},
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            self._wait_healthy(timeout=30)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        log(f"{self.label} up on 127.0.0.1:{self.port}")
        return self

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"{self.label} exited:\n{self.log_path.read_text()[-3000:]}")
            probe = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            with contextlib.suppress(OSError, http.client.HTTPException):
                probe.request("GET", "/health")
                if probe.getresponse().status == 200:
                    probe.close()
                    return
            probe.close()
            time.sleep(0.2)
        raise BenchError(f"{self.label} did not answer /health in {timeout:.0f} s")

    def cpu_seconds(self) -> float:
        """User + system CPU seconds of the master's live children (from /proc/<pid>/stat)."""
        ticks = 0
        for pid in children_of(self.process.pid):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
        return ticks / os.sysconf("SC_CLK_TCK")

    def __exit__(self, *exc_info) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log_file.close()
        failed = exc_info and exc_info[0] is not None
        if failed:
            log(f"{self.label} log kept at {self.log_path}")
        else:
            self.log_path.unlink(missing_ok=True)


def children_of(parent: int) -> list[int]:
    """The pids whose parent is `parent` (a scan of /proc: no kernel option needed)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:  # ppid (field 4)
                found.append(int(entry.name))
    return found


class Gunicorn(Server):
    """`gunicorn config.wsgi`: sync workers, or gthread workers with `threads` threads."""

    def __init__(self, env: dict[str, str], *, workers: int, threads: int = 0):
        super().__init__(env, workers=workers)
        self.threads = threads
        kind = (
            f"{workers} gthread workers x {threads} threads"
            if threads
            else f"{workers} sync workers"
        )
        self.label = f"gunicorn config.wsgi, {kind}"

    def command(self) -> list[str]:
        worker_class = ["gthread", "--threads", str(self.threads)] if self.threads else ["sync"]
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--workers",
            str(self.workers),
            "--worker-class",
            *worker_class,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--backlog",
            "256",
            "--timeout",
            "60",
        ]


class Uvicorn(Server):
    """`uvicorn <app>` with `workers` processes (uvloop and httptools when installed)."""

    def __init__(self, env: dict[str, str], *, app: str, workers: int):
        super().__init__(env, workers=workers)
        self.app = app
        self.label = f"uvicorn {app}, {workers} workers"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "uvicorn",
            self.app,
            "--workers",
            str(self.workers),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--backlog",
            "256",
            "--no-access-log",
            "--log-level",
            "warning",
        ]
