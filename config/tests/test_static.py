"""Static files not collected, debug off: the server refuses to start, with one clear line.

Without `collectstatic` the manifest storage cannot name any static file, and every admin page
(and the API docs) would answer 500 while `/health` answered 200. gunicorn now stops at start-up
and says why; `check --deploy` and `/health/detailed` report the same problem.
"""

import subprocess
import sys
import urllib.request

import pytest
from django.urls import reverse

from config.tests.servers import ROOT, Gunicorn, free_port, manage

pytestmark = pytest.mark.system

MANIFEST_STORAGE = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
PROBLEM = "Static files are not collected"


@pytest.fixture
def uncollected_env(tmp_path, site_env) -> dict[str, str]:
    return {**site_env, "STATIC_ROOT": str(tmp_path / "never-collected")}


def test_gunicorn_refuses_to_start_when_static_files_are_not_collected(uncollected_env):
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{free_port()}"],
        env=uncollected_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.startswith(PROBLEM)]
    assert lines, result.stderr[-3000:]
    assert "collectstatic --noinput" in lines[0]
    assert uncollected_env["STATIC_ROOT"] in lines[0]


def test_check_deploy_reports_uncollected_static_files(uncollected_env):
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy"],
        env=uncollected_env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert f"(config.E001) {PROBLEM}" in result.stderr


def test_collectstatic_itself_still_runs_without_a_manifest(uncollected_env):
    manage(uncollected_env, "collectstatic", "--noinput", "-v0")


def _get_status(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status


def test_collected_static_files_serve_the_admin_and_the_docs(site):
    for path in ("/admin/login/", "/api/v1/docs/"):
        assert _get_status(f"{site.base}{path}") == 200, path


def test_with_debug_on_the_admin_needs_no_collectstatic(uncollected_env, tmp_path):
    env = {**uncollected_env, "DJANGO_DEBUG": "1"}
    with Gunicorn(env, tmp_path / "gunicorn.log") as server:
        assert _get_status(f"{server.base}/admin/login/") == 200


@pytest.mark.django_db
def test_detailed_health_reports_uncollected_static_files(admin_api, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST_STORAGE}
    settings.STATIC_ROOT = tmp_path / "never-collected"
    response = admin_api.get(reverse("health-detailed"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unhealthy"
    assert body["static"]["status"] == "error"
    assert body["static"]["error"].startswith(PROBLEM)


@pytest.mark.django_db
def test_detailed_health_reports_collected_static_files(admin_api, settings, collected_static):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST_STORAGE}
    settings.STATIC_ROOT = collected_static
    response = admin_api.get(reverse("health-detailed"))
    assert response.status_code == 200
    static = response.json()["static"]
    assert static["status"] == "ok"
    assert static["storage"] == "CompressedManifestStaticFilesStorage"
    assert static["manifest_entries"] > 100
