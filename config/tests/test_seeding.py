"""The demo seed: two organizations' people, positions, interviews in every status with their
transcripts and assessments, invitations in every state; idempotent and reproducible."""

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

from accounts.models import Organization, User
from accounts.seeding import ACME_SLUG, DEFAULT_SLUG, DEMO_CANDIDATE_EMAIL, seed_accounts
from accounts.tests.factories import OrganizationFactory, UserFactory
from assessments.models import AssessmentResult, AssessmentSkillScore
from config.seeding.demo import clear_seeded_domain_data, seed_demo_domain
from config.seeding.organizations import DEMO_ORGANIZATION_PLANS
from config.seeding.plan import ACME_NAMES, DEMO_NAMES, demo_email
from config.tests.tenant_rows import (
    TENANT_MODELS,
    interviews_off_their_positions_organization,
    invitations_off_their_rows_organization,
    organizations_with_rows,
    rows_off_their_parents_organization,
)
from interviews.models import (
    Candidate,
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
    Invitation,
    Position,
    Resume,
)
from interviews.tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db

MODELS = [
    Position,
    Candidate,
    Resume,
    Interview,
    InterviewSession,
    InterviewMessage,
    InterviewStatusChange,
    AssessmentResult,
    AssessmentSkillScore,
    Invitation,
]
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Each organization's people: its twelve demo people and its three invitees.
PEOPLE = {
    plan.slug: [*names, *plan.invitees]
    for plan, names in zip(DEMO_ORGANIZATION_PLANS, [DEMO_NAMES, ACME_NAMES], strict=True)
}


@dataclass
class SeededData:
    counts: dict[str, int]
    storage: FileSystemStorage  # where the seeded resume files are


def row_counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in MODELS}


def snapshot() -> list[tuple]:
    """Return what must not change between runs with one seed: people, statuses, texts."""
    rows = []
    for candidate in Candidate.all_objects.order_by("organization__slug", "email"):
        interviews = sorted(
            (
                interview.role_type,
                interview.status,
                interview.position.title,
                tuple(interview.messages.values_list("content_text", flat=True)[:1]),
                tuple(interview.invitations.values_list("status", "sent_count")),
            )
            for interview in candidate.interviews.all()
        )
        rows.append(
            (
                candidate.organization.slug,
                candidate.email,
                candidate.experience_level,
                tuple(interviews),
            )
        )
    return rows


def organization(slug: str) -> Organization:
    return Organization.objects.get(slug=slug)


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[SeededData]:
    """Seed once per test class: seeding through the services takes most of a second, and
    read-only checks do not need a fresh data set each."""
    media = tmp_path_factory.mktemp("seeded-media")
    # Each test runs in a savepoint inside this transaction, which is rolled back after the
    # last test of the class: tests outside the class start from an empty database.
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        try:
            seed_accounts(password="demo-password-42")  # as `manage.py seed` does first
            yield SeededData(counts=seed_demo_domain(seed=0), storage=FileSystemStorage(media))
        finally:
            transaction.set_rollback(True)


class TestOneSeededDataSet:
    """Read-only checks of one data set, seeded once for the class."""

    def test_seed_creates_every_status_for_every_role_type_in_each_organization(self, seeded):
        for slug in (DEFAULT_SLUG, ACME_SLUG):
            interviews = Interview.objects.filter(organization=organization(slug))
            pairs = set(interviews.values_list("role_type", "status"))

            assert pairs == {
                (role_type, status)
                for role_type in Interview.RoleType.values
                for status in Interview.Status.values
            }, slug

    def test_seed_creates_each_organizations_people_with_every_experience_level(self, seeded):
        account = User.objects.get(email=DEMO_CANDIDATE_EMAIL)
        for slug, names in PEOPLE.items():
            candidates = Candidate.objects.filter(organization=organization(slug))

            assert sorted(candidate.email for candidate in candidates) == sorted(
                [*(demo_email(name) for name in names), DEMO_CANDIDATE_EMAIL]
            )
            assert {candidate.experience_level for candidate in candidates} == set(
                Candidate.ExperienceLevel.values
            )
            # Only the demo candidate account's profile is linked to a login.
            linked = candidates.filter(user__isnull=False)
            assert [(c.email, c.user) for c in linked] == [(DEMO_CANDIDATE_EMAIL, account)]
            for candidate in candidates:
                candidate.full_clean()  # E.164 phone, name length, choices

    def test_returned_counts_match_the_rows(self, seeded):
        assert seeded.counts == {
            "positions": Position.objects.count(),
            "candidates": Candidate.objects.count(),
            "resumes": Resume.objects.count(),
            "interviews": Interview.objects.count(),
            "messages": InterviewMessage.objects.count(),
            "assessments": AssessmentResult.objects.count(),
            "invitations": Invitation.objects.count(),
        }
        # Per organization: 12 demo people, 3 invitees and the candidate account's profile; 4
        # open positions and a closed one; an invitation in each of the 4 states.
        assert seeded.counts["candidates"] == 2 * 16
        assert seeded.counts["positions"] == 2 * 5
        assert seeded.counts["invitations"] == 2 * 4
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


class TestTwoOrganizations:
    """The tenancy of the demo data set, seeded once for the class."""

    def test_two_organizations_each_with_an_owner_a_recruiter_and_an_engine(self, seeded):
        assert set(Organization.objects.values_list("slug", flat=True)) == {"default", "acme"}
        for slug in ("default", "acme"):
            staff = User.objects.filter(organization=organization(slug))
            assert sorted(staff.values_list("role", flat=True)) == ["engine", "owner", "recruiter"]
            assert all(user.has_usable_password() for user in staff)
        assert set(User.objects.filter(organization__isnull=True).values_list("email", "role")) == {
            ("admin@example.com", "admin"),
            ("candidate@example.com", "candidate"),
        }
        assert organization("acme").name == "Acme Robotics"

    def test_every_tenant_row_carries_its_parents_organization(self, seeded):
        assert set(rows_off_their_parents_organization().values()) == {0}
        assert interviews_off_their_positions_organization() == 0
        assert invitations_off_their_rows_organization() == 0
        both = {organization("default").pk, organization("acme").pk}
        for model in [*TENANT_MODELS, Resume, Position, Invitation]:
            assert organizations_with_rows(model) == both, model.__name__

    def test_each_organization_has_invitations_in_every_state(self, seeded):
        now = timezone.now()
        account = User.objects.get(email=DEMO_CANDIDATE_EMAIL)
        for slug in ("default", "acme"):
            invitations = {
                invitation.current_status: invitation
                for invitation in Invitation.objects.filter(organization=organization(slug))
            }
            assert set(invitations) == {"pending", "accepted", "expired", "revoked"}, slug
            for invitation in invitations.values():
                invitation.full_clean()  # the status and time constraints among them
                interview = invitation.interview
                assert invitation.candidate == interview.candidate
                assert (invitation.email, invitation.full_name) == (
                    interview.candidate.email,
                    interview.candidate.full_name,
                )
                assert invitation.position == interview.position is not None
                assert invitation.created_at == interview.created_at
                assert len(invitation.token_digest) == 64
                assert invitation.created_by.email.startswith("recruiter@")

            pending, expired = invitations["pending"], invitations["expired"]
            assert pending.expires_at > now > expired.expires_at
            assert (pending.sent_count, expired.sent_count) == (2, 1)
            for open_one in (pending, expired):
                assert open_one.interview.status == Interview.Status.SCHEDULED
                assert open_one.interview.candidate.user is None

            accepted = invitations["accepted"]
            assert accepted.accepted_by == account == accepted.candidate.user
            assert accepted.created_at < accepted.accepted_at < accepted.expires_at
            assert accepted.accepted_at < accepted.interview.scheduled_for

            revoked = invitations["revoked"]
            assert revoked.created_at < revoked.revoked_at <= now
            assert revoked.interview.status == Interview.Status.ABANDONED
            assert revoked.interview.started_at is None
            abandoned = revoked.interview.status_changes.get(to_status="abandoned")
            assert abandoned.created_at == revoked.revoked_at
        assert Invitation.objects.values("token_digest").distinct().count() == 8

    def test_the_candidate_account_interviews_with_both_organizations(self, seeded):
        account = User.objects.get(email=DEMO_CANDIDATE_EMAIL)

        profiles = Candidate.objects.filter(user=account)

        assert {profile.organization.slug for profile in profiles} == {"default", "acme"}
        visible = Interview.objects.visible_to(account)
        assert set(visible.values_list("candidate_id", flat=True)) == {p.pk for p in profiles}
        assert set(visible.values_list("organization__slug", flat=True)) == {"default", "acme"}
        # The staff of one organization see none of it in the other.
        acme_recruiter = User.objects.get(email="recruiter@acme.example.com")
        seen = Interview.objects.visible_to(acme_recruiter)
        assert set(seen.values_list("organization__slug", flat=True)) == {"acme"}
        assert seen.filter(candidate__user=account).count() == 1

    def test_positions_have_rubrics_and_hold_the_interviews_of_their_role_type(self, seeded):
        for plan in DEMO_ORGANIZATION_PLANS:
            positions = Position.objects.filter(organization=organization(plan.slug))
            open_ones = positions.filter(status=Position.Status.OPEN)

            assert {p.role_type: p.title for p in open_ones} == plan.positions
            assert list(positions.filter(status="closed").values_list("title", flat=True)) == [
                plan.closed_position[0]
            ]
            for position in positions:
                position.full_clean()  # validate_rubric among the validators
                assert sum(item["weight"] for item in position.skills) == 100
                assert position.created_at < timezone.now() - timedelta(days=50)
            interviews = Interview.objects.filter(organization=organization(plan.slug))
            assert not interviews.filter(position__isnull=True).exists()
            for interview in interviews.select_related("position"):
                assert interview.position.role_type == interview.role_type
                assert interview.position.status == Position.Status.OPEN
                assert interview.position.created_at < interview.created_at


def test_each_organizations_recruiter_is_recorded_as_the_author_of_its_rows():
    default = Organization.objects.default()
    acme = OrganizationFactory(slug="acme", name="Acme Robotics")
    recruiters = {
        default: UserFactory(email="recruiter@example.com", role=User.Role.RECRUITER),
        acme: UserFactory(
            email="recruiter@acme.example.com", role=User.Role.RECRUITER, organization=acme
        ),
    }

    seed_demo_domain(seed=0)

    for org, recruiter in recruiters.items():
        changes = InterviewStatusChange.objects.filter(organization=org)
        assert set(changes.values_list("changed_by", flat=True)) == {recruiter.pk}
        positions = Position.objects.filter(organization=org)
        assert set(positions.values_list("created_by", flat=True)) == {recruiter.pk}
        invitations = Invitation.objects.filter(organization=org)
        assert set(invitations.values_list("created_by", flat=True)) == {recruiter.pk}


def test_a_recruiter_of_another_organization_is_not_recorded_as_an_author():
    stranger = OrganizationFactory(slug="elsewhere")
    UserFactory(email="recruiter@example.com", role=User.Role.RECRUITER, organization=stranger)

    seed_demo_domain(seed=0)

    assert set(InterviewStatusChange.objects.values_list("changed_by", flat=True)) == {None}


def test_same_seed_reproduces_the_data_and_another_seed_differs():
    UserFactory(email=DEMO_CANDIDATE_EMAIL, role=User.Role.CANDIDATE)
    seed_demo_domain(seed=1)
    first = snapshot()
    positions = sorted(Position.objects.values_list("organization__slug", "title", "skills"))
    Candidate.all_objects.all().delete()
    Position.objects.all().delete()
    assert not Interview.objects.exists()
    assert not Invitation.objects.exists()

    seed_demo_domain(seed=1)
    assert snapshot() == first
    assert sorted(Position.objects.values_list("organization__slug", "title", "skills")) == (
        positions
    )

    Candidate.all_objects.all().delete()
    seed_demo_domain(seed=2)
    assert snapshot() != first


def test_without_the_candidate_account_no_profile_and_no_accepted_invitation_is_made():
    counts = seed_demo_domain(seed=0)

    assert counts["candidates"] == 2 * 15
    assert not Candidate.objects.filter(email=DEMO_CANDIDATE_EMAIL).exists()
    assert not Candidate.all_objects.filter(user__isnull=False).exists()
    assert {invitation.current_status for invitation in Invitation.objects.all()} == {
        "pending",
        "expired",
        "revoked",
    }


def test_demo_candidate_account_gets_a_seeded_profile_in_each_organization():
    account = UserFactory(email="candidate@example.com", role="candidate")

    counts = seed_demo_domain(seed=0)

    profiles = Candidate.objects.filter(user=account)
    assert {profile.organization.slug for profile in profiles} == {DEFAULT_SLUG, ACME_SLUG}
    assert {(profile.email, profile.full_name) for profile in profiles} == {
        ("candidate@example.com", account.full_name)
    }
    assert counts["candidates"] == 2 * 16
    visible = Interview.objects.visible_to(account)
    assert set(visible.values_list("candidate_id", flat=True)) == {p.pk for p in profiles}
    assert set(visible.values_list("organization__slug", flat=True)) == {DEFAULT_SLUG, ACME_SLUG}
    assert visible.filter(status=Interview.Status.COMPLETED, assessment__isnull=False).exists()
    assert seed_demo_domain(seed=0)["candidates"] == 0


def test_demo_candidate_account_links_an_existing_unlinked_profile():
    account = UserFactory(email="candidate@example.com", role="candidate")
    existing = CandidateFactory(email="candidate@example.com", full_name="Cody Candidate")

    counts = seed_demo_domain(seed=0)

    existing.refresh_from_db()
    assert existing.user == account
    assert existing.organization.slug == DEFAULT_SLUG
    # Linked in `default`; a new profile in Acme.
    assert counts["candidates"] == 2 * 15 + 1
    assert Candidate.objects.filter(email="candidate@example.com").count() == 2
    assert not existing.interviews.exists()


def test_clear_removes_the_seeded_domain_data_of_both_organizations_and_keeps_accounts():
    UserFactory(email=DEMO_CANDIDATE_EMAIL, role=User.Role.CANDIDATE)
    kept = CandidateFactory(email="someone@elsewhere.test")
    kept_position = Position.objects.create(
        organization=kept.organization, title="Backend Engineer (Python)", role_type="python"
    )
    seed_demo_domain(seed=0)
    users = set(User.objects.values_list("pk", flat=True))

    deleted = clear_seeded_domain_data()

    assert list(Candidate.all_objects.all()) == [kept]
    assert list(Position.objects.all()) == [kept_position]  # a demo title, but not the demo's
    assert not Interview.objects.exists()
    assert not Invitation.objects.exists()
    assert deleted["Candidate"] == 2 * 16
    # The seed used the team's own "Backend Engineer (Python)" rather than make its own.
    assert deleted["Position"] == 2 * 5 - 1
    assert set(User.objects.values_list("pk", flat=True)) == users
    assert set(Organization.objects.values_list("slug", flat=True)) == {"default", "acme"}
    assert seed_demo_domain(seed=0)["invitations"] == 2 * 4
