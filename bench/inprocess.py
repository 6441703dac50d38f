"""The bench's work inside its own Django process: extra data, SQL capture and timing.

Against the scratch database: extra data, query counts, the SQL the API runs, the hasher's
cost and the JSON filters' plans.

Import this module only after `django.setup()` (bench.run does that once the scratch
database exists and the environment points at it).
"""

import math
import re
import statistics
import time
from datetime import timedelta
from itertools import cycle
from uuid import UUID

import psycopg
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import services as account_services
from accounts.models import User
from assessments.models import AssessmentResult
from bench.report import Figure, at_least
from bench.scratch import BenchError, log
from config.seeding.load import LOAD_EMAIL_DOMAIN, LoadPlan, seed_load_data
from interviews import services as interview_services
from interviews.models import Candidate, Interview, InterviewStatusChange, Resume

# The load seed gives ~80% of its interviews an assessment; ask for a little more than needed.
COMPLETED_SHARE = 0.8


def _load_candidates() -> int:
    return Candidate.all_objects.filter(email__endswith=f"@{LOAD_EMAIL_DOMAIN}").count()


def seed_long_transcript(*, messages: int, seed: int) -> UUID:
    """Add one load candidate with one interview of `messages` messages; return its id.

    The load seed numbers its candidates load0000000, load0000001, ... and skips the emails
    that exist, so a plan one candidate longer than what is there creates exactly one new
    candidate (the next number) with its own interview, through the same fast path.
    """
    existing = _load_candidates()
    report = seed_load_data(
        LoadPlan(
            candidates=existing + 1,
            interviews_per_candidate=1,
            messages_per_interview=messages,
            seed=seed,
        )
    )
    if report.rows.get("candidates") != 1:
        raise BenchError(f"expected one new candidate for the long transcript: {report.rows}")
    email = f"load{existing:07d}@{LOAD_EMAIL_DOMAIN}"
    interview = Interview.objects.get(candidate__email=email)
    if interview.message_count != messages:
        raise BenchError(f"long transcript has {interview.message_count} messages")
    if interview.organization_id != bench_organization_id():
        # The figures read it as the demo recruiter, who sees its own organization only.
        raise BenchError("the long transcript is not in the recruiter's organization")
    log(f"long transcript: {messages:,} messages in {report.seconds:.1f} s")
    return interview.pk


def seed_assessments(*, target: int, seed: int) -> int:
    """Add load candidates (with empty transcripts) until there are `target` assessments."""
    for attempt in range(3):
        have = AssessmentResult.objects.count()
        missing = target - have
        if missing <= 0:
            break
        extra = math.ceil(missing / COMPLETED_SHARE * 1.02) + 20
        report = seed_load_data(
            LoadPlan(
                candidates=_load_candidates() + extra,
                interviews_per_candidate=1,
                messages_per_interview=0,
                seed=seed + attempt,
            )
        )
        log(f"assessment seed: {report.rows} in {report.seconds:.1f} s")
    return AssessmentResult.objects.count()


# --- accounts and tokens ------------------------------------------------------------------------


def issue_token(email: str) -> str:
    """A bearer token for an account (in-process figures; the HTTP ones log in over HTTP)."""
    return account_services.token_issue(user=User.objects.get(email=email)).raw


def hash_once_ms() -> float:
    """The time of one hash with the configured (first) password hasher, in milliseconds."""
    began = time.perf_counter()
    make_password("bench-password-to-hash")
    return (time.perf_counter() - began) * 1000


# --- fixtures for the list endpoints ------------------------------------------------------------


def bench_organization_id() -> UUID:
    """The organization the bench measures: the demo recruiter's (and engine's), whose tokens
    the figures use; the load seed's rows must land in it."""
    recruiter = User.objects.get(email="recruiter@example.com")
    engine = User.objects.get(email="engine@example.com")
    if engine.organization_id != recruiter.organization_id:
        raise BenchError("the demo recruiter and engine belong to different organizations")
    return recruiter.organization_id


def bench_candidate() -> Candidate:
    """The first candidate of the bench's organization: the one the bench's extra rows
    (resumes, histories, running interviews) hang from, so that the recruiter and the engine,
    who belong to that organization, see them."""
    candidate = (
        Candidate.objects.filter(organization_id=bench_organization_id())
        .order_by("created_at")
        .first()
    )
    if candidate is None:
        raise BenchError("the demo recruiter's organization has no candidate")
    return candidate


def make_list_fixtures(*, rows: int) -> dict[str, UUID]:
    """Give every list endpoint at least `rows` rows: users and resumes (the load seed makes
    neither), and two interviews with 10 and `rows` status changes for the history.

    Bulk creation bypasses the services, so every row names its organization here: the
    recruiters (users of an organization role must have one) and the resumes and status
    changes (their parent's)."""
    now = timezone.now()
    candidate = bench_candidate()
    organization_id = candidate.organization_id
    users = [
        User(
            email=f"bench-user-{number:04d}@bench.example.com",
            full_name=f"Bench User {number}",
            role=User.Role.RECRUITER if number % 2 else User.Role.CANDIDATE,
            organization_id=organization_id if number % 2 else None,
            is_staff=bool(number % 2),
            password=make_password(None),
            created_at=now - timedelta(seconds=number),
        )
        for number in range(rows)
    ]
    User.objects.bulk_create(users)
    Resume.objects.bulk_create(
        Resume(
            organization_id=organization_id,
            candidate=candidate,
            file=f"resumes/{candidate.pk}/bench-{number}.txt",
            file_name=f"resume-{number}.txt",
            file_size=1000 + number,
            content_type="text/plain",
        )
        for number in range(rows)
    )
    engine = User.objects.get(email="engine@example.com")
    histories = {}
    for size in (10, rows):
        interview = interview_services.interview_create(
            candidate=candidate, role_type=Interview.RoleType.PYTHON, by=engine
        )
        authors = cycle(users)
        statuses = cycle(Interview.Status.values)
        InterviewStatusChange.objects.bulk_create(
            InterviewStatusChange(
                organization_id=interview.organization_id,
                interview=interview,
                from_status=next(statuses),
                to_status=next(statuses),
                changed_by=next(authors),
                reason="bench",
                created_at=now + timedelta(milliseconds=number),
            )
            for number in range(size - 1)
        )
        histories[size] = interview.pk
    return histories


def create_running_interviews(count: int) -> list[UUID]:
    """Schedule and start `count` interviews through the services (as the engine would)."""
    engine = User.objects.get(email="engine@example.com")
    candidate = bench_candidate()
    ids = []
    for _ in range(count):
        interview = interview_services.interview_create(
            candidate=candidate, role_type=Interview.RoleType.PYTHON, by=engine
        )
        interview_services.interview_start(interview=interview, by=engine)
        ids.append(interview.pk)
    return ids


# --- requests inside the process --------------------------------------------------------------


_client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=True)


def get(path: str, token: str) -> tuple[dict | list, list[str]]:
    """GET `path` with the test client; return the JSON body and the SQL it ran."""
    with CaptureQueriesContext(connection) as captured:
        response = _client.get(
            path, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT="application/json"
        )
    if response.status_code != 200:
        raise BenchError(f"GET {path} answered {response.status_code}: {response.content[:300]}")
    return response.json(), [query["sql"] for query in captured.captured_queries]


def _rows(body) -> int:
    return len(body["results"]) if isinstance(body, dict) else len(body)


def query_count_figures(endpoints: list[tuple[str, str, str, str]]) -> list[Figure]:
    """Queries per request with 100 rows vs 10 rows, for (name, token, path_10, path_100)."""
    figures = []
    for name, token, small, large in endpoints:
        small_body, small_sql = get(small, token)
        large_body, large_sql = get(large, token)
        if (_rows(small_body), _rows(large_body)) != (10, 100):
            raise BenchError(
                f"{name}: expected 10 and 100 rows, got {_rows(small_body)} and {_rows(large_body)}"
            )
        ratio = len(large_sql) / len(small_sql)
        figures.append(
            Figure(
                name=f"queries/request, 100 vs 10 rows: {name}",
                measured=f"{len(large_sql)} vs {len(small_sql)}",
                ratio=f"{ratio:.2f}",
                goal="= 1.0",
                met=ratio == 1.0,
            )
        )
    return figures


_LITERAL = re.compile(r"'(?:[^']|'')*'")
_COLUMNS = re.compile(r"^SELECT .*? FROM ", re.DOTALL)


_POSITIONAL_ORDER = re.compile(r"(ORDER BY |, )(\d+)( ASC| DESC)")


def _resolve_positional_order(statement: str) -> str:
    """`ORDER BY 3 ASC` (what `.values()` querysets say) as the column it stands for."""
    match = re.match(r"SELECT (.*?) FROM ", statement, re.DOTALL)
    if not match or "ORDER BY " not in statement:
        return statement
    columns = [column.split(" AS ")[0] for column in match.group(1).split(", ")]
    head, order = statement.split("ORDER BY ", 1)
    order = _POSITIONAL_ORDER.sub(
        lambda m: f"{m.group(1)}{columns[int(m.group(2)) - 1]}{m.group(3)}", "ORDER BY " + order
    )
    return head + order


def sql_shape(statement: str) -> str:
    """A statement without its column list and literal values: what the planner is asked."""
    statement = _resolve_positional_order(statement)
    return _COLUMNS.sub("SELECT ... FROM ", _LITERAL.sub("?", statement))


def compare_sql(api_path: str, floor_path: str, token: str) -> tuple[bool, str]:
    """Run both views once; say whether they ran the same statements (up to column lists)."""
    api_body, api_sql = get(api_path, token)
    floor_body, floor_sql = get(floor_path, token)
    if _rows(api_body) != _rows(floor_body):
        raise BenchError(f"{api_path} and its floor return different row counts")
    same = [sql_shape(s) for s in api_sql] == [sql_shape(s) for s in floor_sql]
    detail = f"{len(api_sql)} statements"
    if not same:
        log(f"SQL of {api_path} and {floor_path} differ:")
        for label, statements in (("api", api_sql), ("floor", floor_sql)):
            for statement in statements:
                log(f"  {label}: {statement[:400]}")
    return same, detail


def api_statements(path: str, token: str, table: str) -> list[str]:
    """The statements a request runs on `table` (the filter's count and page queries)."""
    _body, statements = get(path, token)
    return [s for s in statements if f'FROM "{table}"' in s]


# --- SQL timing on the JSON filters --------------------------------------------------------------

SEQUENTIAL = ("SET enable_bitmapscan = off", "SET enable_indexscan = off")
DEFAULT = ("RESET enable_bitmapscan", "RESET enable_indexscan")


def _plan_nodes(plan: dict) -> list[str]:
    found = [plan["Node Type"] + (f" on {plan['Index Name']}" if "Index Name" in plan else "")]
    for child in plan.get("Plans", []):
        found.extend(_plan_nodes(child))
    return found


def time_statements(url: str, statements: list[str], *, runs: int) -> dict[str, dict]:
    """Best time of running `statements` (one request's SQL) with the planner's default plan
    and with index and bitmap scans off, alternating run by run; with the plan nodes."""
    modes = {"indexed": DEFAULT, "sequential": SEQUENTIAL}
    times: dict[str, list[float]] = {mode: [] for mode in modes}
    nodes: dict[str, list] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        for run in range(runs + 1):
            for mode, settings in modes.items():
                for setting in settings:
                    conn.execute(setting)
                if run == 0:  # plans, and a first run that warms the cache
                    nodes[mode] = [
                        _plan_nodes(
                            conn.execute(f"EXPLAIN (FORMAT JSON) {statement}").fetchone()[0][0][
                                "Plan"
                            ]
                        )
                        for statement in statements
                    ]
                began = time.perf_counter()
                for statement in statements:
                    conn.execute(statement).fetchall()
                if run:
                    times[mode].append((time.perf_counter() - began) * 1000)
        for setting in DEFAULT:
            conn.execute(setting)
    # The best run: on a busy machine a short query's median mostly measures waiting for a CPU.
    return {
        mode: {
            "ms": min(times[mode]),
            "median_ms": statistics.median(times[mode]),
            "nodes": nodes[mode],
        }
        for mode in modes
    }


def json_filter_figure(
    *,
    label: str,
    url: str,
    statements: list[str],
    indexes: tuple[str, ...],
    runs: int,
    goal: float,
) -> tuple[Figure, dict]:
    """The figure of one filter: `indexes` are the indexes that may serve it (the first that
    the default plan uses is named; none of them used is a missed goal)."""
    timing = time_statements(url, statements, runs=runs)
    indexed, sequential = timing["indexed"], timing["sequential"]
    nodes = [node for statement_nodes in indexed["nodes"] for node in statement_nodes]
    used = next((name for name in indexes if any(name in node for node in nodes)), None)
    ratio = sequential["ms"] / indexed["ms"]
    measured = (
        f"best: default plan {indexed['ms']:.1f} ms "
        f"({f'uses {used}' if used else 'does NOT use ' + ' or '.join(indexes)}), "
        f"seq scan {sequential['ms']:.1f} ms"
    )
    uses_index = used is not None
    figure = Figure(
        name=label,
        measured=measured,
        ratio=f"{ratio:.1f}x",
        goal=f">= {goal:g}x",
        met=at_least(ratio, goal) and uses_index,
    )
    return figure, timing
