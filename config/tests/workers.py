"""Real Celery workers for the job tests: started as processes, stopped or killed -9.

`Worker` runs `celery -A config worker` in its own process group with the test's environment
(the test database, a broker, a queue of its own) and waits until it says it is ready.
`current_app_on` makes the test process publish to the same broker and queue: jobs are
`shared_task`s, which resolve against the current Celery app.
"""

import os
import signal
import socket
import subprocess
import sys
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit
from uuid import uuid4

import pytest
from celery import Celery, current_app
from django.db import connections

from conftest import wait_for

ROOT = Path(__file__).resolve().parents[2]
RABBITMQ_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672//")
READY_SECONDS = 60


def rabbitmq_reachable(url: str = RABBITMQ_URL) -> bool:
    address = urlsplit(url)
    try:
        socket.create_connection((address.hostname, address.port or 5672), timeout=1).close()
    except OSError:
        return False
    return True


def require_rabbitmq() -> str:
    """Return the test RabbitMQ's URL; skip the test when it is unreachable, or fail under CI
    (`CI=true`, which .ci/run sets after starting RabbitMQ)."""
    if not rabbitmq_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail(f"RabbitMQ is not reachable at {RABBITMQ_URL}; CI needs it (.ci/run).")
        pytest.skip(f"RabbitMQ is not reachable at {RABBITMQ_URL}")
    return RABBITMQ_URL


def unique_queue() -> str:
    """A queue name of this test run alone, so parallel runs never take each other's jobs."""
    return f"test-jobs-{uuid4().hex[:12]}"


def database_url_of_the_tests() -> str:
    """The URL of the database the tests run on (pytest-django's `test_...` database)."""
    database = connections["default"].settings_dict
    if database["ENGINE"] != "django.db.backends.postgresql":
        return f"sqlite:///{database['NAME']}"
    credentials = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
    host = database["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{database['PORT'] or 5432}/{database['NAME']}"


class Worker:
    """`celery -A config worker` with one process (prefork or solo), optionally with beat."""

    def __init__(
        self,
        log_dir: Path,
        *,
        broker_url: str,
        queue: str,
        job_dir: Path,
        pool: str = "prefork",
        beat: bool = False,
        **environment: str,
    ):
        self.name = f"{queue}-{uuid4().hex[:6]}"
        self.log_path = log_dir / f"{self.name}.log"
        self.argv = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            f"--hostname={self.name}@%h",
            "--include=config.tests.job_tasks",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ]
        if beat:
            self.argv += ["--beat", f"--schedule={log_dir / self.name}-beat"]
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url_of_the_tests(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_QUEUE": queue,
            "JOB_TEST_DIR": str(job_dir),
            "JOB_SWEEP_SECONDS": "1",
            **environment,
        }
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Worker":
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> "Worker":
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill -9 reaches every child
            )
        ready = wait_for(
            lambda: " ready." in self.log() or self.process.poll() is not None, READY_SECONDS, 0.1
        )
        if not ready or self.process.poll() is not None:
            self.kill()
            raise AssertionError(f"the worker did not start:\n{self.log()[-3000:]}")
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the whole process group (main process, pool children, beat): no cleanup."""
        if self.process is None:
            return
        with suppress(ProcessLookupError):  # nothing left of the group
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        """SIGTERM (warm shutdown), then SIGKILL what is left after 15 s."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(15)
        self.kill()


def publisher(broker_url: str, queue: str, **conf) -> Celery:
    """A Celery app with the project's settings but this broker and default queue."""
    app = Celery("config", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(broker_url=broker_url, task_default_queue=queue, **conf)
    return app


@contextmanager
def current_app_on(broker_url: str, queue: str, **conf):
    """Make the current Celery app publish to `broker_url` and `queue`, then restore it."""
    previous = current_app._get_current_object()
    app = publisher(broker_url, queue, **conf)
    app.set_current()
    try:
        yield app
    finally:
        # Its broker connections stay in kombu's pools, shared by every app of the same URL.
        previous.set_current()


def delete_queue(broker_url: str, queue: str) -> None:
    """Remove a test queue from the broker (RabbitMQ keeps durable queues otherwise)."""
    app = Celery("cleanup", broker=broker_url, set_as_current=False)
    with app.connection_for_write() as connection:
        connection.default_channel.queue_delete(queue)
