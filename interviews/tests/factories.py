import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from interviews.models import (
    Candidate,
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
    Resume,
)


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    email = factory.Sequence(lambda n: f"candidate{n}@example.com")
    full_name = factory.Faker("name")
    target_role = "Backend engineer"
    experience_level = Candidate.ExperienceLevel.MID


class ResumeFactory(DjangoModelFactory):
    class Meta:
        model = Resume

    candidate = factory.SubFactory(CandidateFactory)
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
            InterviewSession.objects.get_or_create(interview=interview)


class InterviewSessionFactory(DjangoModelFactory):
    class Meta:
        model = InterviewSession
        django_get_or_create = ["interview"]

    interview = factory.SubFactory(InterviewFactory, in_progress=True)


class InterviewMessageFactory(DjangoModelFactory):
    """A transcript message. Prefer interviews.services.message_append in behaviour tests:
    this factory does not update the interview's counters."""

    class Meta:
        model = InterviewMessage

    interview = factory.SubFactory(InterviewFactory, in_progress=True)
    session = factory.LazyAttribute(lambda message: message.interview.session)
    sequence_number = factory.Sequence(lambda n: n + 1)
    message_type = InterviewMessage.MessageType.AI_QUESTION
    content_text = factory.Faker("sentence")


class InterviewStatusChangeFactory(DjangoModelFactory):
    class Meta:
        model = InterviewStatusChange

    interview = factory.SubFactory(InterviewFactory)
    from_status = ""
    to_status = Interview.Status.SCHEDULED
