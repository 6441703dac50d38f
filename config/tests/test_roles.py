"""Who may call what, from two tables: endpoint x role -> status (a refused call changes no row
and answers the API's error shape), and list endpoint -> what each role sees."""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization
from accounts.tests.factories import UserFactory
from assessments.models import AssessmentResult
from assessments.tests.factories import AssessmentFactory
from interviews import services
from interviews.models import Candidate, Interview, Resume
from interviews.tests.factories import (
    CandidateFactory,
    InterviewFactory,
    PositionFactory,
    ResumeFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.pgbouncer]

ANON, CANDIDATE, ENGINE, RECRUITER, ADMIN = "anon", "candidate", "engine", "recruiter", "admin"
OWNER = "owner"
NON_ADMINS = (CANDIDATE, ENGINE, RECRUITER)
CLIENTS = {
    ANON: "anon_client",
    OWNER: "owner_api",
    CANDIDATE: "candidate_api",
    ENGINE: "engine_api",
    RECRUITER: "recruiter_api",
    ADMIN: "admin_api",
}
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
QUESTION = {"message_type": "ai_question", "content_text": "What is a closure?"}
ANSWER = {"message_type": "candidate_response", "content_text": "A function with its scope."}
NEW_USER = {
    "email": "Hired@Example.com",
    "password": "a-sturdy-passphrase-7",
    "full_name": "Hired Person",
    "role": "recruiter",
}
NEW_CANDIDATE = {
    "email": "  Ada.Lovelace@Example.COM ",
    "full_name": "Ada Lovelace",
    "phone": "+1 (415) 555-0100",
    "target_role": "Backend engineer",
    "experience_level": "senior",
}
NEW_ASSESSMENT = {
    "overall_score": "78.25",
    "skill_scores": {"python": 85, "sql": 62.5},
    "skill_boundary_map": {"python": {"comfortable": ["generators"], "edge": ["metaclasses"]}},
    "strengths": ["clear explanations", "testing habits"],
    "weaknesses": ["database indexing"],
    "integrity_score": "97.00",
    "integrity_flags": [],
    "ai_reasoning": {"summary": "Strong Python, average SQL."},
    "recommended_actions": ["second round with the data team"],
}


@pytest.fixture
def world(own_candidate) -> SimpleNamespace:
    """Rows of the candidate user (`own`), of another candidate and of a soft-deleted one."""
    other = CandidateFactory()
    gone = CandidateFactory(deleted_at=timezone.now())
    running = InterviewFactory(candidate=own_candidate, in_progress=True)
    theirs_running = InterviewFactory(candidate=other, in_progress=True)
    services.message_append(interview=running, **QUESTION)
    services.message_append(interview=theirs_running, **QUESTION)
    InterviewFactory(candidate=gone)
    ResumeFactory(candidate=gone)
    AssessmentFactory(interview__candidate=gone)
    return SimpleNamespace(
        own=own_candidate,
        other=other,
        gone=gone,
        scheduled=InterviewFactory(candidate=own_candidate),
        running=running,
        completed=InterviewFactory(candidate=own_candidate, completed=True),
        theirs_interview=InterviewFactory(candidate=other),
        theirs_running=theirs_running,
        resume=ResumeFactory(candidate=own_candidate),
        theirs_resume=ResumeFactory(candidate=other),
        assessment=AssessmentFactory(interview__candidate=own_candidate),
        theirs_assessment=AssessmentFactory(interview__candidate=other),
        user=UserFactory(),
        position=PositionFactory(),
        invitation=services.invitation_create(
            by=UserFactory(role="recruiter"),
            organization=Organization.objects.default(),
            email="invited@example.com",
            full_name="Invited Person",
            role_type="python",
        )[0],
        organization=Organization.objects.default(),
    )


def rows() -> dict[str, list[dict]]:
    """Every row of the apps' tables, to show that a refused call changed nothing."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for label in ("accounts", "interviews", "assessments")
        for model in apps.get_app_config(label).get_models()
    }


@dataclass(frozen=True)
class Call:
    method: str
    url: Callable[[SimpleNamespace], str]
    payload: Callable[[SimpleNamespace], dict] | None = None
    statuses: dict[str, int] = field(default_factory=dict)
    multipart: bool = False

    def send(self, client, world: SimpleNamespace):
        payload = self.payload(world) if self.payload else None
        options = {"format": "multipart"} if self.multipart else {}
        return getattr(client, self.method)(self.url(world), payload, **options)


def to(name: str, key: str | None = None, **kwargs) -> Callable[[SimpleNamespace], str]:
    """The URL `name` reversed with the pk of the world's row `key` (or kwargs of rows)."""

    def url(world: SimpleNamespace) -> str:
        if key is not None:
            return reverse(name, args=[getattr(world, key).pk])
        return reverse(name, kwargs={arg: getattr(world, row).pk for arg, row in kwargs.items()})

    return url


def fixed(payload: dict) -> Callable[[SimpleNamespace], dict]:
    return lambda world: payload


def every(roles: tuple[str, ...], status: int) -> dict[str, int]:
    return dict.fromkeys(roles, status)


# endpoint and method -> role -> status
ACCESS = {
    # users
    "user-list GET": Call(
        "get", to("user-list"), statuses={ANON: 401, **every(NON_ADMINS, 403), OWNER: 200}
    ),
    "user-list POST": Call("post", to("user-list"), fixed(NEW_USER), every(NON_ADMINS, 403)),
    "user-detail GET": Call("get", to("user-detail", "user"), statuses=every(NON_ADMINS, 403)),
    "user-detail PATCH": Call(
        "patch",
        to("user-detail", "user"),
        fixed({"full_name": "Nope Nope"}),
        every(NON_ADMINS, 403),
    ),
    "user-detail DELETE": Call(
        "delete", to("user-detail", "user"), statuses=every(NON_ADMINS, 403)
    ),
    "user-unlock POST": Call("post", to("user-unlock", "user"), statuses=every(NON_ADMINS, 403)),
    # candidates
    "candidate-list GET": Call("get", to("candidate-list"), statuses={ANON: 401}),
    "candidate-list POST": Call(
        "post",
        to("candidate-list"),
        fixed(NEW_CANDIDATE),
        {ANON: 401, CANDIDATE: 403, ENGINE: 403},
    ),
    "candidate-detail GET": Call(
        "get", to("candidate-detail", "other"), statuses={ANON: 401, CANDIDATE: 404, ENGINE: 200}
    ),
    "candidate-detail PATCH": Call(
        "patch",
        to("candidate-detail", "other"),
        fixed({"full_name": "Renamed"}),
        {CANDIDATE: 404, ENGINE: 403},
    ),
    "candidate-detail DELETE": Call(
        "delete", to("candidate-detail", "other"), statuses={ENGINE: 403}
    ),
    "own candidate-detail DELETE": Call(
        "delete", to("candidate-detail", "own"), statuses={CANDIDATE: 403}
    ),
    "candidate-restore POST": Call(
        "post", to("candidate-restore", "gone"), statuses={CANDIDATE: 403, ENGINE: 403}
    ),
    # interviews
    "interview-list GET": Call("get", to("interview-list"), statuses={ANON: 401}),
    "interview-list POST": Call(
        "post",
        to("interview-list"),
        lambda world: {"candidate": str(world.own.pk), "role_type": "python"},
        {ANON: 401, CANDIDATE: 403},
    ),
    "interview-detail GET": Call("get", to("interview-detail", "scheduled"), statuses={ANON: 401}),
    "interview-detail PATCH": Call(
        "patch",
        to("interview-detail", "scheduled"),
        fixed({"role_type": "react"}),
        {CANDIDATE: 403},
    ),
    "interview-detail DELETE": Call(
        "delete", to("interview-detail", "scheduled"), statuses={CANDIDATE: 403}
    ),
    "interview-start POST": Call(
        "post", to("interview-start", "scheduled"), statuses={ANON: 401, CANDIDATE: 403}
    ),
    "interview-complete POST": Call(
        "post", to("interview-complete", "running"), statuses={CANDIDATE: 403}
    ),
    "interview-abandon POST": Call(
        "post", to("interview-abandon", "running"), fixed({"reason": "bored"}), {CANDIDATE: 403}
    ),
    "interview-history GET": Call(
        "get", to("interview-history", "scheduled"), statuses={ANON: 401, CANDIDATE: 403}
    ),
    # the transcript and the session
    "interview-message-list GET": Call(
        "get", to("interview-message-list", interview_pk="running"), statuses={ANON: 401}
    ),
    "interview-message-list POST question": Call(
        "post", to("interview-message-list", interview_pk="running"), fixed(QUESTION), {ANON: 401}
    ),
    "interview-message-list POST answer": Call(
        "post",
        to("interview-message-list", interview_pk="running"),
        fixed(ANSWER),
        {CANDIDATE: 403},
    ),
    "interview-session GET": Call(
        "get", to("interview-session", interview_pk="running"), statuses={ANON: 401, CANDIDATE: 403}
    ),
    "interview-session PATCH": Call(
        "patch",
        to("interview-session", interview_pk="running"),
        fixed({"current_difficulty_level": "advanced"}),
        {CANDIDATE: 403},
    ),
    # resumes
    "resume-list GET": Call("get", to("resume-list"), statuses={ANON: 401}),
    "resume-list POST": Call(
        "post",
        to("resume-list"),
        lambda world: {
            "candidate": str(world.own.pk),
            "file": SimpleUploadedFile("cv.pdf", PDF_BYTES, "application/pdf"),
        },
        {ANON: 401},
        multipart=True,
    ),
    "resume-download GET": Call("get", to("resume-download", "resume"), statuses={ANON: 401}),
    "resume-detail PATCH": Call(
        "patch",
        to("resume-detail", "resume"),
        fixed({"parsing_status": "completed"}),
        {CANDIDATE: 403},
    ),
    "resume-detail DELETE": Call(
        "delete",
        to("resume-detail", "resume"),
        statuses={CANDIDATE: 403, ENGINE: 403, RECRUITER: 204},
    ),
    # assessments
    "assessment-list GET": Call("get", to("assessment-list"), statuses={ANON: 401}),
    "assessment-list POST": Call(
        "post",
        to("assessment-list"),
        lambda world: {**NEW_ASSESSMENT, "interview": str(world.completed.pk)},
        {ANON: 401, CANDIDATE: 403},
    ),
    "assessment-detail GET": Call(
        "get", to("assessment-detail", "assessment"), statuses={ANON: 401}
    ),
    "assessment-detail PATCH": Call(
        "patch",
        to("assessment-detail", "assessment"),
        fixed({"overall_score": "100"}),
        {CANDIDATE: 403},
    ),
    "assessment-detail DELETE": Call(
        "delete", to("assessment-detail", "assessment"), statuses={CANDIDATE: 403}
    ),
    # organizations: admins manage them, an owner reads (and renames) its own
    "organization-list GET": Call(
        "get",
        to("organization-list"),
        statuses={ANON: 401, **every(NON_ADMINS, 403), OWNER: 200, ADMIN: 200},
    ),
    "organization-list POST": Call(
        "post",
        to("organization-list"),
        fixed({"name": "New Team", "slug": "new-team"}),
        {**every(NON_ADMINS, 403), OWNER: 403, ADMIN: 201},
    ),
    "organization-detail DELETE": Call(
        "delete",
        to("organization-detail", "organization"),
        statuses={**every(NON_ADMINS, 403), OWNER: 403},
    ),
    # positions: staff write, the engine reads
    "position-list GET": Call(
        "get", to("position-list"), statuses={ANON: 401, CANDIDATE: 403, ENGINE: 200, OWNER: 200}
    ),
    "position-list POST": Call(
        "post",
        to("position-list"),
        fixed({"title": "Data engineer", "role_type": "python"}),
        {ANON: 401, CANDIDATE: 403, ENGINE: 403, OWNER: 201, RECRUITER: 201},
    ),
    "position-detail PATCH": Call(
        "patch",
        to("position-detail", "position"),
        fixed({"status": "closed"}),
        {CANDIDATE: 403, ENGINE: 403},
    ),
    "position-pipeline GET": Call(
        "get", to("position-pipeline", "position"), statuses={CANDIDATE: 403, ENGINE: 200}
    ),
    # invitations: owners and recruiters invite
    "invitation-list GET": Call(
        "get",
        to("invitation-list"),
        statuses={ANON: 401, CANDIDATE: 403, ENGINE: 403, OWNER: 200, RECRUITER: 200},
    ),
    "invitation-list POST": Call(
        "post",
        to("invitation-list"),
        fixed({"email": "someone@example.com", "full_name": "Some One", "role_type": "react"}),
        {ANON: 401, CANDIDATE: 403, ENGINE: 403, OWNER: 201},
    ),
    "invitation-revoke POST": Call(
        "post", to("invitation-revoke", "invitation"), statuses={CANDIDATE: 403, ENGINE: 403}
    ),
    # health
    "health-detailed GET": Call(
        "get", to("health-detailed"), statuses={ANON: 401, CANDIDATE: 403, ENGINE: 403}
    ),
}

CELLS = [
    pytest.param(name, role, status, id=f"{name}-{role}")
    for name, call in ACCESS.items()
    for role, status in call.statuses.items()
]


@pytest.mark.parametrize(("name", "role", "status"), CELLS)
def test_role_gets_the_status_of_the_table(request, world, name, role, status):
    client = request.getfixturevalue(CLIENTS[role])
    before = rows()
    response = ACCESS[name].send(client, world)
    assert response.status_code == status, response.content[:500]
    if status < 400:
        return
    assert rows() == before  # a refused call changes nothing
    assert response["Content-Type"].startswith("application/json")
    if status == 401:
        assert response.json()["code"] == "not_authenticated"
    elif status == 403:
        assert response.json()["code"] == "permission_denied"


# --- what each role sees ----------------------------------------------------------------------


def listed(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    body = response.json()
    ids = [row["id"] for row in body["results"]]
    assert body["count"] == len(ids)
    return ids


# list endpoint -> (the live rows of a candidate's, the detail URL name)
LISTS = {
    "candidate-list": (lambda owner: Candidate.objects.filter(pk=owner.pk), "candidate-detail"),
    "interview-list": (lambda owner: Interview.objects.filter(candidate=owner), "interview-detail"),
    "resume-list": (lambda owner: Resume.objects.filter(candidate=owner), "resume-detail"),
    "assessment-list": (
        lambda owner: AssessmentResult.objects.filter(interview__candidate=owner),
        "assessment-detail",
    ),
}


@pytest.mark.parametrize("name", LISTS)
def test_candidate_sees_only_its_own_rows(candidate_api, world, name):
    of, detail = LISTS[name]
    mine = sorted(str(pk) for pk in of(world.own).values_list("pk", flat=True))
    theirs = list(of(world.other).values_list("pk", flat=True))
    assert mine and theirs
    assert sorted(listed(candidate_api, reverse(name))) == mine
    for pk in mine:
        assert candidate_api.get(reverse(detail, args=[pk])).status_code == 200
    for pk in theirs:
        assert candidate_api.get(reverse(detail, args=[pk])).status_code == 404


@pytest.mark.parametrize("role", [ADMIN, RECRUITER, ENGINE])
@pytest.mark.parametrize("name", LISTS)
def test_staff_and_engine_see_every_live_row(request, world, role, name):
    client = request.getfixturevalue(CLIENTS[role])
    of, _detail = LISTS[name]
    live = sorted(
        str(pk)
        for candidate in Candidate.objects.all()
        for pk in of(candidate).values_list("pk", flat=True)
    )
    assert live
    assert sorted(listed(client, reverse(name) + "?page_size=100")) == live


def test_candidate_reads_its_own_transcript_only(candidate_api, world):
    url = reverse("interview-message-list", kwargs={"interview_pk": world.running.pk})
    response = candidate_api.get(url)
    assert response.status_code == 200
    assert [row["sequence_number"] for row in response.json()["results"]] == [1]
    assert response.json()["results"][0]["interview"] == str(world.running.pk)
    theirs = reverse("interview-message-list", kwargs={"interview_pk": world.theirs_running.pk})
    assert candidate_api.get(theirs).status_code == 404
