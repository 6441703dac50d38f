"""The load generator: a separate process that sends HTTP requests to the server under test.

Run as `python -m bench.load`: it reads a JSON list of jobs on stdin and prints a JSON list of
results on stdout. It imports only the standard library, so it costs the machine as little as
possible and shares nothing with the server or the orchestrating process.

A job is `{"port", "connections": [[request, ...], ...], "duration", "max_requests", "once"}`:
one thread per connection, each with its own keep-alive `http.client` connection, cycling
through its requests (or playing them once with `"once": true`) until the time limit or the
shared request budget runs out. `keep_bodies` and `keep_samples` (request index, status,
milliseconds) return what each connection saw, in order. A request is
`{"method", "path", "headers"?, "body"?}`; the body is JSON. Traffic goes to 127.0.0.1 only.
"""

import http.client
import itertools
import json
import statistics
import sys
import threading
import time

HOST = "127.0.0.1"
# Hard ceilings whatever a job asks for: every loop here is bounded in count and in time.
MAX_REQUESTS = 200_000
MAX_SECONDS = 120.0
MAX_CONNECTIONS = 16


class _Connection:
    """One keep-alive connection; it reconnects when the server closed the previous one."""

    def __init__(self, port: int):
        self.port = port
        self.http = http.client.HTTPConnection(HOST, port, timeout=30)
        self.server_closes = 0

    def send(self, request: dict) -> tuple[int, bytes]:
        body = request.get("body")
        payload = None if body is None else json.dumps(body).encode()
        headers = {"Host": HOST, "Accept": "application/json", **request.get("headers", {})}
        if payload is not None:
            headers["Content-Type"] = "application/json"
        try:
            self.http.request(request["method"], request["path"], body=payload, headers=headers)
            response = self.http.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.http.close()
            raise
        if response.will_close:
            # Gunicorn's sync workers close after every response; the next request reconnects.
            self.server_closes += 1
            self.http.close()
        return response.status, content

    def close(self) -> None:
        self.http.close()


def run_job(job: dict) -> dict:
    """Run one job and return its counts, latencies and (on request) the response bodies."""
    port = int(job["port"])
    plans = job["connections"][:MAX_CONNECTIONS]
    duration = min(float(job.get("duration", 5.0)), MAX_SECONDS)
    budget = min(int(job.get("max_requests", 10_000)), MAX_REQUESTS)
    once = bool(job.get("once", False))
    keep_bodies = bool(job.get("keep_bodies", False))
    keep_samples = bool(job.get("keep_samples", False))
    issued = itertools.count()  # next() is atomic under the GIL: a shared request budget
    start_gate = threading.Barrier(len(plans) + 1)
    lock = threading.Lock()
    statuses: dict[str, int] = {}
    latencies: list[float] = []
    bodies: list[list] = [[] for _ in plans]
    samples: list[list] = [[] for _ in plans]
    errors: list[str] = []
    closes = [0] * len(plans)
    deadline = 0.0

    def worker(index: int, requests: list[dict]) -> None:
        connection = _Connection(port)
        mine: list[float] = []
        counts: dict[str, int] = {}
        start_gate.wait()
        sequence = iter(requests) if once else itertools.cycle(requests)
        try:
            for position, request in enumerate(sequence):
                if time.perf_counter() >= deadline or next(issued) >= budget:
                    break
                began = time.perf_counter()
                try:
                    status, content = connection.send(request)
                except (OSError, http.client.HTTPException) as error:
                    with lock:
                        errors.append(f"{type(error).__name__}: {error}")
                    continue
                milliseconds = (time.perf_counter() - began) * 1000
                mine.append(milliseconds)
                if keep_samples:
                    samples[index].append([position % len(requests), status, milliseconds])
                counts[str(status)] = counts.get(str(status), 0) + 1
                if keep_bodies:
                    bodies[index].append([status, content.decode("utf-8", "replace")])
        finally:
            connection.close()
            closes[index] = connection.server_closes
            with lock:
                latencies.extend(mine)
                for status, count in counts.items():
                    statuses[status] = statuses.get(status, 0) + count

    threads = [
        threading.Thread(target=worker, args=(index, requests), daemon=True)
        for index, requests in enumerate(plans)
    ]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline = began + duration
    start_gate.wait()
    for thread in threads:
        thread.join(timeout=duration + 60)
    elapsed = time.perf_counter() - began
    ok = sum(count for status, count in statuses.items() if status.startswith("2"))
    result = {
        "name": job.get("name", ""),
        "seconds": elapsed,
        "requests": sum(statuses.values()),
        "ok": ok,
        "per_second": ok / elapsed if elapsed else 0.0,
        "statuses": statuses,
        "errors": len(errors),
        "error_samples": errors[:5],
        "server_closes": sum(closes),
        "latency_ms": _summary(latencies),
    }
    if keep_bodies:
        result["bodies"] = bodies
    if keep_samples:
        result["samples"] = samples
    return result


def _summary(samples: list[float]) -> dict:
    if not samples:
        return {"n": 0}
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50": statistics.median(ordered),
        "p90": ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))],
        "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
        "max": ordered[-1],
        "mean": statistics.fmean(ordered),
    }


def main() -> int:
    jobs = json.load(sys.stdin)
    results = [run_job(job) for job in jobs]
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
