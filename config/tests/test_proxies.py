"""The client's address: X-Forwarded-For is trusted only from TRUSTED_PROXY_COUNT proxies."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from core.proxies import client_address

PEER = "198.51.100.9"


def address(forwarded: str | None, trusted: int, settings) -> str:
    settings.TRUSTED_PROXY_COUNT = trusted
    headers = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=PEER, **headers))


@pytest.mark.parametrize(
    ("forwarded", "trusted", "expected"),
    [
        # No proxy trusted (the default): the header is the client's to write, and ignored.
        (None, 0, PEER),
        ("203.0.113.5", 0, PEER),
        ("203.0.113.5, 10.0.0.1", 0, PEER),
        # One proxy: it appended the address it saw, the rightmost entry.
        ("203.0.113.5", 1, "203.0.113.5"),
        ("6.6.6.6, 203.0.113.5", 1, "203.0.113.5"),
        (" 6.6.6.6 ,203.0.113.5 ", 1, "203.0.113.5"),
        ("2001:db8::1", 1, "2001:db8::1"),
        # Two proxies: the outer one's entry is second from the right.
        ("6.6.6.6, 203.0.113.5, 10.0.0.1", 2, "203.0.113.5"),
        # Fewer entries than proxies, an empty header, or garbage: the peer address.
        (None, 1, PEER),
        ("", 1, PEER),
        ("203.0.113.5", 2, PEER),
        ("not-an-address", 1, PEER),
        ("6.6.6.6, ", 1, PEER),
    ],
)
def test_client_address_trusts_only_the_configured_proxies(settings, forwarded, trusted, expected):
    assert address(forwarded, trusted, settings) == expected


def login_from(client: APIClient, number: int, forwarded: str) -> str:
    """Log in with a fresh unknown email (no lockout in play); return 401 or the 429's code."""
    body = {"email": f"someone{number}@example.com", "password": "wrong-password"}
    response = client.post(reverse("auth-login"), body, HTTP_X_FORWARDED_FOR=forwarded)
    return response.json()["code"] if response.status_code == 429 else str(response.status_code)


@pytest.mark.django_db
def test_x_forwarded_for_does_not_bypass_the_login_throttle(settings):
    settings.LOGIN_THROTTLE_RATE = "5/min"
    client = APIClient()
    answers = [login_from(client, n, f"203.0.113.{n}") for n in range(20)]
    assert answers == ["401"] * 5 + ["throttled"] * 15


@pytest.mark.django_db
def test_x_forwarded_for_does_not_bypass_the_registration_throttle(settings):
    settings.LOGIN_THROTTLE_RATE = "5/min"
    client = APIClient()
    statuses = [
        client.post(
            reverse("auth-register"),
            {"email": f"new{n}@example.com", "password": "a-Strong-pass-19", "full_name": "New"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(8)
    ]
    assert statuses == [201] * 5 + [429] * 3


@pytest.mark.django_db
def test_behind_one_proxy_the_throttle_counts_the_address_the_proxy_saw(settings):
    settings.LOGIN_THROTTLE_RATE = "5/min"
    settings.TRUSTED_PROXY_COUNT = 1
    client = APIClient()
    # One client rotating what it writes in front of the proxy's entry is still one client.
    answers = [login_from(client, n, f"6.6.6.{n}, 203.0.113.7") for n in range(7)]
    assert answers == ["401"] * 5 + ["throttled"] * 2
    # Another client behind the same proxy has a bucket of its own.
    assert login_from(client, 99, "203.0.113.8") == "401"
