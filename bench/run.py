"""`python -m bench`: the options and the run's order (database, data, servers, figures).

It builds a scratch PostgreSQL database, loads it, serves it with gunicorn, measures, prints
one table, and cleans up (also on failure); each figure family lives in its own module.

Every figure is a ratio of two things measured in the same run on the same machine, so that
the noise of a shared 2-core machine cancels as far as it can. Missed goals are figures, not
failures: the exit status is non-zero only when the bench itself could not run.
"""

import argparse
import json
import os
import secrets
import sys
import tempfile
import time

from bench import appends, cursor_pages, hot_reads, json_filters, login, queries, seed_copy
from bench.driver import Http
from bench.report import Figure, table
from bench.scale import QUICK, Scale
from bench.scratch import BenchError, Gunicorn, ScratchDatabase, log, manage

DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_ADMIN_URL", DEFAULT_ADMIN_URL),
        help="PostgreSQL URL of a role that may create databases (env BENCH_ADMIN_URL).",
    )
    parser.add_argument("--keep", action="store_true", help="Keep the scratch database.")
    parser.add_argument("--quick", action="store_true", help="Small data, short rounds.")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers (2-4).")
    parser.add_argument("--connections", type=int, default=3, help="Concurrent connections.")
    parser.add_argument(
        "--stack-workers",
        type=int,
        default=2,
        help="Worker processes of every server in the ours-vs-peer figures (both sides).",
    )
    parser.add_argument("--json", dest="json_path", help="Also write the raw results here.")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="Also time the parts of the two hot reads (API vs floor) and print them.",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    scale = QUICK if args.quick else Scale()
    began = time.perf_counter()
    load_before = os.getloadavg()[0]
    try:
        figures, raw = _run(args, scale)
    except BenchError as error:
        log(f"FAILED: {error}")
        return 1
    print()
    print(table(figures))
    print()
    for detail in raw.get("tables", []):
        print(detail)
        print()
    if "breakdown" in raw:
        from bench.breakdown import render

        print(render(raw["breakdown"]))
        print()
    print(
        f"{sum(f.met is True for f in figures)} of {sum(f.met is not None for f in figures)} "
        f"goals met; {time.perf_counter() - began:.0f} s in all; {os.cpu_count()} CPUs; "
        f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after; "
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}."
    )
    if args.json_path:
        with open(args.json_path, "w") as output:
            json.dump(raw, output, indent=2, default=str)
    return 0


def _run(args: argparse.Namespace, scale: Scale) -> tuple[list[Figure], dict]:
    password = secrets.token_urlsafe(16)
    raw: dict = {"scale": scale.__dict__}
    with (
        ScratchDatabase(args.admin_url, keep=args.keep) as db,
        tempfile.TemporaryDirectory(prefix="bench-static-") as static_root,
    ):
        # Debug off, the server refuses to start without collected static files (config.wsgi).
        env = {**db.django_env(password=password), "STATIC_ROOT": static_root}
        seconds, _ = manage(env, "migrate", "--noinput", timeout=300)
        log(f"migrated in {seconds:.1f} s")
        manage(env, "collectstatic", "--noinput", "-v0", timeout=300)
        try:
            return _measure(args, scale, db, env, password, raw), raw
        finally:
            _close_django()


def _close_django() -> None:
    if "django.db" not in sys.modules:
        return
    from django.db import connections

    for alias in connections:
        conn = connections[alias]
        conn.close()
        if hasattr(conn, "close_pool"):
            conn.close_pool()


def _measure(args, scale: Scale, db: ScratchDatabase, env, password, raw) -> list[Figure]:
    figures: dict[str, list[Figure]] = {}
    figures["seed"] = seed_copy.seed_vs_copy(db, env, scale, raw)

    # From here the bench process is a Django process on the scratch database too.
    os.environ.update(env)
    import django

    django.setup()
    from bench import inprocess

    long_id = inprocess.seed_long_transcript(messages=scale.long_transcript, seed=7)
    histories = inprocess.make_list_fixtures(rows=scale.list_rows)
    db.vacuum()
    admin_token = inprocess.issue_token("admin@example.com")
    recruiter_token = inprocess.issue_token("recruiter@example.com")
    transcript_id = _a_full_transcript(db, scale.messages)

    figures["queries"] = queries.query_count_figures(
        admin_token=admin_token,
        recruiter_token=recruiter_token,
        transcript_id=transcript_id,
        histories=histories,
        rows=scale.list_rows,
    )

    list_api = "/api/v1/interviews/?page_size=50"
    list_floor = "/bench/floor/interviews/?page_size=50"
    page_api = f"/api/v1/interviews/{transcript_id}/messages/?page_size=100"
    page_floor = f"/bench/floor/interviews/{transcript_id}/messages/?page_size=100"
    same_sql = {
        "list": inprocess.compare_sql(list_api, list_floor, recruiter_token),
        "transcript": inprocess.compare_sql(page_api, page_floor, recruiter_token),
    }
    raw["same_sql"] = same_sql
    if args.profile:
        from bench.breakdown import breakdown

        raw["breakdown"] = breakdown(token=recruiter_token, transcript_id=transcript_id)
    running = inprocess.create_running_interviews(9)

    with Gunicorn(env, workers=args.workers) as server:
        http = Http(server.port)
        tokens = http.login(["recruiter@example.com", "engine@example.com"], password)
        recruiter = {"Authorization": f"Bearer {tokens['recruiter@example.com']}"}
        engine = {"Authorization": f"Bearer {tokens['engine@example.com']}"}
        connections = args.connections

        figures["list"] = [
            hot_reads.versus_floor(
                http,
                "req/s GET interviews?page_size=50 vs floor",
                list_api,
                list_floor,
                recruiter,
                connections,
                scale,
                same_sql["list"],
                raw,
            )
        ]
        figures["page"] = [
            hot_reads.versus_floor(
                http,
                "req/s transcript page of 100 vs floor",
                page_api,
                page_floor,
                recruiter,
                connections,
                scale,
                same_sql["transcript"],
                raw,
            )
        ]
        figures["cursor"] = cursor_pages.deep_pages(http, long_id, scale, recruiter, raw)
        figures["login"] = [login.login_latency(http, password, inprocess.hash_once_ms, scale, raw)]
        figures["appends"] = appends.appends(http, db, running, engine, scale, raw)

    from bench import stack

    figures["stack"], tables = stack.measure(
        db=db,
        env=env,
        scale=scale,
        token=recruiter_token,
        long_id=long_id,
        workers=args.stack_workers,
        raw=raw,
    )
    raw["tables"] = tables

    assessment_count = inprocess.seed_assessments(target=scale.assessments, seed=11)
    db.vacuum()
    figures["json"] = json_filters.json_filter_figures(
        db,
        inprocess,
        recruiter_token,
        inprocess.bench_organization_id(),
        assessment_count,
        scale,
        raw,
    )

    order = ["list", "page", "stack", "cursor", "queries", "login", "seed", "json", "appends"]
    return [figure for key in order for figure in figures[key]]


def _a_full_transcript(db: ScratchDatabase, messages: int):
    with db.connect() as conn:
        row = conn.execute(
            "SELECT id FROM interviews_interview WHERE message_count = %s ORDER BY id LIMIT 1",
            [messages],
        ).fetchone()
    if row is None:
        raise BenchError(f"no seeded interview has {messages} messages")
    return row[0]
