"""The Celery application: the project's one job engine (README, "Background jobs").

Its settings are the `CELERY_*` names of config/settings.py; workers find the tasks of every
installed app (`<app>/tasks.py`) and the modules in `CELERY_IMPORTS`. Run a worker with
`celery -A config worker` and the scheduler with `celery -A config beat`.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
