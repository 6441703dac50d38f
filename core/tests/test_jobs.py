"""core.jobs: enqueue on commit, the sweeps and the pending-work probes, on a real Celery app
publishing to kombu's in-memory broker (config/tests/test_jobs.py runs real workers)."""

import logging
import socket
import time
from contextlib import contextmanager
from datetime import timedelta
from uuid import uuid4

import pytest
from celery import Celery, current_app, shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import jobs
from core.jobs import enqueue_on_commit, oldest_unfinished_job_age, run_sweeps


@shared_task(name="core.tests.test_jobs.noted")
def noted(*args, **kwargs):
    """A job the tests only publish (no worker runs here)."""


@contextmanager
def current_app_on(broker_url: str):
    """Make a Celery app on `broker_url`, with a queue of its own, the current one; yield the
    queue's name."""
    queue = f"core-tests-{uuid4().hex[:8]}"
    app = Celery("core-tests", broker=broker_url, set_as_current=False)
    app.conf.update(
        task_default_queue=queue,
        broker_connection_timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
        task_publish_retry_policy=settings.CELERY_TASK_PUBLISH_RETRY_POLICY,
    )
    previous = current_app._get_current_object()
    app.set_current()
    try:
        yield queue
    finally:
        previous.set_current()


@pytest.fixture
def memory_queue():
    with current_app_on("memory://") as queue:
        yield queue


def published(queue: str) -> list[tuple[str, list, dict]]:
    """Take the messages waiting in `queue`: (task name, args, kwargs) each."""
    messages = []
    with current_app.connection_for_read() as connection:
        channel = connection.default_channel
        channel.queue_declare(queue=queue)
        while (message := channel.basic_get(queue, no_ack=True)) is not None:
            args, kwargs, _embed = message.decode()
            messages.append((message.headers["task"], args, kwargs))
    return messages


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def registries(monkeypatch):
    """Empty sweep and probe registries for the test, the apps' own put back afterwards."""
    monkeypatch.setattr(jobs, "SWEEPS", {})
    monkeypatch.setattr(jobs, "PENDING_WORK", {})


# --- enqueue_on_commit --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_publishes_once_the_transaction_commits(memory_queue):
    with transaction.atomic():
        enqueue_on_commit(noted, 7, "resume", force=True)
        assert published(memory_queue) == []
    [message] = published(memory_queue)
    assert message == ("core.tests.test_jobs.noted", [7, "resume"], {"force": True})


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_publishes_nothing_for_a_rolled_back_transaction(memory_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(noted, "rolled back")
        raise RuntimeError("the change fails")
    with transaction.atomic():
        enqueue_on_commit(noted, "kept")
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint rolled back
            enqueue_on_commit(noted, "rolled back with its savepoint")
            raise RuntimeError("the inner change fails")
    assert [args for _name, args, _kwargs in published(memory_queue)] == [["kept"]]


@pytest.mark.django_db(transaction=True)
def test_enqueue_on_commit_outside_a_transaction_publishes_at_once(memory_queue):
    enqueue_on_commit(noted, "now")
    assert [args for _name, args, _kwargs in published(memory_queue)] == [["now"]]


@pytest.mark.django_db(transaction=True)
def test_a_broker_failure_after_the_commit_is_logged_not_raised_and_quick(caplog):
    with current_app_on(f"amqp://guest:guest@127.0.0.1:{closed_port()}//"):
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="core.jobs"), transaction.atomic():
            enqueue_on_commit(noted, 42)
        elapsed = time.monotonic() - started
    assert elapsed < 3
    [entry] = [entry for entry in caplog.records if entry.name == "core.jobs"]
    assert entry.levelno == logging.WARNING
    assert "core.tests.test_jobs.noted(42,) was not enqueued" in entry.getMessage()
    assert "the sweeper will enqueue it" in entry.getMessage()
    assert "Connection refused" in str(entry.exc_info[1])


# --- Sweeps -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("registries")
def test_run_sweeps_enqueues_the_jobs_each_sweep_returns(memory_queue):
    jobs.register_sweep("resumes", lambda: [(noted, (1,)), (noted, [2])])
    jobs.register_sweep("nothing due", lambda: [])
    jobs.register_sweep("enqueues itself", lambda: None)
    assert run_sweeps() == {"resumes": 2, "nothing due": 0, "enqueues itself": 0}
    assert [args for _name, args, _kwargs in published(memory_queue)] == [[1], [2]]


@pytest.mark.usefixtures("registries")
def test_a_failing_sweep_is_logged_and_the_others_still_run(memory_queue, caplog):
    def broken():
        raise RuntimeError("database unreachable")

    jobs.register_sweep("broken", broken)
    jobs.register_sweep("resumes", lambda: [(noted, (1,))])
    with caplog.at_level(logging.ERROR, logger="core.jobs"):
        assert run_sweeps() == {"broken": -1, "resumes": 1}
    assert "Sweep broken failed." in caplog.text
    assert "database unreachable" in caplog.text
    assert len(published(memory_queue)) == 1


@pytest.mark.usefixtures("registries")
def test_registering_a_sweep_again_under_its_name_replaces_it(memory_queue):
    jobs.register_sweep("resumes", lambda: [(noted, (1,))])
    jobs.register_sweep("resumes", lambda: [])
    assert run_sweeps() == {"resumes": 0}


@pytest.mark.django_db
def test_the_sweep_task_runs_the_registered_sweeps(registries, memory_queue):
    from core.tasks import sweep

    jobs.register_sweep("resumes", lambda: [(noted, (3,))])
    assert sweep.apply().get() == {"resumes": 1}
    assert settings.CELERY_BEAT_SCHEDULE["sweep"]["task"] == sweep.name
    assert settings.CELERY_BEAT_SCHEDULE["sweep"]["schedule"] == settings.JOB_SWEEP_SECONDS


# --- Pending work -------------------------------------------------------------------------------


@pytest.mark.usefixtures("registries")
def test_oldest_unfinished_job_age_is_that_of_the_oldest_work_of_any_probe():
    now = timezone.now()
    jobs.register_pending_work("resumes", lambda: (3, now - timedelta(seconds=40)))
    jobs.register_pending_work("deliveries", lambda: (1, now - timedelta(minutes=5)))
    jobs.register_pending_work("idle", lambda: (0, None))
    assert jobs.pending_work() == {
        "resumes": (3, now - timedelta(seconds=40)),
        "deliveries": (1, now - timedelta(minutes=5)),
        "idle": (0, None),
    }
    assert oldest_unfinished_job_age(now=now) == 300.0


@pytest.mark.usefixtures("registries")
def test_oldest_unfinished_job_age_is_none_without_unfinished_work():
    assert oldest_unfinished_job_age() is None
    jobs.register_pending_work("idle", lambda: (0, None))
    assert oldest_unfinished_job_age() is None
