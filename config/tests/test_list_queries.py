"""Query counts of every list endpoint, from one table: the same at page sizes 10 and 100, and at
most three (token, count, page) on the default page, a page of 100, and with the filters or the
ordering that reach into other tables."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from assessments import services as assessment_services
from assessments.models import AssessmentResult
from assessments.tests.factories import AssessmentFactory
from interviews.models import Interview, InterviewMessage, Resume
from interviews.tests.factories import CandidateFactory, InterviewFactory

pytestmark = pytest.mark.django_db

MAX_QUERIES = 3  # token, count, page


def users() -> str:
    UserFactory.create_batch(105)
    UserFactory(email="gone@example.com", deleted_at=timezone.now())
    return reverse("user-list")


def candidates() -> str:
    CandidateFactory.create_batch(105)
    return reverse("candidate-list")


def interviews() -> str:
    candidates = CandidateFactory.create_batch(5)
    Interview.objects.bulk_create(
        Interview(
            organization_id=candidates[n % 5].organization_id,
            candidate=candidates[n % 5],
            role_type="python",
        )
        for n in range(100)
    )
    for candidate in candidates:
        AssessmentFactory(interview__candidate=candidate)
    return reverse("interview-list")


def resumes() -> str:
    candidates = CandidateFactory.create_batch(5)
    Resume.objects.bulk_create(
        Resume(
            organization_id=candidates[n % 5].organization_id,
            candidate=candidates[n % 5],
            file=f"resumes/{n}.pdf",
            file_name=f"{n}.pdf",
            file_size=10,
            content_type="application/pdf",
        )
        for n in range(105)
    )
    return reverse("resume-list")


def transcript() -> str:
    """110 messages written directly (fast), numbered 1..110, with matching counters."""
    interview = InterviewFactory(in_progress=True)
    InterviewMessage.objects.bulk_create(
        InterviewMessage(
            organization_id=interview.organization_id,
            interview=interview,
            session=interview.session,
            sequence_number=number,
            message_type="ai_question" if number % 2 else "candidate_response",
            content_text=f"message {number}",
        )
        for number in range(1, 111)
    )
    Interview.objects.filter(pk=interview.pk).update(message_count=110)
    return reverse("interview-message-list", kwargs={"interview_pk": interview.pk})


def assessments() -> str:
    candidate = CandidateFactory()
    now = timezone.now()
    rows = Interview.objects.bulk_create(
        Interview(
            organization_id=candidate.organization_id,
            candidate=candidate,
            role_type="python",
            status="completed",
            started_at=now,
            completed_at=now,
        )
        for _ in range(105)
    )
    AssessmentResult.objects.bulk_create(
        AssessmentResult(
            organization_id=interview.organization_id,
            interview=interview,
            overall_score=Decimal(n % 100),
            skill_scores={"python": n % 100},
        )
        for n, interview in enumerate(rows)
    )
    for assessment in AssessmentResult.objects.all():  # bulk_create skips the services
        assessment_services.assessment_skill_rows_write(assessment=assessment)
    return reverse("assessment-list")


# list endpoint -> (caller, rows and URL, the parameters that join other tables)
LISTS: dict[str, tuple[str, Callable[[], str], dict[str, str]]] = {
    "users": ("admin_api", users, {}),
    "candidates": ("recruiter_api", candidates, {}),
    "interviews": ("recruiter_api", interviews, {"ordering": "-overall_score"}),
    "resumes": ("recruiter_api", resumes, {}),
    "transcript": ("recruiter_api", transcript, {}),
    "assessments": ("recruiter_api", assessments, {"skill": "python", "min_skill_score": "1"}),
}


@pytest.mark.parametrize("name", LISTS)
def test_list_query_count_does_not_grow_with_page_size(
    request, name, django_assert_max_num_queries
):
    role_api, rows, joining = LISTS[name]
    client = request.getfixturevalue(role_api)
    url = rows()
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(url, {"page_size": 10}).json()["results"]) == 10
    with CaptureQueriesContext(connection) as large:
        assert len(client.get(url, {"page_size": 100}).json()["results"]) == 100
    assert len(large) == len(small)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url, {"page_size": 100, **joining})
    assert len(response.json()["results"]) == 100
