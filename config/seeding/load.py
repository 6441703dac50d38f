"""Load-scale seed data: many candidates, interviews, sessions, transcripts and assessments.

On PostgreSQL every table is filled with `COPY ... FROM STDIN` in one transaction; elsewhere
with batched INSERTs (config/seeding/bulk.py). Rows are built as tuples of text (ids, numbers,
timestamps and JSON already formatted), from small pools of sentences picked by index
(config/seeding/load_rows.py), so the Python side costs about as much as the database's own
work. The data satisfies every constraint: statuses match
their timestamps, sequence numbers are gapless, counters equal the sums of the messages.
Seeded candidates are recognisable by their `@load.example.com` emails. Candidate number i
belongs to organization i mod N of the plan's N (`default`, org-2 ... org-N, created as
needed), and every row under it carries that organization.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from accounts.seeding import load_organization_names, seed_organizations
from assessments.models import AssessmentResult, AssessmentSkillScore
from config.seeding import load_rows as rows
from config.seeding.bulk import BulkWriter, Ids, foreign_keys_checked_once
from interviews.columns import INTERVIEW_TABLE_COLUMNS
from interviews.models import (
    Candidate,
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
)

LOAD_EMAIL_DOMAIN = "load.example.com"


@dataclass
class LoadPlan:
    candidates: int
    interviews_per_candidate: int
    messages_per_interview: int
    seed: int = 0
    organizations: int = 1  # spread over `default`, org-2 ... org-N


@dataclass
class LoadReport:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def seed_load_data(plan: LoadPlan, *, on_rows: Callable[[int], None] = lambda n: None):
    """Create the load data of `plan`; skip candidates that exist already (idempotent)."""
    started = time.perf_counter()
    rng = random.Random(plan.seed)
    ids = Ids(rng)
    writer = BulkWriter(on_rows)
    report = LoadReport()
    questions = rows.texts(rng, rows.QUESTION_SHAPES)
    answers = rows.texts(rng, rows.ANSWER_SHAPES)
    now = timezone.now()
    organization_ids = [
        organization.pk.hex
        for organization in seed_organizations(load_organization_names(plan.organizations))
    ]

    existing = set(
        Candidate.all_objects.filter(email__endswith=f"@{LOAD_EMAIL_DOMAIN}").values_list(
            "email", flat=True
        )
    )
    candidates = []
    for index in range(plan.candidates):
        email = f"load{index:07d}@{LOAD_EMAIL_DOMAIN}"
        if email not in existing:
            organization_id = organization_ids[index % len(organization_ids)]
            candidates.append((ids.next(), organization_id, email, index))

    interviews: list[rows.InterviewRow] = []
    for candidate_id, organization_id, _email, index in candidates:
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
                rows.InterviewRow(
                    id=ids.next(),
                    session_id=ids.next(),
                    organization_id=organization_id,
                    candidate_id=candidate_id,
                    role_type=rng.choice(list(Interview.RoleType.values)),
                    status=status,
                    created_at=created_at,
                    started_at=started_at,
                    completed_at=None,
                    last_activity_at=started_at,
                )
            )

    with transaction.atomic(), foreign_keys_checked_once(InterviewMessage, writer.postgres):
        # Foreign keys are checked at commit (Django creates them DEFERRABLE INITIALLY
        # DEFERRED), so messages can be written first and the interviews, whose counters are
        # the messages' sums, after them.
        report.rows["messages"] = writer.write(
            InterviewMessage,
            [
                "id",
                "organization_id",
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
            rows.message_rows(plan, interviews, ids, writer, rng, questions, answers),
        )
        report.rows["candidates"] = writer.write(
            Candidate,
            [
                "id",
                "organization_id",
                "email",
                "full_name",
                "phone",
                "target_role",
                "experience_level",
                "status",
                "created_at",
                "updated_at",
            ],
            rows.candidate_rows(candidates, writer, rng, now),
        )
        report.rows["interviews"] = writer.write(
            Interview,
            list(INTERVIEW_TABLE_COLUMNS),
            rows.interview_rows(plan, interviews, writer),
        )
        report.rows["sessions"] = writer.write(
            InterviewSession,
            [
                "id",
                "organization_id",
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
            rows.session_rows(interviews, writer),
        )
        report.rows["status_changes"] = writer.write(
            InterviewStatusChange,
            [
                "id",
                "organization_id",
                "interview_id",
                "from_status",
                "to_status",
                "reason",
                "created_at",
            ],
            rows.status_change_rows(interviews, ids, writer),
        )
        report.rows["assessments"] = writer.write(
            AssessmentResult,
            [
                "id",
                "organization_id",
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
            rows.assessment_rows(interviews, ids, writer, rng),
        )
        report.rows["skill_scores"] = writer.write(
            AssessmentSkillScore,
            ["organization_id", "assessment_id", "skill", "score"],
            rows.skill_score_rows(interviews),
        )
    if writer.postgres:
        with connection.cursor() as cursor:
            for model in (Candidate, Interview, InterviewMessage, AssessmentResult):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    report.seconds = time.perf_counter() - started
    return report
