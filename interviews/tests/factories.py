import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from accounts.models import Organization
from interviews.models import (
    Candidate,
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
    Position,
    Resume,
)


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    organization = factory.LazyFunction(Organization.objects.default)
    email = factory.Sequence(lambda n: f"candidate{n}@example.com")
    full_name = factory.Faker("name")
    target_role = "Backend engineer"
    experience_level = Candidate.ExperienceLevel.MID


class ResumeFactory(DjangoModelFactory):
    class Meta:
        model = Resume

    candidate = factory.SubFactory(CandidateFactory)
    organization = factory.SelfAttribute("candidate.organization")
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 resume", name="resume.pdf"))
    file_name = "resume.pdf"
    file_size = 15
    content_type = "application/pdf"


class InterviewFactory(DjangoModelFactory):
    """A scheduled interview; use the traits for other statuses (consistent timestamps)."""

    class Meta:
        model = Interview
        skip_postgeneration_save = True

    candidate = factory.SubFactory(CandidateFactory)
    organization = factory.SelfAttribute("candidate.organization")
    role_type = Interview.RoleType.PYTHON
    status = Interview.Status.SCHEDULED
    ai_model_used = "gpt-test"

    class Params:
        in_progress = factory.Trait(
            status=Interview.Status.IN_PROGRESS, started_at=factory.LazyFunction(timezone.now)
        )
        completed = factory.Trait(
            status=Interview.Status.COMPLETED,
            started_at=factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1)),
            completed_at=factory.LazyFunction(timezone.now),
            duration_seconds=3600,
        )
        abandoned = factory.Trait(status=Interview.Status.ABANDONED, abandon_reason="no show")

    @factory.post_generation
    def with_session(interview, create, extracted, **kwargs):
        # Started interviews always have their session, as interview_start creates it.
        if create and interview.started_at is not None:
            InterviewSession.objects.get_or_create(
                interview=interview, defaults={"organization_id": interview.organization_id}
            )


class InterviewSessionFactory(DjangoModelFactory):
    class Meta:
        model = InterviewSession
        django_get_or_create = ["interview"]

    interview = factory.SubFactory(InterviewFactory, in_progress=True)
    organization = factory.SelfAttribute("interview.organization")


class InterviewMessageFactory(DjangoModelFactory):
    """A transcript message. Prefer interviews.services.message_append in behaviour tests:
    this factory does not update the interview's counters."""

    class Meta:
        model = InterviewMessage

    interview = factory.SubFactory(InterviewFactory, in_progress=True)
    organization = factory.SelfAttribute("interview.organization")
    session = factory.LazyAttribute(lambda message: message.interview.session)
    sequence_number = factory.Sequence(lambda n: n + 1)
    message_type = InterviewMessage.MessageType.AI_QUESTION
    content_text = factory.Faker("sentence")


class InterviewStatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = InterviewStatusChange

    interview = factory.SubFactory(InterviewFactory)
    organization = factory.SelfAttribute("interview.organization")
    from_status = ""
    to_status = Interview.Status.SCHEDULED


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    organization = factory.LazyFunction(Organization.objects.default)
    title = factory.Sequence(lambda n: f"Backend engineer {n}")
    role_type = Interview.RoleType.PYTHON
    skills = factory.LazyFunction(
        lambda: [{"skill": "python", "weight": 60}, {"skill": "sql", "weight": 40}]
    )
