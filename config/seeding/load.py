"""Load-scale seed data: many candidates, interviews, sessions, transcripts and assessments.

On PostgreSQL every table is filled with `COPY ... FROM STDIN` in one transaction; elsewhere
with batched INSERTs. Rows are built as tuples of text (ids, numbers, timestamps and JSON
already formatted), from small pools of sentences picked by index, so the Python side costs
about as much as the database's own work. The data satisfies every constraint: statuses match
their timestamps, sequence numbers are gapless, counters equal the sums of the messages.
Seeded candidates are recognisable by their `@load.example.com` emails.
"""

import json
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from assessments.models import AssessmentResult, AssessmentSkillScore
from interviews.models import (
    Candidate,
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
)

LOAD_EMAIL_DOMAIN = "load.example.com"
COPY_CHUNK_ROWS = 5000

SKILLS = {
    "python": ["python", "django", "sql", "testing", "async"],
    "react": ["react", "typescript", "css", "state_management", "testing"],
    "javascript": ["javascript", "node", "browser_apis", "testing", "performance"],
    "fullstack": ["python", "react", "sql", "api_design", "devops"],
}
TOPICS = [
    "caching",
    "database indexes",
    "transactions",
    "testing strategy",
    "API design",
    "concurrency",
    "error handling",
    "deployment",
    "code review",
    "performance profiling",
    "state management",
    "security",
]
QUESTION_SHAPES = [
    "How would you approach {topic} in a service that handles {n} requests per second?",
    "Tell me about a time you improved {topic} in a production system.",
    "What trade-offs do you weigh when choosing a strategy for {topic}?",
    "Walk me through how you would debug a problem related to {topic}.",
    "How do you explain {topic} to a junior colleague?",
]
ANSWER_SHAPES = [
    "I would start by measuring {topic} under realistic load, then change one thing at a time.",
    "In my last role we reworked {topic}; the key was small steps and good monitoring.",
    "It depends on the constraints, but for {topic} I prefer the simplest option that works.",
    "First I reproduce it, then I read the logs around {topic} and write a failing test.",
    "I relate {topic} to something they already know and then pair on a real example.",
]
FLAGS = ["tab_switch", "long_pause", "copy_paste", "multiple_voices"]


@dataclass
class LoadPlan:
    candidates: int
    interviews_per_candidate: int
    messages_per_interview: int
    seed: int = 0


@dataclass
class LoadReport:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


class _Ids:
    """Time-ordered UUIDv7 values as 32 hex digits: a random 20-digit prefix from a fresh
    UUIDv7 (time, version, variant) and a 12-digit counter in its random tail (RFC 9562
    allows a counter there), so ids are unique, valid and cheap to make."""

    def __init__(self, rng: random.Random):
        now_ms = int(time.time() * 1000)
        value = (now_ms << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64) | (0b10 << 62)
        value |= rng.getrandbits(14) << 48
        self.prefix = f"{value:032x}"[:20]
        self.counter = 0

    def next(self) -> str:
        self.counter += 1
        return f"{self.prefix}{self.counter:012x}"


def _texts(rng: random.Random, shapes: list[str], count: int = 240) -> list[str]:
    return [
        rng.choice(shapes).format(topic=rng.choice(TOPICS), n=rng.choice([50, 500, 5000]))
        for _ in range(count)
    ]


class _Writer:
    """Write rows of text values into a table: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, on_rows: Callable[[int], None]):
        self.postgres = connection.vendor == "postgresql"
        self.on_rows = on_rows

    def timestamp(self, moment: datetime) -> str:
        if self.postgres:
            return moment.isoformat()
        return moment.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")

    def write(self, model, columns: list[str], rows: Iterable[tuple | str]) -> int:
        """Write `rows`: tuples of text values (None for NULL), or, on PostgreSQL, lines
        already in COPY text format (the caller has escaped them)."""
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(column) for column in columns)
        count = 0
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for chunk in _chunks(rows, COPY_CHUNK_ROWS):
                        copy.write(
                            "".join(
                                row
                                if isinstance(row, str)
                                else "\t".join(map(_copy_text, row)) + "\n"
                                for row in chunk
                            )
                        )
                        count += len(chunk)
                        self.on_rows(len(chunk))
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
                for chunk in _chunks(rows, COPY_CHUNK_ROWS):
                    cursor.executemany(sql, chunk)
                    count += len(chunk)
                    self.on_rows(len(chunk))
        return count


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_line(row: tuple | str) -> str:
    return row if isinstance(row, str) else "\t".join(map(_copy_text, row)) + "\n"


def _copy_text(value) -> str:
    return "\\N" if value is None else value.translate(_COPY_ESCAPES)


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class _InterviewPlan:
    id: str
    session_id: str
    candidate_id: str
    role_type: str
    status: str
    created_at: datetime
    started_at: datetime
    completed_at: datetime | None
    last_activity_at: datetime
    tokens: int = 0
    cost_ten_thousandths: int = 0
    questions: int = 0
    assessment_id: str = ""
    skills: dict[str, float] = field(default_factory=dict)


def seed_load_data(plan: LoadPlan, *, on_rows: Callable[[int], None] = lambda n: None):
    """Create the load data of `plan`; skip candidates that exist already (idempotent)."""
    started = time.perf_counter()
    rng = random.Random(plan.seed)
    ids = _Ids(rng)
    writer = _Writer(on_rows)
    report = LoadReport()
    questions = _texts(rng, QUESTION_SHAPES)
    answers = _texts(rng, ANSWER_SHAPES)
    now = timezone.now()

    existing = set(
        Candidate.all_objects.filter(email__endswith=f"@{LOAD_EMAIL_DOMAIN}").values_list(
            "email", flat=True
        )
    )
    candidates = []
    for index in range(plan.candidates):
        email = f"load{index:07d}@{LOAD_EMAIL_DOMAIN}"
        if email not in existing:
            candidates.append((ids.next(), email, index))

    interviews: list[_InterviewPlan] = []
    for candidate_id, _email, index in candidates:
        for number in range(plan.interviews_per_candidate):
            roll = rng.random()
            status = (
                Interview.Status.COMPLETED
                if roll < 0.8
                else Interview.Status.IN_PROGRESS
                if roll < 0.9
                else Interview.Status.ABANDONED
            )
            created_at = now - timedelta(days=rng.uniform(1, 180), minutes=index + number)
            started_at = created_at + timedelta(hours=rng.uniform(1, 48))
            interviews.append(
                _InterviewPlan(
                    id=ids.next(),
                    session_id=ids.next(),
                    candidate_id=candidate_id,
                    role_type=rng.choice(list(Interview.RoleType.values)),
                    status=status,
                    created_at=created_at,
                    started_at=started_at,
                    completed_at=None,
                    last_activity_at=started_at,
                )
            )

    with transaction.atomic(), _foreign_keys_checked_once(InterviewMessage, writer.postgres):
        # Foreign keys are checked at commit (Django creates them DEFERRABLE INITIALLY
        # DEFERRED), so messages can be written first and the interviews, whose counters are
        # the messages' sums, after them.
        report.rows["messages"] = writer.write(
            InterviewMessage,
            [
                "id",
                "interview_id",
                "session_id",
                "sequence_number",
                "message_type",
                "content_text",
                "content_audio_url",
                "audio_metadata",
                "response_time_seconds",
                "tokens_used",
                "cost_usd",
                "metadata",
                "created_at",
            ],
            _message_rows(plan, interviews, ids, writer, rng, questions, answers),
        )
        report.rows["candidates"] = writer.write(
            Candidate,
            [
                "id",
                "email",
                "full_name",
                "phone",
                "target_role",
                "experience_level",
                "status",
                "created_at",
                "updated_at",
            ],
            _candidate_rows(candidates, writer, rng, now),
        )
        report.rows["interviews"] = writer.write(
            Interview,
            [
                "id",
                "candidate_id",
                "role_type",
                "status",
                "started_at",
                "completed_at",
                "duration_seconds",
                "abandon_reason",
                "ai_model_used",
                "total_tokens_used",
                "cost_usd",
                "message_count",
                "created_at",
                "updated_at",
            ],
            _interview_rows(plan, interviews, writer),
        )
        report.rows["sessions"] = writer.write(
            InterviewSession,
            [
                "id",
                "interview_id",
                "conversation_memory",
                "current_difficulty_level",
                "questions_asked_count",
                "skill_boundaries_identified",
                "progression_state",
                "last_activity_at",
                "created_at",
                "updated_at",
            ],
            _session_rows(interviews, writer),
        )
        report.rows["status_changes"] = writer.write(
            InterviewStatusChange,
            ["id", "interview_id", "from_status", "to_status", "reason", "created_at"],
            _status_change_rows(interviews, ids, writer),
        )
        report.rows["assessments"] = writer.write(
            AssessmentResult,
            [
                "id",
                "interview_id",
                "overall_score",
                "skill_scores",
                "skill_boundary_map",
                "strengths",
                "weaknesses",
                "integrity_score",
                "integrity_flags",
                "ai_reasoning",
                "recommended_actions",
                "generated_at",
                "created_at",
                "updated_at",
            ],
            _assessment_rows(interviews, ids, writer, rng),
        )
        report.rows["skill_scores"] = writer.write(
            AssessmentSkillScore,
            ["assessment_id", "skill", "score"],
            _skill_score_rows(interviews),
        )
    if writer.postgres:
        with connection.cursor() as cursor:
            for model in (Candidate, Interview, InterviewMessage, AssessmentResult):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def _foreign_keys_checked_once(model, postgres: bool):
    """Drop the table's foreign keys for the load and add them back after it, inside the
    caller's transaction: PostgreSQL then checks every row in one join when the constraint is
    added, instead of one locking lookup per row (the bulk-load advice of its manual)."""
    if not postgres:
        yield
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
            [table],
        )
        foreign_keys = cursor.fetchall()
        quote = connection.ops.quote_name
        for name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


def _message_rows(plan, interviews, ids, writer, rng, questions, answers):
    """Yield the transcript rows: COPY lines on PostgreSQL (one f-string per row, the hot
    path of a million-row load), tuples elsewhere."""
    per_interview = plan.messages_per_interview
    question_type = InterviewMessage.MessageType.AI_QUESTION.value
    answer_type = InterviewMessage.MessageType.CANDIDATE_RESPONSE.value
    step = 45  # seconds between messages
    token_choices = [rng.randint(20, 400) for _ in range(97)]
    response_choices = [f"{rng.uniform(2, 120):.1f}" for _ in range(89)]
    # Cost in ten-thousandths of a dollar: $0.002 per 1k tokens, rounded; as text per token count.
    cost_units = {used: (used * 20 + 500) // 1000 for used in token_choices}
    cost_text = {
        used: f"{units // 10000}.{units % 10000:04d}" for used, units in cost_units.items()
    }
    clock = _Clock(writer.postgres)
    prefix = ids.prefix
    postgres = writer.postgres
    for interview in interviews:
        offset = rng.randrange(240)
        start = int(interview.started_at.timestamp())
        interview.started_at = datetime.fromtimestamp(start, UTC)
        tokens = cost = asked = 0
        iid, sid = interview.id, interview.session_id
        for sequence in range(1, per_interview + 1):
            is_question = sequence & 1
            used = token_choices[(offset + sequence) % 97]
            tokens += used
            cost += cost_units[used]
            asked += is_question
            ids.counter += 1
            stamp = clock.text(start + sequence * step)
            text = (questions if is_question else answers)[(offset + sequence) % 240]
            kind = question_type if is_question else answer_type
            response = "\\N" if is_question else response_choices[(offset + sequence) % 89]
            if postgres:
                yield (
                    f"{prefix}{ids.counter:012x}\t{iid}\t{sid}\t{sequence}\t{kind}\t{text}\t\t"
                    f"{{}}\t{response}\t{used}\t{cost_text[used]}\t{{}}\t{stamp}\n"
                )
            else:
                yield (
                    f"{prefix}{ids.counter:012x}",
                    iid,
                    sid,
                    sequence,
                    kind,
                    text,
                    "",
                    "{}",
                    None if is_question else response,
                    used,
                    cost_text[used],
                    "{}",
                    stamp,
                )
        last = datetime.fromtimestamp(start + per_interview * step, UTC)
        interview.tokens, interview.cost_ten_thousandths, interview.questions = tokens, cost, asked
        interview.last_activity_at = last
        if interview.status == Interview.Status.COMPLETED:
            interview.completed_at = last + timedelta(seconds=step)


class _Clock:
    """Format whole-second UTC timestamps fast: the date part is cached per day."""

    def __init__(self, postgres: bool):
        self.suffix = "+00" if postgres else ""
        self.days: dict[int, str] = {}

    def text(self, epoch: int) -> str:
        day, second = divmod(epoch, 86400)
        date = self.days.get(day)
        if date is None:
            date = self.days[day] = datetime.fromtimestamp(day * 86400, UTC).strftime("%Y-%m-%d")
        hours, rest = divmod(second, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{date} {hours:02d}:{minutes:02d}:{seconds:02d}{self.suffix}"


def _candidate_rows(candidates, writer, rng, now):
    first = ["Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Radia", "Guido", "Margaret"]
    last = ["Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson", "Perlman"]
    levels = list(Candidate.ExperienceLevel.values)
    stamp = writer.timestamp(now)
    for candidate_id, email, index in candidates:
        yield (
            candidate_id,
            email,
            f"{rng.choice(first)} {rng.choice(last)}",
            f"+1415{5550000 + index % 10000:07d}",
            rng.choice(["Backend engineer", "Frontend engineer", "Full-stack engineer"]),
            rng.choice(levels),
            Candidate.Status.ACTIVE.value,
            stamp,
            stamp,
        )


def _interview_rows(plan, interviews, writer):
    for interview in interviews:
        completed = interview.completed_at
        duration = int((completed - interview.started_at).total_seconds()) if completed else None
        cost = interview.cost_ten_thousandths
        yield (
            interview.id,
            interview.candidate_id,
            interview.role_type,
            interview.status.value,
            writer.timestamp(interview.started_at),
            writer.timestamp(completed) if completed else None,
            str(duration) if duration is not None else None,
            "candidate left" if interview.status == Interview.Status.ABANDONED else "",
            "gpt-load",
            str(interview.tokens),
            f"{cost // 10000}.{cost % 10000:04d}",
            str(plan.messages_per_interview),
            writer.timestamp(interview.created_at),
            writer.timestamp(interview.last_activity_at),
        )


def _session_rows(interviews, writer):
    for interview in interviews:
        yield (
            interview.session_id,
            interview.id,
            json.dumps({"summary": f"{interview.questions} questions so far"}),
            InterviewSession.DifficultyLevel.STANDARD.value,
            str(interview.questions),
            "{}",
            json.dumps({"phase": interview.status.value}),
            writer.timestamp(interview.last_activity_at),
            writer.timestamp(interview.started_at),
            writer.timestamp(interview.last_activity_at),
        )


def _status_change_rows(interviews, ids, writer):
    for interview in interviews:
        yield (
            ids.next(),
            interview.id,
            "",
            "scheduled",
            "created",
            writer.timestamp(interview.created_at),
        )
        yield (
            ids.next(),
            interview.id,
            "scheduled",
            "in_progress",
            "",
            writer.timestamp(interview.started_at),
        )
        if interview.status != Interview.Status.IN_PROGRESS:
            ended = interview.completed_at or interview.last_activity_at
            reason = "candidate left" if interview.status == Interview.Status.ABANDONED else ""
            yield (
                ids.next(),
                interview.id,
                "in_progress",
                interview.status.value,
                reason,
                writer.timestamp(ended),
            )


def _assessment_rows(interviews, ids, writer, rng):
    for interview in interviews:
        if interview.status != Interview.Status.COMPLETED:
            continue
        skills = {name: round(rng.uniform(30, 100), 1) for name in SKILLS[interview.role_type]}
        interview.assessment_id, interview.skills = ids.next(), skills
        overall = Decimal(sum(skills.values()) / len(skills)).quantize(Decimal("0.01"))
        flags = [rng.choice(FLAGS)] if rng.random() < 0.15 else []
        stamp = writer.timestamp(interview.completed_at)
        yield (
            interview.assessment_id,
            interview.id,
            str(overall),
            json.dumps(skills),
            json.dumps({name: "explored" for name in skills}),
            json.dumps([max(skills, key=skills.get)]),
            json.dumps([min(skills, key=skills.get)]),
            f"{rng.uniform(60, 100):.2f}",
            json.dumps(flags),
            json.dumps({"summary": "generated for load testing"}),
            json.dumps(["review transcript"] if overall < 60 else ["next round"]),
            stamp,
            stamp,
            stamp,
        )


def _skill_score_rows(interviews):
    for interview in interviews:
        for skill, score in interview.skills.items():
            yield (interview.assessment_id, skill, str(score))
