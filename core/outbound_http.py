"""Guarded outbound HTTP for webhook delivery: the private-network guard and one POST.

``check_url`` refuses a URL that is not plain http(s) or whose host resolves to any address
that is not public (loopback, private, link-local, carrier-grade NAT, metadata, multicast,
reserved, ...). ``post`` checks again at delivery time and then connects to the very address
it vetted (the name is not resolved a second time, so DNS rebinding has no window), sends the
original Host header and, for https, verifies the certificate against the host name (SNI).
It never follows a redirect, bounds the whole exchange by one deadline, caps the response it
reads, and never raises for network trouble: that is reported in ``DeliveryResult.error``.

Name resolution itself is bounded by the system resolver (its timeout and attempts), not by
``timeout``: the standard library offers no way to interrupt ``getaddrinfo``.
"""

import http.client
import io
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from functools import cache
from urllib.parse import quote, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud instance metadata services: refused even when private networks are allowed, since no
# development setup needs to post a webhook to them and reaching one leaks credentials.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in (
        "169.254.169.254",  # AWS, GCP, Azure, DigitalOcean, OpenStack, ...
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
    )
)


def _networks(*cidrs: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(cidr) for cidr in cidrs)


# Named explicitly rather than left to ipaddress.is_global, whose lists change between Python
# versions (3.11 calls 2002:7f00:1:: and 192.0.0.192 global) and which says nothing of why.
REFUSED_NETWORKS = (
    ("unspecified", _networks("0.0.0.0/8", "::/128")),
    ("loopback", _networks("127.0.0.0/8", "::1/128")),
    ("private", _networks("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")),
    ("link-local", _networks("169.254.0.0/16", "fe80::/10")),
    ("carrier-grade NAT", _networks("100.64.0.0/10")),
    ("multicast", _networks("224.0.0.0/4", "ff00::/8")),
    ("site-local", _networks("fec0::/10")),
    ("documentation", _networks("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")),
    ("documentation", _networks("2001:db8::/32", "3fff::/20")),
    ("benchmarking", _networks("198.18.0.0/15", "2001:2::/48")),
    ("local NAT64", _networks("64:ff9b:1::/48")),
    ("discard-only", _networks("100::/64")),
    ("reserved", _networks("192.0.0.0/24", "240.0.0.0/4", "::/8")),
)
_NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")


class UnsafeURL(ValueError):
    """A URL that webhook delivery refuses: its message says why."""


class HostUnresolvable(UnsafeURL):
    """A URL whose host name resolves to no address (so it cannot be vetted)."""


@dataclass(frozen=True)
class DeliveryResult:
    """What one POST came to: the status if the receiver answered, or what went wrong."""

    status_code: int | None
    duration_ms: float
    error: str
    response_excerpt: str

    @property
    def ok(self) -> bool:
        """Return whether the receiver answered 2xx in time (the only success)."""
        return not self.error


@dataclass(frozen=True)
class _Target:
    """A vetted URL: where to connect (addresses resolved and checked) and what to send."""

    scheme: str
    host: str
    port: int
    request_target: str
    addresses: tuple[tuple[int, tuple], ...]  # (family, sockaddr) in resolver order


def address_refusal(address: IPAddress, *, allow_private: bool) -> str | None:
    """Return why delivery refuses this address ("a loopback address", ...), or None."""
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        reason = address_refusal(embedded, allow_private=allow_private)
        return f"{reason} ({embedded} inside IPv6)" if reason else None
    if allow_private:
        return None
    for kind, networks in REFUSED_NETWORKS:
        if any(address in network for network in networks):
            return f"a {kind} address"
    if not address.is_global:
        return "not a public address"
    return None


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 one carries (mapped, NAT64, 6to4), if it carries one."""
    if address.version != 6:
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def check_url(url: str, *, allow_private: bool) -> None:
    """Raise UnsafeURL unless webhook delivery may post to this URL (resolving its host)."""
    _vet(url, allow_private=allow_private)


def _vet(url: str, *, allow_private: bool) -> _Target:
    """Return the URL's target with its checked addresses, or raise UnsafeURL."""
    if not isinstance(url, str) or not url:
        raise UnsafeURL("The URL is empty.")
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        raise UnsafeURL("The URL contains whitespace or control characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(f"The URL is malformed: {exc}.") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeURL("Only http and https URLs are allowed.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL("The URL may not carry a user name or password.")
    host = parts.hostname
    if not host:
        raise UnsafeURL("The URL has no host.")
    if port is None:
        port = 443 if scheme == "https" else 80
    elif not 1 <= port <= 65535:
        raise UnsafeURL(f"Port {port} is out of range.")
    addresses = _resolve(host, port)
    for _family, sockaddr in addresses:
        address = ipaddress.ip_address(sockaddr[0].partition("%")[0])
        reason = address_refusal(address, allow_private=allow_private)
        if reason:
            shown = f"{address} is" if host == str(address) else f"{host} resolves to {address},"
            raise UnsafeURL(f"{shown} {reason}.")
    path = parts.path or "/"
    request_target = path + (f"?{parts.query}" if parts.query else "")
    # Non-ASCII is percent-encoded as UTF-8; printable ASCII (and existing escapes) stays.
    request_target = quote(request_target, safe="!#$%&'()*+,/:;=?@[]~")
    return _Target(scheme, host, port, request_target, addresses)


def _resolve(host: str, port: int) -> tuple[tuple[int, tuple], ...]:
    """Return the host's TCP addresses as (family, sockaddr), or raise HostUnresolvable."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise HostUnresolvable(f"{host} does not resolve: {exc}.") from exc
    addresses = []
    for family, _type, _proto, _canonname, sockaddr in infos:
        if family in (socket.AF_INET, socket.AF_INET6) and (family, sockaddr) not in addresses:
            addresses.append((family, sockaddr))
    if not addresses:
        raise HostUnresolvable(f"{host} resolves to no IPv4 or IPv6 address.")
    return tuple(addresses)


def _time_left(deadline: float) -> float:
    """Return the seconds left before the deadline, or raise TimeoutError."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("timed out")
    return left


def _connect(addresses: tuple[tuple[int, tuple], ...], deadline: float) -> socket.socket:
    """Return a TCP socket connected to the first vetted address that answers."""
    last_error: OSError = OSError("no address to connect to")
    for family, sockaddr in addresses:
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(_time_left(deadline))
            sock.connect(sockaddr)
        except TimeoutError:
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            last_error = exc
            continue
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock
    raise last_error


class _DeadlineReader(io.RawIOBase):
    """Reads from a socket that wait only for the time left, however slowly bytes drip in.

    It reads through the socket's own ``makefile`` so that, as in http.client, closing the
    connection leaves the socket open until the answer is read (a ``Connection: close``
    answer is read after http.client has closed its connection).
    """

    def __init__(self, sock: socket.socket, deadline: float):
        super().__init__()
        self._sock = sock
        self._stream = sock.makefile("rb", buffering=0)
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int | None:
        self._sock.settimeout(_time_left(self._deadline))
        return self._stream.readinto(buffer)

    def close(self) -> None:
        self._stream.close()
        super().close()


class _DeadlineSocket:
    """The connected socket as http.client sees it: every send and read shares one deadline."""

    def __init__(self, sock: socket.socket, deadline: float):
        self._sock = sock
        self._deadline = deadline

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(_time_left(self._deadline))
        self._sock.sendall(data)

    def makefile(self, mode: str = "rb") -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def close(self) -> None:
        self._sock.close()


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection to the vetted addresses, whatever the host name resolves to now."""

    def __init__(self, target: _Target, deadline: float):
        super().__init__(target.host, target.port)
        self._addresses = target.addresses
        self._deadline = deadline

    def connect(self) -> None:
        self.sock = _DeadlineSocket(_connect(self._addresses, self._deadline), self._deadline)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to the vetted addresses, with SNI and the certificate checked
    against the URL's host name (not against the address)."""

    def __init__(self, target: _Target, deadline: float, context: ssl.SSLContext):
        super().__init__(target.host, target.port, context=context)
        self._addresses = target.addresses
        self._deadline = deadline

    def connect(self) -> None:
        sock = _connect(self._addresses, self._deadline)
        try:
            sock.settimeout(_time_left(self._deadline))
            tls_sock = self._context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise
        self.sock = _DeadlineSocket(tls_sock, self._deadline)


@cache
def _default_tls_context() -> ssl.SSLContext:
    """Return the system trust store with hostname checking, loaded once per process."""
    return ssl.create_default_context()


def post(
    url: str,
    *,
    body: bytes,
    headers: dict[str, str],
    timeout: float,
    allow_private: bool,
    max_response_bytes: int = 64 * 1024,
    ssl_context: ssl.SSLContext | None = None,
) -> DeliveryResult:
    """POST ``body`` to ``url`` once, guarded; return what happened, never raise for the network.

    ``timeout`` bounds connecting, the TLS handshake, sending and reading the answer together.
    Success is a 2xx status line and headers within it; the body is read (up to
    ``max_response_bytes``) only as an excerpt for the delivery log. A redirect is not
    followed: it is a failed attempt with its status. ``ssl_context`` defaults to the
    system's trust store with hostname checking.
    """
    if timeout <= 0:
        raise ValueError("timeout is a positive number of seconds.")
    started = time.monotonic()
    deadline = started + timeout

    def result(status_code: int | None, error: str, excerpt: str = "") -> DeliveryResult:
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        return DeliveryResult(status_code, duration_ms, error, excerpt)

    try:
        target = _vet(url, allow_private=allow_private)
    except HostUnresolvable as exc:
        return result(None, f"DNS failure: {exc}")
    except UnsafeURL as exc:
        return result(None, f"unsafe URL: {exc}")

    if target.scheme == "https":
        context = ssl_context or _default_tls_context()
        connection = _PinnedHTTPSConnection(target, deadline, context)
    else:
        connection = _PinnedHTTPConnection(target, deadline)
    response = None
    try:
        connection.request("POST", target.request_target, body=body, headers=headers)
        response = connection.getresponse()
        status = response.status
        excerpt = _read_excerpt(response, max_response_bytes)
    except TimeoutError:
        return result(None, f"timeout: no answer within {timeout:g} s")
    except ConnectionRefusedError:
        return result(None, "connection refused")
    except ssl.SSLCertVerificationError as exc:
        return result(None, f"TLS certificate verification failed: {exc.verify_message}")
    except ssl.SSLError as exc:
        return result(None, f"TLS error: {exc.reason or exc}")
    except http.client.RemoteDisconnected:
        return result(None, "connection closed without an answer")
    except http.client.HTTPException as exc:
        return result(None, f"invalid HTTP answer: {type(exc).__name__} {exc}".rstrip())
    except OSError as exc:
        return result(None, f"network error: {exc.strerror or exc}")
    finally:
        if response is not None:
            response.close()
        connection.close()

    if 200 <= status < 300:
        return result(status, "", excerpt)
    if 300 <= status < 400:
        location = response.getheader("Location", "")
        return result(status, f"redirect {status} to {location!r} not followed", excerpt)
    return result(status, f"receiver answered {status} {response.reason}".rstrip(), excerpt)


def _read_excerpt(response: http.client.HTTPResponse, max_bytes: int) -> str:
    """Return up to ``max_bytes`` of the answer's body as text; a failed read keeps what came.

    The status is already in hand, so a body that breaks off or runs past the deadline does
    not turn an answer into a failed attempt.
    """
    received = bytearray()
    try:
        while len(received) < max_bytes:
            chunk = response.read1(max_bytes - len(received))
            if not chunk:
                break
            received += chunk
    except (OSError, http.client.HTTPException):
        pass
    return received.decode("utf-8", errors="replace")
