"""`python -m bench --profile`: where the API's time goes on the two hot reads, part by part.

Each part is timed alone in this process (best of N, which is robust to a busy machine) next to
what the floor view spends on the same part. The parts do not add up to the whole request
exactly: the rest is DRF's request cycle (content negotiation, permissions, filter backends,
pagination objects) and the middleware, shown as "the rest".
"""

import time

import orjson
from django.db.models import F
from django.test import Client
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from accounts.authentication import BearerTokenAuthentication
from accounts.models import User
from bench.floor_views import MESSAGE_FIELDS, _caller, _default
from interviews.api.filters import InterviewFilter
from interviews.api.serializers import InterviewMessageSerializer, InterviewSerializer
from interviews.columns import INTERVIEW_TABLE_COLUMNS
from interviews.models import Interview, InterviewMessage


def breakdown(*, token: str, transcript_id, runs: int = 40) -> list[tuple[str, float, float]]:
    """Rows of (part, API ms, floor ms) for the interviews list and the transcript page."""
    client = Client(
        HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT="application/json"
    )
    factory = APIRequestFactory()
    wsgi_request = factory.get("/api/v1/interviews/", HTTP_AUTHORIZATION=f"Bearer {token}")
    user = User.objects.get(email="recruiter@example.com")
    parts: list[tuple[str, object, object]] = []

    def part(name, api, floor=None):
        parts.append((name, api, floor))

    def get(path):
        return lambda: client.get(path)

    part(
        "interviews?page_size=50: whole request (test client)",
        get("/api/v1/interviews/?page_size=50"),
        get("/bench/floor/interviews/?page_size=50"),
    )
    part(
        "  bearer token lookup",
        lambda: BearerTokenAuthentication().authenticate(Request(wsgi_request)),
        lambda: _caller(wsgi_request),
    )
    interviews = (
        Interview.objects.select_related("candidate")
        .annotate(overall_score=F("assessment__overall_score"))
        .visible_to(user)
        .order_by("-created_at")
    )
    part("  FilterSet (django-filter) with no filter", lambda: InterviewFilter({}, interviews).qs)
    part("  COUNT(*)", interviews.count, interviews.count)
    values = interviews.values(
        *INTERVIEW_TABLE_COLUMNS, "overall_score", candidate_name=F("candidate__full_name")
    )
    part(
        "  fetch 50 rows (models vs .values())",
        lambda: list(interviews[:50]),
        lambda: list(values[:50]),
    )
    models = list(interviews[:50])
    context = {"request": Request(wsgi_request)}
    part(
        "  serialize 50 rows (InterviewSerializer)",
        lambda: InterviewSerializer(models, many=True, context=context).data,
    )
    data = {"results": InterviewSerializer(models, many=True, context=context).data}
    dicts = {"results": list(values[:50])}
    part(
        "  render JSON (JSONRenderer vs orjson)",
        lambda: JSONRenderer().render(data),
        lambda: orjson.dumps(dicts, default=_default),
    )

    page = f"/api/v1/interviews/{transcript_id}/messages/?page_size=100"
    part(
        "transcript page of 100: whole request (test client)",
        get(page),
        get(f"/bench/floor/interviews/{transcript_id}/messages/?page_size=100"),
    )
    part(
        "  bearer token lookup",
        lambda: BearerTokenAuthentication().authenticate(Request(wsgi_request)),
        lambda: _caller(wsgi_request),
    )
    visible = Interview.objects.visible_to(user)
    part(
        "  interview lookup (model vs .values())",
        lambda: visible.get(pk=transcript_id),
        lambda: visible.values("id").get(pk=transcript_id),
    )
    messages = InterviewMessage.objects.filter(
        organization_id=user.organization_id, interview_id=transcript_id
    ).order_by("sequence_number")
    part(
        "  fetch 101 rows (models vs .values())",
        lambda: list(messages[:101]),
        lambda: list(messages.values(*MESSAGE_FIELDS)[:101]),
    )
    message_models = list(messages[:100])
    part(
        "  serialize 100 rows (InterviewMessageSerializer)",
        lambda: InterviewMessageSerializer(message_models, many=True).data,
    )
    message_data = {"results": InterviewMessageSerializer(message_models, many=True).data}
    message_dicts = {"results": list(messages.values(*MESSAGE_FIELDS)[:100])}
    part(
        "  render JSON (JSONRenderer vs orjson)",
        lambda: JSONRenderer().render(message_data),
        lambda: orjson.dumps(message_dicts, default=_default),
    )
    return _timed(parts, runs)


def _timed(parts, runs: int) -> list[tuple[str, float, float]]:
    """Best time of every part, the parts taken in turn round after round so that each sees
    the same spells of machine load; each group closes with its unexplained rest."""
    best = {name: [float("inf"), float("inf")] for name, _api, _floor in parts}
    for _ in range(runs + 1):  # the first round warms up
        for name, api, floor in parts:
            for side, action in enumerate((api, floor)):
                if action is None:
                    continue
                began = time.perf_counter()
                action()
                best[name][side] = min(best[name][side], time.perf_counter() - began)
    rows: list[tuple[str, float, float]] = []
    for name, _api, floor in parts:
        if not name.startswith(" ") and rows:
            _add_rest(rows)
        api_ms, floor_ms = (value * 1000 for value in best[name])
        rows.append((name, api_ms, floor_ms if floor else 0.0))
    _add_rest(rows)
    return rows


def _add_rest(rows: list[tuple[str, float, float]]) -> None:
    """Close the last group with what its parts leave unexplained of the whole request."""
    start = max(n for n, row in enumerate(rows) if not row[0].startswith(" "))
    _name, api, floor = rows[start]
    parts = rows[start + 1 :]
    rows.append(
        (
            "  the rest: DRF request cycle, pagination, middleware",
            api - sum(row[1] for row in parts),
            floor - sum(row[2] for row in parts),
        )
    )


def render(rows: list[tuple[str, float, float]]) -> str:
    lines = ["| part (best of N, in-process) | API ms | floor ms |", "|---|---:|---:|"]
    for name, api, floor in rows:
        floor_text = f"{floor:.2f}" if floor else "-"
        lines.append(f"| {name} | {api:.2f} | {floor_text} |")
    return "\n".join(lines)
