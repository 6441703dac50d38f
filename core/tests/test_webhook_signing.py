"""Webhook signatures, verified by the `standardwebhooks` package rather than by our own code."""

import base64
import json
import time

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from core.webhook_signing import new_secret, secret_key, sign, signature_headers

BODY = json.dumps({"id": "evt_1", "type": "interview.started", "data": {"x": "é"}}).encode()


def headers_for(*secrets, body=BODY, message_id="msg_01", timestamp=None):
    return signature_headers(
        secrets=list(secrets),
        message_id=message_id,
        timestamp=int(time.time()) if timestamp is None else timestamp,
        body=body,
    )


def test_new_secret_is_whsec_and_32_random_bytes():
    first, second = new_secret(), new_secret()

    assert first.startswith("whsec_")
    assert len(base64.b64decode(first.removeprefix("whsec_"), validate=True)) == 32
    assert first != second


def test_signature_matches_the_standard_webhooks_published_test_vector():
    # The vector every Standard Webhooks reference library tests against.
    signature = sign(
        secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        message_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp=1614265330,
        body=b'{"test": 2432232314}',
    )

    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_headers_are_the_three_standard_ones():
    headers = headers_for(new_secret(), message_id="msg_abc", timestamp=1700000000)

    assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert headers["webhook-id"] == "msg_abc"
    assert headers["webhook-timestamp"] == "1700000000"
    assert headers["webhook-signature"].startswith("v1,")


def test_standardwebhooks_verifies_a_signed_message():
    secret = new_secret()

    assert Webhook(secret).verify(BODY, headers_for(secret)) == json.loads(BODY)


def test_standardwebhooks_verifies_with_either_secret_during_rotation():
    old, new = new_secret(), new_secret()
    headers = headers_for(new, old)

    assert len(headers["webhook-signature"].split(" ")) == 2
    assert Webhook(old).verify(BODY, headers) == json.loads(BODY)
    assert Webhook(new).verify(BODY, headers) == json.loads(BODY)
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        Webhook(new_secret()).verify(BODY, headers)


def test_a_message_signed_with_another_secret_fails():
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        Webhook(new_secret()).verify(BODY, headers_for(new_secret()))


def test_a_tampered_body_fails():
    secret = new_secret()
    headers = headers_for(secret)

    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        Webhook(secret).verify(BODY.replace(b"interview.started", b"interview.abandoned"), headers)


def test_a_tampered_timestamp_fails():
    secret = new_secret()
    headers = headers_for(secret)
    headers["webhook-timestamp"] = str(int(headers["webhook-timestamp"]) + 1)

    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        Webhook(secret).verify(BODY, headers)


def test_a_tampered_message_id_fails():
    secret = new_secret()
    headers = headers_for(secret)
    headers["webhook-id"] = "msg_02"

    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        Webhook(secret).verify(BODY, headers)


def test_an_old_timestamp_is_refused_by_the_receiver():
    secret = new_secret()
    headers = headers_for(secret, timestamp=int(time.time()) - 3600)

    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(BODY, headers)


def test_the_exact_body_bytes_are_signed():
    secret = new_secret()
    compact = b'{"a":1}'
    spaced = b'{"a": 1}'

    Webhook(secret).verify(compact, headers_for(secret, body=compact))
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(spaced, headers_for(secret, body=compact))


def test_a_key_of_the_longest_allowed_size_signs():
    secret = "whsec_" + base64.b64encode(bytes(range(64))).decode()

    assert Webhook(secret).verify(BODY, headers_for(secret)) == json.loads(BODY)


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "starts with"),
        ("whsec_not base64!", "base64"),
        ("whsec_" + base64.b64encode(b"x" * 16).decode(), "not 16"),
        ("whsec_" + base64.b64encode(b"x" * 65).decode(), "not 65"),
        ("whsec_", "not 0"),
    ],
)
def test_a_malformed_secret_is_refused(secret, problem):
    with pytest.raises(ValueError, match=problem):
        secret_key(secret)
    with pytest.raises(ValueError, match=problem):
        headers_for(secret)


def test_signing_needs_at_least_one_secret():
    with pytest.raises(ValueError, match="At least one secret"):
        headers_for()


@pytest.mark.parametrize("message_id", ["", "msg.1", "msg 1", "msg\r\nX-Evil: 1", "é"])
def test_a_message_id_that_could_not_be_split_or_sent_is_refused(message_id):
    with pytest.raises(ValueError, match="message id"):
        headers_for(new_secret(), message_id=message_id)


@pytest.mark.parametrize("timestamp", [-1, 1.5, "1700000000", True])
def test_a_timestamp_that_is_not_unix_seconds_is_refused(timestamp):
    with pytest.raises(ValueError, match="timestamp"):
        headers_for(new_secret(), timestamp=timestamp)


def test_the_body_must_be_bytes():
    with pytest.raises(TypeError, match="bytes"):
        headers_for(new_secret(), body=BODY.decode())
