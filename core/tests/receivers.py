"""Test doubles for outbound HTTP: a real local webhook receiver, a TLS certificate, fake DNS."""

import collections
import contextlib
import http.server
import importlib.util
import shutil
import socket
import ssl
import subprocess
import threading

import pytest

_real_getaddrinfo = socket.getaddrinfo


class Receiver:
    """What a local webhook receiver saw, and the switch that lets its slow routes finish.

    Routes (any path not listed answers 200 "thanks"): ``/status/<code>``, ``/redirect/<code>``
    (to ``/hook``), ``/slow`` (answers after the test ends), ``/drip`` (a header a byte every 50 ms
    for 3 s), ``/large`` (1 MB).
    """

    def __init__(self):
        self.requests = []  # (method, path with query, headers, body)
        self.hits = collections.Counter()  # path without query -> requests
        self.server_names = []  # TLS SNI, when served over TLS
        self.release = threading.Event()
        self.port = None

    def url(self, path, scheme="http", host="127.0.0.1"):
        return f"{scheme}://{host}:{self.port}{path}"


def _handler_for(receiver):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            path = self.path.partition("?")[0]
            receiver.hits[path] += 1
            receiver.requests.append((self.command, self.path, dict(self.headers), body))
            if path == "/slow":
                receiver.release.wait(5)
                self.answer(200, b"late")
            elif path == "/drip":
                self.drip_headers()
            elif path.startswith("/redirect/"):
                self.send_response(int(path.rsplit("/", 1)[1]))
                self.send_header("Location", receiver.url("/hook"))
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path.startswith("/status/"):
                code = int(path.rsplit("/", 1)[1])
                self.answer(code, b"" if code == 204 else f"status {code}".encode())
            elif path == "/large":
                self.answer(200, b"x" * 1_000_000)
            else:
                self.answer(200, b"thanks")

        def answer(self, code, body):
            self.send_response(code)
            if code != 204:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def drip_headers(self):
            # Each byte comes well within any per-read timeout; only a total deadline ends it
            # early. It stops after 3 s, so a client without one fails rather than hangs.
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Drip: ")
            for _ in range(60):
                if receiver.release.wait(0.05):
                    return
                try:
                    self.wfile.write(b"a")
                    self.wfile.flush()
                except OSError:
                    return

    return Handler


@contextlib.contextmanager
def serving(tls_context=None):
    """Run a receiver on 127.0.0.1 (an ephemeral port) in a thread; yield its Receiver."""
    receiver = Receiver()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(receiver))
    server.daemon_threads = True
    if tls_context is not None:
        tls_context.sni_callback = lambda _tls, name, _context: receiver.server_names.append(name)
        server.socket = tls_context.wrap_socket(server.socket, server_side=True)
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield receiver
    finally:
        receiver.release.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def tls_server_context(cert_path, key_path) -> ssl.SSLContext:
    """Return a server-side TLS context presenting this certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


def self_signed_certificate(directory, host):
    """Write a self-signed certificate and key for ``host`` into ``directory``; return paths.

    Made with the cryptography package where it is installed, else with the openssl CLI;
    the test is skipped when neither is there.
    """
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    if importlib.util.find_spec("cryptography") is not None:
        _self_signed_with_cryptography(host, cert_path, key_path)
    elif shutil.which("openssl"):
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-nodes", "-days", "2", "-subj", f"/CN={host}"),
                *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
                *("-addext", f"subjectAltName=DNS:{host}"),
                *("-keyout", str(key_path), "-out", str(cert_path)),
            ],
            check=True,
            capture_output=True,
        )
    else:
        pytest.skip("Neither the cryptography package nor the openssl CLI is available.")
    return cert_path, key_path


def _self_signed_with_cryptography(host, cert_path, key_path):
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


class FakeDNS:
    """Answers chosen names with chosen addresses; other names go to the real resolver.

    ``answers[name]`` is a list with one entry per lookup (the last one repeats): a list of
    addresses, or None for "does not resolve". ``calls[name]`` counts the lookups.
    """

    def __init__(self):
        self.answers = {}
        self.calls = collections.Counter()

    def getaddrinfo(self, host, port, *args, **kwargs):
        if host not in self.answers:
            return _real_getaddrinfo(host, port, *args, **kwargs)
        self.calls[host] += 1
        addresses = self.answers[host][min(self.calls[host], len(self.answers[host])) - 1]
        if addresses is None:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [_address_info(address, port) for address in addresses]


def _address_info(address, port):
    if ":" in address:
        return (socket.AF_INET6, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port, 0, 0))
    return (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))
