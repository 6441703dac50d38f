"""The peer's SQL: raw `text()` statements equal to those the Django API runs.

Written out from what the API runs (the bench captures both sides in-process and compares them
before it times anything), column lists included, so that both stacks ask PostgreSQL the very
same questions: the bearer-token lookup with its user and the user's organization, the
visibility rule (rows whose candidate is not soft-deleted, as `NOT IN` over the deleted
candidates, and for owners, recruiters and engines rows of their organization, on the row's own
`organization_id`), the count, the page; the interview lookup and the keyset page of the
transcript, which names the interview's organization as the API does (it leads the transcript's
unique index). A statement that depends on the caller's scope comes in two forms: `scoped`
(an organization's rows) and not (an admin's: every organization's).
"""

from sqlalchemy import text


def _columns(table: str, names: list[str]) -> str:
    return ", ".join(f'"{table}"."{name}"' for name in names)


TOKEN_COLUMNS = ["id", "user_id", "digest", "created_at", "expires_at"]
USER_COLUMNS = [
    "password",
    "last_login",
    "is_superuser",
    "id",
    "email",
    "full_name",
    "role",
    "organization_id",
    "account_status",
    "failed_login_attempts",
    "locked_until",
    "last_failed_login_at",
    "login_count",
    "timezone",
    "language",
    "is_staff",
    "is_active",
    "deleted_at",
    "created_at",
    "updated_at",
]
# Positions in a token row (token columns, then the user's).
USER_AT = len(TOKEN_COLUMNS)
USER_ID = USER_AT + USER_COLUMNS.index("id")
USER_ROLE = USER_AT + USER_COLUMNS.index("role")
USER_STATUS = USER_AT + USER_COLUMNS.index("account_status")
USER_ACTIVE = USER_AT + USER_COLUMNS.index("is_active")
USER_DELETED = USER_AT + USER_COLUMNS.index("deleted_at")
USER_ORGANIZATION = USER_AT + USER_COLUMNS.index("organization_id")
# The user's organization (`select_related("user__organization")`: null for admins, candidates).
ORGANIZATION_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "name",
    "slug",
    "status",
    "retention_days",
]
ORGANIZATION_AT = USER_AT + len(USER_COLUMNS)
ORGANIZATION_STATUS = ORGANIZATION_AT + ORGANIZATION_COLUMNS.index("status")

TOKEN = text(
    f"SELECT {_columns('accounts_accesstoken', TOKEN_COLUMNS)}, "
    f"{_columns('accounts_user', USER_COLUMNS)}, "
    f"{_columns('accounts_organization', ORGANIZATION_COLUMNS)} "
    'FROM "accounts_accesstoken" INNER JOIN "accounts_user" '
    'ON ("accounts_accesstoken"."user_id" = "accounts_user"."id") '
    'LEFT OUTER JOIN "accounts_organization" '
    'ON ("accounts_user"."organization_id" = "accounts_organization"."id") '
    'WHERE ("accounts_accesstoken"."digest" = :digest '
    'AND "accounts_accesstoken"."expires_at" > :now) '
    'ORDER BY "accounts_accesstoken"."created_at" DESC LIMIT 1'
)

LIVE_CANDIDATES = (
    'NOT ("interviews_interview"."candidate_id" IN (SELECT U0."id" AS "pk" '
    'FROM "interviews_candidate" U0 WHERE U0."deleted_at" IS NOT NULL))'
)
# A member's deleted candidates are its organization's only.
LIVE_CANDIDATES_OF_ORGANIZATION = (
    'NOT ("interviews_interview"."candidate_id" IN (SELECT U0."id" AS "pk" '
    'FROM "interviews_candidate" U0 WHERE (U0."deleted_at" IS NOT NULL AND '
    'U0."organization_id" = :organization_id)))'
)
OF_ORGANIZATION = '"interviews_interview"."organization_id" = :organization_id'


def _visible(*, scoped: bool) -> str:
    """The visibility rule's conditions (without the WHERE's parentheses)."""
    if scoped:
        return f"{LIVE_CANDIDATES_OF_ORGANIZATION} AND {OF_ORGANIZATION}"
    return LIVE_CANDIDATES


def _where(*, scoped: bool) -> str:
    # Django writes one condition bare and several in parentheses.
    return f"({_visible(scoped=scoped)})" if scoped else LIVE_CANDIDATES


WITH_SCORE = (
    'FROM "interviews_interview" LEFT OUTER JOIN "assessments_assessmentresult" '
    'ON ("interviews_interview"."id" = "assessments_assessmentresult"."interview_id")'
)

INTERVIEW_COUNT = {
    scoped: text(f'SELECT COUNT(*) AS "__count" {WITH_SCORE} WHERE {_where(scoped=scoped)}')
    for scoped in (False, True)
}

INTERVIEW_COLUMNS = [
    "id",
    "updated_at",
    "organization_id",
    "candidate_id",
    "resume_id",
    "position_id",
    "role_type",
    "status",
    "scheduled_for",
    "started_at",
    "completed_at",
    "duration_seconds",
    "abandon_reason",
    "ai_model_used",
    "total_tokens_used",
    "cost_usd",
    "message_count",
    "created_at",
]
CANDIDATE_COLUMNS = [
    "id",
    "created_at",
    "updated_at",
    "organization_id",
    "email",
    "full_name",
    "phone",
    "target_role",
    "experience_level",
    "status",
    "user_id",
    "former_user_id",
    "deleted_at",
]
# Positions in an interview page row (interview columns, the score, the candidate's).
SCORE_AT = len(INTERVIEW_COLUMNS)
CANDIDATE_NAME = SCORE_AT + 1 + CANDIDATE_COLUMNS.index("full_name")


def _interview_page(*, scoped: bool) -> str:
    return (
        f"SELECT {_columns('interviews_interview', INTERVIEW_COLUMNS)}, "
        '"assessments_assessmentresult"."overall_score" AS "overall_score", '
        f"{_columns('interviews_candidate', CANDIDATE_COLUMNS)} "
        f'{WITH_SCORE} INNER JOIN "interviews_candidate" '
        'ON ("interviews_interview"."candidate_id" = "interviews_candidate"."id") '
        f"WHERE {_where(scoped=scoped)} "
        'ORDER BY "interviews_interview"."created_at" DESC LIMIT :limit'
    )


# By (scoped, with OFFSET): Django leaves OFFSET out of the first page's statement; so does
# the peer.
INTERVIEW_PAGE = {
    (scoped, offset): text(_interview_page(scoped=scoped) + (" OFFSET :offset" if offset else ""))
    for scoped in (False, True)
    for offset in (False, True)
}

# The transcript's parent: the interview must be visible (`.get()` fetches up to 21 rows).
INTERVIEW_LOOKUP = {
    scoped: text(
        f"SELECT {_columns('interviews_interview', INTERVIEW_COLUMNS)} "
        f'FROM "interviews_interview" WHERE ({_visible(scoped=scoped)} '
        'AND "interviews_interview"."id" = :interview_id) LIMIT 21'
    )
    for scoped in (False, True)
}
INTERVIEW_ORGANIZATION = INTERVIEW_COLUMNS.index("organization_id")

MESSAGE_COLUMNS = [
    "id",
    "organization_id",
    "interview_id",
    "session_id",
    "sequence_number",
    "message_type",
    "content_text",
    "content_audio_url",
    "audio_duration_seconds",
    "audio_metadata",
    "response_time_seconds",
    "tokens_used",
    "cost_usd",
    "metadata",
    "created_at",
]
SEQUENCE = MESSAGE_COLUMNS.index("sequence_number")

_MESSAGES = (
    f"SELECT {_columns('interviews_interviewmessage', MESSAGE_COLUMNS)} "
    'FROM "interviews_interviewmessage" WHERE '
)
# Both the interview and its organization, in this order (Django sorts a filter's keywords).
_OF_INTERVIEW = (
    '"interviews_interviewmessage"."interview_id" = :interview_id AND '
    '"interviews_interviewmessage"."organization_id" = :organization_id'
)
_ORDER = 'ORDER BY "interviews_interviewmessage"."sequence_number"'


def messages_statement(*, after: bool | None, descending: bool, offset: bool):
    """The keyset page: after (`>`), before (`<`) or without (None) a position."""
    if after is None:
        where = f"({_OF_INTERVIEW})"
    else:
        where = (
            f"({_OF_INTERVIEW} AND "
            f'"interviews_interviewmessage"."sequence_number" {">" if after else "<"} :position)'
        )
    statement = f"{_MESSAGES}{where} {_ORDER} {'DESC' if descending else 'ASC'} LIMIT :limit"
    return statement + (" OFFSET :offset" if offset else "")


# Every shape, built once: SQLAlchemy caches a text() construct's compiled form.
MESSAGES = {
    (after, descending, offset): text(
        messages_statement(after=after, descending=descending, offset=offset)
    )
    for after in (None, True, False)
    for descending in (False, True)
    for offset in (False, True)
}
