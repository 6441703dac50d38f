"""Login vs hash: p50 login latency over HTTP against one password hash in-process."""

import math
import statistics

from bench.driver import Http
from bench.report import Figure, at_most
from bench.scale import Scale
from bench.scratch import BenchError


def login_latency(http: Http, password: str, hash_once, scale: Scale, raw) -> Figure:
    """Sequential logins over HTTP vs one hash in this process, in alternating batches so
    that both see the same machine load."""
    request = {
        "method": "POST",
        "path": "/api/v1/auth/login/",
        "body": {"email": "recruiter@example.com", "password": password},
    }
    http.run([{"connections": [[request] * 2], "once": True, "duration": 30}])  # warm-up
    batches = 15
    per_batch = math.ceil(scale.logins / batches)
    logins, hashes = [], []
    for _ in range(batches):
        hashes.extend(hash_once() for _ in range(math.ceil(scale.hashes / batches)))
        job = {
            "connections": [[request] * per_batch],
            "once": True,
            "duration": 60,
            "keep_samples": True,
        }
        result = http.run([job])[0]
        if result["ok"] != per_batch:
            raise BenchError(f"logins: {result['statuses']} {result['error_samples']}")
        logins.extend(ms for _index, _status, ms in result["samples"][0])
    login_ms, hash_ms = statistics.median(logins), statistics.median(hashes)
    ratio = login_ms / hash_ms
    raw["login"] = {"login_ms": logins, "hash_ms": hashes}
    return Figure(
        name="p50 login latency vs one hash (Argon2)",
        measured=(
            f"login p50 {login_ms:.0f} ms ({len(logins)}), "
            f"hash p50 {hash_ms:.0f} ms ({len(hashes)})"
        ),
        ratio=f"{ratio:.2f}",
        goal="<= 1.25",
        met=at_most(ratio, 1.25),
    )
