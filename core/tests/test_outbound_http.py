"""The private-network guard and the guarded POST, against real receivers on 127.0.0.1."""

import re
import socket
import ssl
import time

import pytest

from core.outbound_http import HostUnresolvable, UnsafeURL, check_url, post
from core.tests.receivers import FakeDNS, self_signed_certificate, serving, tls_server_context

PUBLIC_ADDRESS = "93.184.215.14"  # a public (global unicast) IPv4 address; never contacted
TLS_HOST = "hooks.example.test"


@pytest.fixture
def receiver():
    with serving() as receiver:
        yield receiver


@pytest.fixture
def fake_dns(monkeypatch):
    fake = FakeDNS()
    monkeypatch.setattr(socket, "getaddrinfo", fake.getaddrinfo)
    return fake


# --- the guard -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/hook", "127.0.0.1 is a loopback address"),
        ("http://127.8.9.10/", "loopback"),
        ("http://[::1]:8080/", "::1 is a loopback address"),
        ("http://10.1.2.3/", "private"),
        ("http://172.16.5.4/", "private"),
        ("http://192.168.1.10/", "private"),
        ("http://[fc00::1]/", "private"),
        ("http://[fd12:3456::1]/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "metadata"),
        ("http://[fd00:ec2::254]/", "metadata"),
        ("http://169.254.1.1/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://[::]/", "unspecified"),
        ("http://100.64.0.1/", "carrier-grade NAT"),
        ("http://224.0.0.1/", "multicast"),
        ("http://[ff02::1]/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://255.255.255.255/", "reserved"),
        ("http://[::ffff:127.0.0.1]/", "loopback address \\(127.0.0.1 inside IPv6\\)"),
        ("http://[::ffff:10.0.0.1]/", "private"),
        ("http://[64:ff9b::a00:1]/", "private address \\(10.0.0.1 inside IPv6\\)"),
        ("http://[2002:7f00:1::]/", "loopback"),
        ("http://[::7f00:1]/", "reserved"),
        ("http://198.18.0.1/", "benchmarking"),
        ("http://192.0.2.1/", "documentation"),
        # Spellings that string checks miss and the resolver turns into 127.0.0.1.
        ("http://2130706433/", "2130706433 resolves to 127.0.0.1, a loopback address"),
        ("http://0x7f.1/", "loopback"),
        ("http://localhost:8000/hook", "localhost resolves to 127.0.0.1, a loopback address"),
        ("http://LOCALHOST/", "loopback"),
    ],
)
def test_check_url_refuses_non_public_addresses(url, reason):
    with pytest.raises(UnsafeURL, match=reason):
        check_url(url, allow_private=False)


def test_a_name_resolving_to_public_and_private_addresses_is_refused(fake_dns):
    fake_dns.answers["mixed.example.test"] = [[PUBLIC_ADDRESS, "10.0.0.5"]]
    fake_dns.answers["mixed6.example.test"] = [["2606:4700::1111", "fd00::5", PUBLIC_ADDRESS]]

    with pytest.raises(
        UnsafeURL, match=re.escape("mixed.example.test resolves to 10.0.0.5, a private")
    ):
        check_url("https://mixed.example.test/hook", allow_private=False)
    with pytest.raises(UnsafeURL, match="resolves to fd00::5, a private"):
        check_url("https://mixed6.example.test/hook", allow_private=False)


def test_public_addresses_and_names_pass(fake_dns):
    fake_dns.answers["public.example.test"] = [[PUBLIC_ADDRESS, "2606:4700::1111"]]

    check_url(f"https://{PUBLIC_ADDRESS}/hook", allow_private=False)
    check_url("https://[2606:4700::1111]:8443/hook?x=1", allow_private=False)
    check_url("http://public.example.test/hook", allow_private=False)
    assert fake_dns.calls["public.example.test"] == 1


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000/", "http://localhost/", "http://[::1]/", "http://10.0.0.1/"]
)
def test_allow_private_lets_local_addresses_through(url):
    check_url(url, allow_private=True)


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:169.254.169.254]/",
        "http://100.100.100.200/",
    ],
)
def test_metadata_addresses_are_refused_even_when_private_networks_are_allowed(url):
    with pytest.raises(UnsafeURL, match="metadata"):
        check_url(url, allow_private=True)


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", "empty"),
        ("ftp://example.com/hook", "Only http and https"),
        ("file:///etc/passwd", "Only http and https"),
        ("javascript:alert(1)", "Only http and https"),
        ("http://user:secret@example.com/", "user name or password"),
        ("http://user@example.com/", "user name or password"),
        ("http:///hook", "no host"),
        ("http://example.com:0/", "Port 0 is out of range"),
        ("http://example.com:70000/", "malformed"),
        ("http://example.com:http/", "malformed"),
        ("http://[::1/", "malformed"),
        ("http://exa mple.com/", "whitespace or control"),
        ("http://example.com/\r\nX-Injected: 1", "whitespace or control"),
    ],
)
def test_check_url_refuses_malformed_urls(url, problem):
    with pytest.raises(UnsafeURL, match=problem):
        check_url(url, allow_private=True)


def test_an_unresolvable_host_is_refused(fake_dns):
    fake_dns.answers["gone.example.test"] = [None]

    with pytest.raises(HostUnresolvable, match=re.escape("gone.example.test does not resolve")):
        check_url("https://gone.example.test/", allow_private=False)


# --- delivery --------------------------------------------------------------------------------


def test_post_delivers_the_exact_body_and_headers(receiver):
    body = '{"id":"evt_1","data":{"name":"Zoë"}}'.encode()
    headers = {"Content-Type": "application/json", "webhook-id": "msg_1", "User-Agent": "x/1"}

    result = post(
        receiver.url("/hook?source=test"),
        body=body,
        headers=headers,
        timeout=5,
        allow_private=True,
    )

    assert (result.status_code, result.error, result.ok) == (200, "", True)
    assert result.response_excerpt == "thanks"
    assert result.duration_ms > 0
    [(method, path, received_headers, received_body)] = receiver.requests
    assert (method, path, received_body) == ("POST", "/hook?source=test", body)
    assert received_headers["Host"] == f"127.0.0.1:{receiver.port}"
    assert received_headers["Content-Length"] == str(len(body))
    for name, value in headers.items():
        assert received_headers[name] == value


@pytest.mark.parametrize("code", [200, 201, 202, 204, 299])
def test_a_2xx_answer_is_success(receiver, code):
    result = post(
        receiver.url(f"/status/{code}"), body=b"{}", headers={}, timeout=5, allow_private=True
    )

    assert (result.status_code, result.ok, result.error) == (code, True, "")


@pytest.mark.parametrize("code", [400, 404, 410, 429, 500, 503])
def test_a_4xx_or_5xx_answer_is_a_failed_attempt_with_its_status(receiver, code):
    result = post(
        receiver.url(f"/status/{code}"), body=b"{}", headers={}, timeout=5, allow_private=True
    )

    assert result.status_code == code
    assert not result.ok
    assert result.error.startswith(f"receiver answered {code}")
    assert result.response_excerpt == f"status {code}"


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_a_redirect_is_not_followed(receiver, code):
    result = post(
        receiver.url(f"/redirect/{code}"), body=b"{}", headers={}, timeout=5, allow_private=True
    )

    assert result.status_code == code
    assert not result.ok
    assert result.error == f"redirect {code} to {receiver.url('/hook')!r} not followed"
    assert receiver.hits == {f"/redirect/{code}": 1}


def test_a_slow_receiver_hits_the_timeout(receiver):
    started = time.monotonic()
    result = post(receiver.url("/slow"), body=b"{}", headers={}, timeout=0.5, allow_private=True)

    assert time.monotonic() - started < 2
    assert (result.status_code, result.error) == (None, "timeout: no answer within 0.5 s")
    assert 500 <= result.duration_ms < 2000


def test_the_timeout_bounds_the_whole_answer_not_each_read(receiver):
    started = time.monotonic()
    result = post(receiver.url("/drip"), body=b"{}", headers={}, timeout=0.5, allow_private=True)

    assert time.monotonic() - started < 2
    assert (result.status_code, result.error) == (None, "timeout: no answer within 0.5 s")


def test_the_response_read_is_capped(receiver):
    result = post(
        receiver.url("/large"),
        body=b"{}",
        headers={},
        timeout=5,
        allow_private=True,
        max_response_bytes=1000,
    )

    assert result.status_code == 200
    assert result.response_excerpt == "x" * 1000


def test_a_closed_port_is_connection_refused():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    result = post(
        f"http://127.0.0.1:{port}/", body=b"{}", headers={}, timeout=2, allow_private=True
    )

    assert (result.status_code, result.error) == (None, "connection refused")


def test_an_unresolvable_host_is_a_dns_failure(fake_dns):
    fake_dns.answers["gone.example.test"] = [None]

    result = post(
        "https://gone.example.test/", body=b"", headers={}, timeout=2, allow_private=False
    )

    assert result.status_code is None
    assert result.error.startswith("DNS failure: gone.example.test does not resolve")


def test_an_unsafe_url_is_an_error_not_an_exception():
    result = post("ftp://example.com/", body=b"", headers={}, timeout=2, allow_private=False)

    assert result.error == "unsafe URL: Only http and https URLs are allowed."


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_post_refuses_a_private_receiver_at_delivery_time(receiver, host):
    result = post(
        receiver.url("/hook", host=host), body=b"{}", headers={}, timeout=2, allow_private=False
    )

    assert result.status_code is None
    assert result.error.startswith("unsafe URL: ") and "loopback" in result.error
    assert receiver.hits == {}


def test_a_name_that_rebinds_to_a_private_address_after_the_check_is_refused(receiver, fake_dns):
    fake_dns.answers["rebind.example.test"] = [[PUBLIC_ADDRESS], ["127.0.0.1"]]
    url = receiver.url("/hook", host="rebind.example.test")

    check_url(url, allow_private=False)  # when the endpoint is saved
    result = post(url, body=b"{}", headers={}, timeout=2, allow_private=False)

    assert result.error == (
        "unsafe URL: rebind.example.test resolves to 127.0.0.1, a loopback address."
    )
    assert receiver.hits == {}


def test_post_connects_to_the_address_it_checked_and_sends_the_host_name(receiver, fake_dns):
    # A second lookup would get no answer: the connection must use the first one's address.
    fake_dns.answers["pinned.example.test"] = [["127.0.0.1"], None]

    result = post(
        receiver.url("/hook", host="pinned.example.test"),
        body=b"{}",
        headers={},
        timeout=2,
        allow_private=True,
    )

    assert (result.status_code, result.error) == (200, "")
    assert fake_dns.calls["pinned.example.test"] == 1
    [(_, _, headers, _)] = receiver.requests
    assert headers["Host"] == f"pinned.example.test:{receiver.port}"


def test_post_tries_the_next_vetted_address_when_one_refuses(receiver, fake_dns):
    # The receiver listens on 127.0.0.1 only: 127.0.0.2 refuses the connection.
    fake_dns.answers["two.example.test"] = [["127.0.0.2", "127.0.0.1"]]

    result = post(
        receiver.url("/hook", host="two.example.test"),
        body=b"{}",
        headers={},
        timeout=2,
        allow_private=True,
    )

    assert result.status_code == 200
    assert receiver.hits["/hook"] == 1


# --- TLS -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    return self_signed_certificate(tmp_path_factory.mktemp("tls"), TLS_HOST)


@pytest.fixture
def tls_receiver(certificate):
    with serving(tls_server_context(*certificate)) as receiver:
        yield receiver


def test_https_to_a_self_signed_certificate_fails_verification(tls_receiver, fake_dns):
    fake_dns.answers[TLS_HOST] = [["127.0.0.1"]]

    result = post(
        tls_receiver.url("/hook", scheme="https", host=TLS_HOST),
        body=b"{}",
        headers={},
        timeout=5,
        allow_private=True,
    )

    assert result.status_code is None
    assert result.error.startswith("TLS certificate verification failed: ")
    assert "self-signed" in result.error
    assert tls_receiver.hits == {}


def test_https_sends_sni_and_succeeds_when_the_certificate_is_trusted(
    tls_receiver, fake_dns, certificate
):
    fake_dns.answers[TLS_HOST] = [["127.0.0.1"]]
    trusting = ssl.create_default_context(cafile=str(certificate[0]))

    result = post(
        tls_receiver.url("/hook", scheme="https", host=TLS_HOST),
        body=b'{"a":1}',
        headers={},
        timeout=5,
        allow_private=True,
        ssl_context=trusting,
    )

    assert (result.status_code, result.error) == (200, "")
    assert tls_receiver.server_names == [TLS_HOST]
    [(_, _, headers, body)] = tls_receiver.requests
    assert (headers["Host"], body) == (f"{TLS_HOST}:{tls_receiver.port}", b'{"a":1}')


def test_https_checks_the_certificate_against_the_host_name_not_the_address(
    tls_receiver, fake_dns, certificate
):
    # Same server, same trusted certificate, same address; only the name in the URL differs.
    fake_dns.answers["other.example.test"] = [["127.0.0.1"]]
    trusting = ssl.create_default_context(cafile=str(certificate[0]))

    result = post(
        tls_receiver.url("/hook", scheme="https", host="other.example.test"),
        body=b"{}",
        headers={},
        timeout=5,
        allow_private=True,
        ssl_context=trusting,
    )

    assert result.status_code is None
    assert "Hostname mismatch" in result.error
    assert "other.example.test" in result.error
    assert tls_receiver.hits == {}
