"""Concurrent writers on PostgreSQL: real threads, real row locks, committed transactions."""

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection

from accounts.models import Organization
from assessments.models import AssessmentResult
from assessments.services import assessment_create
from core.errors import ConflictError
from interviews import services
from interviews.models import Candidate, Interview, InterviewMessage, InterviewSession
from interviews.tests.factories import InterviewFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.pgbouncer]

# An appender stops at the first refusal; this cap only keeps a broken build from spinning.
MAX_APPENDS_PER_THREAD = 2_000


def run_in_threads(count: int, work) -> list:
    """Run `work(index)` in `count` threads released together; return results or exceptions."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def runner(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = work(index)
        except Exception as error:  # reported to the test, which asserts on it
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a worker thread hung"
    return results


def test_concurrent_appends_get_gapless_sequence_numbers():
    interview = InterviewFactory(in_progress=True)

    def append_ten(index: int) -> list[int]:
        return [
            services.message_append(
                interview=interview,
                message_type="ai_question" if turn % 2 else "candidate_response",
                content_text=f"thread {index} turn {turn}",
                tokens_used=1,
                cost_usd=Decimal("0.0001"),
            ).sequence_number
            for turn in range(10)
        ]

    results = run_in_threads(8, append_ten)

    errors = [result for result in results if isinstance(result, Exception)]
    assert errors == []
    returned = sorted(number for numbers in results for number in numbers)
    assert returned == list(range(1, 81))
    stored = list(
        InterviewMessage.objects.filter(interview=interview)
        .order_by("sequence_number")
        .values_list("sequence_number", flat=True)
    )
    assert stored == list(range(1, 81))
    interview.refresh_from_db()
    assert interview.message_count == 80
    assert interview.total_tokens_used == 80
    assert interview.cost_usd == Decimal("0.0080")
    assert InterviewSession.objects.get(interview=interview).questions_asked_count == 40


def test_appends_racing_a_completion_stay_consistent():
    interview = InterviewFactory(in_progress=True)
    some_appended = threading.Event()
    appenders = 8

    def work(index: int):
        if index == appenders:  # the last thread completes the interview mid-stream
            some_appended.wait(timeout=30)
            return services.interview_complete(interview=interview, by=None)
        appended = 0
        while appended < MAX_APPENDS_PER_THREAD:
            try:
                services.message_append(
                    interview=interview, message_type="ai_question", content_text="next?"
                )
            except services.InterviewNotInProgress as refusal:
                return appended, refusal
            appended += 1
            if appended == 3:
                some_appended.set()
        return appended, None

    results = run_in_threads(appenders + 1, work)

    completed = results[appenders]
    assert isinstance(completed, Interview), completed
    outcomes = results[:appenders]
    assert all(isinstance(outcome, tuple) for outcome in outcomes), outcomes
    # Every appender kept going until the completion refused it.
    assert all(isinstance(refusal, services.InterviewNotInProgress) for _, refusal in outcomes)
    total = sum(appended for appended, _ in outcomes)
    assert total >= 3

    interview.refresh_from_db()
    assert interview.status == Interview.Status.COMPLETED
    assert interview.message_count == total
    messages = InterviewMessage.objects.filter(interview=interview)
    numbers = sorted(messages.values_list("sequence_number", flat=True))
    assert numbers == list(range(1, total + 1))
    assert not messages.filter(created_at__gt=interview.completed_at).exists()


def test_concurrent_starts_let_exactly_one_through():
    interview = InterviewFactory()

    results = run_in_threads(
        5, lambda index: services.interview_start(interview=interview, by=None)
    )

    kinds = Counter(type(result).__name__ for result in results)
    assert kinds == {"Interview": 1, "TransitionNotAllowed": 4}
    assert InterviewSession.objects.filter(interview=interview).count() == 1
    assert interview.status_changes.count() == 1


def test_concurrent_assessments_of_one_interview_let_exactly_one_through():
    interview = InterviewFactory(completed=True)

    def assess(index: int):
        return assessment_create(interview=interview, overall_score=Decimal(50 + index))

    results = run_in_threads(5, assess)

    winners = [result for result in results if isinstance(result, AssessmentResult)]
    losers = [result for result in results if not isinstance(result, AssessmentResult)]
    assert len(winners) == 1
    assert len(losers) == 4
    assert all(isinstance(loser, ConflictError) for loser in losers), losers
    stored = AssessmentResult.objects.get(interview=interview)
    assert stored.pk == winners[0].pk


def test_concurrent_candidates_with_one_email_create_one_row():
    organization = Organization.objects.default()

    def create(index: int):
        return services.candidate_create(
            organization=organization,
            email="Race@Example.com" if index % 2 else "race@example.com",
            full_name=f"Racer {index}",
        )

    results = run_in_threads(6, create)

    created = [result for result in results if isinstance(result, Candidate)]
    refused = [result for result in results if not isinstance(result, Candidate)]
    assert len(created) == 1
    # A loser either saw the winner (ConflictError) or hit the partial unique index; the API
    # answers 409 to both.
    assert all(isinstance(error, ConflictError | IntegrityError) for error in refused), refused
    assert Candidate.objects.filter(email="race@example.com").count() == 1
