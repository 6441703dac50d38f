"""The Django app as ASGI for the bench's worker-model figures: `uvicorn bench.asgi:application`.

config/ has no asgi.py (production serves WSGI with gunicorn); this entry point builds Django's
ASGI handler on the bench's settings (bench/settings.py), only for the bench.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

application = get_asgi_application()
