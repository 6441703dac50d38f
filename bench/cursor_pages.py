"""Transcript cursor pages: the last page of a long transcript against the first."""

import base64
import statistics
from urllib.parse import parse_qs, urlsplit

from bench.driver import Http
from bench.report import Figure, at_most
from bench.scale import Scale
from bench.scratch import BenchError, log


def _pair_latency(http: Http, first: str, last: str, headers, pairs: int) -> tuple[float, float]:
    requests = [
        {"method": "GET", "path": first, "headers": headers},
        {"method": "GET", "path": last, "headers": headers},
    ]
    warm = {"connections": [requests * 3], "once": True, "duration": 30}
    timed = {
        "connections": [requests * pairs],
        "once": True,
        "duration": 90,
        "keep_samples": True,
    }
    result = http.run([warm, timed])[1]
    samples = result["samples"][0]
    if any(status != 200 for _index, status, _ms in samples):
        raise BenchError(f"deep pages: {result['statuses']}")
    first_ms = statistics.median(ms for index, _s, ms in samples if index % 2 == 0)
    last_ms = statistics.median(ms for index, _s, ms in samples if index % 2 == 1)
    return first_ms, last_ms


def deep_pages(http: Http, interview_id, scale: Scale, headers, raw) -> list[Figure]:
    """First vs last page of a long transcript: cursor (API) and OFFSET (floor control)."""
    total = scale.long_transcript
    first = f"/api/v1/interviews/{interview_id}/messages/?page_size=100"
    status, body = http.one("GET", first, headers)
    cursor = parse_qs(urlsplit(body["next"]).query)["cursor"][0]
    learned = parse_qs(base64.b64decode(cursor).decode())
    if status != 200 or learned.get("p") != ["100"]:
        raise BenchError(f"unexpected cursor format: {learned}")
    last_cursor = base64.b64encode(f"p={total - 100}".encode()).decode()
    last = f"{first}&cursor={last_cursor}"
    status, body = http.one("GET", last, headers)
    numbers = [message["sequence_number"] for message in body.get("results", [])]
    if status != 200 or numbers != list(range(total - 99, total + 1)) or body["next"]:
        raise BenchError(f"the built last-page cursor did not give the last page ({status})")

    cursor_first, cursor_last = _pair_latency(http, first, last, headers, scale.latency_pairs)
    offset = f"/bench/floor/interviews/{interview_id}/messages-offset/?page_size=100"
    offset_first, offset_last = _pair_latency(
        http, f"{offset}&offset=0", f"{offset}&offset={total - 100}", headers, scale.latency_pairs
    )
    raw["deep_pages"] = {
        "cursor_ms": [cursor_first, cursor_last],
        "offset_ms": [offset_first, offset_last],
    }
    ratio = cursor_last / cursor_first
    control = offset_last / offset_first
    log(
        f"deep pages: cursor {cursor_first:.1f}/{cursor_last:.1f} ms, offset "
        f"{offset_first:.1f}/{offset_last:.1f} ms"
    )
    return [
        Figure(
            name=f"last/first transcript page, {total:,} messages (cursor, p50)",
            measured=f"first {cursor_first:.1f} ms, last {cursor_last:.1f} ms",
            ratio=f"{ratio:.2f}",
            goal="<= 1.3",
            met=at_most(ratio, 1.3),
        ),
        Figure(
            name="  control: same with LIMIT/OFFSET (floor view)",
            measured=f"first {offset_first:.1f} ms, last {offset_last:.1f} ms",
            ratio=f"{control:.2f}",
            goal="(control)",
            met=None,
        ),
    ]
