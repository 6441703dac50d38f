"""The load data's rows, table by table: tuples of text built from small pools of sentences."""

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from config.seeding.bulk import Clock
from interviews.columns import INTERVIEW_TABLE_COLUMNS
from interviews.models import Candidate, Interview, InterviewMessage, InterviewSession

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


def texts(rng: random.Random, shapes: list[str], count: int = 240) -> list[str]:
    return [
        rng.choice(shapes).format(topic=rng.choice(TOPICS), n=rng.choice([50, 500, 5000]))
        for _ in range(count)
    ]


@dataclass
class InterviewRow:
    id: str
    session_id: str
    organization_id: str  # the candidate's, as every row under it
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


def message_rows(plan, interviews, ids, writer, rng, questions, answers):
    """Yield the transcript rows: on PostgreSQL one block of COPY lines per interview (the hot
    path of a million-row load: each line joins a few pieces made once, ahead of the loop),
    tuples elsewhere. Also set each interview's counters to its messages' sums."""
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
    # The COPY line's pieces: "<id>" head "<sequence>" body tokens "<created_at>\n", where
    # body is the type, text, audio url and metadata, metadata and response time.
    question_body = [f"\t{question_type}\t{text}\t\t{{}}\t\\N\t" for text in questions]
    answer_body = [f"\t{answer_type}\t{text}\t\t{{}}\t" for text in answers]
    responses = [f"{response}\t" for response in response_choices]
    token_tail = {used: f"{used}\t{cost_text[used]}\t{{}}\t" for used in cost_units}
    clock = Clock(writer.postgres)
    prefix = ids.prefix
    for interview in interviews:
        offset = rng.randrange(240)
        start = int(interview.started_at.timestamp())
        interview.started_at = datetime.fromtimestamp(start, UTC)
        tokens = cost = 0
        iid, sid, oid = interview.id, interview.session_id, interview.organization_id
        first_id = ids.counter + 1
        ids.counter += per_interview
        stamps = clock.series(start + step, step, per_interview)
        if writer.postgres:
            head = f"\t{oid}\t{iid}\t{sid}\t"
            lines = []
            for sequence, stamp in zip(range(1, per_interview + 1), stamps, strict=True):
                at = offset + sequence
                used = token_choices[at % 97]
                tokens += used
                cost += cost_units[used]
                body = (
                    question_body[at % 240]
                    if sequence & 1
                    else answer_body[at % 240] + responses[at % 89]
                )
                lines.append(
                    f"{prefix}{first_id + sequence - 1:012x}{head}{sequence}{body}"
                    f"{token_tail[used]}{stamp}\n"
                )
            yield "".join(lines)
        else:
            for sequence, stamp in zip(range(1, per_interview + 1), stamps, strict=True):
                at = offset + sequence
                used = token_choices[at % 97]
                tokens += used
                cost += cost_units[used]
                is_question = sequence & 1
                yield (
                    f"{prefix}{first_id + sequence - 1:012x}",
                    oid,
                    iid,
                    sid,
                    sequence,
                    question_type if is_question else answer_type,
                    (questions if is_question else answers)[at % 240],
                    "",
                    "{}",
                    None if is_question else response_choices[at % 89],
                    used,
                    cost_text[used],
                    "{}",
                    stamp,
                )
        last = datetime.fromtimestamp(start + per_interview * step, UTC)
        interview.tokens, interview.cost_ten_thousandths = tokens, cost
        interview.questions = (per_interview + 1) // 2
        interview.last_activity_at = last
        if interview.status == Interview.Status.COMPLETED:
            interview.completed_at = last + timedelta(seconds=step)


def candidate_rows(candidates, writer, rng, now):
    first = ["Ada", "Grace", "Alan", "Linus", "Barbara", "Ken", "Radia", "Guido", "Margaret"]
    last = ["Lovelace", "Hopper", "Turing", "Torvalds", "Liskov", "Thompson", "Perlman"]
    levels = list(Candidate.ExperienceLevel.values)
    stamp = writer.timestamp(now)
    for candidate_id, organization_id, email, index in candidates:
        yield (
            candidate_id,
            organization_id,
            email,
            f"{rng.choice(first)} {rng.choice(last)}",
            f"+1415{5550000 + index % 10000:07d}",
            rng.choice(["Backend engineer", "Frontend engineer", "Full-stack engineer"]),
            rng.choice(levels),
            Candidate.Status.ACTIVE.value,
            stamp,
            stamp,
        )


def interview_rows(plan, interviews, writer):
    """Yield the interview rows, their values in the order of the interview's column list."""
    for interview in interviews:
        completed = interview.completed_at
        duration = int((completed - interview.started_at).total_seconds()) if completed else None
        cost = interview.cost_ten_thousandths
        row = {
            "id": interview.id,
            "organization_id": interview.organization_id,
            "candidate_id": interview.candidate_id,
            "position_id": None,
            "resume_id": None,
            "role_type": interview.role_type,
            "status": interview.status.value,
            "scheduled_for": None,
            "started_at": writer.timestamp(interview.started_at),
            "completed_at": writer.timestamp(completed) if completed else None,
            "duration_seconds": str(duration) if duration is not None else None,
            "abandon_reason": "candidate left"
            if interview.status == Interview.Status.ABANDONED
            else "",
            "ai_model_used": "gpt-load",
            "total_tokens_used": str(interview.tokens),
            "cost_usd": f"{cost // 10000}.{cost % 10000:04d}",
            "message_count": str(plan.messages_per_interview),
            "created_at": writer.timestamp(interview.created_at),
            "updated_at": writer.timestamp(interview.last_activity_at),
        }
        yield tuple(row[column] for column in INTERVIEW_TABLE_COLUMNS)


def session_rows(interviews, writer):
    for interview in interviews:
        yield (
            interview.session_id,
            interview.organization_id,
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


def status_change_rows(interviews, ids, writer):
    for interview in interviews:
        yield (
            ids.next(),
            interview.organization_id,
            interview.id,
            "",
            "scheduled",
            "created",
            writer.timestamp(interview.created_at),
        )
        yield (
            ids.next(),
            interview.organization_id,
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
                interview.organization_id,
                interview.id,
                "in_progress",
                interview.status.value,
                reason,
                writer.timestamp(ended),
            )


def assessment_rows(interviews, ids, writer, rng):
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
            interview.organization_id,
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


def skill_score_rows(interviews):
    for interview in interviews:
        for skill, score in interview.skills.items():
            yield (interview.organization_id, interview.assessment_id, skill, str(score))
