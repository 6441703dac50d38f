"""Jobs for the job-engine tests (config/tests/test_jobs.py), run by a real worker process.

A test worker imports this module (`celery -A config worker -I config.tests.job_tasks`) with
JOB_TEST_DIR set. Every job writes under that folder, in files named by its job id:

- `attempts/<id>`: one JSON line per attempt (pid, retries, redelivered, source, time);
- `done/<id>`: the effect, created once (O_EXCL): a job that runs again after it completed
  changes nothing, as the claims of real jobs make sure;
- `pending/<id>`: work that exists without a message (the stand-in for a domain row). The sweep
  registered here enqueues a job for each, as an app's sweep does for its due rows, and the
  probe reports them as unfinished work.
"""

import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from core.jobs import register_pending_work, register_sweep


class TransientFailure(Exception):
    """A failure worth retrying (a timeout, a 503 from a service the job calls)."""


def job_dir() -> Path:
    return Path(os.environ["JOB_TEST_DIR"])


def add_pending(folder: Path, job_id: str) -> None:
    """Record work that needs a job, without enqueueing one."""
    (folder / "pending").mkdir(parents=True, exist_ok=True)
    (folder / "pending" / job_id).touch()


def attempts(folder: Path, job_id: str) -> list[dict]:
    path = folder / "attempts" / job_id
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def effect(folder: Path, job_id: str) -> str | None:
    path = folder / "done" / job_id
    return path.read_text() if path.exists() else None


def _append(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as file:
        file.write(line + "\n")
        file.flush()
        os.fsync(file.fileno())


@shared_task(
    bind=True,
    autoretry_for=(TransientFailure,),
    retry_backoff=1,
    retry_jitter=False,  # the real jobs keep jitter; the test measures the backoff itself
    max_retries=4,
)
def record(self, job_id, source="message", sleep=0.0, fail_times=0, user_id=None):
    """Record the attempt; sleep; fail transiently `fail_times` times; then write the effect
    once (with the email of the user `user_id`, read from the database, when given)."""
    folder = job_dir()
    attempt = {
        "pid": os.getpid(),
        "retries": self.request.retries,
        "redelivered": bool((self.request.delivery_info or {}).get("redelivered")),
        "source": source,
        "at": time.time(),
    }
    _append(folder / "attempts" / job_id, json.dumps(attempt))
    time.sleep(sleep)
    if self.request.retries < fail_times:
        raise TransientFailure(f"attempt {self.request.retries + 1} of {job_id} failed")
    content = source
    if user_id is not None:
        from accounts.models import User

        content = User.objects.get(pk=user_id).email
    (folder / "done").mkdir(exist_ok=True)
    try:
        descriptor = os.open(folder / "done" / job_id, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        return  # done already: a second run is a no-op
    with os.fdopen(descriptor, "w") as file:
        file.write(content)
    (folder / "pending" / job_id).unlink(missing_ok=True)


@shared_task(soft_time_limit=0.5, time_limit=1.5)
def overrun(job_id):
    """Record the attempt, then run on past the soft time limit (as code stuck outside Python
    would) until the hard limit stops the process."""
    _append(job_dir() / "attempts" / job_id, json.dumps({"pid": os.getpid()}))
    try:
        time.sleep(60)
    except SoftTimeLimitExceeded:
        _append(job_dir() / "attempts" / job_id, json.dumps({"soft_time_limit": True}))
        time.sleep(60)


def sweep_pending() -> list:
    """Return a job for every pending record that is not done."""
    pending = job_dir() / "pending"
    names = sorted(path.name for path in pending.iterdir()) if pending.is_dir() else []
    return [(record, (job_id, "sweep")) for job_id in names]


def pending_records() -> tuple[int, datetime | None]:
    pending = job_dir() / "pending"
    stamps = [path.stat().st_mtime for path in pending.iterdir()] if pending.is_dir() else []
    oldest = datetime.fromtimestamp(min(stamps), tz=UTC) if stamps else None
    return len(stamps), oldest


if os.environ.get("JOB_TEST_DIR"):  # in a test worker only, never in the test process
    register_sweep("test-records", sweep_pending)
    register_pending_work("test-records", pending_records)
