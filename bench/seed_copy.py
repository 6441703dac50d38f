"""`python -m bench`: build a scratch PostgreSQL database, load it, serve it with gunicorn,
measure, print one table, and clean up (also on failure).

Every figure is a ratio of two things measured in the same run on the same machine, so that
the noise of a shared 2-core machine cancels as far as it can. Missed goals are figures, not
failures: the exit status is non-zero only when the bench itself could not run.
"""

import argparse
import base64
import io
import json
import math
import os
import re
import secrets
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import psycopg

from bench.report import Figure, at_least, at_most, table
from bench.scratch import ROOT, BenchError, Gunicorn, ScratchDatabase, log, manage

DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
COPY_CHUNK = 1 << 20


@dataclass(frozen=True)
class Scale:
    """Data sizes and measuring times; `--quick` shrinks them for a smoke run."""

    candidates: int = 1000
    messages: int = 1000
    long_transcript: int = 100_000
    assessments: int = 100_000
    list_rows: int = 100
    round_seconds: float = 4.0
    rounds: int = 3
    latency_pairs: int = 40
    logins: int = 40
    hashes: int = 30
    append_seconds: float = 6.0
    sql_runs: int = 15


QUICK = Scale(
    candidates=150,
    messages=200,
    long_transcript=10_000,
    assessments=5_000,
    round_seconds=1.5,
    rounds=2,
    latency_pairs=15,
    logins=31,
    hashes=30,
    append_seconds=2.0,
    sql_runs=5,
)


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
    with ScratchDatabase(args.admin_url, keep=args.keep) as db:
        env = db.django_env(password=password)
        seconds, _ = manage(env, "migrate", "--noinput", timeout=300)
        log(f"migrated in {seconds:.1f} s")
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
    figures["seed"] = seed_vs_copy(db, env, scale, raw)

    # From here the bench process is a Django process on the scratch database too.
    os.environ.update(env)
    import django

    django.setup()
    from bench import inprocess

    long_id = inprocess.seed_long_transcript(messages=scale.long_transcript, seed=7)
    histories = inprocess.make_list_fixtures(rows=scale.list_rows)
    vacuum(db)
    admin_token = inprocess.issue_token("admin@example.com")
    recruiter_token = inprocess.issue_token("recruiter@example.com")
    transcript_id = _a_full_transcript(db, scale.messages)

    endpoints = [
        ("users", admin_token, "/api/v1/users/?page_size={n}"),
        ("candidates", recruiter_token, "/api/v1/candidates/?page_size={n}"),
        ("resumes", recruiter_token, "/api/v1/resumes/?page_size={n}"),
        ("interviews", recruiter_token, "/api/v1/interviews/?page_size={n}"),
        (
            "transcript",
            recruiter_token,
            f"/api/v1/interviews/{transcript_id}/messages/?page_size={{n}}",
        ),
        ("assessments", recruiter_token, "/api/v1/assessments/?page_size={n}"),
    ]
    counted = [
        (name, token, path.format(n=10), path.format(n=100)) for name, token, path in endpoints
    ]
    counted.append(
        (
            "history",
            recruiter_token,
            f"/api/v1/interviews/{histories[10]}/history/",
            f"/api/v1/interviews/{histories[scale.list_rows]}/history/",
        )
    )
    figures["queries"] = inprocess.query_count_figures(counted)

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
            http.versus_floor(
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
            http.versus_floor(
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
        figures["cursor"] = http.deep_pages(long_id, scale, recruiter, raw)
        figures["login"] = [http.login_latency(password, inprocess.hash_once_ms, scale, raw)]
        figures["appends"] = http.appends(db, running, engine, scale, raw)

    assessment_count = inprocess.seed_assessments(target=scale.assessments, seed=11)
    vacuum(db)
    figures["json"] = json_filter_figures(
        db, inprocess, recruiter_token, assessment_count, scale, raw
    )

    order = ["list", "page", "cursor", "queries", "login", "seed", "json", "appends"]
    return [figure for key in order for figure in figures[key]]


def vacuum(db: ScratchDatabase) -> None:
    """Set hint bits and the visibility map after a bulk load, as autovacuum soon would, so
    that no measurement pays for it (or for autovacuum running in the middle of it)."""
    began = time.perf_counter()
    with db.connect(autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    log(f"VACUUM (ANALYZE) in {time.perf_counter() - began:.1f} s")


def _a_full_transcript(db: ScratchDatabase, messages: int):
    with db.connect() as conn:
        row = conn.execute(
            "SELECT id FROM interviews_interview WHERE message_count = %s ORDER BY id LIMIT 1",
            [messages],
        ).fetchone()
    if row is None:
        raise BenchError(f"no seeded interview has {messages} messages")
    return row[0]


# --- seed vs COPY -------------------------------------------------------------------------------

VERIFY_SQL = """
WITH per_interview AS (
    SELECT i.id, i.message_count, i.total_tokens_used, i.cost_usd,
           s.questions_asked_count,
           count(m.id) AS messages,
           coalesce(min(m.sequence_number), 1) AS first_number,
           coalesce(max(m.sequence_number), 0) AS last_number,
           coalesce(sum(m.tokens_used), 0) AS tokens,
           coalesce(sum(m.cost_usd), 0) AS cost,
           count(m.id) FILTER (WHERE m.message_type = 'ai_question') AS questions
    FROM interviews_interview i
    LEFT JOIN interviews_interviewsession s ON s.interview_id = i.id
    LEFT JOIN interviews_interviewmessage m ON m.interview_id = i.id
    {where}
    GROUP BY i.id, s.questions_asked_count
)
SELECT count(*),
       coalesce(sum(messages), 0),
       count(*) FILTER (WHERE first_number <> 1 OR last_number <> messages),
       count(*) FILTER (
           WHERE message_count <> messages OR total_tokens_used <> tokens OR cost_usd <> cost
              OR coalesce(questions_asked_count, questions) <> questions
       )
FROM per_interview
"""


def verify_transcripts(conn: psycopg.Connection, ids=None) -> dict[str, int]:
    """Gapless sequence numbers 1..N and counters equal to the sums, in one query."""
    where = "WHERE i.id = ANY(%s)" if ids is not None else ""
    params = [list(ids)] if ids is not None else []
    interviews, messages, gapped, counters_off = conn.execute(
        VERIFY_SQL.format(where=where), params
    ).fetchone()
    return {
        "interviews": interviews,
        "messages": int(messages),
        "gapped": gapped,
        "counters_off": counters_off,
    }


def seed_vs_copy(db: ScratchDatabase, env, scale: Scale, raw) -> list[Figure]:
    with db.connect(autocommit=True) as conn:
        conn.execute("CHECKPOINT")
    command = [
        "seed",
        "--candidates",
        str(scale.candidates),
        "--interviews-per-candidate",
        "1",
        "--messages-per-interview",
        str(scale.messages),
        "--seed",
        "1",
    ]
    log(f"manage.py {' '.join(command)}")
    seed_seconds, output = manage(env, *command, timeout=900)
    seeded_by = "manage.py seed"
    reported = re.search(r"([\d.]+) s \(", output)
    log(f"seed: {seed_seconds:.1f} s wall ({reported.group(1) if reported else '?'} s inside)")

    with db.connect() as conn:
        buffer = io.BytesIO()
        with conn.cursor().copy(
            "COPY interviews_interviewmessage TO STDOUT (FORMAT BINARY)"
        ) as copy:
            for block in copy:
                buffer.write(block)
        conn.execute("CREATE TABLE bench_copy (LIKE interviews_interviewmessage INCLUDING ALL)")
        conn.commit()
        conn.execute("CHECKPOINT")
        conn.commit()
        data = buffer.getbuffer()
        began = time.perf_counter()
        with conn.cursor().copy("COPY bench_copy FROM STDIN (FORMAT BINARY)") as copy:
            for start in range(0, len(data), COPY_CHUNK):
                copy.write(data[start : start + COPY_CHUNK])
        conn.commit()
        copy_seconds = time.perf_counter() - began
        copied = conn.execute("SELECT count(*) FROM bench_copy").fetchone()[0]
        conn.execute("DROP TABLE bench_copy")
        conn.commit()
        data.release()
        checks = verify_transcripts(conn)
    megabytes = buffer.getbuffer().nbytes / 2**20
    log(f"COPY {copied:,} rows ({megabytes:.0f} MiB binary) in {copy_seconds:.1f} s")
    log(f"seed check: {checks}")
    raw["seed"] = {
        "seeded_by": seeded_by,
        "seed_seconds": seed_seconds,
        "seed_reported_seconds": float(reported.group(1)) if reported else None,
        "copy_seconds": copy_seconds,
        "copy_rows": copied,
        "copy_mib": megabytes,
        "checks": checks,
        "output": output,
    }
    ratio = copy_seconds / seed_seconds
    expected = scale.candidates * scale.messages
    valid = checks["gapped"] == 0 and checks["counters_off"] == 0 and copied == expected
    return [
        Figure(
            name=f"seed vs raw COPY ({expected:,} messages; {seeded_by})",
            measured=f"seed {seed_seconds:.1f} s (whole command), COPY {copy_seconds:.1f} s",
            ratio=f"{ratio:.2f}",
            goal=">= 0.5",
            met=at_least(ratio, 0.5),
        ),
        Figure(
            name="seeded data valid (one SQL check)",
            measured=(
                f"{checks['interviews']:,} interviews, {checks['messages']:,} messages: "
                f"{checks['gapped']} gapped, {checks['counters_off']} counters off"
            ),
            ratio="-",
            goal="0 bad",
            met=valid,
        ),
    ]


# --- HTTP figures -------------------------------------------------------------------------------


class Http:
    """Drives the load process (bench/load.py) against the bench's gunicorn."""

    def __init__(self, port: int):
        self.port = port

    def run(self, jobs: list[dict]) -> list[dict]:
        for job in jobs:
            job["port"] = self.port
        limit = sum(float(job.get("duration", 5)) for job in jobs) + 120
        try:
            done = subprocess.run(
                [sys.executable, "-m", "bench.load"],
                input=json.dumps(jobs),
                capture_output=True,
                text=True,
                timeout=limit,
                cwd=ROOT,
            )
        except subprocess.TimeoutExpired as error:
            raise BenchError("the load process did not finish in time") from error
        if done.returncode != 0:
            raise BenchError(f"the load process failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout)

    def one(self, method: str, path: str, headers=None, body=None) -> tuple[int, dict]:
        request = {"method": method, "path": path, "headers": headers or {}, "body": body}
        result = self.run(
            [{"connections": [[request]], "once": True, "duration": 30, "keep_bodies": True}]
        )[0]
        if not result["bodies"][0]:
            raise BenchError(f"{method} {path}: no answer ({result['error_samples']})")
        status, text = result["bodies"][0][0]
        try:
            return status, json.loads(text)
        except json.JSONDecodeError as error:
            raise BenchError(f"{method} {path} answered {status}: {text[:300]}") from error

    def login(self, emails: list[str], password: str) -> dict[str, str]:
        tokens = {}
        for email in emails:
            status, body = self.one(
                "POST", "/api/v1/auth/login/", body={"email": email, "password": password}
            )
            if status != 200:
                raise BenchError(f"login of {email} answered {status}: {body}")
            tokens[email] = body["token"]
        return tokens

    def _check_page(self, path: str, headers: dict, rows: int) -> int:
        status, body = self.one("GET", path, headers)
        if status != 200 or len(body.get("results", [])) != rows:
            raise BenchError(f"GET {path} answered {status} with an unexpected body")
        return len(json.dumps(body))

    def versus_floor(
        self, name, api, floor, headers, connections, scale: Scale, same_sql, raw
    ) -> Figure:
        """Throughput of the API and its floor, in alternating rounds (ABBA...)."""
        rows = 50 if "page_size=50" in api else 100
        sizes = {path: self._check_page(path, headers, rows) for path in (api, floor)}

        def job(path: str, seconds: float) -> dict:
            request = {"method": "GET", "path": path, "headers": headers}
            return {
                "name": path,
                "connections": [[request]] * connections,
                "duration": seconds,
                "max_requests": 50_000,
            }

        jobs = [job(api, 1.0), job(floor, 1.0)]  # warm-up: imports, pools, caches
        for number in range(scale.rounds):
            pair = [api, floor] if number % 2 == 0 else [floor, api]
            jobs.extend(job(path, scale.round_seconds) for path in pair)
        results = self.run(jobs)[2:]
        rates = {api: [], floor: []}
        for result in results:
            if result["errors"] or result["ok"] != result["requests"]:
                raise BenchError(f"{result['name']}: {result['statuses']} {result['errors']}")
            rates[result["name"]].append(result["per_second"])
        api_rate, floor_rate = (statistics.median(rates[path]) for path in (api, floor))
        ratio = api_rate / floor_rate
        raw.setdefault("throughput", {})[name] = {
            "rounds": results,
            "bytes": sizes,
            "same_sql": same_sql,
        }
        same, statements = same_sql
        log(f"{name}: API {api_rate:.0f}/s, floor {floor_rate:.0f}/s; bytes {sizes}")
        return Figure(
            name=name,
            measured=(
                f"API {api_rate:.0f} req/s, floor {floor_rate:.0f} req/s "
                f"({statements}, {'same SQL' if same else 'SQL DIFFERS'})"
            ),
            ratio=f"{ratio:.2f}",
            goal=">= 0.5",
            met=at_least(ratio, 0.5) and same,
        )

    def _pair_latency(self, first: str, last: str, headers, pairs: int) -> tuple[float, float]:
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
        result = self.run([warm, timed])[1]
        samples = result["samples"][0]
        if any(status != 200 for _index, status, _ms in samples):
            raise BenchError(f"deep pages: {result['statuses']}")
        first_ms = statistics.median(ms for index, _s, ms in samples if index % 2 == 0)
        last_ms = statistics.median(ms for index, _s, ms in samples if index % 2 == 1)
        return first_ms, last_ms

    def deep_pages(self, interview_id, scale: Scale, headers, raw) -> list[Figure]:
        """First vs last page of a long transcript: cursor (API) and OFFSET (floor control)."""
        total = scale.long_transcript
        first = f"/api/v1/interviews/{interview_id}/messages/?page_size=100"
        status, body = self.one("GET", first, headers)
        cursor = parse_qs(urlsplit(body["next"]).query)["cursor"][0]
        learned = parse_qs(base64.b64decode(cursor).decode())
        if status != 200 or learned.get("p") != ["100"]:
            raise BenchError(f"unexpected cursor format: {learned}")
        last_cursor = base64.b64encode(f"p={total - 100}".encode()).decode()
        last = f"{first}&cursor={last_cursor}"
        status, body = self.one("GET", last, headers)
        numbers = [message["sequence_number"] for message in body.get("results", [])]
        if status != 200 or numbers != list(range(total - 99, total + 1)) or body["next"]:
            raise BenchError(f"the built last-page cursor did not give the last page ({status})")

        cursor_first, cursor_last = self._pair_latency(first, last, headers, scale.latency_pairs)
        offset = f"/bench/floor/interviews/{interview_id}/messages-offset/?page_size=100"
        offset_first, offset_last = self._pair_latency(
            f"{offset}&offset=0", f"{offset}&offset={total - 100}", headers, scale.latency_pairs
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

    def login_latency(self, password: str, hash_once, scale: Scale, raw) -> Figure:
        """Sequential logins over HTTP vs one hash in this process, in alternating batches so
        that both see the same machine load."""
        request = {
            "method": "POST",
            "path": "/api/v1/auth/login/",
            "body": {"email": "recruiter@example.com", "password": password},
        }
        self.run([{"connections": [[request] * 2], "once": True, "duration": 30}])  # warm-up
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
            result = self.run([job])[0]
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

    def appends(self, db: ScratchDatabase, interviews, headers, scale: Scale, raw) -> list[Figure]:
        """8 concurrent writers on one interview, then on 8 interviews (one each)."""
        writers = 8

        def request(interview_id, number: int) -> dict:
            return {
                "method": "POST",
                "path": f"/api/v1/interviews/{interview_id}/messages/",
                "headers": headers,
                "body": {
                    "message_type": "ai_question" if number % 2 else "candidate_response",
                    "content_text": f"Bench message from writer {number}.",
                    "tokens_used": 10 + number,
                    "cost_usd": "0.0020",
                },
            }

        one, many = interviews[0], interviews[1 : 1 + writers]
        jobs = [
            {
                "name": "one interview",
                "connections": [[request(one, n)] for n in range(writers)],
                "duration": scale.append_seconds,
                "max_requests": 20_000,
            },
            {
                "name": f"{writers} interviews",
                "connections": [[request(many[n], n)] for n in range(writers)],
                "duration": scale.append_seconds,
                "max_requests": 20_000,
            },
        ]
        results = self.run(jobs)
        figures = []
        rates = []
        for result, ids in zip(results, ([one], many), strict=True):
            with db.connect() as conn:
                checks = verify_transcripts(conn, ids)
            created = result["statuses"].get("201", 0)
            other = {k: v for k, v in result["statuses"].items() if k != "201"}
            sound = (
                checks["gapped"] == 0
                and checks["counters_off"] == 0
                and checks["messages"] == created
                and not other
                and not result["errors"]
            )
            rates.append(result["per_second"])
            raw.setdefault("appends", {})[result["name"]] = {**result, "checks": checks}
            figures.append(
                Figure(
                    name=f"appends/s, {writers} writers on {result['name']}",
                    measured=(
                        f"{result['per_second']:.0f}/s, p50 {result['latency_ms']['p50']:.0f} ms; "
                        f"{checks['messages']} messages, {checks['gapped']} gaps, "
                        f"{checks['counters_off']} counters off"
                        + (f", other answers {other}" if other else "")
                        + (f", {result['errors']} errors" if result["errors"] else "")
                    ),
                    ratio="-" if len(rates) == 1 else f"{rates[1] / rates[0]:.2f} vs one",
                    goal="report; 0 gaps",
                    met=sound,
                )
            )
        return figures


# --- JSON filters -------------------------------------------------------------------------------


def json_filter_figures(db, inprocess, token: str, count: int, scale: Scale, raw) -> list[Figure]:
    """The API's SQL for two JSON filters, and their predicate alone, with the planner's
    default plan vs index and bitmap scans off."""
    table_name = "assessments_assessmentresult"
    # (query, index that should serve it, the filter's predicate, a marker of it in the API's SQL)
    flags = f""""{table_name}"."integrity_flags" @> '["tab_switch"]'::jsonb"""
    cases = [
        ("integrity_flag=tab_switch", "assessments_flags_gin", flags, flags),
        (
            "skill=python&min_skill_score=90",
            "assessments_skill_score_idx",
            f""""{table_name}"."id" IN (SELECT "assessment_id" FROM """
            """"assessments_assessmentskillscore" WHERE "skill" = 'python' AND "score" >= 90)""",
            '"assessments_assessmentskillscore"',
        ),
    ]
    figures = []
    for query, index, predicate, marker in cases:
        statements = inprocess.api_statements(f"/api/v1/assessments/?{query}", token, table_name)
        if not all(marker in statement for statement in statements):
            log(f"{query}: the API's SQL no longer contains {marker}; timing it anyway")
        alone = [f'SELECT count(*) FROM "{table_name}" WHERE {predicate}']
        for label, sql_statements in (
            (f"assessments?{query}, {count:,} rows (API SQL: count + page)", statements),
            ("  the filter's predicate alone: count(*) WHERE ...", alone),
        ):
            figure, timing = inprocess.json_filter_figure(
                label=label,
                url=db.url,
                statements=sql_statements,
                index=index,
                runs=scale.sql_runs,
                goal=10,
            )
            raw.setdefault("json_filters", {})[f"{query}: {label.strip()}"] = {
                "statements": sql_statements,
                **timing,
            }
            log(
                f"{query} | {label.strip()}: "
                + ", ".join(
                    f"{mode} best {timing[mode]['ms']:.1f} ms (median "
                    f"{timing[mode]['median_ms']:.1f}) {timing[mode]['nodes']}"
                    for mode in ("indexed", "sequential")
                )
            )
            figures.append(figure)
    return figures
