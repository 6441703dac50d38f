"""The periodic sweep (Celery beat, every JOB_SWEEP_SECONDS): runs the sweeps apps register."""

from celery import shared_task

from core.jobs import run_sweeps


@shared_task(name="core.tasks.sweep")
def sweep() -> dict[str, int]:
    """Enqueue again the work that is due and not claimed (core.jobs.register_sweep)."""
    return run_sweeps()
