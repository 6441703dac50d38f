"""The bench's settings: the project's, with the floor views in the URLconf (bench/urls.py).

Only the bench's own processes use them (`DJANGO_SETTINGS_MODULE=bench.settings`, set by
bench/scratch.py); a deployment never mounts the floor views.
"""

from config.settings import *  # noqa: F403  the project's settings, read from the environment

ROOT_URLCONF = "bench.urls"
