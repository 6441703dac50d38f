"""The bench's floor views are mounted by the bench's own settings and URLconf, never by ours."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

import bench.settings
import config.settings


def test_project_urlconf_mounts_no_floor_views(client):
    with pytest.raises(NoReverseMatch):
        reverse("bench-floor-interviews")
    assert client.get("/bench/floor/interviews/").status_code == 404


@override_settings(ROOT_URLCONF="bench.urls")
def test_bench_urlconf_adds_the_floor_views_to_the_project_urls(client):
    assert reverse("bench-floor-interviews") == "/bench/floor/interviews/"
    assert reverse("interview-list") == "/api/v1/interviews/"
    assert client.get("/bench/floor/interviews/").status_code == 401  # no bearer token


def test_bench_settings_are_the_project_settings_with_the_bench_urlconf():
    assert bench.settings.ROOT_URLCONF == "bench.urls"
    assert config.settings.ROOT_URLCONF == "config.urls"
    assert bench.settings.INSTALLED_APPS == config.settings.INSTALLED_APPS
    assert bench.settings.DATABASES == config.settings.DATABASES
