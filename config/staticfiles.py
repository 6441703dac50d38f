"""Collected static files: without them, debug off, every admin page and the API docs answer 500.

The manifest storage (CompressedManifestStaticFilesStorage) names files by their content hash,
read from the `staticfiles.json` that `collectstatic` writes. The server refuses to start without
it (config/wsgi.py raises the problem as one line), `manage.py check --deploy` reports it, and
`/health/detailed` shows it. With debug on, Django names static files as they are and WhiteNoise
serves them from the apps' folders, so development needs no collectstatic.
"""

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core import checks
from django.core.files.storage import storages


def missing_static_problem() -> str | None:
    """Return why static files cannot be served, or None when they can."""
    storage = storages["staticfiles"]
    if settings.DEBUG or not isinstance(storage, ManifestFilesMixin):
        return None
    if storage.read_manifest() is not None:
        return None
    return (
        f"Static files are not collected: {storage.path(storage.manifest_name)} is missing,"
        " so the admin and the API docs would answer 500. Run"
        " `python manage.py collectstatic --noinput` before starting the server"
        " (or set DJANGO_DEBUG=1 for development)."
    )


def static_files_report() -> dict:
    """What /health/detailed shows about static files."""
    storage = storages["staticfiles"]
    report = {"storage": storage.__class__.__name__}
    if isinstance(storage, ManifestFilesMixin):
        paths, _manifest_hash = storage.load_manifest()
        report["manifest_entries"] = len(paths)
    problem = missing_static_problem()
    report["status"] = "error" if problem else "ok"
    if problem:
        report["error"] = problem
    return report


@checks.register(checks.Tags.staticfiles, deploy=True)
def check_collected_static(app_configs, **kwargs) -> list[checks.CheckMessage]:
    problem = missing_static_problem()
    return [checks.Error(problem, id="config.E001")] if problem else []
