"""The API docs (Swagger UI) load nothing from another host: their scripts, stylesheet and icon
are drf-spectacular-sidecar's files, served by the app's own static files (no CDN, no
`@latest`), and Swagger UI does not call swagger.io's online validator."""

import re
import urllib.request
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse

# Every URL the page names: attributes, and absolute URLs anywhere (inline scripts included).
ASSET = re.compile(r'(?:src|href)="([^"]+)"')
ABSOLUTE_URL = re.compile(r"(?:https?:)?//[A-Za-z0-9.-]+")


def _references(html: str) -> list[str]:
    return ASSET.findall(html)


@pytest.mark.django_db
def test_the_docs_page_names_no_other_host(client):
    response = client.get(reverse("swagger-ui"))
    assert response.status_code == 200
    html = response.content.decode()
    assert ABSOLUTE_URL.findall(html) == []
    assets = _references(html)
    assert {urlsplit(url).netloc for url in assets} == {""}
    assert any(url.endswith("swagger-ui-bundle.js") for url in assets), assets
    assert all(url.startswith("/static/drf_spectacular_sidecar/") for url in assets), assets
    assert '"validatorUrl": null' in html


@pytest.mark.system
def test_the_served_docs_assets_are_the_apps_collected_static_files(site):
    with urllib.request.urlopen(f"{site.base}/api/v1/docs/", timeout=30) as response:
        html = response.read().decode()
    assets = _references(html)
    assert len(assets) >= 4, assets  # icon, stylesheet, two scripts
    for url in assets:
        # Hashed names from collectstatic's manifest, served by WhiteNoise.
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), url
        with urllib.request.urlopen(urljoin(site.base, url), timeout=30) as asset:
            assert asset.status == 200, url
            assert asset.read(), url
