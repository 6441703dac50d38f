"""The ours-vs-peer section of a run: its servers, its checks, its data at 1x and at 10x.

Four servers with the same worker count run side by side on the scratch database: ours under
gunicorn sync workers (what the Dockerfile runs), gunicorn gthread (4 threads per worker), and
uvicorn on Django's ASGI handler (bench/asgi.py); the peer under uvicorn. Before timing a page,
the SQL of ours and the peer must be the same and every server's JSON the peer's; a page that
fails either is reported as not compared. Import only after `django.setup()`.
"""

from contextlib import ExitStack

from bench import growth, inprocess, peer_check, peer_figures, wrk
from bench.peer_figures import PEER, Page
from bench.report import Figure
from bench.scale import Scale
from bench.scratch import Gunicorn, ScratchDatabase, Uvicorn, log
from interviews.models import Interview

CONCURRENCIES = (1, 4)
LIST = "interviews?page_size=50"
TRANSCRIPT = "transcript page of 100"


def _pages(transcript_id) -> list[Page]:
    return [
        Page(LIST, "/api/v1/interviews/?page_size=50", 50),
        Page(TRANSCRIPT, f"/api/v1/interviews/{transcript_id}/messages/?page_size=100", 100),
    ]


def _compare(servers, pages, token: str, scale: Scale, same_sql) -> tuple[dict, dict]:
    results, refused = {}, {}
    for page in pages:
        same, detail = same_sql[page.name]
        problem = None if same else f"SQL differs ({detail}; see the log)"
        problem = problem or peer_figures.json_difference(servers, page, token)
        if problem:
            log(f"{page.name}: not compared: {problem}")
            refused[page.name] = problem
            continue
        results[page.name] = {
            concurrency: peer_figures.time_servers(servers, page, token, scale, concurrency)
            for concurrency in CONCURRENCIES
        }
    return results, refused


def measure(
    *, db: ScratchDatabase, env: dict, scale: Scale, token: str, long_id, workers: int, raw: dict
) -> tuple[list[Figure], list[str]]:
    """The figures, and the detail tables to print under the main table."""
    growth.top_up_interviews(target=scale.stack_interviews, seed=21)
    db.vacuum()
    base_interviews = Interview.objects.count()
    pages = _pages(long_id)
    same_sql = {page.name: peer_check.compare_sql(page.path, token, db.url) for page in pages}
    servers = {
        "ours sync": Gunicorn(env, workers=workers),
        "ours gthread": Gunicorn(env, workers=workers, threads=4),
        "ours ASGI": Uvicorn(env, app="bench.asgi:application", workers=workers),
        PEER: Uvicorn(
            {**env, "PEER_DATABASE_URL": db.url},
            app="bench.peer.app:app",
            workers=workers,
        ),
    }
    log(f"ours vs peer: load by {'wrk' if wrk.available() else 'bench.load (no wrk on PATH)'}")
    raw["stack"] = {"same_sql": same_sql, "tool": "wrk" if wrk.available() else "bench.load"}
    with ExitStack() as running:
        for server in servers.values():
            running.enter_context(server)
        legend = {label: server.label for label, server in servers.items()}
        base, refused = _compare(servers, pages, token, scale, same_sql)
        figures = peer_figures.figures(base, refused=refused)
        tables = [
            f"Ours vs peer, {base_interviews:,} interviews:\n\n" + peer_figures.render(base, legend)
        ]
        shares = {}
        if LIST in base:
            shares[f"{base_interviews:,} interviews"] = {
                **growth.count_share(
                    path=pages[0].path, token=token, url=db.url, runs=scale.sql_runs
                ),
                "peer_p50_ms": base[LIST][1][PEER]["p50_ms"],
            }
        costs = growth.page_costs(
            {page.name: page.path for page in pages}, token=token, url=db.url, runs=scale.sql_runs
        )
        raw["stack"].update({"1x": base, "refused_1x": refused, "page_costs_1x": costs})
        if scale.scale10:
            # The long transcript's interview makes the last one of the ten times as many.
            growth.top_up_interviews(target=10 * base_interviews - 1, seed=22)
            long10 = inprocess.seed_long_transcript(messages=10 * scale.long_transcript, seed=23)
            db.vacuum()
            tenfold_interviews = Interview.objects.count()
            pair = {label: servers[label] for label in ("ours sync", PEER)}
            tenfold, refused10 = _compare(pair, _pages(long10), token, scale, same_sql)
            figures += peer_figures.figures(tenfold, refused=refused10, suffix=" at 10x")
            sizes = {
                LIST: (f"{base_interviews:,} interviews", f"{tenfold_interviews:,}"),
                TRANSCRIPT: (
                    f"{scale.long_transcript:,} messages",
                    f"{10 * scale.long_transcript:,}",
                ),
            }
            costs10 = growth.page_costs(
                {page.name: page.path for page in _pages(long10)},
                token=token,
                url=db.url,
                runs=scale.sql_runs,
            )
            figures += growth.page_cost_figures(costs, costs10, sizes=sizes)
            tables.append(
                f"Ours vs peer at 10x, {tenfold_interviews:,} interviews and a "
                f"{10 * scale.long_transcript:,}-message transcript:\n\n"
                + peer_figures.render(tenfold, {label: legend[label] for label in pair})
            )
            if LIST in tenfold:
                shares[f"{tenfold_interviews:,} interviews"] = {
                    **growth.count_share(
                        path=pages[0].path, token=token, url=db.url, runs=scale.sql_runs
                    ),
                    "peer_p50_ms": tenfold[LIST][1][PEER]["p50_ms"],
                }
            raw["stack"].update(
                {"10x": tenfold, "refused_10x": refused10, "page_costs_10x": costs10}
            )
    if shares:
        figures.append(growth.count_share_figure(shares))
        raw["stack"]["count_share"] = shares
    return figures, tables
