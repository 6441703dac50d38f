"""The peer's two pages as plain async functions: authentication, queries and their JSON.

They take an SQLAlchemy `AsyncConnection` and the request's parts and return the body (or raise
`ApiError`), so that the bench can run them in-process to capture their SQL, and the FastAPI
app (bench/peer/app.py) stays a thin layer. The JSON is the Django API's, field by field:
DRF's page-number and cursor pagination (links included), its error bodies, its number and
date formats. Visibility is the API's `visible_to(user)` for staff and engine callers: an admin
sees every organization's rows, owners, recruiters and engines their organization's.
"""

import base64
import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit
from uuid import UUID

import orjson
from sqlalchemy.ext.asyncio import AsyncConnection

from bench.peer import statements as sql

# The roles whose rows are scoped to their organization (the API's ORGANIZATION_ROLES); an
# admin sees every organization's. A candidate's branch (its own profiles) is not ported.
ADMIN = "admin"
ORGANIZATION_ROLES = ("owner", "recruiter", "engine")
LIST_PAGE_SIZE, MAX_PAGE_SIZE = 20, 100
TRANSCRIPT_PAGE_SIZE, CURSOR_OFFSET_CUTOFF = 50, 1000
CENT, TEN_THOUSANDTH = Decimal("0.01"), Decimal("0.0001")


class ApiError(Exception):
    """An error answer in the API's shape: `{"detail", "code"}` with a status."""

    def __init__(self, status: int, detail: str, code: str | None, headers: dict | None = None):
        super().__init__(detail)
        self.status, self.detail, self.code = status, detail, code
        self.headers = headers or {}

    def body(self) -> dict:
        # Django's Http404 reaches DRF's handler without a code, and the API's body has none.
        return (
            {"detail": self.detail}
            if self.code is None
            else {"detail": self.detail, "code": self.code}
        )


UNAUTHENTICATED = {"WWW-Authenticate": 'Bearer realm="api"'}


# --- formats ------------------------------------------------------------------------------------


def iso(moment: datetime | None) -> str | None:
    """A datetime as DRF's DateTimeField writes it (UTC, `Z` suffix)."""
    if moment is None:
        return None
    written = moment.astimezone(UTC).isoformat()
    return written[:-6] + "Z" if written.endswith("+00:00") else written


def decimal(value: Decimal | None, step: Decimal) -> str | None:
    """A decimal as DRF's DecimalField writes it (quantized, as a string)."""
    return None if value is None else f"{value.quantize(step):f}"


def _json(value: str | dict | None):
    # asyncpg hands jsonb over as text when no codec is set; the API's JSONField decodes it.
    return orjson.loads(value) if isinstance(value, str) else value


# --- links, as DRF writes them -----------------------------------------------------------------


def replace_query_param(url: str, key: str, value) -> str:
    scheme, netloc, path, query, fragment = urlsplit(url)
    params = parse_qs(query, keep_blank_values=True)
    params[key] = [str(value)]
    return urlunsplit(
        (scheme, netloc, path, urlencode(sorted(params.items()), doseq=True), fragment)
    )


def remove_query_param(url: str, key: str) -> str:
    scheme, netloc, path, query, fragment = urlsplit(url)
    params = parse_qs(query, keep_blank_values=True)
    params.pop(key, None)
    return urlunsplit(
        (scheme, netloc, path, urlencode(sorted(params.items()), doseq=True), fragment)
    )


def page_size(query: Mapping[str, str], default: int) -> int:
    """DRF's `page_size` parameter: a positive integer, at most 100; else the default."""
    try:
        size = int(query["page_size"])
    except (KeyError, ValueError):
        return default
    return default if size <= 0 else min(size, MAX_PAGE_SIZE)


# --- authentication ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    user_id: UUID
    role: str
    organization_id: UUID | None

    @property
    def scoped(self) -> bool:
        """Whether the caller sees one organization's rows (else, an admin: all of them)."""
        return self.role != ADMIN

    def scope(self) -> dict:
        """The bind parameters of the visibility rule."""
        return {"organization_id": self.organization_id} if self.scoped else {}


async def authenticate(conn: AsyncConnection, authorization: str | None) -> Caller:
    """`Authorization: Bearer <token>` as the API's BearerTokenAuthentication reads it."""
    words = (authorization or "").encode("latin-1").split()
    if not words or words[0].lower() != b"bearer":
        raise ApiError(
            401,
            "Authentication credentials were not provided.",
            "not_authenticated",
            UNAUTHENTICATED,
        )
    if len(words) != 2:
        raise ApiError(
            401, "Invalid Authorization header.", "authentication_failed", UNAUTHENTICATED
        )
    try:
        raw = words[1].decode()
    except UnicodeDecodeError as error:
        raise ApiError(401, "Invalid token.", "authentication_failed", UNAUTHENTICATED) from error
    digest = hashlib.sha256(raw.encode()).hexdigest()
    row = (await conn.execute(sql.TOKEN, {"digest": digest, "now": datetime.now(UTC)})).first()
    if row is None or not (
        row[sql.USER_ACTIVE]
        and row[sql.USER_DELETED] is None
        and row[sql.USER_STATUS] == "active"
        # `User.can_log_in`: a member of a suspended organization may not.
        and (row[sql.USER_ORGANIZATION] is None or row[sql.ORGANIZATION_STATUS] == "active")
    ):
        raise ApiError(401, "Invalid or expired token.", "authentication_failed", UNAUTHENTICATED)
    role = row[sql.USER_ROLE]
    if role != ADMIN and role not in ORGANIZATION_ROLES:
        # The candidate's branch of `visible_to` is not part of what the bench compares.
        raise ApiError(403, "The peer serves staff and engine callers only.", "permission_denied")
    return Caller(user_id=row[sql.USER_ID], role=role, organization_id=row[sql.USER_ORGANIZATION])


# --- the interview list ------------------------------------------------------------------------


def interview_json(row) -> dict:
    interview = dict(zip(sql.INTERVIEW_COLUMNS, row, strict=False))
    return {
        "id": str(interview["id"]),
        "organization": str(interview["organization_id"]),
        "candidate": str(interview["candidate_id"]),
        "candidate_name": row[sql.CANDIDATE_NAME],
        "position": str(interview["position_id"]) if interview["position_id"] else None,
        "resume": str(interview["resume_id"]) if interview["resume_id"] else None,
        "role_type": interview["role_type"],
        "status": interview["status"],
        "scheduled_for": iso(interview["scheduled_for"]),
        "started_at": iso(interview["started_at"]),
        "completed_at": iso(interview["completed_at"]),
        "duration_seconds": interview["duration_seconds"],
        "abandon_reason": interview["abandon_reason"],
        "ai_model_used": interview["ai_model_used"],
        "total_tokens_used": interview["total_tokens_used"],
        "cost_usd": decimal(interview["cost_usd"], TEN_THOUSANDTH),
        "message_count": interview["message_count"],
        "overall_score": decimal(row[sql.SCORE_AT], CENT),
        "created_at": iso(interview["created_at"]),
        "updated_at": iso(interview["updated_at"]),
    }


def page_number(query: Mapping[str, str], count: int, size: int) -> tuple[int, int]:
    """(page, number of pages) as Django's Paginator validates `page`; 404 when invalid."""
    pages = max(1, math.ceil(count / size))
    wanted = query.get("page") or "1"
    try:
        number = pages if wanted == "last" else int(wanted)
    except ValueError:
        number = 0
    if not 1 <= number <= pages:
        raise ApiError(404, "Invalid page.", "not_found")
    return number, pages


async def interview_list(
    conn: AsyncConnection, *, authorization: str | None, query: Mapping[str, str], url: str
) -> dict:
    """`GET /api/v1/interviews/?page=&page_size=`: count, links and one page, newest first."""
    caller = await authenticate(conn, authorization)
    size = page_size(query, LIST_PAGE_SIZE)
    scope = caller.scope()
    count = (await conn.execute(sql.INTERVIEW_COUNT[caller.scoped], scope)).scalar_one()
    number, pages = page_number(query, count, size)
    bottom = (number - 1) * size
    top = min(bottom + size, count)
    rows = []
    if top > bottom:  # Django runs no query for an empty slice
        params = {**scope, "limit": top - bottom}
        if bottom:
            params["offset"] = bottom
        statement = sql.INTERVIEW_PAGE[(caller.scoped, bool(bottom))]
        rows = (await conn.execute(statement, params)).all()
    if number == 2:
        previous = remove_query_param(url, "page")
    else:
        previous = replace_query_param(url, "page", number - 1) if number > 1 else None
    return {
        "count": count,
        "next": replace_query_param(url, "page", number + 1) if number < pages else None,
        "previous": previous,
        "results": [interview_json(row) for row in rows],
    }


# --- the transcript (DRF's CursorPagination, ordered by sequence number) -----------------------


@dataclass(frozen=True)
class Cursor:
    offset: int
    reverse: bool
    position: str | None


def decode_cursor(encoded: str | None) -> Cursor | None:
    if encoded is None:
        return None
    try:
        tokens = parse_qs(base64.b64decode(encoded.encode("ascii")).decode("ascii"), True)
        offset = int(tokens.get("o", ["0"])[0])
        if offset < 0:
            raise ValueError(offset)
        return Cursor(
            offset=min(offset, CURSOR_OFFSET_CUTOFF),
            reverse=bool(int(tokens.get("r", ["0"])[0])),
            position=tokens.get("p", [None])[0],
        )
    except (TypeError, ValueError, UnicodeError) as error:
        raise ApiError(404, "Invalid cursor", "not_found") from error


def encode_cursor(url: str, cursor: Cursor) -> str:
    tokens = {}
    if cursor.offset != 0:
        tokens["o"] = str(cursor.offset)
    if cursor.reverse:
        tokens["r"] = "1"
    if cursor.position is not None:
        tokens["p"] = cursor.position
    encoded = base64.b64encode(urlencode(tokens, doseq=True).encode("ascii")).decode("ascii")
    return replace_query_param(url, "cursor", encoded)


def cursor_links(
    positions: list[str], *, cursor: Cursor | None, size: int
) -> tuple[list[int], Cursor | None, Cursor | None]:
    """DRF's CursorPagination over the fetched rows' positions (`size + 1` at most, in query
    order): the indexes of the page's rows in output order, and the next and previous cursors.
    A port of `paginate_queryset`, `get_next_link` and `get_previous_link`."""
    offset, reverse, current = (
        (0, False, None) if cursor is None else (cursor.offset, cursor.reverse, cursor.position)
    )
    page = list(range(min(len(positions), size)))
    following = positions[-1] if len(positions) > len(page) else None
    if reverse:
        page.reverse()
        has_next, has_previous = current is not None or offset > 0, following is not None
        next_position, previous_position = current, following
    else:
        has_next, has_previous = following is not None, current is not None or offset > 0
        next_position, previous_position = following, current

    def link(forward: bool) -> Cursor | None:
        if not (has_next if forward else has_previous):
            return None
        ordered = list(reversed(page)) if forward else page
        moved_away = cursor and cursor.reverse == forward and cursor.offset != 0
        if page and moved_away:
            compare = positions[ordered[0]]
        else:
            compare = next_position if forward else previous_position
        skip, position, unique = 0, None, False
        for skip, index in enumerate(ordered):  # noqa: B007 (read after the loop)
            position = positions[index]
            if position != compare:
                unique = True
                break
            compare = position
        if page and not unique:
            if not (has_previous if forward else has_next):
                skip, position = size, None
            elif cursor.reverse == forward:
                skip, position = 0, previous_position if forward else next_position
            else:
                skip = cursor.offset + size
                position = previous_position if forward else next_position
        if not page:
            position = next_position if forward else previous_position
        return Cursor(offset=skip, reverse=not forward, position=position)

    return page, link(True), link(False)


def message_json(row) -> dict:
    message = dict(zip(sql.MESSAGE_COLUMNS, row, strict=True))
    return {
        "id": str(message["id"]),
        "interview": str(message["interview_id"]),
        "sequence_number": message["sequence_number"],
        "message_type": message["message_type"],
        "content_text": message["content_text"],
        "content_audio_url": message["content_audio_url"],
        "audio_duration_seconds": message["audio_duration_seconds"],
        "audio_metadata": _json(message["audio_metadata"]),
        "response_time_seconds": message["response_time_seconds"],
        "tokens_used": message["tokens_used"],
        "cost_usd": decimal(message["cost_usd"], TEN_THOUSANDTH),
        "metadata": _json(message["metadata"]),
        "created_at": iso(message["created_at"]),
    }


async def transcript_page(
    conn: AsyncConnection,
    *,
    authorization: str | None,
    interview_pk: str,
    query: Mapping[str, str],
    url: str,
) -> dict:
    """`GET /api/v1/interviews/{id}/messages/?cursor=&page_size=`: one keyset page."""
    caller = await authenticate(conn, authorization)
    try:
        interview_id = UUID(interview_pk)
    except ValueError as error:
        raise ApiError(404, "Not found.", None) from error
    found = await conn.execute(
        sql.INTERVIEW_LOOKUP[caller.scoped], {**caller.scope(), "interview_id": interview_id}
    )
    interview = found.first()
    if interview is None:
        raise ApiError(404, "No Interview matches the given query.", None)
    size = page_size(query, TRANSCRIPT_PAGE_SIZE)
    cursor = decode_cursor(query.get("cursor"))
    params: dict = {
        "interview_id": interview_id,
        "organization_id": interview[sql.INTERVIEW_ORGANIZATION],
        "limit": size + 1,
    }
    after = None
    if cursor is not None and cursor.position is not None:
        try:
            params["position"] = int(cursor.position)
        except ValueError as error:
            raise ApiError(404, "Invalid cursor", "not_found") from error
        after = not cursor.reverse
    if cursor is not None and cursor.offset:
        params["offset"] = cursor.offset
    statement = sql.MESSAGES[(after, bool(cursor and cursor.reverse), "offset" in params)]
    rows = (await conn.execute(statement, params)).all()
    positions = [str(row[sql.SEQUENCE]) for row in rows]
    page, following, preceding = cursor_links(positions, cursor=cursor, size=size)
    return {
        "next": encode_cursor(url, following) if following else None,
        "previous": encode_cursor(url, preceding) if preceding else None,
        "results": [message_json(rows[index]) for index in page],
    }
