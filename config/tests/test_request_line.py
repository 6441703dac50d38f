"""Long request lines: up to gunicorn's limit (8190 bytes, gunicorn.conf.py) they reach Django,
which answers in the API's JSON shapes (an overlong `search` is a 400 field error); beyond it
gunicorn itself answers 414 in plain text, which cannot be the API's JSON."""

import http.client
import json

import pytest
from django.urls import reverse

from core.api.filters import SEARCH_MAX_LENGTH

pytestmark = pytest.mark.system

REQUEST_LINE_LIMIT = 8190
PATH = "/api/v1/candidates/"


def _get(site, target: str, token: str) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
    try:
        connection.request("GET", target, headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def _target_of_line_length(query: str, length: int) -> str:
    """Return PATH?query=xxx... whose request line `GET <target> HTTP/1.1` is `length` bytes."""
    prefix = f"{PATH}?{query}="
    padding = length - len(f"GET {prefix} HTTP/1.1")
    return prefix + "a" * padding


def test_a_request_line_at_the_limit_reaches_django(site, site_tokens):
    target = _target_of_line_length("unfiltered", REQUEST_LINE_LIMIT)
    status, content_type, body = _get(site, target, site_tokens["recruiter"])
    assert status == 200
    assert content_type == "application/json"
    assert "results" in json.loads(body)


def test_a_long_search_gets_the_apis_json_400_not_gunicorns_414(site, site_tokens):
    target = _target_of_line_length("search", REQUEST_LINE_LIMIT)
    status, content_type, body = _get(site, target, site_tokens["recruiter"])
    assert status == 400
    assert content_type == "application/json"
    assert "search" in json.loads(body)


def test_beyond_the_limit_gunicorn_answers_414(site, site_tokens):
    target = _target_of_line_length("search", REQUEST_LINE_LIMIT + 1)
    status, content_type, _body = _get(site, target, site_tokens["recruiter"])
    assert status == 414
    assert content_type != "application/json"

    status, _content_type, _body = _get(site, f"{PATH}?search={'a' * 100_000}", "x")
    assert status == 414


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url_name", "api"),
    [
        ("candidate-list", "recruiter_api"),
        ("interview-list", "recruiter_api"),
        ("user-list", "admin_api"),
    ],
)
def test_search_is_at_most_255_characters(request, url_name, api):
    client = request.getfixturevalue(api)
    url = reverse(url_name)
    assert client.get(url, {"search": "a" * SEARCH_MAX_LENGTH}).status_code == 200
    response = client.get(url, {"search": "a" * (SEARCH_MAX_LENGTH + 1)})
    assert response.status_code == 400
    assert response.json() == {
        "search": [
            f"Ensure this value has at most 255 characters (it has {SEARCH_MAX_LENGTH + 1})."
        ]
    }
