"""How cost grows: more interviews and a longer transcript, page cost at 10x, COUNT's share.

Import only after `django.setup()`.
"""

import time

import psycopg

from bench import inprocess
from bench.peer_check import PeerInProcess
from bench.report import Figure, at_most
from bench.scratch import log
from config.seeding.load import LOAD_EMAIL_DOMAIN, LoadPlan, seed_load_data
from interviews.models import Candidate, Interview


def top_up_interviews(*, target: int, seed: int) -> int:
    """Add load candidates with one interview each (empty transcripts) up to `target`
    interviews in all; return how many there are."""
    have = Interview.objects.count()
    if target > have:
        existing = Candidate.all_objects.filter(email__endswith=f"@{LOAD_EMAIL_DOMAIN}").count()
        report = seed_load_data(
            LoadPlan(
                candidates=existing + target - have,
                interviews_per_candidate=1,
                messages_per_interview=0,
                seed=seed,
            )
        )
        log(f"interviews topped up to {target:,}: {report.rows} in {report.seconds:.1f} s")
    return Interview.objects.count()


def _best_ms(action, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        began = time.perf_counter()
        action()
        best = min(best, (time.perf_counter() - began) * 1000)
    return best


def count_share(*, path: str, token: str, url: str, runs: int) -> dict:
    """Best-of-`runs` times, in this process: each statement the list page runs (on its own
    connection), and ours' whole request through the Django test client."""
    _body, statements = inprocess.get(path, token)
    counts = [s for s in statements if s.startswith("SELECT COUNT(*)")]
    with psycopg.connect(url, autocommit=True) as conn:
        times = [
            _best_ms(lambda statement=statement: conn.execute(statement).fetchall(), runs)
            for statement in statements
        ]
    whole = _best_ms(lambda: inprocess.get(path, token), runs)
    count_ms = sum(t for s, t in zip(statements, times, strict=True) if s in counts)
    return {"count_ms": count_ms, "sql_ms": sum(times), "whole_ms": whole, "statements_ms": times}


def page_costs(pages: dict[str, str], *, token: str, url: str, runs: int) -> dict[str, dict]:
    """Best-of-`runs` time of each page in this process, ours (Django test client) and the
    peer's page function, alternating run by run: what a page costs, whatever the load."""
    costs = {}
    with PeerInProcess(url) as peer:
        for name, path in pages.items():
            ours_ms, peer_ms = float("inf"), float("inf")
            for _ in range(runs):
                ours_ms = min(ours_ms, _best_ms(lambda path=path: inprocess.get(path, token), 1))
                peer_ms = min(peer_ms, _best_ms(lambda path=path: peer.get(path, token), 1))
            costs[name] = {"ours": ours_ms, "peer": peer_ms}
    return costs


def page_cost_figures(
    base: dict, tenfold: dict, *, sizes: dict[str, tuple[str, str]]
) -> list[Figure]:
    """Each page's in-process cost at 10x the rows against 1x, ours and the peer's (goal: the
    same cost)."""
    rows = []
    for page_name, (base_size, tenfold_size) in sizes.items():
        for label in ("ours", "peer"):
            before = base[page_name][label]
            after = tenfold[page_name][label]
            ratio = after / before
            rows.append(
                Figure(
                    name=f"page cost at 10x / 1x, {page_name} (best of N, in-process): {label}",
                    measured=(
                        f"1x {before:.1f} ms ({base_size}), 10x {after:.1f} ms ({tenfold_size})"
                    ),
                    ratio=f"{ratio:.2f}",
                    goal="<= 1.3",
                    met=at_most(ratio, 1.3),
                )
            )
    return rows


def count_share_figure(shares: dict[str, dict]) -> Figure:
    """COUNT(*)'s share of the interview list page at each size (reported, no goal): of the
    page's SQL, of ours' whole request in-process, of the peer's p50 at c=1 over HTTP."""

    def one(size: str) -> str:
        share = shares[size]
        return (
            f"{size}: COUNT {share['count_ms']:.1f} of SQL {share['sql_ms']:.1f} ms, "
            f"{share['count_ms'] / share['whole_ms']:.0%} of ours' page "
            f"({share['whole_ms']:.1f} ms in-process), "
            f"{share['count_ms'] / share['peer_p50_ms']:.0%} of the peer's "
            f"(p50 {share['peer_p50_ms']:.1f} ms)"
        )

    sizes = list(shares)
    growth = shares[sizes[-1]]["count_ms"] / shares[sizes[0]]["count_ms"]
    return Figure(
        name="COUNT(*) share of the interview list page (best of N, in-process)",
        measured="; ".join(one(size) for size in sizes),
        ratio=f"{growth:.1f}x" if len(sizes) > 1 else "-",
        goal="report",
        met=None,
    )
