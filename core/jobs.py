"""Background jobs: enqueue on commit, the sweeper's registry, and the pending-work probes.

The engine is Celery (config/celery.py; README, "Background jobs"). Delivery is at least once,
so every job is idempotent: it claims its domain row with one conditional UPDATE and does
nothing when the claim finds nothing to do. Define jobs with `celery.shared_task`.

- `enqueue_on_commit(task, *args, **kwargs)` is the one way to start a job from a change: the
  message is published once the transaction commits (never for a rolled-back one). A broker
  that cannot be reached costs the request a warning in the log, not an error: the work is in
  the database, and the sweeper enqueues it.
- `register_sweep(name, function)`: the periodic sweep (`core.tasks.sweep`, every
  `JOB_SWEEP_SECONDS`) calls `function()`, which returns the jobs to enqueue as `(task, args)`
  pairs for work that is due and not claimed (or enqueues them itself and returns nothing).
  Sweeps may overlap and repeat: the claims make that harmless.
- `register_pending_work(name, probe)`: `probe()` returns `(count, oldest)` of its unfinished
  work (`oldest` the creation time of the oldest, or None); /health/detailed reports them.

Apps register their sweeps and probes in `AppConfig.ready()`.
"""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime

from celery import Task
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

Job = tuple[Task, Iterable]
Sweep = Callable[[], Iterable[Job] | None]
PendingWorkProbe = Callable[[], tuple[int, datetime | None]]

SWEEPS: dict[str, Sweep] = {}
PENDING_WORK: dict[str, PendingWorkProbe] = {}


def enqueue_on_commit(task: Task, *args, **kwargs) -> None:
    """Publish `task(*args, **kwargs)` once the current transaction commits (at once outside
    one); log a broker failure instead of raising it, as the sweeper recovers the job."""

    def publish() -> None:
        try:
            task.apply_async(args, kwargs)
        except Exception:
            logger.warning(
                "Job %s%r was not enqueued (broker unreachable?); the sweeper will enqueue it.",
                task.name,
                args,
                exc_info=True,
            )

    transaction.on_commit(publish)


def register_sweep(name: str, function: Sweep) -> None:
    """Have every sweep call `function()` (registering a name again replaces it)."""
    SWEEPS[name] = function


def register_pending_work(name: str, probe: PendingWorkProbe) -> None:
    """Report `probe()`, the (count, oldest) of this kind of unfinished work, in the health."""
    PENDING_WORK[name] = probe


def run_sweeps() -> dict[str, int]:
    """Run every registered sweep and return how many jobs each enqueued (-1: it failed)."""
    enqueued = {}
    for name, function in SWEEPS.items():
        try:
            jobs = list(function() or ())
            for task, args in jobs:
                task.apply_async(tuple(args))
        except Exception:
            # One broken sweep must not stop the others; the next sweep tries it again.
            logger.exception("Sweep %s failed.", name)
            enqueued[name] = -1
            continue
        enqueued[name] = len(jobs)
        if jobs:
            logger.info("Sweep %s enqueued %d job(s).", name, len(jobs))
    return enqueued


def pending_work() -> dict[str, tuple[int, datetime | None]]:
    """Return each probe's unfinished work: its count and the oldest one's creation time."""
    return {name: probe() for name, probe in PENDING_WORK.items()}


def oldest_unfinished_job_age(
    work: dict[str, tuple[int, datetime | None]] | None = None, *, now: datetime | None = None
) -> float | None:
    """Return the age in seconds of the oldest unfinished work (of `work`, by default of every
    probe), or None when there is none."""
    work = pending_work() if work is None else work
    oldest = [stamp for _count, stamp in work.values() if stamp is not None]
    if not oldest:
        return None
    return round(((now or timezone.now()) - min(oldest)).total_seconds(), 3)
