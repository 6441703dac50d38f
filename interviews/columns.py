"""The interview's one column list: each API field, the model column or attribute behind it.

The API's serializer (its fields and its hand-written `to_representation`), the load
generator's COPY of the interview table and the bench's floor views all read this list, so
that a column added to the interview is added in one place.
"""

from typing import NamedTuple


class InterviewColumn(NamedTuple):
    """One field of an interview as the API writes it."""

    field: str  # the key in the API's JSON
    column: str | None  # the `interviews_interview` column it stores; None: read through a join
    attribute: str  # what the serializer reads on an Interview row (dotted: a related row)
    kind: str  # how the JSON writes it: "uuid", "value", "time", "money" (4 places), "score"


INTERVIEW_COLUMNS = (
    InterviewColumn("id", "id", "id", "uuid"),
    InterviewColumn("organization", "organization_id", "organization_id", "uuid"),
    InterviewColumn("candidate", "candidate_id", "candidate_id", "uuid"),
    InterviewColumn("candidate_name", None, "candidate.full_name", "value"),
    InterviewColumn("position", "position_id", "position_id", "uuid"),
    InterviewColumn("resume", "resume_id", "resume_id", "uuid"),
    InterviewColumn("role_type", "role_type", "role_type", "value"),
    InterviewColumn("status", "status", "status", "value"),
    InterviewColumn("scheduled_for", "scheduled_for", "scheduled_for", "time"),
    InterviewColumn("started_at", "started_at", "started_at", "time"),
    InterviewColumn("completed_at", "completed_at", "completed_at", "time"),
    InterviewColumn("duration_seconds", "duration_seconds", "duration_seconds", "value"),
    InterviewColumn("abandon_reason", "abandon_reason", "abandon_reason", "value"),
    InterviewColumn("ai_model_used", "ai_model_used", "ai_model_used", "value"),
    InterviewColumn("total_tokens_used", "total_tokens_used", "total_tokens_used", "value"),
    InterviewColumn("cost_usd", "cost_usd", "cost_usd", "money"),
    InterviewColumn("message_count", "message_count", "message_count", "value"),
    # The assessment's score, annotated on the row by the API's queryset (absent: null).
    InterviewColumn("overall_score", None, "overall_score", "score"),
    InterviewColumn("created_at", "created_at", "created_at", "time"),
    InterviewColumn("updated_at", "updated_at", "updated_at", "time"),
)

# The interview table's own columns among them, in the same order.
INTERVIEW_TABLE_COLUMNS = tuple(column.column for column in INTERVIEW_COLUMNS if column.column)
