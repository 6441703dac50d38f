"""WSGI entry point (gunicorn config.wsgi). It refuses to start a server that would answer 500
on every admin page: debug off and static files not collected (config.staticfiles)."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

from config.staticfiles import missing_static_problem  # noqa: E402  (needs the apps loaded)

if problem := missing_static_problem():
    raise ImproperlyConfigured(problem)
