"""Demo data for the interview domain: candidates, resumes, interviews in every status with
their sessions, transcripts and assessments.

Everything is written through the services, so the data obeys the same invariants as data
written through the API (gapless sequence numbers, counters equal to the sums of the messages,
an audit trail for every transition). Only the timestamps are moved back afterwards, to spread
the data over the last weeks the way a real team would have produced it.

The whole data set is planned up front from `random.Random(seed)`, before the database is
looked at: the same seed gives the same candidates, statuses and texts whatever is already
stored, and a candidate that exists (matched by its email) is skipped, so runs are idempotent.
"""

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from assessments import services as assessment_services
from interviews import documents, services
from interviews.models import (
    Candidate,
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
    Resume,
)

DEMO_RECRUITER_EMAIL = "recruiter@example.com"
DEMO_CANDIDATE_EMAIL = "candidate@example.com"
DEMO_CANDIDATE_NAME = "Cody Candidate"

Status = Interview.Status
RoleType = Interview.RoleType
Level = Candidate.ExperienceLevel
Difficulty = InterviewSession.DifficultyLevel
MessageType = InterviewMessage.MessageType
ParsingStatus = Resume.ParsingStatus

# The demo people. Their emails are `demo.<slug>@example.com`, so seeded rows are recognisable
# and a second run finds them. Roles, levels and everything else come from the seed.
DEMO_NAMES = [
    "Amara Okafor",
    "Lucas Ferreira",
    "Mei-Lin Chen",
    "Arjun Raghavan",
    "Sofia Novak",
    "Kwame Mensah",
    "Zeynep Kaya",
    "Mateo González",
    "Hannah Schmidt",
    "Yuki Tanaka",
    "Chloé Dubois",
    "Oluwaseun Adeyemi",
]
ROLE_TYPES = list(RoleType.values)
CANDIDATES_PER_ROLE = len(DEMO_NAMES) // len(ROLE_TYPES)
RESUME_COUNT = 7
# Past interviews lie this many days back at most, so the data fits a 60-day dashboard.
MAX_DAYS_AGO = 45

AI_MODELS = ["gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet"]
# Price of one token in USD, for the cost of each message.
TOKEN_PRICE = Decimal("0.000015")
COST_PLACES = Decimal("0.0001")
SCORE_PLACES = Decimal("0.01")

TITLES = {
    RoleType.PYTHON: ["Backend Engineer", "Python Developer", "Django Developer"],
    RoleType.REACT: ["Frontend Engineer", "React Developer", "UI Engineer"],
    RoleType.JAVASCRIPT: ["JavaScript Developer", "Node.js Engineer", "Web Developer"],
    RoleType.FULLSTACK: ["Full-Stack Engineer", "Full-Stack Developer", "Product Engineer"],
}
LEVEL_PREFIX = {
    Level.ENTRY: "Graduate ",
    Level.JUNIOR: "Junior ",
    Level.MID: "",
    Level.SENIOR: "Senior ",
    Level.LEAD: "Lead ",
    Level.PRINCIPAL: "Principal ",
}
# (min, max) years of experience and the mean assessment score of each level.
LEVEL_YEARS = {
    Level.ENTRY: (0, 1),
    Level.JUNIOR: (1, 3),
    Level.MID: (3, 6),
    Level.SENIOR: (6, 10),
    Level.LEAD: (8, 14),
    Level.PRINCIPAL: (12, 20),
}
LEVEL_SCORE = {
    Level.ENTRY: 55,
    Level.JUNIOR: 62,
    Level.MID: 70,
    Level.SENIOR: 77,
    Level.LEAD: 81,
    Level.PRINCIPAL: 84,
}

SKILLS = {
    RoleType.PYTHON: ["python", "django", "sql", "testing", "system_design"],
    RoleType.REACT: ["react", "javascript", "css", "testing", "accessibility"],
    RoleType.JAVASCRIPT: ["javascript", "typescript", "node", "async", "testing"],
    RoleType.FULLSTACK: ["python", "react", "sql", "api_design", "devops"],
}
RESUME_EXTRA_SKILLS = ["git", "docker", "ci/cd", "linux", "agile", "aws", "graphql", "redis"]

STRENGTHS = {
    "python": "Idiomatic Python with a clear grasp of the data model",
    "django": "Knows the Django ORM well, including query optimisation",
    "sql": "Reasons confidently about joins, indexes and transactions",
    "testing": "Writes focused tests and knows where mocks help and hurt",
    "system_design": "Structures systems around clear boundaries and failure modes",
    "react": "Solid mental model of rendering, state and effects in React",
    "javascript": "Deep understanding of JavaScript semantics",
    "css": "Builds layouts with grid and flexbox without trial and error",
    "accessibility": "Treats accessibility as part of the definition of done",
    "typescript": "Uses the type system to make invalid states unrepresentable",
    "node": "Understands the Node.js runtime and its event loop",
    "async": "Handles concurrency, cancellation and partial failure well",
    "api_design": "Designs consistent, versioned APIs with useful errors",
    "devops": "Thinks about deployment, observability and rollback from the start",
}
WEAKNESSES = {
    "python": "Unsure about the performance characteristics of core data structures",
    "django": "Limited experience with migrations on large production tables",
    "sql": "Struggled to explain when an index helps a query",
    "testing": "Relies on end-to-end tests where unit tests would be faster",
    "system_design": "Did not consider failure modes in the design question",
    "react": "Unclear on when components re-render",
    "javascript": "Confuses scoping rules of this and closures",
    "css": "Reaches for absolute positioning where layout tools fit",
    "accessibility": "Little awareness of keyboard and screen reader users",
    "typescript": "Falls back to any instead of narrowing types",
    "node": "Blocks the event loop with synchronous work",
    "async": "Misses error handling in concurrent code",
    "api_design": "Inconsistent status codes and error shapes",
    "devops": "Little experience deploying and monitoring services",
}

ACKNOWLEDGEMENTS = [
    "Thanks. ",
    "Good. ",
    "That makes sense. ",
    "Understood. ",
    "Great, let's go a bit deeper. ",
    "OK. ",
]
UNSURE_ANSWERS = [
    "I'm honestly not sure. I'd look it up in the documentation and try it in a small example "
    "before relying on it.",
    "I haven't used that in production. My understanding is only partial, so I'd pair with "
    "someone more experienced the first time.",
    "I think it depends on the situation, but I can't give a concrete example right now.",
]
NO_SHOW_REASONS = [
    "Candidate did not join within 30 minutes of the scheduled time.",
    "Candidate cancelled because of a scheduling conflict.",
]
DROP_OUT_REASONS = [
    "Candidate left the session and did not return.",
    "Connection lost; the candidate did not reconnect.",
    "Candidate asked to stop the interview.",
]

# (topic, difficulty, question, answer). Warm-up questions open every interview.
WARMUP_QUESTIONS = [
    (
        "background",
        Difficulty.WARMUP,
        "Could you tell me about a recent project you're proud of and your part in it?",
        "Most recently I rebuilt the checkout flow for an online shop. I owned the API side, "
        "worked with a designer on the edge cases, and we cut failed payments by about a third.",
    ),
    (
        "background",
        Difficulty.WARMUP,
        "What does a good code review look like to you?",
        "Small, focused changes with context in the description. I look for correctness and "
        "readability first and leave style to the linters, and I ask questions rather than "
        "give orders.",
    ),
    (
        "background",
        Difficulty.WARMUP,
        "How do you approach a bug you can't reproduce locally?",
        "I start from the logs and metrics around the failure, compare environments and data, "
        "and add targeted logging if needed. Once I can reproduce it I write a failing test "
        "before fixing it.",
    ),
    (
        "background",
        Difficulty.WARMUP,
        "Tell me about a technical decision you would make differently today.",
        "We split a small app into microservices far too early. The deployment overhead slowed "
        "us down; today I'd keep a modular monolith until the boundaries were proven.",
    ),
]
QUESTIONS = {
    RoleType.PYTHON: [
        (
            "python",
            Difficulty.STANDARD,
            "What is the difference between a list and a tuple, and when would you pick each?",
            "Lists are mutable; tuples are immutable and hashable if their items are, so they "
            "work as dict keys and signal a fixed record. I use lists for collections that grow.",
        ),
        (
            "python",
            Difficulty.STANDARD,
            "How do generators help with memory use?",
            "A generator yields one item at a time instead of building the whole sequence, so "
            "processing a large file line by line stays at constant memory. You can only "
            "iterate it once, though.",
        ),
        (
            "python",
            Difficulty.ADVANCED,
            "Explain how the GIL affects a CPU-bound program that uses threads.",
            "Only one thread runs Python bytecode at a time, so CPU-bound threads don't speed "
            "up. I'd use multiprocessing or C extensions that release the GIL; threads are "
            "still fine for I/O-bound work.",
        ),
        (
            "django",
            Difficulty.STANDARD,
            "How would you find and fix an N+1 query problem in a Django view?",
            "I'd spot it with the debug toolbar or by asserting the query count in a test, then "
            "use select_related for foreign keys and prefetch_related for reverse and "
            "many-to-many relations.",
        ),
        (
            "django",
            Difficulty.ADVANCED,
            "How do you keep a data migration safe on a large production table?",
            "Separate schema and data migrations, backfill in batches outside one long "
            "transaction, keep the code working with both states during the rollout, and add "
            "the NOT NULL constraint only after the backfill.",
        ),
        (
            "django",
            Difficulty.STANDARD,
            "When would you put logic in a model method rather than a service function?",
            "Model methods for behaviour about one row; a service when a write touches several "
            "models or has side effects, so it runs in one transaction and is easy to test.",
        ),
        (
            "sql",
            Difficulty.STANDARD,
            "What is the difference between an INNER JOIN and a LEFT JOIN?",
            "An inner join keeps only rows that match on both sides; a left join keeps every "
            "row of the left table and fills the right side with NULLs when nothing matches.",
        ),
        (
            "sql",
            Difficulty.ADVANCED,
            "How do you decide which columns to index?",
            "I look at the real queries: selective columns in WHERE, JOIN and ORDER BY. Then I "
            "check the plan with EXPLAIN ANALYZE, remembering that every index slows writes.",
        ),
        (
            "testing",
            Difficulty.STANDARD,
            "How do you test code that calls an external API?",
            "I keep the client behind a small interface, test the logic with a fake, and keep a "
            "few contract tests against recorded responses. Mocking deep internals makes tests "
            "brittle.",
        ),
        (
            "system_design",
            Difficulty.ADVANCED,
            "How would you design a rate limiter for a public API?",
            "A token bucket per API key in Redis, updated atomically, answering 429 with "
            "Retry-After. I'd add a global limit as a safety net and make limits configurable "
            "per plan.",
        ),
    ],
    RoleType.REACT: [
        (
            "react",
            Difficulty.STANDARD,
            "What problem does the key prop solve when rendering lists?",
            "Keys let React match items between renders, so each item keeps its state and DOM "
            "when the list is reordered. Using the array index breaks that when items move.",
        ),
        (
            "react",
            Difficulty.STANDARD,
            "When does useEffect run, and how do you clean up after it?",
            "After the render is committed, and again when a dependency changes. The function "
            "it returns runs before the next effect and on unmount; that's where I remove "
            "listeners or cancel requests.",
        ),
        (
            "react",
            Difficulty.ADVANCED,
            "How would you track down a component that re-renders too often?",
            "Record it in the React Profiler, check which props change identity on each render, "
            "then stabilise them with useMemo or useCallback or move the state closer to where "
            "it's used.",
        ),
        (
            "react",
            Difficulty.ADVANCED,
            "When would you use a state management library instead of context?",
            "Context suits values that rarely change, like the theme or the current user. For "
            "shared state that changes often I'd use a store with selectors, so only readers of "
            "a slice re-render.",
        ),
        (
            "javascript",
            Difficulty.STANDARD,
            "What is the difference between == and ===?",
            "Triple equals compares without type coercion; double equals converts types first, "
            "which gives surprises like '0' == false. I use === except for null checks.",
        ),
        (
            "javascript",
            Difficulty.STANDARD,
            "Explain what a closure is with an example from real code.",
            "A closure is a function that keeps access to the variables of the scope it was "
            "created in. A debounce helper is a good example: the returned function remembers "
            "its timer between calls.",
        ),
        (
            "css",
            Difficulty.STANDARD,
            "How do you choose between flexbox and CSS grid?",
            "Flexbox for one-dimensional layouts like a toolbar, grid when rows and columns "
            "must line up, like a dashboard. They combine well: grid for the page, flex inside "
            "the cards.",
        ),
        (
            "css",
            Difficulty.ADVANCED,
            "How do you keep styles from leaking between components in a large app?",
            "CSS modules or a naming convention for scoping, design tokens for shared values, "
            "no global selectors, and lint rules that keep specificity low.",
        ),
        (
            "testing",
            Difficulty.STANDARD,
            "How do you test a component that fetches data?",
            "With React Testing Library and a mocked network layer such as MSW, asserting on "
            "what the user sees: the loading state, the rendered data, and the error message "
            "when the request fails.",
        ),
        (
            "accessibility",
            Difficulty.STANDARD,
            "How would you make a custom dropdown accessible?",
            "Prefer a native select. Otherwise follow the listbox pattern: roles and aria "
            "attributes, full keyboard support, focus management, and a test with a screen "
            "reader.",
        ),
    ],
    RoleType.JAVASCRIPT: [
        (
            "javascript",
            Difficulty.STANDARD,
            "What does 'this' refer to inside an arrow function?",
            "Arrow functions have no this of their own; they take it from the surrounding "
            "scope. That makes them handy for callbacks in class methods but wrong as object "
            "methods.",
        ),
        (
            "javascript",
            Difficulty.ADVANCED,
            "How does prototypal inheritance differ from classical inheritance?",
            "Objects delegate property lookups along their prototype chain at runtime instead "
            "of copying from a class. The class syntax is sugar over prototypes, so methods are "
            "shared on the prototype.",
        ),
        (
            "async",
            Difficulty.STANDARD,
            "What is the event loop, in your own words?",
            "JavaScript runs one call stack; when it is empty the event loop takes the next "
            "task. Promise callbacks go to the microtask queue, drained before the next task, "
            "so they run before timers.",
        ),
        (
            "async",
            Difficulty.STANDARD,
            "How would you run several independent requests and handle one of them failing?",
            "Promise.allSettled and then inspect each result, because Promise.all rejects on "
            "the first failure. To limit concurrency I'd use a small pool instead of firing "
            "everything at once.",
        ),
        (
            "async",
            Difficulty.ADVANCED,
            "How do you cancel an in-flight fetch request?",
            "With an AbortController: pass its signal to fetch, call abort(), and handle the "
            "AbortError apart from real failures. In React I abort in the effect's cleanup.",
        ),
        (
            "typescript",
            Difficulty.STANDARD,
            "What is the difference between unknown and any in TypeScript?",
            "any switches type checking off; unknown accepts any value but forces you to narrow "
            "it before use. I use unknown for parsed JSON and validate it at the boundary.",
        ),
        (
            "typescript",
            Difficulty.ADVANCED,
            "How would you type a function whose result shape depends on its argument?",
            "Overloads or a generic with a conditional type; for results, a discriminated union "
            "with a literal kind field, so the compiler narrows it in a switch.",
        ),
        (
            "node",
            Difficulty.STANDARD,
            "How do you avoid blocking the Node.js event loop?",
            "Keep CPU-heavy work out of the request path: stream large payloads, use worker "
            "threads or a job queue for heavy computation, and avoid synchronous fs calls in "
            "servers.",
        ),
        (
            "node",
            Difficulty.ADVANCED,
            "How would you shut down a Node.js HTTP server gracefully?",
            "On SIGTERM stop accepting connections, let in-flight requests finish within a "
            "timeout, close the database pool, then exit. The health check should fail first so "
            "the load balancer drains traffic.",
        ),
        (
            "testing",
            Difficulty.STANDARD,
            "How do you keep a JavaScript test suite fast and reliable?",
            "Mostly unit tests of pure functions, fake timers instead of real waits, no shared "
            "state between tests, and a few end-to-end tests for the critical flows.",
        ),
    ],
    RoleType.FULLSTACK: [
        (
            "api_design",
            Difficulty.STANDARD,
            "How would you version a public REST API?",
            "A version in the path such as /api/v1, only additive changes within a version, and "
            "a deprecation window announced in headers before anything is removed.",
        ),
        (
            "api_design",
            Difficulty.STANDARD,
            "Which status code do you return when a request conflicts with the current state?",
            "409 Conflict with a machine-readable error code, for example when completing an "
            "interview that was already abandoned. Invalid input is a 400 instead.",
        ),
        (
            "api_design",
            Difficulty.ADVANCED,
            "How do you paginate a large list that changes often?",
            "Cursor pagination on a stable sort key such as created_at plus id. Offset "
            "pagination skips or repeats rows when items are inserted while the client pages.",
        ),
        (
            "sql",
            Difficulty.STANDARD,
            "How would you prevent two users from booking the same time slot?",
            "A unique constraint in the database as the final guard, plus a transaction with "
            "SELECT FOR UPDATE when the check spans several rows. Application checks alone race.",
        ),
        (
            "sql",
            Difficulty.ADVANCED,
            "When would you store a counter on the parent row instead of counting children?",
            "When reads far outnumber writes, like a message count on a list page. It must be "
            "updated in the same transaction as the children, with an atomic increment.",
        ),
        (
            "react",
            Difficulty.STANDARD,
            "How do you show validation errors returned by the API in a React form?",
            "Map field errors from the response onto the fields, show the others at the top, "
            "keep the user's input, and move focus to the first invalid field.",
        ),
        (
            "python",
            Difficulty.STANDARD,
            "How do you structure configuration for different environments?",
            "One settings module read from environment variables, safe defaults for "
            "development, and no secrets in the repository, so environments differ only in "
            "config.",
        ),
        (
            "python",
            Difficulty.ADVANCED,
            "How would you parse an uploaded resume without blocking the request?",
            "Store the upload, enqueue a background job with the resume id and answer 202. The "
            "worker updates a parsing status the client can poll, with retries and a failed "
            "state.",
        ),
        (
            "devops",
            Difficulty.STANDARD,
            "What goes into a good health check endpoint?",
            "A cheap liveness check that the process answers and a readiness check that the "
            "database and cache are reachable, with short timeouts and no internals leaked.",
        ),
        (
            "devops",
            Difficulty.ADVANCED,
            "How would you roll out a risky change with zero downtime?",
            "Behind a feature flag, with backward-compatible migrations deployed first, a "
            "canary watching error rates and latency, and a rehearsed rollback plan.",
        ),
    ],
}
DIFFICULTY_RANK = {Difficulty.WARMUP: 0, Difficulty.STANDARD: 1, Difficulty.ADVANCED: 2}


# --- the plan: pure data drawn from the random generator -------------------------------------
#
# A plan holds no datetimes, only offsets: it is resolved against the moment of seeding when it
# is written, so a plan depends on the seed alone.


@dataclass
class MessagePlan:
    message_type: str
    content_text: str
    response_time_seconds: float
    tokens_used: int
    cost_usd: Decimal
    metadata: dict
    after_start: timedelta


@dataclass
class InterviewPlan:
    role_type: str
    status: str
    ai_model_used: str
    # Day of the planned slot (days ago; negative: ahead) and its (hour, minute) in UTC.
    # An interview in progress has no slot: it started a little before the seeding.
    day_offset: int = 0
    clock: tuple[int, int] = (9, 0)
    # Scheduled interviews were created this long before the seeding, others this long
    # before their slot.
    lead_time: timedelta = timedelta(days=1)
    late: timedelta = timedelta(0)  # from the slot to the start
    idle: timedelta = timedelta(0)  # after the last message (or the slot, for a no-show)
    duration: timedelta | None = None
    abandon_reason: str = ""
    messages: list[MessagePlan] = field(default_factory=list)
    session_state: dict = field(default_factory=dict)
    assessment: dict | None = None


@dataclass
class ResumePlan:
    file_name: str
    content: bytes
    content_type: str
    parsing_status: str
    parsed_data: dict
    uploaded_after: timedelta  # the candidate's creation
    parsing_took: timedelta


@dataclass
class CandidatePlan:
    full_name: str
    email: str
    phone: str
    target_role: str
    experience_level: str
    status: str
    role_type: str
    created_before: timedelta = timedelta(0)  # the creation of its first interview
    resume: ResumePlan | None = None
    interviews: list[InterviewPlan] = field(default_factory=list)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def demo_email(full_name: str) -> str:
    """Return the recognisable email of a seeded candidate, e.g. demo.mei-lin-chen@example.com."""
    return f"demo.{slugify(_ascii(full_name))}@example.com"


def _money(tokens: int) -> Decimal:
    return (TOKEN_PRICE * tokens).quantize(COST_PLACES)


def _phone(rng: random.Random, number: int) -> str:
    # Ranges reserved for fiction (US 555-01xx, UK Ofcom drama, AU 0491 570); `number` keeps
    # the demo phones distinct.
    kind = rng.randrange(4)
    if kind == 0:
        return f"+1{rng.choice(['212', '415', '617'])}55501{number + 10:02d}"
    if kind == 1:
        return f"+4420794600{number + 10:02d}"
    if kind == 2:
        return f"+61491570{number + 110}"
    return ""


def _pdf_bytes(lines: list[str]) -> bytes:
    """Return a minimal valid one-page PDF (correct xref offsets) showing the lines."""
    text = ["BT", "/F1 11 Tf", "72 770 Td", "16 TL"]
    for line in lines:
        escaped = _ascii(line).replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        text.append(f"({escaped}) '")
    text.append("ET")
    stream = "\n".join(text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        pdf += b"%010d 00000 n \n" % offset
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(pdf)


def _plan_resume(rng: random.Random, plan: CandidatePlan, parsing_status: str) -> ResumePlan:
    low, high = LEVEL_YEARS[plan.experience_level]
    years = rng.randint(low, high)
    skills = [*SKILLS[plan.role_type], *rng.sample(RESUME_EXTRA_SKILLS, 3)]
    lines = [
        plan.full_name,
        plan.target_role,
        f"{plan.email}  {plan.phone}".strip(),
        "",
        f"Experience: {years} years",
        "Skills: " + ", ".join(skills),
        "",
        "Recent work: " + rng.choice(WARMUP_QUESTIONS)[3],
    ]
    stem = slugify(_ascii(plan.full_name))
    if rng.random() < 0.6:
        file_name, content, content_type = f"{stem}-cv.pdf", _pdf_bytes(lines), documents.PDF
    else:
        file_name = f"{stem}-resume.txt"
        content, content_type = ("\n".join(lines) + "\n").encode(), documents.TEXT
    parsed_data = {}
    if parsing_status == ParsingStatus.COMPLETED:
        parsed_data = {
            "skills": skills,
            "years_experience": years,
            "current_title": plan.target_role,
        }
    elif parsing_status == ParsingStatus.FAILED:
        parsed_data = {"error": "No text could be extracted from the document."}
    return ResumePlan(
        file_name=file_name,
        content=content,
        content_type=content_type,
        parsing_status=parsing_status,
        parsed_data=parsed_data,
        uploaded_after=timedelta(minutes=rng.randint(5, 90)),
        parsing_took=timedelta(seconds=rng.randint(5, 90)),
    )


def _plan_transcript(
    rng: random.Random, *, first_name: str, role_type: str, level: str, count: int
) -> list[MessagePlan]:
    """Alternate AI questions and answers: warm-up first, then harder role questions."""
    bank = rng.sample(QUESTIONS[role_type], len(QUESTIONS[role_type]))
    bank.sort(key=lambda question: DIFFICULTY_RANK[question[1]])  # stable: keeps the shuffle
    questions = rng.sample(WARMUP_QUESTIONS, 2) + bank
    unsure_chance = {Level.ENTRY: 0.35, Level.JUNIOR: 0.25, Level.MID: 0.1}.get(level, 0.05)
    messages, elapsed = [], timedelta(seconds=rng.randint(5, 40))
    for index in range(count):
        topic, difficulty, question, answer = questions[index // 2]
        if index % 2 == 0:
            if index == 0:
                text = f"Hi {first_name}, thanks for joining. {question}"
            elif rng.random() < 0.6:
                text = rng.choice(ACKNOWLEDGEMENTS) + question
            else:
                text = question
            seconds = round(rng.uniform(0.8, 3.5), 1)  # the engine's latency
            tokens = rng.randint(180, 650)
            message_type = MessageType.AI_QUESTION
            metadata = {"topic": topic, "difficulty": difficulty}
        else:
            unsure = rng.random() < unsure_chance
            text = rng.choice(UNSURE_ANSWERS) if unsure else answer
            seconds = round(rng.uniform(20, 180), 1)
            tokens = rng.randint(60, 400)
            message_type = MessageType.CANDIDATE_RESPONSE
            metadata = {"topic": topic, "answered": not unsure}
        elapsed += timedelta(seconds=seconds)
        messages.append(
            MessagePlan(
                message_type=message_type,
                content_text=text,
                response_time_seconds=seconds,
                tokens_used=tokens,
                cost_usd=_money(tokens),
                metadata=metadata,
                after_start=elapsed,
            )
        )
    return messages


def _session_state(messages: list[MessagePlan], *, finished: bool) -> dict:
    """Return the session fields the engine would have written by the end of the transcript."""
    asked = [m.metadata for m in messages if m.message_type == MessageType.AI_QUESTION]
    answered = [m.metadata for m in messages if m.message_type == MessageType.CANDIDATE_RESPONSE]
    boundaries: dict[str, str] = {}
    for question, answer in zip(asked, answered, strict=False):
        if answer["answered"] and question["topic"] != "background":
            reached = boundaries.get(question["topic"], Difficulty.WARMUP)
            if DIFFICULTY_RANK[question["difficulty"]] >= DIFFICULTY_RANK[reached]:
                boundaries[question["topic"]] = question["difficulty"]
    return {
        "current_difficulty_level": asked[-1]["difficulty"],
        "skill_boundaries_identified": boundaries,
        "progression_state": {
            "phase": "wrap_up" if finished else "questioning",
            "questions_asked": len(asked),
            "questions_planned": 10,
        },
        "conversation_memory": {
            "topics_covered": list(dict.fromkeys(question["topic"] for question in asked)),
            "unanswered": sum(1 for answer in answered if not answer["answered"]),
        },
    }


def _plan_assessment(
    rng: random.Random, *, role_type: str, level: str, messages: list[MessagePlan], model: str
) -> dict:
    """Return the assessment fields; integrity is set later by _set_integrity."""
    base = LEVEL_SCORE[level] + rng.gauss(0, 6)
    skill_scores = {}
    for skill in SKILLS[role_type]:
        score = round(min(98, max(20, base + rng.gauss(0, 9))) * 2) / 2  # halves: 82.5, 74
        skill_scores[skill] = int(score) if score.is_integer() else score
    mean = sum(skill_scores.values()) / len(skill_scores)
    overall = Decimal(str(min(100.0, max(0.0, mean + rng.uniform(-3, 3))))).quantize(SCORE_PLACES)
    ranked = sorted(skill_scores, key=skill_scores.get, reverse=True)
    top, bottom = ranked[0], ranked[-1]
    band = "strong" if overall >= 78 else "solid" if overall >= 62 else "developing"
    actions = {
        "strong": ["Advance to the final round", f"Discuss depth in {top} with the hiring team"],
        "solid": ["Schedule a technical follow-up", f"Probe {bottom} in the next round"],
        "developing": ["Do not advance for this role now", f"Share learning resources on {bottom}"],
    }[band]
    questions = sum(1 for m in messages if m.message_type == MessageType.AI_QUESTION)
    return {
        "overall_score": overall,
        "skill_scores": skill_scores,
        "skill_boundary_map": {
            skill: "advanced" if score >= 80 else "standard" if score >= 60 else "warmup"
            for skill, score in skill_scores.items()
        },
        "strengths": [STRENGTHS[skill] for skill in ranked[:2]],
        "weaknesses": [WEAKNESSES[skill] for skill in ranked[-rng.randint(1, 2) :]],
        "integrity_score": None,
        "integrity_flags": [],
        "ai_reasoning": {
            "summary": f"{band.capitalize()} performance; best in {top}, weakest in {bottom}.",
            "band": band,
            "questions_evaluated": questions,
            "confidence": round(rng.uniform(0.7, 0.95), 2),
            "model": model,
        },
        "recommended_actions": actions,
    }


def _set_integrity(rng: random.Random, assessment: dict, *, flagged: bool) -> None:
    if flagged:
        score = rng.uniform(55, 80)
        assessment["integrity_flags"] = ["tab_switch"]
        assessment["recommended_actions"] = [
            *assessment["recommended_actions"],
            "Review the integrity flags before deciding",
        ]
    else:
        score = rng.uniform(90, 100)
    assessment["integrity_score"] = Decimal(str(score)).quantize(SCORE_PLACES)


def _plan_interview(
    rng: random.Random, candidate: CandidatePlan, status: str, day_offset: int
) -> InterviewPlan:
    """Plan one interview; a finished one had its slot `day_offset` days before the seeding."""
    interview = InterviewPlan(
        role_type=candidate.role_type,
        status=status,
        ai_model_used=rng.choice(AI_MODELS),
        clock=(rng.randint(8, 17), rng.choice([0, 15, 30, 45])),
        lead_time=timedelta(days=rng.randint(1, 7), hours=rng.randint(0, 6)),
    )
    if status == Status.SCHEDULED:
        interview.day_offset = -rng.randint(1, 14)
        interview.lead_time = timedelta(days=rng.randint(0, 4), hours=rng.randint(1, 12))
        return interview
    if status == Status.ABANDONED and rng.random() < 0.5:  # a no-show: never started
        interview.day_offset = day_offset
        interview.idle = timedelta(minutes=rng.randint(30, 60))
        interview.abandon_reason = rng.choice(NO_SHOW_REASONS)
        return interview

    count = {
        Status.COMPLETED: 2 * rng.randint(4, 10),  # ends with the candidate's last answer
        Status.IN_PROGRESS: rng.randint(6, 15),
        Status.ABANDONED: rng.randint(6, 12),
    }[status]
    interview.messages = _plan_transcript(
        rng,
        first_name=candidate.full_name.split()[0],
        role_type=candidate.role_type,
        level=candidate.experience_level,
        count=count,
    )
    interview.late = timedelta(minutes=rng.randint(0, 6), seconds=rng.randint(0, 59))
    interview.session_state = _session_state(
        interview.messages, finished=status == Status.COMPLETED
    )
    if status == Status.IN_PROGRESS:
        interview.idle = timedelta(seconds=rng.randint(20, 300))
        return interview
    interview.day_offset = day_offset
    if status == Status.COMPLETED:
        talk = interview.messages[-1].after_start
        interview.duration = talk + timedelta(seconds=rng.randint(30, 120))
        interview.assessment = _plan_assessment(
            rng,
            role_type=candidate.role_type,
            level=candidate.experience_level,
            messages=interview.messages,
            model=interview.ai_model_used,
        )
    else:
        interview.idle = timedelta(minutes=rng.randint(5, 15))
        interview.abandon_reason = rng.choice(DROP_OUT_REASONS)
    return interview


def _plan_candidate(
    rng: random.Random,
    *,
    number: int,
    full_name: str,
    email: str,
    role_type: str,
    level: str,
    statuses: list[str],
    resume_status: str | None,
) -> CandidatePlan:
    candidate = CandidatePlan(
        full_name=full_name,
        email=email,
        phone=_phone(rng, number),
        target_role=LEVEL_PREFIX[level] + rng.choice(TITLES[role_type]),
        experience_level=level,
        status=Candidate.Status.INACTIVE if rng.random() < 0.1 else Candidate.Status.ACTIVE,
        role_type=role_type,
        created_before=timedelta(days=rng.randint(0, 3), hours=rng.randint(2, 8)),
    )
    # Distinct past days, the earliest for the first status of the list.
    days = sorted(rng.sample(range(1, MAX_DAYS_AGO + 1), len(statuses)), reverse=True)
    candidate.interviews = [
        _plan_interview(rng, candidate, status, day_offset)
        for status, day_offset in zip(statuses, days, strict=True)
    ]
    if resume_status is not None:
        candidate.resume = _plan_resume(rng, candidate, resume_status)
    return candidate


def plan_demo_domain(
    seed: int = 0, *, account_name: str = DEMO_CANDIDATE_NAME
) -> tuple[list[CandidatePlan], CandidatePlan]:
    """Return the demo candidates and the profile of the demo candidate account, from `seed`.

    Every status appears for every role type: each role type has three candidates sharing
    five interviews, the four statuses and one more finished one, so nobody has two
    interviews running or booked at once.
    """
    rng = random.Random(seed)
    levels = [level for level in Level.values for _ in range(2)]
    rng.shuffle(levels)
    roles = [role for role in ROLE_TYPES for _ in range(CANDIDATES_PER_ROLE)]
    rng.shuffle(roles)
    resume_statuses = [ParsingStatus.COMPLETED] * 4 + [
        ParsingStatus.PENDING,
        ParsingStatus.PROCESSING,
        ParsingStatus.FAILED,
    ]
    rng.shuffle(resume_statuses)
    with_resume = dict(
        zip(rng.sample(range(len(DEMO_NAMES)), RESUME_COUNT), resume_statuses, strict=True)
    )

    statuses_of: dict[int, list[str]] = {}
    for role in ROLE_TYPES:
        extra = rng.choice([Status.COMPLETED, Status.COMPLETED, Status.ABANDONED])
        statuses = [*Status.values, extra]
        rng.shuffle(statuses)
        shares = [2, 2, 1]  # five interviews over the role's CANDIDATES_PER_ROLE (three) people
        rng.shuffle(shares)
        members = [index for index, member_role in enumerate(roles) if member_role == role]
        for index, share in zip(members, shares, strict=True):
            statuses_of[index], statuses = statuses[:share], statuses[share:]

    candidates = [
        _plan_candidate(
            rng,
            number=index,
            full_name=full_name,
            email=demo_email(full_name),
            role_type=roles[index],
            level=levels[index],
            statuses=statuses_of[index],
            resume_status=with_resume.get(index),
        )
        for index, full_name in enumerate(DEMO_NAMES)
    ]
    # The portal demo: a finished interview with its assessment and the next one booked.
    account_profile = _plan_candidate(
        rng,
        number=len(DEMO_NAMES),
        full_name=account_name,
        email=DEMO_CANDIDATE_EMAIL,
        role_type=rng.choice(ROLE_TYPES),
        level=Level.MID,
        statuses=[Status.COMPLETED, Status.SCHEDULED],
        resume_status=ParsingStatus.COMPLETED,
    )
    account_profile.status = Candidate.Status.ACTIVE

    # About one assessment in four has an integrity flag, and at least one of the demo
    # candidates' has, so a dashboard has something to filter on.
    assessments = [
        interview.assessment
        for candidate in candidates
        for interview in candidate.interviews
        if interview.assessment is not None
    ]
    flagged = [rng.random() < 0.25 for _ in assessments]
    if not any(flagged):
        flagged[rng.randrange(len(flagged))] = True
    for assessment, is_flagged in zip(assessments, flagged, strict=True):
        _set_integrity(rng, assessment, flagged=is_flagged)
    for interview in account_profile.interviews:
        if interview.assessment is not None:
            _set_integrity(rng, interview.assessment, flagged=False)
    return candidates, account_profile


# --- writing the plan through the services ---------------------------------------------------


def _interview_times(plan: InterviewPlan, now: datetime) -> dict[str, datetime]:
    """Resolve the plan's offsets: when the interview reached each status, and its slot."""
    talk = plan.messages[-1].after_start if plan.messages else timedelta(0)
    if plan.status == Status.IN_PROGRESS:
        started_at = now - plan.idle - talk
        slot = started_at - plan.late
    else:
        hour, minute = plan.clock
        day = now - timedelta(days=plan.day_offset)
        slot = day.replace(hour=hour, minute=minute, second=0, microsecond=0)
        started_at = slot + plan.late if plan.messages else None
    created_at = (now if plan.status == Status.SCHEDULED else slot) - plan.lead_time
    times = {"slot": slot, Status.SCHEDULED: created_at}
    if started_at is not None:
        times[Status.IN_PROGRESS] = started_at
    if plan.status == Status.COMPLETED:
        times[Status.COMPLETED] = started_at + plan.duration
    elif plan.status == Status.ABANDONED:
        times[Status.ABANDONED] = (started_at + talk if started_at else slot) + plan.idle
    return times


def _write_interview(
    plan: InterviewPlan,
    *,
    times: dict[str, datetime],
    candidate: Candidate,
    resume: Resume | None,
    by: User | None,
) -> dict[str, int]:
    interview = services.interview_create(
        candidate=candidate,
        role_type=plan.role_type,
        by=by,
        resume=resume,
        scheduled_for=times["slot"],
        ai_model_used=plan.ai_model_used,
    )
    messages: list[InterviewMessage] = []
    if plan.messages:
        interview = services.interview_start(interview=interview, by=by)
        messages = [
            services.message_append(
                interview=interview,
                message_type=message.message_type,
                content_text=message.content_text,
                tokens_used=message.tokens_used,
                cost_usd=message.cost_usd,
                response_time_seconds=message.response_time_seconds,
                metadata=message.metadata,
            )
            for message in plan.messages
        ]
        services.session_update(interview=interview, **plan.session_state)
    if plan.status == Status.COMPLETED:
        interview = services.interview_complete(interview=interview, by=by)
        generated_at = times[Status.COMPLETED] + timedelta(minutes=2)
        assessment_services.assessment_create(
            interview=interview,
            generated_at=generated_at,
            created_at=generated_at,
            **plan.assessment,
        )
    elif plan.status == Status.ABANDONED:
        interview = services.interview_abandon(
            interview=interview, by=by, reason=plan.abandon_reason
        )

    # The services stamp everything "now"; move it back to when it would have happened.
    started_at = times.get(Status.IN_PROGRESS)
    for message, message_plan in zip(messages, plan.messages, strict=True):
        message.created_at = started_at + message_plan.after_start
    InterviewMessage.objects.bulk_update(messages, ["created_at"])
    for status in Status.values:
        if status in times:
            InterviewStatusChange.objects.filter(interview=interview, to_status=status).update(
                created_at=times[status]
            )
    if started_at is not None:
        last_activity = messages[-1].created_at
        InterviewSession.objects.filter(interview=interview).update(
            created_at=started_at, last_activity_at=last_activity, updated_at=last_activity
        )
    completed_at = times.get(Status.COMPLETED)
    Interview.objects.filter(pk=interview.pk).update(
        created_at=times[Status.SCHEDULED],
        started_at=started_at,
        completed_at=completed_at,
        # Whole seconds, as interview_complete stores them.
        duration_seconds=int((completed_at - started_at).total_seconds()) if completed_at else None,
        updated_at=max(times[status] for status in Status.values if status in times),
    )
    return {
        "interviews": 1,
        "messages": len(messages),
        "assessments": int(plan.assessment is not None),
    }


def _write_candidate(
    plan: CandidatePlan, *, by: User | None, now: datetime, user: User | None = None
) -> dict[str, int]:
    interview_times = [_interview_times(interview, now) for interview in plan.interviews]
    created_at = min(times[Status.SCHEDULED] for times in interview_times) - plan.created_before
    candidate = services.candidate_create(
        email=plan.email,
        full_name=plan.full_name,
        phone=plan.phone,
        target_role=plan.target_role,
        experience_level=plan.experience_level,
        status=plan.status,
        user=user,
    )
    Candidate.all_objects.filter(pk=candidate.pk).update(
        created_at=created_at, updated_at=created_at
    )
    counts = {"candidates": 1, "resumes": 0, "interviews": 0, "messages": 0, "assessments": 0}

    resume = None
    if plan.resume is not None:
        resume = services.resume_create(
            candidate=candidate,
            file=ContentFile(plan.resume.content, name=plan.resume.file_name),
            content_type=plan.resume.content_type,
        )
        if plan.resume.parsing_status != ParsingStatus.PENDING:
            services.resume_update_parsing(
                resume=resume,
                parsing_status=plan.resume.parsing_status,
                parsed_data=plan.resume.parsed_data,
            )
        uploaded_at = created_at + plan.resume.uploaded_after
        parsed_at = None
        if plan.resume.parsing_status == ParsingStatus.COMPLETED:
            parsed_at = uploaded_at + plan.resume.parsing_took
        Resume.objects.filter(pk=resume.pk).update(
            uploaded_at=uploaded_at,
            created_at=uploaded_at,
            parsed_at=parsed_at,
            updated_at=parsed_at or uploaded_at,
        )
        counts["resumes"] = 1

    for interview_plan, times in zip(plan.interviews, interview_times, strict=True):
        written = _write_interview(
            interview_plan, times=times, candidate=candidate, resume=resume, by=by
        )
        for name, number in written.items():
            counts[name] += number
    return counts


def seed_demo_domain(*, seed: int = 0, stdout=None) -> dict[str, int]:
    """Create the missing demo candidates with their resumes, interviews, transcripts and
    assessments; return how many rows of each kind were created (zeros when all exist).

    A live candidate account `candidate@example.com` without a profile gets one, with its own
    interviews, so the candidate portal has something to show.
    """
    totals = {"candidates": 0, "resumes": 0, "interviews": 0, "messages": 0, "assessments": 0}

    def report(message: str) -> None:
        if stdout is not None:
            stdout.write(message + "\n")

    with transaction.atomic():
        now = timezone.now()
        by = User.objects.with_email(DEMO_RECRUITER_EMAIL).first()
        account = (
            User.objects.with_email(DEMO_CANDIDATE_EMAIL).filter(role=User.Role.CANDIDATE).first()
        )
        # The account's name only changes texts, never what the generator draws.
        candidates, account_profile = plan_demo_domain(
            seed, account_name=account.full_name if account else DEMO_CANDIDATE_NAME
        )
        # Soft-deleted candidates count as existing: someone removed them on purpose.
        existing = set(
            Candidate.all_objects.filter(email__in=[plan.email for plan in candidates]).values_list(
                "email", flat=True
            )
        )
        to_write = [(plan, None) for plan in candidates if plan.email not in existing]

        if account is not None and not Candidate.all_objects.filter(user=account).exists():
            unlinked = Candidate.objects.filter(email=account.email).first()
            if unlinked is None:
                to_write.append((account_profile, account))
            elif unlinked.user_id is None:
                # A recruiter created this person before the account existed: link, as signing
                # up does (accounts.services.user_register), rather than duplicate.
                services.candidate_update(candidate=unlinked, user=account)
                report(f"linked {account.email} to its existing candidate profile")

        for plan, user in to_write:
            written = _write_candidate(plan, by=by, now=now, user=user)
            for name, number in written.items():
                totals[name] += number
            report(
                f"created candidate {plan.email}: {written['interviews']} interviews, "
                f"{written['messages']} messages"
            )
    if not to_write:
        report("Demo candidates already exist; nothing to do.")
    return totals
