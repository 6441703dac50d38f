"""Closed-loop load for the ours-vs-peer figures: `wrk` with a Lua script, or bench/load.py.

wrk (the Debian package) costs the machine least; a Lua script sets the Authorization and Host
headers and prints the counts and latency percentiles as one JSON line. Without wrk on PATH the
bench's own load process does the same job (and says so in the log).
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.driver import Http
from bench.scratch import BenchError

SCRIPT = """
wrk.headers["Authorization"] = os.getenv("BENCH_AUTHORIZATION")
wrk.headers["Host"] = "127.0.0.1"
wrk.headers["Accept"] = "application/json"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def measure(port: int, path: str, authorization: str, connections: int, seconds: float) -> dict:
    """One closed-loop round: {per_second, p50_ms, p99_ms, requests, errors}."""
    if not available():
        return _with_load_process(port, path, authorization, connections, seconds)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(SCRIPT)
    try:
        done = subprocess.run(
            [
                "wrk",
                "--threads",
                "1",
                "--connections",
                str(connections),
                "--duration",
                f"{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "--script",
                script.name,
                f"http://127.0.0.1:{port}{path}",
            ],
            env={**os.environ, "BENCH_AUTHORIZATION": authorization},
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
    finally:
        Path(script.name).unlink(missing_ok=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH ")]
    if done.returncode != 0 or not lines:
        raise BenchError(f"wrk failed ({done.returncode}): {done.stderr[-2000:]}")
    summary = json.loads(lines[-1][len("BENCH ") :])
    errors = sum(summary[kind] for kind in ("connect", "read", "write", "status", "timeout"))
    return {
        "tool": "wrk",
        "requests": summary["requests"],
        "per_second": summary["requests"] / (summary["duration_us"] / 1e6),
        "p50_ms": summary["p50_us"] / 1000,
        "p99_ms": summary["p99_us"] / 1000,
        "errors": errors,
        "raw": summary,
    }


def _with_load_process(port, path, authorization, connections, seconds) -> dict:
    request = {"method": "GET", "path": path, "headers": {"Authorization": authorization}}
    job = {"connections": [[request]] * connections, "duration": seconds, "max_requests": 100_000}
    result = Http(port).run([job])[0]
    return {
        "tool": "bench.load",
        "requests": result["requests"],
        "per_second": result["per_second"],
        "p50_ms": result["latency_ms"].get("p50", 0.0),
        "p99_ms": result["latency_ms"].get("p99", 0.0),
        "errors": result["errors"] + result["requests"] - result["ok"],
        "raw": result,
    }
