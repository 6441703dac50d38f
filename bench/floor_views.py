"""Floor views: the least work that answers the same requests as the API, for the bench.

Each view runs the SQL its API counterpart runs (the bearer-token lookup, the visibility
filter, the count, the page) through `.values()` and writes the rows with orjson: no DRF, no
serializer, no browsable renderer. The bench checks that the statements match the API's (same
FROM, WHERE, ORDER BY and LIMIT; only the column lists differ) before it compares speeds.
They are mounted under `/bench/floor/` by the bench's own URLconf (bench/urls.py).
"""

import base64
from decimal import Decimal
from urllib.parse import parse_qs, urlencode

import orjson
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.models import ORGANIZATION_ROLES, AccessToken, OrganizationStatus, Role
from interviews.columns import INTERVIEW_TABLE_COLUMNS
from interviews.models import Interview, InterviewMessage

MAX_PAGE_SIZE = 100

MESSAGE_FIELDS = [
    "id",
    "interview_id",
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


def _default(value):
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError


def _json(body, status: int = 200) -> HttpResponse:
    return HttpResponse(
        orjson.dumps(body, default=_default), status=status, content_type="application/json"
    )


def _caller(request: HttpRequest) -> dict | None:
    """The token's user as the API's BearerTokenAuthentication finds it, or None."""
    header = request.headers.get("Authorization", "").split()
    if len(header) != 2 or header[0].lower() != "bearer":
        return None
    caller = (
        AccessToken.objects.for_raw_token(header[1])
        .live(timezone.now())
        .values(
            "user_id",
            "user__role",
            "user__is_active",
            "user__deleted_at",
            "user__account_status",
            "user__organization_id",
            # The API selects the user's organization with it (a LEFT JOIN): `can_log_in`.
            "user__organization__status",
        )
        .first()
    )
    if caller is None or not (
        caller["user__is_active"]
        and caller["user__deleted_at"] is None
        and caller["user__account_status"] == "active"
        and (
            caller["user__organization_id"] is None
            or caller["user__organization__status"] == OrganizationStatus.ACTIVE
        )
    ):
        return None
    return caller


def _visible(queryset, caller: dict):
    """`visible_to(user)` with the caller's role, id and organization only: an admin sees
    every live candidate's rows, owners, recruiters and engines their organization's, a
    candidate its own profiles' rows."""
    role = caller["user__role"]
    if role in ORGANIZATION_ROLES:
        organization_id = caller["user__organization_id"]
        rows = queryset.of_live_candidates(organization_id=organization_id)
        return rows.filter(organization_id=organization_id)
    rows = queryset.of_live_candidates()
    if role == Role.ADMIN:
        return rows
    if role == Role.CANDIDATE:
        path = queryset.model.candidate_path
        return rows.filter(**{f"{path}__user" if path else "user": caller["user_id"]})
    return queryset.none()


def _page_size(request: HttpRequest, default: int) -> int:
    try:
        return max(1, min(int(request.GET.get("page_size", default)), MAX_PAGE_SIZE))
    except ValueError:
        return default


def _unauthorized() -> HttpResponse:
    return _json({"detail": "Authentication credentials were not provided."}, 401)


def interviews_page(request: HttpRequest) -> HttpResponse:
    """`GET /api/v1/interviews/?page=&page_size=` at its floor."""
    caller = _caller(request)
    if caller is None:
        return _unauthorized()
    size = _page_size(request, 20)
    try:
        page = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        page = 1
    # Annotated before the visibility filter, as the API's queryset is, so that the joins
    # (and the count's LEFT JOIN) come out the same.
    interviews = _visible(
        Interview.objects.annotate(overall_score=F("assessment__overall_score")), caller
    ).order_by("-created_at")
    count = interviews.count()
    start = (page - 1) * size
    rows = list(
        interviews.values(
            *INTERVIEW_TABLE_COLUMNS, "overall_score", candidate_name=F("candidate__full_name")
        )[start : start + size]
    )
    link = request.build_absolute_uri(request.path)
    return _json(
        {
            "count": count,
            "next": f"{link}?{urlencode({'page': page + 1, 'page_size': size})}"
            if start + size < count
            else None,
            "previous": f"{link}?{urlencode({'page': page - 1, 'page_size': size})}"
            if page > 1
            else None,
            "results": rows,
        }
    )


def _cursor(request: HttpRequest) -> int | None:
    """The position of a DRF CursorPagination cursor (`p`), forward cursors only."""
    encoded = request.GET.get("cursor")
    if not encoded:
        return None
    try:
        tokens = parse_qs(base64.b64decode(encoded.encode("ascii")).decode("ascii"))
        return int(tokens["p"][0])
    except (ValueError, KeyError, UnicodeError):
        return None


def _cursor_link(request: HttpRequest, size: int, **tokens) -> str:
    cursor = base64.b64encode(urlencode(tokens).encode("ascii")).decode("ascii")
    link = request.build_absolute_uri(request.path)
    return f"{link}?{urlencode({'cursor': cursor, 'page_size': size})}"


def _interview_or_none(caller: dict, interview_pk) -> dict | None:
    try:
        return (
            _visible(Interview.objects.all(), caller)
            .values("id", "organization_id")
            .get(pk=interview_pk)
        )
    except Interview.DoesNotExist:
        return None


def _messages(interview: dict):
    """The interview's messages as the API filters them: the organization leads the
    transcript's unique index (organization, interview, sequence_number)."""
    return InterviewMessage.objects.filter(
        organization_id=interview["organization_id"], interview_id=interview["id"]
    )


def transcript_page(request: HttpRequest, interview_pk) -> HttpResponse:
    """`GET /api/v1/interviews/{id}/messages/?cursor=&page_size=` (keyset) at its floor."""
    caller = _caller(request)
    if caller is None:
        return _unauthorized()
    interview = _interview_or_none(caller, interview_pk)
    if interview is None:
        return _json({"detail": "No Interview matches the given query."}, 404)
    size = _page_size(request, 50)
    position = _cursor(request)
    messages = _messages(interview)
    if position is not None:
        messages = messages.filter(sequence_number__gt=position)
    rows = list(messages.order_by("sequence_number").values(*MESSAGE_FIELDS)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return _json(
        {
            "next": _cursor_link(request, size, p=rows[-1]["sequence_number"]) if more else None,
            "previous": _cursor_link(request, size, r=1, p=rows[0]["sequence_number"])
            if position is not None and rows
            else None,
            "results": rows,
        }
    )


def transcript_offset_page(request: HttpRequest, interview_pk) -> HttpResponse:
    """The transcript paged with LIMIT/OFFSET (`?offset=`): the control for keyset paging."""
    caller = _caller(request)
    if caller is None:
        return _unauthorized()
    interview = _interview_or_none(caller, interview_pk)
    if interview is None:
        return _json({"detail": "No Interview matches the given query."}, 404)
    size = _page_size(request, 50)
    try:
        offset = max(0, int(request.GET.get("offset", 0)))
    except ValueError:
        offset = 0
    rows = list(
        _messages(interview)
        .order_by("sequence_number")
        .values(*MESSAGE_FIELDS)[offset : offset + size + 1]
    )
    return _json({"more": len(rows) > size, "results": rows[:size]})
