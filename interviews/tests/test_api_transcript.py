"""The transcript (messages) and the live session of an interview."""

import json
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews import services
from interviews.models import Interview, InterviewMessage, InterviewSession
from interviews.tests.factories import CandidateFactory, InterviewFactory

pytestmark = [pytest.mark.django_db, pytest.mark.pgbouncer]

QUESTION = {"message_type": "ai_question", "content_text": "What is a closure?"}
ANSWER = {"message_type": "candidate_response", "content_text": "A function with its scope."}


def messages_url(interview: Interview) -> str:
    return reverse("interview-message-list", kwargs={"interview_pk": interview.pk})


def session_url(interview: Interview) -> str:
    return reverse("interview-session", kwargs={"interview_pk": interview.pk})


def sequence_numbers(response) -> list[int]:
    return [row["sequence_number"] for row in response.json()["results"]]


def fill_transcript(interview: Interview, count: int) -> None:
    """Write `count` messages directly (fast), numbered 1..count, with matching counters."""
    session = interview.session
    InterviewMessage.objects.bulk_create(
        InterviewMessage(
            organization_id=interview.organization_id,
            interview=interview,
            session=session,
            sequence_number=number,
            message_type="ai_question" if number % 2 else "candidate_response",
            content_text=f"message {number}",
        )
        for number in range(1, count + 1)
    )
    Interview.objects.filter(pk=interview.pk).update(message_count=count)


@pytest.fixture
def running() -> Interview:
    return InterviewFactory(in_progress=True)


# --- who may call (the tables: config/tests/test_roles.py) ------------------------------------


def test_transcript_of_unknown_interview_is_404(recruiter_api):
    missing = Interview(pk="0190a4d8-0000-7000-8000-000000000000")
    assert recruiter_api.get(messages_url(missing)).status_code == 404
    assert recruiter_api.post(messages_url(missing), QUESTION).status_code == 404


# --- appending --------------------------------------------------------------------------------


@pytest.mark.parametrize("role_api", ["admin_api", "recruiter_api", "engine_api"])
def test_append_numbers_messages_and_updates_counters(request, role_api, running):
    client = request.getfixturevalue(role_api)
    InterviewSession.objects.filter(interview=running).update(
        last_activity_at=timezone.now() - timedelta(hours=1)
    )
    before = InterviewSession.objects.get(interview=running).last_activity_at
    payloads = [
        {**QUESTION, "tokens_used": 120, "cost_usd": "0.0150"},
        {**ANSWER, "tokens_used": 30, "cost_usd": "0.0020", "response_time_seconds": 12.5},
        {"message_type": "ai_question", "content_audio_url": "https://cdn.example.com/q2.mp3"},
    ]
    numbers = []
    for payload in payloads:
        response = client.post(messages_url(running), payload)
        assert response.status_code == 201, response.json()
        assert response.json()["interview"] == str(running.pk)
        numbers.append(response.json()["sequence_number"])

    assert numbers == [1, 2, 3]
    running.refresh_from_db()
    assert running.message_count == 3
    assert running.total_tokens_used == 150
    assert running.cost_usd == Decimal("0.0170")
    session = InterviewSession.objects.get(interview=running)
    assert session.questions_asked_count == 2  # the candidate's answer is not a question
    assert session.last_activity_at > before
    detail = client.get(reverse("interview-detail", args=[running.pk])).json()
    assert detail["message_count"] == 3
    assert detail["total_tokens_used"] == 150
    assert detail["cost_usd"] == "0.0170"


def test_sequence_number_in_the_request_is_ignored(engine_api, running):
    response = engine_api.post(messages_url(running), {**QUESTION, "sequence_number": 42})
    assert response.status_code == 201
    assert response.json()["sequence_number"] == 1


@pytest.mark.parametrize("trait", ["scheduled", "completed", "abandoned"])
def test_append_message_when_not_in_progress_is_conflict(engine_api, trait):
    interview = InterviewFactory(**({} if trait == "scheduled" else {trait: True}))
    response = engine_api.post(messages_url(interview), QUESTION)
    assert response.status_code == 409
    assert response.json()["code"] == "not_in_progress"
    assert trait in response.json()["detail"]
    assert InterviewMessage.objects.count() == 0
    interview.refresh_from_db()
    assert interview.message_count == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"message_type": "ai_question"}, "content_text"),
        ({"message_type": "ai_question", "content_text": ""}, "content_text"),
        ({**QUESTION, "tokens_used": -1}, "tokens_used"),
        ({**QUESTION, "cost_usd": "-0.01"}, "cost_usd"),
        ({**QUESTION, "response_time_seconds": -3}, "response_time_seconds"),
        ({**QUESTION, "audio_duration_seconds": -1}, "audio_duration_seconds"),
        ({**QUESTION, "message_type": "system"}, "message_type"),
        ({"content_text": "no type"}, "message_type"),
        ({**QUESTION, "metadata": ["not", "an", "object"]}, "metadata"),
        ({**QUESTION, "audio_metadata": "loud"}, "audio_metadata"),
        ({"message_type": "ai_question", "content_audio_url": "not a url"}, "content_audio_url"),
        # Booleans are not numbers and numbers are not strings (issue 12, item 14).
        ({"message_type": "ai_question", "content_text": 42}, "content_text"),
        ({"message_type": "ai_question", "content_text": True}, "content_text"),
        ({**QUESTION, "tokens_used": True}, "tokens_used"),
        ({**QUESTION, "cost_usd": True}, "cost_usd"),
        ({**QUESTION, "response_time_seconds": True}, "response_time_seconds"),
        ({**QUESTION, "audio_duration_seconds": False}, "audio_duration_seconds"),
        ({**QUESTION, "message_type": 1}, "message_type"),
    ],
)
def test_bad_message_is_400_and_stores_nothing(engine_api, running, payload, field):
    response = engine_api.post(messages_url(running), payload)
    assert response.status_code == 400
    assert field in response.json()
    assert InterviewMessage.objects.count() == 0
    running.refresh_from_db()
    assert running.message_count == 0


def test_null_character_in_text_is_400(engine_api, running):
    response = engine_api.post(messages_url(running), {**QUESTION, "content_text": "a\x00b"})
    assert response.status_code == 400
    assert InterviewMessage.objects.count() == 0


def test_null_character_in_json_metadata_is_400(engine_api, running):
    engine_api.raise_request_exception = False
    response = engine_api.post(messages_url(running), {**QUESTION, "metadata": {"note": "a\x00b"}})
    assert response.status_code == 400
    assert InterviewMessage.objects.count() == 0


def test_deeply_nested_json_body_is_400(engine_api, running):
    engine_api.raise_request_exception = False
    response = engine_api.generic(
        "POST", messages_url(running), "[" * 100_000, content_type="application/json"
    )
    assert response.status_code == 400
    assert InterviewMessage.objects.count() == 0


def test_oversized_message_text_is_400(engine_api, running):
    response = engine_api.post(
        messages_url(running), {"message_type": "ai_question", "content_text": "x" * 50_001}
    )
    assert response.status_code == 400
    assert InterviewMessage.objects.count() == 0


# --- reading with the cursor ------------------------------------------------------------------


def test_transcript_is_cursor_paginated_by_sequence_number(recruiter_api, running):
    fill_transcript(running, 25)
    response = recruiter_api.get(messages_url(running), {"page_size": 10})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    assert sequence_numbers(response) == list(range(1, 11))
    assert body["previous"] is None

    seen = sequence_numbers(response)
    next_url = body["next"]
    while next_url:
        page = recruiter_api.get(next_url)
        assert page.status_code == 200
        seen.extend(sequence_numbers(page))
        next_url = page.json()["next"]
    assert seen == list(range(1, 26))


def test_cursor_pages_stay_correct_when_messages_arrive_between_pages(engine_api, running):
    for _ in range(5):
        services.message_append(interview=running, **QUESTION)
    first = engine_api.get(messages_url(running), {"page_size": 3}).json()
    for _ in range(3):
        services.message_append(interview=running, **ANSWER)
    seen = [row["sequence_number"] for row in first["results"]]
    next_url = first["next"]
    while next_url:
        page = engine_api.get(next_url).json()
        seen.extend(row["sequence_number"] for row in page["results"])
        next_url = page["next"]
    assert seen == list(range(1, 9))


def test_page_size_is_capped_at_100(recruiter_api, running):
    fill_transcript(running, 120)
    response = recruiter_api.get(messages_url(running), {"page_size": 1000})
    assert sequence_numbers(response) == list(range(1, 101))
    next_query = parse_qs(urlparse(response.json()["next"]).query)
    rest = recruiter_api.get(messages_url(running), next_query)
    assert sequence_numbers(rest) == list(range(101, 121))


def test_default_page_is_50(recruiter_api, running):
    fill_transcript(running, 60)
    assert len(recruiter_api.get(messages_url(running)).json()["results"]) == 50


def test_transcript_lists_only_this_interviews_messages(recruiter_api, running):
    other = InterviewFactory(in_progress=True)
    fill_transcript(running, 3)
    fill_transcript(other, 4)
    assert sequence_numbers(recruiter_api.get(messages_url(running))) == [1, 2, 3]
    assert sequence_numbers(recruiter_api.get(messages_url(other))) == [1, 2, 3, 4]


# --- the session ------------------------------------------------------------------------------


@pytest.mark.parametrize("role_api", ["recruiter_api", "engine_api"])
def test_session_get_and_patch(request, role_api, running):
    client = request.getfixturevalue(role_api)
    response = client.get(session_url(running))
    assert response.status_code == 200
    assert response.json()["interview"] == str(running.pk)
    assert response.json()["current_difficulty_level"] == "warmup"

    state = {
        "current_difficulty_level": "advanced",
        "conversation_memory": {"turns": [{"q": "closures?", "a": "scope"}], "summary": "good"},
        "skill_boundaries_identified": {"python": {"ceiling": "metaclasses"}},
        "progression_state": {"stage": 3, "topics_left": ["async"]},
    }
    response = client.patch(session_url(running), state)
    assert response.status_code == 200
    for field, value in state.items():
        assert response.json()[field] == value
    session = InterviewSession.objects.get(interview=running)
    assert session.current_difficulty_level == "advanced"
    assert session.conversation_memory == state["conversation_memory"]
    assert session.progression_state == {"stage": 3, "topics_left": ["async"]}


def test_session_counters_are_read_only(engine_api, running):
    response = engine_api.patch(session_url(running), {"questions_asked_count": 99})
    assert response.status_code == 200
    assert InterviewSession.objects.get(interview=running).questions_asked_count == 0


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"conversation_memory": [{"q": "closures?"}]}, "conversation_memory"),
        ({"progression_state": "stage 3"}, "progression_state"),
        ({"skill_boundaries_identified": [1, 2]}, "skill_boundaries_identified"),
        ({"current_difficulty_level": "impossible"}, "current_difficulty_level"),
    ],
)
def test_bad_session_patch_is_400(engine_api, running, payload, field):
    response = engine_api.patch(session_url(running), payload)
    assert response.status_code == 400
    assert field in response.json()
    session = InterviewSession.objects.get(interview=running)
    assert session.conversation_memory == {}
    assert session.current_difficulty_level == "warmup"


def test_oversized_conversation_memory_is_400_with_a_message(engine_api, running):
    memory = {"transcript": "x" * (1024 * 1024)}
    assert len(json.dumps(memory).encode()) > 1024 * 1024
    response = engine_api.patch(session_url(running), {"conversation_memory": memory})
    assert response.status_code == 400
    (message,) = response.json()["conversation_memory"]
    assert "too large" in message
    assert InterviewSession.objects.get(interview=running).conversation_memory == {}


def test_conversation_memory_just_under_the_limit_is_accepted(engine_api, running):
    memory = {"transcript": "x" * (1024 * 1024 - 100)}
    response = engine_api.patch(session_url(running), {"conversation_memory": memory})
    assert response.status_code == 200
    stored = InterviewSession.objects.get(interview=running).conversation_memory
    assert len(stored["transcript"]) == 1024 * 1024 - 100


@pytest.mark.parametrize("trait", ["completed", "abandoned"])
def test_patch_session_of_a_finished_interview_is_conflict(recruiter_api, trait):
    # A start time gives the abandoned interview a session too (the factory opens one).
    interview = InterviewFactory(**{trait: True}, started_at=timezone.now() - timedelta(minutes=5))
    response = recruiter_api.patch(session_url(interview), {"current_difficulty_level": "advanced"})
    assert response.status_code == 409
    assert response.json()["code"] == "not_in_progress"
    session = InterviewSession.objects.get(interview=interview)
    assert session.current_difficulty_level == "warmup"
    # Reading the session of a finished interview is still allowed.
    assert recruiter_api.get(session_url(interview)).status_code == 200


def test_session_of_a_scheduled_interview_is_404(engine_api):
    interview = InterviewFactory()
    assert engine_api.get(session_url(interview)).status_code == 404
    assert engine_api.patch(session_url(interview), {"progression_state": {}}).status_code == 404


def test_session_of_a_soft_deleted_candidates_interview_is_404(engine_api):
    interview = InterviewFactory(
        in_progress=True, candidate=CandidateFactory(deleted_at=timezone.now())
    )
    assert engine_api.get(session_url(interview)).status_code == 404
