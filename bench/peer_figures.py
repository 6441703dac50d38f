"""Ours vs the peer: req/s, p50/p99 and CPU per request of the two hot reads, per server."""

import statistics
from dataclasses import dataclass

from bench import wrk
from bench.driver import Http
from bench.peer_check import first_difference
from bench.report import Figure, at_least
from bench.scale import Scale
from bench.scratch import BenchError, Server, log

PEER = "peer"
GOAL = 0.8  # issue 11: ours at least 0.8 of the peer's req/s


@dataclass(frozen=True)
class Page:
    """A page both stacks serve: its name in the table, its path, its rows."""

    name: str
    path: str
    rows: int


def json_difference(servers: dict[str, Server], page: Page, token: str) -> str | None:
    """Fetch `page` from every server; say where a server's JSON differs from the peer's."""
    headers = {"Authorization": f"Bearer {token}"}
    bodies = {}
    for label, server in servers.items():
        status, body = Http(server.port).one("GET", page.path, headers)
        if status != 200 or len(body.get("results", [])) != page.rows:
            return f"{label} answered {status} with {len(body.get('results', []))} rows"
        bodies[label] = body
    for label, body in bodies.items():
        if label != PEER:
            found = first_difference(body, bodies[PEER])
            if found:
                return f"{label} vs peer: {found}"
    return None


def _summary(rounds: list[dict]) -> dict:
    requests = sum(result["requests"] for result in rounds)
    cpu = sum(result["cpu_seconds"] for result in rounds)
    return {
        "per_second": statistics.median(result["per_second"] for result in rounds),
        "p50_ms": statistics.median(result["p50_ms"] for result in rounds),
        "p99_ms": statistics.median(result["p99_ms"] for result in rounds),
        "cpu_ms": cpu * 1000 / requests if requests else 0.0,
        "requests": requests,
        "rounds": rounds,
    }


def time_servers(
    servers: dict[str, Server], page: Page, token: str, scale: Scale, concurrency: int
) -> dict[str, dict]:
    """Closed-loop rounds on every server, in alternating order (ours..., peer, peer, ...ours),
    each round with the CPU its server's workers spent; medians of the rounds per server."""
    authorization = f"Bearer {token}"
    labels = list(servers)
    for label in labels:  # warm-up: imports, pools, prepared statements
        wrk.measure(servers[label].port, page.path, authorization, concurrency, scale.stack_warmup)
    rounds: dict[str, list[dict]] = {label: [] for label in labels}
    for number in range(scale.stack_rounds):
        for label in labels if number % 2 == 0 else labels[::-1]:
            server = servers[label]
            before = server.cpu_seconds()
            result = wrk.measure(
                server.port, page.path, authorization, concurrency, scale.stack_round_seconds
            )
            result["cpu_seconds"] = server.cpu_seconds() - before
            if result["errors"]:
                raise BenchError(f"{label} {page.path} c={concurrency}: {result['raw']}")
            rounds[label].append(result)
    summaries = {label: _summary(rounds[label]) for label in labels}
    log(
        f"{page.name} c={concurrency}: "
        + ", ".join(
            f"{label} {s['per_second']:.0f}/s p50 {s['p50_ms']:.1f} ms CPU {s['cpu_ms']:.1f} ms"
            for label, s in summaries.items()
        )
    )
    return summaries


def _side(summary: dict) -> str:
    return (
        f"{summary['per_second']:.0f}/s, p50 {summary['p50_ms']:.1f}, p99 "
        f"{summary['p99_ms']:.1f} ms, CPU {summary['cpu_ms']:.1f} ms/req"
    )


def figures(results: dict, *, refused: dict[str, str], suffix: str = "") -> list[Figure]:
    """One line per page, concurrency and ours-server: ours/peer req/s (the goal's ratio); one
    line per page that was not compared, saying why."""
    rows = [
        Figure(f"req/s ours/peer {name}{suffix}", f"NOT COMPARED: {why}", "-", f">= {GOAL}", False)
        for name, why in refused.items()
    ]
    for page_name, by_concurrency in results.items():
        for concurrency, summaries in by_concurrency.items():
            peer = summaries[PEER]
            for label, ours in summaries.items():
                if label == PEER:
                    continue
                ratio = ours["per_second"] / peer["per_second"]
                rows.append(
                    Figure(
                        name=f"req/s ours/peer {page_name}{suffix}, c={concurrency}: {label}",
                        measured=f"ours {_side(ours)}; peer {_side(peer)}",
                        ratio=f"{ratio:.2f}",
                        goal=f">= {GOAL}",
                        met=at_least(ratio, GOAL),
                    )
                )
    return rows


def render(results: dict, servers: dict[str, str]) -> str:
    """The detail table: every server's figures and its ratios to the peer."""
    lines = [
        "| page | c | server | req/s | p50 ms | p99 ms | CPU ms/req | req/s vs peer "
        "| p50 vs peer | p99 vs peer | CPU vs peer |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page_name, by_concurrency in results.items():
        for concurrency, summaries in by_concurrency.items():
            peer = summaries[PEER]
            for label, s in summaries.items():
                lines.append(
                    f"| {page_name} | {concurrency} | {label} | {s['per_second']:.0f} "
                    f"| {s['p50_ms']:.1f} | {s['p99_ms']:.1f} | {s['cpu_ms']:.2f} "
                    f"| {s['per_second'] / peer['per_second']:.2f} "
                    f"| {s['p50_ms'] / peer['p50_ms']:.2f}x | {s['p99_ms'] / peer['p99_ms']:.2f}x "
                    f"| {s['cpu_ms'] / peer['cpu_ms']:.2f}x |"
                )
    legend = "; ".join(f"{label}: {description}" for label, description in servers.items())
    return "\n".join(lines) + f"\n\nServers: {legend}."
