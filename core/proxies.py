"""The client's address: the one rule for trusting `X-Forwarded-For` (TRUSTED_PROXY_COUNT)."""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """Return the address of the client that sent `request`.

    With `TRUSTED_PROXY_COUNT` = 0 (the default) the peer address (`REMOTE_ADDR`) is the client
    and `X-Forwarded-For` is ignored: anyone can send that header. Behind N proxies that each
    append the address they received the request from, the client is the Nth entry from the
    right; entries further left were written by the client and prove nothing. A header with
    fewer than N entries, or whose Nth entry is not an IP address, did not come through the
    proxies as configured, so the peer address is used instead. Accepts a Django or DRF request.
    """
    meta = request.META
    peer = meta.get("REMOTE_ADDR", "")
    trusted = settings.TRUSTED_PROXY_COUNT
    if trusted <= 0:
        return peer
    forwarded = [entry.strip() for entry in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < trusted or not forwarded[-trusted]:
        return peer
    candidate = forwarded[-trusted]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer
