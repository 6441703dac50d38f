"""The project package; it loads the Celery app whenever Django starts, so that `shared_task`
uses it (Celery's "First steps with Django")."""

from .celery import app as celery_app

__all__ = ("celery_app",)
