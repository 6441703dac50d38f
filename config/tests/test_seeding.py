from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import transaction
from django.db.models import Count, DecimalField, Max, Min, Sum, Value
from django.db.models.functions import Coalesce
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from assessments.models import AssessmentResult
from config.seeding.demo import seed_demo_domain
from config.seeding.plan import DEMO_NAMES, demo_email
from interviews.models import (
    Candidate,
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
    Resume,
)

pytestmark = pytest.mark.django_db

MODELS = [Candidate, Resume, Interview, InterviewSession, InterviewMessage, AssessmentResult]


@dataclass
class SeededData:
    counts: dict[str, int]
    storage: FileSystemStorage  # where the seeded resume files are


def row_counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS} | {
        "InterviewStatusChange": InterviewStatusChange.objects.count()
    }


def snapshot() -> list[tuple]:
    """Return what must not change between runs with one seed: people, statuses, texts."""
    rows = []
    for candidate in Candidate.all_objects.order_by("email"):
        interviews = sorted(
            (
                interview.role_type,
                interview.status,
                tuple(interview.messages.values_list("content_text", flat=True)[:1]),
            )
            for interview in candidate.interviews.all()
        )
        rows.append((candidate.email, candidate.experience_level, tuple(interviews)))
    return rows


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[SeededData]:
    """Seed once per test class: seeding through the services takes most of a second, and
    read-only checks do not need a fresh data set each."""
    media = tmp_path_factory.mktemp("seeded-media")
    # Each test runs in a savepoint inside this transaction, which is rolled back after the
    # last test of the class: tests outside the class start from an empty database.
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        try:
            yield SeededData(counts=seed_demo_domain(seed=0), storage=FileSystemStorage(media))
        finally:
            transaction.set_rollback(True)


class TestOneSeededDataSet:
    """Read-only checks of one data set, seeded once for the class."""

    def test_seed_creates_every_status_for_every_role_type(self, seeded):
        pairs = set(Interview.objects.values_list("role_type", "status"))

        assert pairs == {
            (role_type, status)
            for role_type in Interview.RoleType.values
            for status in Interview.Status.values
        }

    def test_seed_creates_the_demo_candidates_with_every_experience_level(self, seeded):
        candidates = Candidate.objects.all()

        assert sorted(candidate.email for candidate in candidates) == sorted(
            demo_email(name) for name in DEMO_NAMES
        )
        assert {candidate.experience_level for candidate in candidates} == set(
            Candidate.ExperienceLevel.values
        )
        assert not Candidate.all_objects.filter(user__isnull=False).exists()  # no account to link
        for candidate in candidates:
            candidate.full_clean()  # E.164 phone, name length, choices

    def test_returned_counts_match_the_rows(self, seeded):
        assert seeded.counts == {
            "candidates": Candidate.objects.count(),
            "resumes": Resume.objects.count(),
            "interviews": Interview.objects.count(),
            "messages": InterviewMessage.objects.count(),
            "assessments": AssessmentResult.objects.count(),
        }
        assert seeded.counts["candidates"] == 12
        assert 0 < seeded.counts["resumes"] < seeded.counts["candidates"]

    def test_resumes_are_stored_files_with_parsed_data_when_completed(self, seeded):
        resumes = list(Resume.objects.all())

        assert {resume.content_type for resume in resumes} == {"application/pdf", "text/plain"}
        for resume in resumes:
            with seeded.storage.open(resume.file.name, "rb") as stored:
                content = stored.read()
            assert len(content) == resume.file_size
            if resume.content_type == "application/pdf":
                assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
            if resume.parsing_status == Resume.ParsingStatus.COMPLETED:
                assert resume.parsed_at >= resume.uploaded_at
                assert resume.parsed_data["skills"]
                assert isinstance(resume.parsed_data["years_experience"], int)
        assert Resume.ParsingStatus.COMPLETED in {resume.parsing_status for resume in resumes}

    def test_every_completed_interview_has_an_assessment_and_no_other_has(self, seeded):
        completed = set(
            Interview.objects.filter(status=Interview.Status.COMPLETED).values_list("pk", flat=True)
        )

        assert completed
        assert set(AssessmentResult.objects.values_list("interview_id", flat=True)) == completed
        for assessment in AssessmentResult.objects.all():
            assert Decimal(0) <= assessment.overall_score <= Decimal(100)
            assert assessment.overall_score == assessment.overall_score.quantize(Decimal("0.01"))
            assert all(0 <= score <= 100 for score in assessment.skill_scores.values())
            assert assessment.strengths and assessment.weaknesses and assessment.recommended_actions
            assert all(
                isinstance(text, str) for text in assessment.strengths + assessment.weaknesses
            )
            assert Decimal(0) <= assessment.integrity_score <= Decimal(100)
            assert assessment.generated_at >= assessment.interview.completed_at
        flags = [assessment.integrity_flags for assessment in AssessmentResult.objects.all()]
        assert ["tab_switch"] in flags

    def test_sessions_exist_exactly_for_started_interviews(self, seeded):
        started = set(
            Interview.objects.filter(started_at__isnull=False).values_list("pk", flat=True)
        )

        assert set(InterviewSession.objects.values_list("interview_id", flat=True)) == started
        assert not Interview.objects.filter(
            status__in=[Interview.Status.IN_PROGRESS, Interview.Status.COMPLETED],
            started_at__isnull=True,
        ).exists()

    def test_sequence_numbers_are_gapless_and_types_alternate(self, seeded):
        for interview in Interview.objects.filter(started_at__isnull=False):
            messages = list(interview.messages.order_by("sequence_number"))

            assert [message.sequence_number for message in messages] == list(
                range(1, len(messages) + 1)
            )
            assert 6 <= len(messages) <= 20
            assert [message.message_type for message in messages] == [
                "ai_question" if index % 2 == 0 else "candidate_response"
                for index in range(len(messages))
            ]
            assert all(message.session_id == interview.session.pk for message in messages)
        assert not InterviewMessage.objects.filter(interview__started_at__isnull=True).exists()

    def test_interview_counters_agree_with_their_messages(self, seeded):
        zero_cost = Value(Decimal("0"), output_field=DecimalField(max_digits=10, decimal_places=4))
        interviews = Interview.objects.annotate(
            messages_counted=Count("messages"),
            tokens_summed=Coalesce(Sum("messages__tokens_used"), 0),
            cost_summed=Coalesce(Sum("messages__cost_usd"), zero_cost),
        )

        for interview in interviews:
            assert interview.message_count == interview.messages_counted
            assert interview.total_tokens_used == interview.tokens_summed
            assert interview.cost_usd.quantize(Decimal("0.0001")) == Decimal(
                interview.cost_summed
            ).quantize(Decimal("0.0001"))
        assert Interview.objects.aggregate(Sum("message_count"))["message_count__sum"] == (
            InterviewMessage.objects.count()
        )

    def test_timestamps_are_spread_over_the_last_weeks_and_match_the_status(self, seeded):
        now = timezone.now()
        for interview in Interview.objects.all():
            assert now - timedelta(days=60) <= interview.created_at <= now
            assert interview.candidate.created_at <= interview.created_at
            if interview.status == Interview.Status.SCHEDULED:
                assert interview.scheduled_for > now
            if interview.status == Interview.Status.COMPLETED:
                assert interview.started_at <= interview.completed_at
                assert interview.duration_seconds == int(
                    (interview.completed_at - interview.started_at).total_seconds()
                )
            if interview.started_at is not None:
                span = interview.messages.aggregate(first=Min("created_at"), last=Max("created_at"))
                assert interview.started_at <= span["first"] <= span["last"] <= now
                if interview.completed_at is not None:
                    assert span["last"] <= interview.completed_at
                assert interview.session.last_activity_at == span["last"]
        oldest = Interview.objects.aggregate(Min("created_at"))["created_at__min"]
        assert oldest < now - timedelta(days=14)

    def test_status_changes_record_every_transition_in_order(self, seeded):
        expected_trails = {
            Interview.Status.SCHEDULED: [("", "scheduled")],
            Interview.Status.IN_PROGRESS: [("", "scheduled"), ("scheduled", "in_progress")],
            Interview.Status.COMPLETED: [
                ("", "scheduled"),
                ("scheduled", "in_progress"),
                ("in_progress", "completed"),
            ],
        }
        for interview in Interview.objects.all():
            trail = list(interview.status_changes.order_by("created_at"))
            steps = [(change.from_status, change.to_status) for change in trail]
            if interview.status == Interview.Status.ABANDONED:
                assert steps[-1][1] == "abandoned"
                assert steps[-1][0] == ("in_progress" if interview.started_at else "scheduled")
            else:
                assert steps == expected_trails[interview.status]

    def test_second_run_creates_nothing(self, seeded):
        before = row_counts()

        again = seed_demo_domain(seed=0)

        assert again == dict.fromkeys(seeded.counts, 0)
        assert row_counts() == before


def test_demo_recruiter_is_recorded_as_the_author_of_transitions():
    recruiter = UserFactory(email="recruiter@example.com", role=User.Role.RECRUITER)

    seed_demo_domain(seed=0)

    authors = set(InterviewStatusChange.objects.values_list("changed_by", flat=True))
    assert authors == {recruiter.pk}


def test_same_seed_reproduces_the_data_and_another_seed_differs():
    seed_demo_domain(seed=1)
    first = snapshot()
    Candidate.all_objects.all().delete()
    assert not Interview.objects.exists()

    seed_demo_domain(seed=1)
    assert snapshot() == first

    Candidate.all_objects.all().delete()
    seed_demo_domain(seed=2)
    assert snapshot() != first


def test_demo_candidate_account_gets_its_own_seeded_profile():
    account = UserFactory(email="candidate@example.com", role="candidate")

    counts = seed_demo_domain(seed=0)

    profile = Candidate.objects.get(user=account)
    assert profile.email == "candidate@example.com"
    assert profile.full_name == account.full_name
    assert counts["candidates"] == 13
    visible = Interview.objects.visible_to(account)
    assert visible.exists()
    assert set(visible.values_list("candidate_id", flat=True)) == {profile.pk}
    assert visible.filter(status=Interview.Status.COMPLETED, assessment__isnull=False).exists()
    assert seed_demo_domain(seed=0)["candidates"] == 0


def test_demo_candidate_account_links_an_existing_unlinked_profile():
    account = UserFactory(email="candidate@example.com", role="candidate")
    existing = Candidate.objects.create(email="candidate@example.com", full_name="Cody Candidate")

    counts = seed_demo_domain(seed=0)

    existing.refresh_from_db()
    assert existing.user == account
    assert counts["candidates"] == 12
    assert Candidate.objects.filter(email="candidate@example.com").count() == 1
