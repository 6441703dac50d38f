"""Standard Webhooks signatures: endpoint secrets and the headers that sign one delivery.

The scheme (https://www.standardwebhooks.com): a secret is ``whsec_`` + base64 of 24 to 64
random bytes, and the HMAC key is those bytes. A delivery carries ``webhook-id`` (the message
id, the same on every retry so receivers deduplicate by it), ``webhook-timestamp`` (unix
seconds of this attempt) and ``webhook-signature``: space-separated ``v1,<base64 HMAC-SHA256
of "{id}.{timestamp}.{body}">``, one per secret, so during a secret rotation the receiver
accepts the message with either the old or the new secret.
"""

import base64
import binascii
import hashlib
import hmac
import re
import secrets as random_source

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # what new_secret() draws; the scheme allows 24 to 64
MIN_SECRET_BYTES = 24
MAX_SECRET_BYTES = 64
SIGNATURE_VERSION = "v1"

# No dot (the signed content is split on dots), nothing a header cannot carry: UUIDs,
# `msg_...` and `evt_...` style ids all fit.
_MESSAGE_ID = re.compile(r"[A-Za-z0-9_\-:]{1,255}")


def new_secret() -> str:
    """Return a fresh endpoint secret: ``whsec_`` + base64 of 32 random bytes."""
    key = random_source.token_bytes(SECRET_BYTES)
    return SECRET_PREFIX + base64.b64encode(key).decode("ascii")


def secret_key(secret: str) -> bytes:
    """Return the HMAC key a ``whsec_`` secret stands for, or raise ValueError."""
    if not isinstance(secret, str) or not secret.startswith(SECRET_PREFIX):
        raise ValueError(f"A webhook secret starts with {SECRET_PREFIX!r}.")
    try:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except binascii.Error as exc:
        raise ValueError("A webhook secret is base64 after its prefix.") from exc
    if not MIN_SECRET_BYTES <= len(key) <= MAX_SECRET_BYTES:
        raise ValueError(
            f"A webhook secret holds {MIN_SECRET_BYTES} to {MAX_SECRET_BYTES} bytes, "
            f"not {len(key)}."
        )
    return key


def sign(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """Return one ``v1,<base64>`` signature of the message with this secret."""
    signed_content = f"{message_id}.{timestamp}.".encode("ascii") + body
    digest = hmac.new(secret_key(secret), signed_content, hashlib.sha256).digest()
    return f"{SIGNATURE_VERSION},{base64.b64encode(digest).decode('ascii')}"


def signature_headers(
    *, secrets: list[str], message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """Return the three Standard Webhooks headers signing ``body`` with every secret given.

    ``secrets`` holds the endpoint's current secret and, during a rotation, the previous one:
    the receiver accepts the message if any signature matches a secret it knows.
    """
    if not secrets:
        raise ValueError("At least one secret signs a webhook.")
    if not isinstance(message_id, str) or not _MESSAGE_ID.fullmatch(message_id):
        raise ValueError("A webhook message id is 1-255 letters, digits, '_', '-' or ':'.")
    if isinstance(timestamp, bool) or not isinstance(timestamp, int) or timestamp < 0:
        raise ValueError("A webhook timestamp is a non-negative number of unix seconds.")
    if not isinstance(body, bytes):
        raise TypeError("A webhook body is bytes (the exact bytes sent).")
    signatures = [
        sign(secret=secret, message_id=message_id, timestamp=timestamp, body=body)
        for secret in secrets
    ]
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signatures),
    }
