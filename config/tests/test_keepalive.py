"""Kept-alive connections survive a rejected request body, in a real gunicorn (gthread).

Every way the project refuses a request without reading its body (401, 403, 404, 405, 413, 415,
and a 400 from host validation) is sent with a body larger than the 64 KiB gunicorn drains by
itself, on one keep-alive `http.client` connection; the next request on that same connection
must succeed. Without config.middleware.UnreadBodyMiddleware the server drops the connection
after each of those answers, and the next request fails ("Remote end closed connection without
response"). A body above the upload limit is not read at all: its answer says
`Connection: close`, so the client opens a new connection for the next request.
"""

import http.client
import json

import pytest

pytestmark = pytest.mark.system

REPEATS = 5
# Above gunicorn's own drain (64 KiB): what is left of such a body decides the connection's fate.
BIG_JSON = json.dumps({"full_name": "x" * 70_000}).encode()
MIB = 1024 * 1024
# Above the 2 MiB JSON limit (413), below the 11 MiB upload limit (read after the answer).
TOO_LARGE_JSON = json.dumps({"full_name": "x" * (3 * MIB)}).encode()
# Above the upload limit: never read; only a prefix of it is sent.
BEYOND_UPLOAD_LIMIT = 12 * MIB


def _json(token: str | None = None, content_type: str = "application/json") -> dict[str, str]:
    headers = {"Content-Type": content_type}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return headers


def rejections(tokens: dict[str, str]) -> dict[str, tuple[int, str, str, bytes, dict]]:
    """Each rejection: (expected status, method, path, body, headers)."""
    engine, recruiter = tokens["engine"], tokens["recruiter"]
    return {
        "401 no credentials": (401, "POST", "/api/v1/candidates/", BIG_JSON, _json()),
        "403 engine creates a candidate": (
            403,
            "POST",
            "/api/v1/candidates/",
            BIG_JSON,
            _json(engine),
        ),
        "404 unknown path": (404, "POST", "/api/v1/nowhere/", BIG_JSON, _json(engine)),
        "405 PUT on a list": (405, "PUT", "/api/v1/resumes/", BIG_JSON, _json(engine)),
        "415 CSV body": (
            415,
            "POST",
            "/api/v1/interviews/",
            BIG_JSON,
            _json(recruiter, content_type="text/csv"),
        ),
        "400 malformed JSON": (
            400,
            "POST",
            "/api/v1/candidates/",
            b"{" + BIG_JSON,
            _json(recruiter),
        ),
        "400 unknown host": (
            400,
            "POST",
            "/api/v1/candidates/",
            BIG_JSON,
            {**_json(recruiter), "Host": "elsewhere.example"},
        ),
        "413 JSON above 2 MiB": (
            413,
            "POST",
            "/api/v1/candidates/",
            TOO_LARGE_JSON,
            _json(recruiter),
        ),
    }


def _follow_up(connection: http.client.HTTPConnection, token: str) -> int:
    connection.request("GET", "/api/v1/candidates/", headers={"Authorization": f"Bearer {token}"})
    response = connection.getresponse()
    response.read()
    return response.status


@pytest.mark.parametrize(
    "kind",
    [
        "401 no credentials",
        "403 engine creates a candidate",
        "404 unknown path",
        "405 PUT on a list",
        "415 CSV body",
        "400 malformed JSON",
        "400 unknown host",
        "413 JSON above 2 MiB",
    ],
)
def test_the_connection_serves_the_next_request_after_a_rejected_body(site, site_tokens, kind):
    status, method, path, body, headers = rejections(site_tokens)[kind]
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
    try:
        connection.connect()
        local_address = connection.sock.getsockname()
        for attempt in range(REPEATS):
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            assert response.status == status, (attempt, response.status)
            assert response.getheader("Connection") == "keep-alive"
            follow_up = _follow_up(connection, site_tokens["recruiter"])
            assert follow_up == 200, (attempt, follow_up)
        # One TCP connection throughout: it was kept alive, not silently reopened.
        assert connection.sock.getsockname() == local_address
    finally:
        connection.close()


def test_a_body_above_the_upload_limit_is_refused_with_connection_close(site, site_tokens):
    token = site_tokens["recruiter"]
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=30)
    try:
        for attempt in range(REPEATS):
            connection.putrequest("POST", "/api/v1/resumes/")
            connection.putheader("Authorization", f"Bearer {token}")
            connection.putheader("Content-Type", "multipart/form-data; boundary=x")
            connection.putheader("Content-Length", str(BEYOND_UPLOAD_LIMIT))
            connection.endheaders(b"--x\r\n" + b"x" * 65_536)
            response = connection.getresponse()
            body = json.loads(response.read())
            assert response.status == 413, attempt
            assert body["code"] == "request_too_large"
            # Announced, so the client reconnects instead of failing its next request.
            assert response.getheader("Connection") == "close"
            assert _follow_up(connection, token) == 200, attempt
    finally:
        connection.close()
