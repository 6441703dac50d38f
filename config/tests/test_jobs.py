"""The job engine with real workers: `celery -A config worker` processes on RabbitMQ (and on the
embedded filesystem broker) against the test's PostgreSQL database, and /health/detailed.

Each run uses queues of its own (workers.unique_queue), so runs in parallel never take each
other's jobs. The jobs (config/tests/job_tasks.py) leave files named by their job id: one line
per attempt, and the effect, written once.
"""

import os
import subprocess
import sys
import time
from itertools import pairwise

import pytest
from celery import current_app
from django.db import transaction

from accounts.models import User
from accounts.tests.factories import UserFactory
from config.tests.job_tasks import add_pending, attempts, effect, overrun, record
from config.tests.workers import (
    ROOT,
    Worker,
    current_app_on,
    database_url_of_the_tests,
    delete_queue,
    require_rabbitmq,
    unique_queue,
)
from conftest import closed_port, wait_for
from core.jobs import enqueue_on_commit

# Real processes that read the rows the test commits.
pytestmark = [pytest.mark.postgres, pytest.mark.system, pytest.mark.django_db(transaction=True)]
JOB_SECONDS = 30  # how long a test waits for a job that should run


@pytest.fixture(scope="session")
def rabbitmq() -> str:
    return require_rabbitmq()


@pytest.fixture(scope="module")
def queue(rabbitmq):
    name = unique_queue()
    yield name
    delete_queue(rabbitmq, name)


@pytest.fixture(scope="module")
def job_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("jobs")


@pytest.fixture(scope="module")
def worker(django_db_setup, rabbitmq, queue, job_dir, tmp_path_factory):
    """One prefork worker (one process) with embedded beat, sweeping every second."""
    log_dir = tmp_path_factory.mktemp("worker-logs")
    with Worker(log_dir, broker_url=rabbitmq, queue=queue, job_dir=job_dir, beat=True) as worker:
        yield worker


@pytest.fixture
def publishing(rabbitmq, queue):
    """Jobs the test enqueues go to the module's queue on RabbitMQ."""
    with current_app_on(rabbitmq, queue) as app:
        yield app


@pytest.fixture
def own_queue(rabbitmq):
    """A queue for one test's own workers, published to by the test process."""
    name = unique_queue()
    with current_app_on(rabbitmq, name):
        yield name
    delete_queue(rabbitmq, name)


def queue_depth(queue: str) -> int:
    with current_app.connection_for_read() as connection:
        return connection.default_channel.queue_declare(queue=queue, passive=True).message_count


# --- Enqueue on commit --------------------------------------------------------------------------


@pytest.mark.usefixtures("worker", "publishing")
def test_a_job_enqueued_in_a_transaction_runs_after_the_commit_and_reads_its_rows(job_dir):
    with transaction.atomic():
        user = UserFactory()
        enqueue_on_commit(record, "after-commit", user_id=user.pk)
        # A job published at once runs meanwhile; the one enqueued on commit waits for it.
        record.apply_async(("meanwhile",))
        assert wait_for(lambda: effect(job_dir, "meanwhile") is not None, JOB_SECONDS)
        assert attempts(job_dir, "after-commit") == []
    assert wait_for(lambda: effect(job_dir, "after-commit") is not None, JOB_SECONDS)
    assert effect(job_dir, "after-commit") == user.email  # the worker saw the committed row
    assert len(attempts(job_dir, "after-commit")) == 1


@pytest.mark.usefixtures("worker", "publishing")
def test_a_job_enqueued_in_a_rolled_back_transaction_never_runs(job_dir):
    with pytest.raises(RuntimeError), transaction.atomic():
        UserFactory()
        enqueue_on_commit(record, "rolled-back")
        raise RuntimeError("the change fails")
    # Outside a transaction the job is published at once; the queue is first in, first out.
    enqueue_on_commit(record, "after-rollback")
    assert wait_for(lambda: effect(job_dir, "after-rollback") is not None, JOB_SECONDS)
    assert attempts(job_dir, "rolled-back") == []


# --- Retries ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("worker", "publishing")
def test_a_job_that_fails_transiently_is_retried_with_backoff_and_succeeds(job_dir):
    enqueue_on_commit(record, "flaky", fail_times=2)
    assert wait_for(lambda: effect(job_dir, "flaky") is not None, JOB_SECONDS)
    tries = attempts(job_dir, "flaky")
    assert [attempt["retries"] for attempt in tries] == [0, 1, 2]
    # retry_backoff=1 (jitter off in this job): 1 s, then 2 s before the next attempt.
    gaps = [later["at"] - earlier["at"] for earlier, later in pairwise(tries)]
    assert gaps[0] >= 0.95 and gaps[1] >= 1.95, gaps
    assert gaps[1] > gaps[0]


# --- Time limits --------------------------------------------------------------------------------


@pytest.mark.usefixtures("publishing")
def test_a_job_past_its_hard_time_limit_is_stopped_and_the_worker_goes_on(worker, job_dir):
    enqueue_on_commit(overrun, "overrun")
    enqueue_on_commit(record, "after-overrun")
    started = time.monotonic()
    assert wait_for(lambda: effect(job_dir, "after-overrun") is not None, JOB_SECONDS)
    assert time.monotonic() - started < 20  # not the 60 s the job asked for
    assert "Hard time limit (1.5s) exceeded" in worker.log()
    # Acknowledged as failed, not handed out again (a hostile input must not loop).
    enqueue_on_commit(record, "after-overrun-2")
    assert wait_for(lambda: effect(job_dir, "after-overrun-2") is not None, JOB_SECONDS)
    first_try, soft_limit = attempts(job_dir, "overrun")
    assert "pid" in first_try and soft_limit == {"soft_time_limit": True}


# --- kill -9 ------------------------------------------------------------------------------------


def test_a_job_whose_worker_is_killed_with_sigkill_mid_job_completes_on_another_worker(
    rabbitmq, own_queue, tmp_path, django_db_setup
):
    job_dir = tmp_path / "jobs"
    first = Worker(tmp_path, broker_url=rabbitmq, queue=own_queue, job_dir=job_dir).start()
    try:
        enqueue_on_commit(record, "slow", sleep=3)
        assert wait_for(lambda: len(attempts(job_dir, "slow")) == 1, JOB_SECONDS)
    finally:
        first.kill()  # SIGKILL to its process group, mid-job: no acknowledgement was sent
    assert effect(job_dir, "slow") is None
    with Worker(tmp_path, broker_url=rabbitmq, queue=own_queue, job_dir=job_dir):
        assert wait_for(lambda: effect(job_dir, "slow") is not None, JOB_SECONDS)
        # Acknowledged once done: nothing is left in the queue.
        assert wait_for(lambda: queue_depth(own_queue) == 0, 10)
    first_try, second_try = attempts(job_dir, "slow")
    assert not first_try["redelivered"] and second_try["redelivered"]
    assert first_try["pid"] != second_try["pid"]
    assert effect(job_dir, "slow") == "message"


def test_a_job_whose_pool_process_is_killed_with_sigkill_runs_again_on_the_same_worker(
    rabbitmq, own_queue, tmp_path, django_db_setup
):
    job_dir = tmp_path / "jobs"
    with Worker(tmp_path, broker_url=rabbitmq, queue=own_queue, job_dir=job_dir) as worker:
        enqueue_on_commit(record, "slow", sleep=3)
        assert wait_for(lambda: len(attempts(job_dir, "slow")) == 1, JOB_SECONDS)
        os.kill(attempts(job_dir, "slow")[0]["pid"], 9)  # the pool process, not the worker
        assert wait_for(lambda: effect(job_dir, "slow") is not None, JOB_SECONDS)
        assert worker.process.poll() is None
    # task_reject_on_worker_lost: the worker gave the message back and took it again.
    assert "WorkerLostError" in worker.log()
    first_try, second_try = attempts(job_dir, "slow")
    assert second_try["redelivered"] and first_try["pid"] != second_try["pid"]


def test_on_the_embedded_broker_the_sweeper_recovers_the_job_of_a_killed_worker(
    tmp_path, django_db_setup
):
    """The filesystem broker drops a message once delivered: the sweeper enqueues it again."""
    queue_dir, job_dir, name = tmp_path / "queue", tmp_path / "jobs", unique_queue()
    folders = {"data_folder_in": "messages", "data_folder_out": "messages"}
    options = {key: str(queue_dir / folder) for key, folder in folders.items()}
    options["control_folder"] = str(queue_dir / "control")
    for folder in ("messages", "control"):
        (queue_dir / folder).mkdir(parents=True)
    embedded = {
        "broker_url": "filesystem://localhost//",
        "queue": name,
        "job_dir": job_dir,
        "pool": "solo",
    }
    with current_app_on("filesystem://localhost//", name, broker_transport_options=options):
        add_pending(job_dir, "slow")  # the work, as a domain row would hold it
        enqueue_on_commit(record, "slow", sleep=3)
        first = Worker(tmp_path, JOB_QUEUE_DIR=str(queue_dir), **embedded).start()
        try:
            assert wait_for(lambda: len(attempts(job_dir, "slow")) == 1, JOB_SECONDS)
        finally:
            first.kill()
        assert not list((queue_dir / "messages").iterdir())  # the message went with the worker
        with Worker(tmp_path, beat=True, JOB_QUEUE_DIR=str(queue_dir), **embedded):
            assert wait_for(lambda: effect(job_dir, "slow") is not None, JOB_SECONDS)
    sources = [attempt["source"] for attempt in attempts(job_dir, "slow")]
    assert sources[0] == "message" and set(sources[1:]) == {"sweep"}, sources
    assert effect(job_dir, "slow") == "sweep"


# --- The sweeper --------------------------------------------------------------------------------


@pytest.mark.usefixtures("worker")
def test_the_sweeper_enqueues_work_whose_message_was_lost(job_dir):
    add_pending(job_dir, "lost")  # work recorded, but its message never reached the broker
    assert wait_for(lambda: effect(job_dir, "lost") is not None, JOB_SECONDS)
    assert {attempt["source"] for attempt in attempts(job_dir, "lost")} == {"sweep"}
    assert not (job_dir / "pending" / "lost").exists()


REQUEST = """
import time
from pathlib import Path
from django.db import transaction
from accounts.services import user_create
from config.tests.job_tasks import add_pending, record
from core.jobs import enqueue_on_commit

started = time.monotonic()
with transaction.atomic():
    user_create(email="queued@example.com", password=None, full_name="Queued")
    add_pending(Path({job_dir!r}), "unpublished")
    enqueue_on_commit(record, "unpublished")
print(f"committed in {{time.monotonic() - started:.3f}} s")
"""


@pytest.mark.usefixtures("worker")
def test_a_commit_while_the_broker_is_unreachable_succeeds_and_the_sweeper_enqueues_its_job(
    job_dir, queue
):
    unreachable = f"amqp://guest:guest@127.0.0.1:{closed_port()}//"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_the_tests(),
        "CELERY_BROKER_URL": unreachable,
        "CELERY_QUEUE": queue,
    }
    env.pop("JOB_TEST_DIR", None)
    started = time.monotonic()
    request = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", REQUEST.format(job_dir=str(job_dir))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert request.returncode == 0, request.stderr
    assert "committed in" in request.stdout
    assert float(request.stdout.split()[-2]) < 3, request.stdout  # no hanging on the broker
    assert "Job config.tests.job_tasks.record('unpublished',) was not enqueued" in request.stderr
    assert "Connection refused" in request.stderr
    assert User.objects.filter(email="queued@example.com").exists()
    assert time.monotonic() - started < 30
    # The worker on the real broker finds the work at its next sweep.
    assert wait_for(lambda: effect(job_dir, "unpublished") is not None, JOB_SECONDS)
    assert {attempt["source"] for attempt in attempts(job_dir, "unpublished")} == {"sweep"}
