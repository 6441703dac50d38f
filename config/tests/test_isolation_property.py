"""Organizations never see each other. For two random organizations (each with an owner, a
recruiter, an engine, a candidate login of its own, candidates, resumes, interviews in every
status with transcripts, sessions, status changes and assessments, positions and invitations in
every state) and one candidate login with a profile in both, no list, detail or action of any
API route returns or changes a row of the other organization; a candidate reaches only its own
profiles' rows, in every organization; an admin sees both.

The routes are read from the URLconf (config/tests/api_routes.py), not listed here: a new
endpoint is covered as soon as it is routed, and one this test has no case for fails
`test_every_route_has_a_case` until it gets one (or a place, with its reason, in an allow-list).
The cases, for a caller and the rows it may not see (`Rows.forbidden`):
- list (GET, no path argument): no id of a forbidden row anywhere in the JSON; the caller's own
  rows are there; a filter naming a forbidden row answers as one naming no row at all;
- by id (any method on a route with a path argument): a forbidden row's id answers exactly as
  an id that names no row (404, or 403 where the role may not call the route at all) and
  writes nothing; a change of an own row that names a forbidden row is a 400 on that field;
- create (POST, no path argument): a payload naming a forbidden row (candidate, resume,
  position, interview, organization...) is a 400 on that field and writes nothing, while the
  same payload with the caller's own rows is a 201.

Each example builds its rows inside a transaction rolled back at its end, as in
test_soft_delete_property.py; `HYPOTHESIS_MAX_EXAMPLES` (default 8) sets the number of examples.
"""

import itertools
import os
import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.relations import ManyRelatedField, RelatedField
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory
from uuid6 import uuid7

from accounts import services as account_services
from accounts.models import Organization, Role, User
from accounts.tests.factories import OrganizationFactory, UserFactory
from assessments import services as assessment_services
from assessments.models import AssessmentResult, AssessmentSkillScore
from config.tests.api_routes import Route, routes
from interviews import services
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
from interviews.tests.factories import PositionFactory, ResumeFactory

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "8"))
PROPERTY_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    # Rows live in a transaction rolled back after each example, not in the fixture.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    database=None,
    print_blob=True,
    # No shrinking: an example sends hundreds of requests, so shrinking one takes minutes, and
    # the failure already names the route, the caller and the row; the blob replays it.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
)

UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
Status = Interview.Status
MEMBER_ROLES = (Role.OWNER, Role.RECRUITER, Role.ENGINE)
INVITATION_STATES = ("pending", "accepted", "revoked", "expired")
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# The rows of the example: every one has an id that may show in a response.
ROW_MODELS = (
    Organization,
    User,
    Candidate,
    Resume,
    Interview,
    InterviewSession,
    InterviewMessage,
    InterviewStatusChange,
    AssessmentResult,
    Position,
    Invitation,
)
MODEL_BY_NAME = {model._meta.model_name: model for model in ROW_MODELS}
# What a refused request must leave as it was (skill scores have no id of their own).
SNAPSHOT_MODELS = (*ROW_MODELS, AssessmentSkillScore)

# --- which route gets which case -------------------------------------------------------------

# Routes anybody may call without an account: they read or write no organization's rows by id.
PUBLIC_ROUTES = {
    "auth-login": "exchanges a password for a token of that account",
    "auth-register": "creates a new candidate account (tests of signup)",
    # The invitation preview and accept: by secret token, never by id.
    "auth-invitation": "answers for a secret token only (tests of invitations)",
    "auth-invitation-accept": "answers for a secret token only (tests of invitations)",
    "schema": "describes the API, holds no rows",
    "swagger-ui": "describes the API, holds no rows",
    "health": "liveness, holds no rows",
    "health-database": "database liveness, holds no rows",
}
# Calls on the caller's own account (its GET, auth-me, is checked as a list).
OWN_ACCOUNT_CALLS = {
    ("auth-me", "patch"): "edits the caller's own name, time zone and language",
    ("auth-me", "put"): "edits the caller's own name, time zone and language",
    ("auth-logout", "post"): "ends the caller's own token (and would end this test's)",
    ("auth-password", "post"): "changes the caller's own password, revokes its tokens",
}
SKIPPED_NAMESPACES = {"admin": "the admin site's scoping has its own tests (issue 9, item 7)"}

_serial = itertools.count()


def _email(prefix: str) -> str:
    return f"{prefix}-{next(_serial)}@example.com"


@dataclass(frozen=True)
class Payload:
    """A valid create for a route, made from the caller's own rows (None: the world has none)."""

    build: object  # (world, caller, rng) -> dict | None
    multipart: bool = False


def _own(world, caller, model, rng, keep=lambda row: True):
    rows = [row for row in sorted(world.rows.expected(caller, model)) if keep(row)]
    return rng.choice(rows) if rows else None


def _assessable(world, caller, rng):
    done = set(AssessmentResult.objects.values_list("interview_id", flat=True))
    completed = {
        str(pk)
        for pk in Interview.objects.filter(status=Status.COMPLETED)
        .exclude(pk__in=done)
        .values_list("pk", flat=True)
    }
    interview = _own(world, caller, Interview, rng, keep=completed.__contains__)
    return interview and {"interview": interview, "overall_score": "61.50"}


# Creates, keyed by route name: a new route that takes a POST needs its entry here.
CREATE_PAYLOADS = {
    "candidate-list": Payload(lambda w, c, r: {"email": _email("new"), "full_name": "New One"}),
    "resume-list": Payload(
        lambda w, c, r: (
            (candidate := _own(w, c, Candidate, r))
            and {"candidate": candidate, "file": SimpleUploadedFile("cv.pdf", PDF_BYTES)}
        ),
        multipart=True,
    ),
    "interview-list": Payload(
        lambda w, c, r: (
            (candidate := _own(w, c, Candidate, r))
            and {"candidate": candidate, "role_type": "python"}
        )
    ),
    "assessment-list": Payload(_assessable),
    "user-list": Payload(
        lambda w, c, r: {
            "email": _email("member"),
            "password": "a-sturdy-passphrase-7",
            "full_name": "New Member",
            "role": "recruiter",
        }
    ),
    "organization-list": Payload(lambda w, c, r: {"name": "Third Team", "slug": "third-team"}),
    "position-list": Payload(
        lambda w, c, r: {
            "title": "Data engineer",
            "role_type": "python",
            "skills": [{"skill": "python", "weight": 100}],
        }
    ),
    "invitation-list": Payload(
        lambda w, c, r: {
            "email": _email("invitee"),
            "full_name": "Invited One",
            "role_type": "python",
        }
    ),
}
# Bodies of calls by id, keyed by route name (default: empty); the same body goes to a
# forbidden row and to an id of no row, so it only has to be one that would change something.
BY_ID_PAYLOADS = {
    "candidate-detail": {"full_name": "Renamed One"},
    "user-detail": {"full_name": "Renamed One"},
    "resume-detail": {"parsing_status": "failed"},
    "interview-detail": {"ai_model_used": "changed"},
    "interview-abandon": {"reason": "no show"},
    "interview-message-list": {"message_type": "ai_question", "content_text": "Why?"},
    "interview-session": {"current_difficulty_level": "advanced"},
    "assessment-detail": {"overall_score": "12.00"},
    "position-detail": {"title": "Renamed position"},
}


class NoCase(AssertionError):
    """A route (or one of its methods) this test does not know how to check."""


def bare_view(route: Route, method: str, user):
    """The route's view as it would run `method` for `user`, without a request sent."""
    view = route.view()
    view.action = route.actions.get(method)
    view.args, view.kwargs, view.format_kwarg = (), {}, None
    request = Request(APIRequestFactory().generic(method.upper(), "/"))
    request.user = user
    view.request = request
    return view


def view_model(route: Route):
    """The model a route's `pk` names: its view's queryset's, else its serializer's (as an
    anonymous caller would get it, where the view picks one by role)."""
    queryset = getattr(route.view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(route.view, "serializer_class", None)
    if serializer is None and hasattr(route.view, "get_serializer_class"):
        serializer = bare_view(route, "get", AnonymousUser()).get_serializer_class()
    return getattr(getattr(serializer, "Meta", None), "model", None)


def argument_model(route: Route, argument: str):
    """The model a path argument names: `pk` the view's, `<model>_pk` that model."""
    if argument == "pk":
        model = view_model(route)
    elif argument.endswith("_pk"):
        model = MODEL_BY_NAME.get(argument.removesuffix("_pk"))
    else:
        model = None
    if model not in ROW_MODELS:
        raise NoCase(f"{route}: no row model for the path argument {argument!r}")
    return model


def case_of(route: Route, method: str) -> str | None:
    """Return the case that checks `method` on `route` (None: allow-listed); NoCase otherwise."""
    if route.namespace in SKIPPED_NAMESPACES or route.name in PUBLIC_ROUTES:
        return None
    if (route.name, method) in OWN_ACCOUNT_CALLS:
        return None
    if route.name is None:
        raise NoCase(f"{route}: an unnamed route cannot be reversed; name it")
    if route.arguments:
        if len(route.arguments) > 1:
            raise NoCase(f"{route}: several path arguments; extend the by-id case")
        argument_model(route, route.arguments[0])
        return "by-id"
    if method == "get":
        return "list"
    if method == "post":
        return "create"
    raise NoCase(f"{route}: {method.upper()} without a path argument has no case")


def checked_routes() -> list[tuple[Route, str, str]]:
    """Every (route, method, case) to check; raises NoCase for the first route with none."""
    found = []
    for route in routes():
        for method in route.actions:
            case = case_of(route, method)
            if case is not None:
                found.append((route, method, case))
    return found


def serializer_references(route: Route, method: str, caller: User) -> dict[str, tuple]:
    """The writable fields of the route's serializer (for this caller) that name a row:
    field -> (model, many)."""
    if route.view is None:
        return {}
    view = bare_view(route, method, caller)
    if not hasattr(view, "get_serializer"):
        return {}
    found = {}
    for name, serializer_field in view.get_serializer().fields.items():
        many = isinstance(serializer_field, ManyRelatedField)
        relation = serializer_field.child_relation if many else serializer_field
        if serializer_field.read_only or not isinstance(relation, RelatedField):
            continue
        model = getattr(relation.queryset, "model", None)
        if model in ROW_MODELS:
            found[name] = (model, many)
    return found


def filter_references(route: Route) -> dict[str, type]:
    """The query filters of a list that name a row by id (`?candidate=`, `?organization=`)."""
    filterset = getattr(route.view, "filterset_class", None)
    names = list(filterset.base_filters) if filterset else []
    names += list(getattr(route.view, "filterset_fields", None) or [])
    return {name: MODEL_BY_NAME[name] for name in names if name in MODEL_BY_NAME}


# --- the random world ------------------------------------------------------------------------


@dataclass(frozen=True)
class InterviewPlan:
    status: str
    started: bool
    messages: int
    assessed: bool
    with_resume: bool
    with_position: bool
    invitation: str | None
    actor: int  # which member of the organization (or the admin) made its transitions


@dataclass(frozen=True)
class CandidatePlan:
    deleted: bool
    login: bool  # a portal login of its own (the organization's and the shared one have theirs)
    resumes: int
    interviews: tuple[InterviewPlan, ...]


@dataclass(frozen=True)
class OrganizationPlan:
    positions: tuple[str, ...]  # their statuses
    member: CandidatePlan  # the profile of this organization's own candidate login
    shared: CandidatePlan  # the profile of the login that interviews with both
    others: tuple[CandidatePlan, ...]


@st.composite
def interview_plans(draw) -> InterviewPlan:
    status = draw(st.sampled_from(Status.values))
    started = status in (Status.IN_PROGRESS, Status.COMPLETED) or (
        status == Status.ABANDONED and draw(st.booleans())
    )
    return InterviewPlan(
        status=status,
        started=started,
        messages=draw(st.integers(0, 2)) if started else 0,
        assessed=status == Status.COMPLETED and draw(st.booleans()),
        with_resume=draw(st.booleans()),
        with_position=draw(st.booleans()),
        invitation=draw(st.none() | st.sampled_from(INVITATION_STATES)),
        actor=draw(st.integers(0, 3)),
    )


def candidate_plans(*, portal: bool):
    return st.builds(
        CandidatePlan,
        deleted=st.just(False) if portal else st.booleans(),
        login=st.just(True) if portal else st.booleans(),
        resumes=st.integers(0, 2),
        interviews=st.lists(interview_plans(), max_size=2).map(tuple),
    )


organization_plans = st.builds(
    OrganizationPlan,
    positions=st.lists(st.sampled_from(Position.Status.values), max_size=2).map(tuple),
    member=candidate_plans(portal=True),
    shared=candidate_plans(portal=True),
    others=st.lists(candidate_plans(portal=False), max_size=2).map(tuple),
)
patterns = st.tuples(organization_plans, organization_plans)


@dataclass
class Rows:
    """Every row of the example: which organizations it belongs to (None: all, the admins) and,
    for a candidate's rows, which profile is its owner; `live` are those not soft-deleted."""

    model: dict[str, type] = field(default_factory=dict)
    organizations: dict[str, frozenset | None] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)
    live: set[str] = field(default_factory=set)
    candidate_users: set[str] = field(default_factory=set)
    profiles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # by login
    slugs: dict[str, str] = field(default_factory=dict)  # organization id -> slug

    def add(self, model, pk, organizations, *, owner=None, live=True) -> None:
        pk = str(pk)
        self.model[pk] = model
        self.organizations[pk] = organizations
        if owner is not None:
            self.owner[pk] = str(owner)
        if live:
            self.live.add(pk)

    def scope(self, caller: User) -> frozenset:
        """The organizations the caller works in (a candidate: those of its profiles)."""
        if caller.role == Role.CANDIDATE:
            return frozenset().union(
                *(self.organizations[profile] for profile in self.profiles[str(caller.pk)])
            )
        return frozenset({str(caller.organization_id)})

    def forbidden(self, caller: User) -> set[str]:
        """Ids of the rows the caller may not reach: another organization's, and for a
        candidate every row that is not of its own profiles (and other candidates' logins)."""
        scope = self.scope(caller)
        found = {
            pk
            for pk, organizations in self.organizations.items()
            if organizations is not None and not organizations & scope
        }
        if caller.role == Role.CANDIDATE:
            own = self.profiles[str(caller.pk)]
            found |= {pk for pk, owner in self.owner.items() if owner not in own}
            found |= self.candidate_users
        found.discard(str(caller.pk))
        return found

    def expected(self, caller: User, model) -> set[str]:
        """Ids of the live rows of `model` a list must show the caller."""
        rows = {pk for pk in self.live if self.model[pk] is model}
        if caller.role == Role.ADMIN:
            return rows
        if caller.role == Role.CANDIDATE:
            if not hasattr(model, "candidate_path"):
                return set()  # positions, invitations, users: not required to be listed
            own = self.profiles[str(caller.pk)]
            return {pk for pk in rows if self.owner.get(pk) in own}
        scope = self.scope(caller)
        if model is User:
            rows -= self.candidate_users
        return {pk for pk in rows if self.organizations[pk] == scope}

    def of(self, model, ids) -> list[str]:
        return sorted(pk for pk in ids if self.model.get(pk) is model)

    def describe(self, ids) -> list[str]:
        """Say what each row is and whose: `candidate <id> of team-b`."""
        return sorted(
            f"{self.model[pk]._meta.model_name} {pk} of "
            f"{'/'.join(sorted(self.slugs[org] for org in self.organizations[pk] or ()))}"
            for pk in ids
        )


@dataclass
class World:
    organizations: tuple[Organization, Organization]
    admin: User
    members: dict[tuple[int, str], User]  # (organization index, role) -> its account
    candidates: dict[str, User]  # "a", "b" (one organization's), "shared" (both)
    rows: Rows = field(default_factory=Rows)


def build(plans: tuple[OrganizationPlan, OrganizationPlan]) -> World:
    """Create both organizations' rows, mostly through the services, then read them back."""
    organizations = (
        OrganizationFactory(name="Team A", slug="team-a"),
        OrganizationFactory(name="Team B", slug="team-b"),
    )
    world = World(
        organizations=organizations,
        admin=UserFactory(role=Role.ADMIN, email="admin@example.com"),
        members={
            (index, role): UserFactory(
                role=role, organization=organization, email=f"{role}-{index}@example.com"
            )
            for index, organization in enumerate(organizations)
            for role in MEMBER_ROLES
        },
        candidates={
            key: UserFactory(role=Role.CANDIDATE, email=f"{key}@example.com")
            for key in ("a", "b", "shared")
        },
    )
    for index, (organization, plan) in enumerate(zip(organizations, plans, strict=True)):
        actors = [world.members[index, role] for role in MEMBER_ROLES] + [world.admin]
        positions = [
            PositionFactory(organization=organization, status=status) for status in plan.positions
        ]
        logins = [world.candidates["ab"[index]], world.candidates["shared"]]
        for number, candidate_plan in enumerate((plan.member, plan.shared, *plan.others)):
            login = logins[number] if number < 2 else None
            if login is None and candidate_plan.login:
                login = UserFactory(role=Role.CANDIDATE, email=_email(f"login{index}"))
            email = login.email if login else _email(f"candidate{index}")
            candidate = services.candidate_create(
                organization=organization, email=email, full_name=f"Candidate {number}"
            )
            if login is not None:
                candidate.user = login
                candidate.save(update_fields=["user"])
            build_candidate(candidate, candidate_plan, actors=actors, positions=positions)
    world.rows = read_rows()
    return world


def build_candidate(candidate, plan: CandidatePlan, *, actors, positions) -> None:
    resumes = [ResumeFactory(candidate=candidate) for _ in range(plan.resumes)]
    for interview_plan in plan.interviews:
        actor = actors[interview_plan.actor % len(actors)]
        interview = services.interview_create(
            candidate=candidate,
            role_type=Interview.RoleType.PYTHON,
            by=actor,
            resume=resumes[0] if resumes and interview_plan.with_resume else None,
            position=positions[0] if positions and interview_plan.with_position else None,
        )
        if interview_plan.invitation:
            invite(interview, interview_plan.invitation, by=actor)
        if interview_plan.started:
            interview = services.interview_start(interview=interview, by=actor)
            for number in range(interview_plan.messages):
                services.message_append(
                    interview=interview,
                    message_type=InterviewMessage.MessageType.AI_QUESTION,
                    content_text=f"question {number + 1}",
                )
        if interview_plan.status == Status.COMPLETED:
            interview = services.interview_complete(interview=interview, by=actor)
        elif interview_plan.status == Status.ABANDONED:
            interview = services.interview_abandon(interview=interview, by=actor, reason="gone")
        if interview_plan.assessed:
            assessment_services.assessment_create(
                interview=interview, overall_score=Decimal("70.00"), skill_scores={"python": 70}
            )
    if plan.deleted:
        services.candidate_soft_delete(candidate=candidate)


def invite(interview: Interview, state: str, *, by: User) -> Invitation:
    """An invitation to the interview in the given state. Written directly, as the services
    make an invitation only with a new scheduled interview, and here any interview of the plan
    (in any status) may carry one in any state."""
    now = timezone.now()
    candidate = interview.candidate
    return Invitation.objects.create(
        organization_id=interview.organization_id,
        candidate=candidate,
        interview=interview,
        position=interview.position,
        email=candidate.email,
        full_name=candidate.full_name,
        token_digest=Invitation.digest_of(Invitation.new_token()),
        status="pending" if state == "expired" else state,
        expires_at=now + (timedelta(hours=-1) if state == "expired" else timedelta(days=7)),
        accepted_at=now if state == "accepted" else None,
        accepted_by=candidate.user if state == "accepted" else None,
        revoked_at=now if state == "revoked" else None,
        created_by=by,
    )


def read_rows() -> Rows:
    """Read back every row, its organizations and its owner, from the database."""
    rows = Rows()
    for pk, slug in Organization.objects.values_list("pk", "slug"):
        rows.add(Organization, pk, frozenset({str(pk)}))
        rows.slugs[str(pk)] = slug
    profile_organizations = defaultdict(set)
    for pk, login, organization in Candidate.all_objects.filter(user__isnull=False).values_list(
        "pk", "user_id", "organization_id"
    ):
        rows.profiles[str(login)].add(str(pk))
        profile_organizations[str(login)].add(str(organization))
    for pk, role, organization, deleted_at in User.all_objects.values_list(
        "pk", "role", "organization_id", "deleted_at"
    ):
        if role == Role.ADMIN:
            organizations = None
        elif role == Role.CANDIDATE:
            organizations = frozenset(profile_organizations[str(pk)])
            rows.candidate_users.add(str(pk))
        else:
            organizations = frozenset({str(organization)})
        rows.add(User, pk, organizations, live=deleted_at is None)
    deleted = {
        str(pk)
        for pk in Candidate.all_objects.filter(deleted_at__isnull=False).values_list(
            "pk", flat=True
        )
    }
    for model in (Candidate, Resume, Interview, InterviewSession, InterviewMessage):
        rows_of(rows, model, model.candidate_path, deleted)
    for model in (InterviewStatusChange, AssessmentResult):
        rows_of(rows, model, model.candidate_path, deleted)
    rows_of(rows, Invitation, "candidate", deleted)
    for pk, organization in Position.objects.values_list("pk", "organization_id"):
        rows.add(Position, pk, frozenset({str(organization)}))
    return rows


def rows_of(rows: Rows, model, candidate_path: str, deleted: set[str]) -> None:
    owner_column = f"{candidate_path}_id" if candidate_path else "pk"
    for pk, organization, owner in model._base_manager.values_list(
        "pk", "organization_id", owner_column
    ):
        rows.add(
            model, pk, frozenset({str(organization)}), owner=owner, live=str(owner) not in deleted
        )


def snapshot() -> dict[str, list[tuple]]:
    """Every row of every tenant table and of the accounts (tokens aside), as stored: raw SQL,
    as the test takes one around every write it sends."""
    found = {}
    with connection.cursor() as cursor:
        for model in SNAPSHOT_MODELS:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table}")
            found[model._meta.label] = sorted(cursor.fetchall(), key=repr)
    return found


# --- what a caller gets ----------------------------------------------------------------------


def answer(response, target: str) -> tuple[int, str]:
    """The status and body of a response, with the id it was asked about blanked out."""
    if response.streaming:
        # Read to the end: the test client's wrapper then closes the file without closing the
        # database connection (a bare close() would, and end the example's transaction).
        b"".join(response.streaming_content)
        return response.status_code, "<a file>"
    return response.status_code, response.content.decode(errors="replace").replace(target, "<id>")


def listed_ids(response) -> set[str]:
    body = response.json()
    items = body.get("results", []) if isinstance(body, dict) else body
    return {str(item["id"]) for item in items if isinstance(item, dict) and "id" in item}


def rolled_back(call):
    """Run a request in a savepoint that is rolled back (a probe or a valid create)."""
    with transaction.atomic():
        response = call()
        transaction.set_rollback(True)
    return response


@dataclass
class Check:
    """The cases of every route for one caller."""

    api: APIClient
    world: World
    caller: User
    rng: random.Random

    def __post_init__(self):
        issued = account_services.token_issue(user=self.caller)
        self.api.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
        self.rows = self.world.rows
        self.forbidden = self.rows.forbidden(self.caller)
        self.who = f"{self.caller.role} {self.caller.email}"

    def send(self, method: str, url: str, payload=None, *, multipart: bool = False):
        if method == "get":
            return self.api.get(url, payload)
        return getattr(self.api, method)(url, payload, format="multipart" if multipart else "json")

    def assert_no_leak(self, response, where: str, asked: str = "") -> None:
        """No forbidden row's id in a JSON response, but for the one the request named (an
        error may quote it back)."""
        if response.streaming or not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            return
        leaked = set(UUID_PATTERN.findall(response.content.decode().lower())) & self.forbidden
        leaked.discard(asked)
        assert not leaked, f"{self.who} got from {where}: {self.rows.describe(leaked)}"

    def assert_unchanged(self, before, where: str) -> None:
        assert snapshot() == before, f"{self.who}: {where} changed rows"

    def targets(self, model) -> list[str]:
        """One forbidden row of the model per organization (or set of them) it belongs to."""
        groups = defaultdict(list)
        for pk in self.rows.of(model, self.forbidden):
            groups[self.rows.organizations[pk]].append(pk)
        return [self.rng.choice(groups[key]) for key in sorted(groups, key=sorted)]

    def run(self, cases) -> None:
        """Every case; each write is checked to change nothing, the reads all together."""
        checks = {"list": self.check_list, "create": self.check_create, "by-id": self.check_by_id}
        before = snapshot()
        for route, method, case in cases:
            checks[case](route, method)
        self.assert_unchanged(before, "reading")

    def check_list(self, route: Route, method: str) -> None:
        url = reverse(route.name)
        response = self.send("get", url, {"page_size": 100})
        self.assert_no_leak(response, f"GET {url}")
        model = view_model(route)
        if response.status_code == 200 and route.actions["get"] == "list" and model in ROW_MODELS:
            missing = self.rows.expected(self.caller, model) - listed_ids(response)
            assert not missing, f"{self.who}: GET {url} misses {self.rows.describe(missing)}"
        for name, model in filter_references(route).items():
            fresh = str(uuid7())
            none = answer(self.send("get", url, {name: fresh, "page_size": 100}), fresh)
            for target in self.targets(model):
                response = self.send("get", url, {name: target, "page_size": 100})
                self.assert_no_leak(response, f"GET {url}?{name}={target}", target)
                got = answer(response, target)
                assert got == none, (
                    f"{self.who}: GET {url}?{name}= {self.rows.describe([target])} answers "
                    f"{got}; an id of no row answers {none}"
                )

    def check_by_id(self, route: Route, method: str) -> None:
        argument = route.arguments[0]
        model = argument_model(route, argument)
        payload = BY_ID_PAYLOADS.get(route.name, {})

        def url(pk: str) -> str:
            return reverse(route.name, kwargs={argument: pk})

        fresh = str(uuid7())
        none = answer(rolled_back(lambda: self.send(method, url(fresh), payload)), fresh)
        assert none[0] in (403, 404), f"{self.who}: {method.upper()} {url(fresh)} answers {none}"
        for target in self.targets(model):
            where = f"{method.upper()} {url(target)} ({self.rows.describe([target])[0]})"
            before = snapshot() if method != "get" else None
            response = self.send(method, url(target), payload)
            self.assert_no_leak(response, where, target)
            got = answer(response, target)
            assert got == none, f"{self.who}: {where} answers {got}; an id of no row {none}"
            if before is not None:
                self.assert_unchanged(before, where)
        own = _own(self.world, self.caller, model, self.rng)
        if own is None:
            return
        if method == "get":
            response = self.send("get", url(own), {})
            self.assert_no_leak(response, f"GET {url(own)}")
            answer(response, own)  # reads and closes a file response
        elif method == "patch":
            self.check_references(route, method, url(own), dict, refused=none[0] == 403)

    def check_references(self, route, method, url, base, *, refused, multipart=False) -> None:
        """A body naming a forbidden row in any of the serializer's row fields is a 400 on
        that field (403 for a role that may not call this at all) and changes nothing; `base`
        makes the rest of the body."""
        for name, (model, many) in serializer_references(route, method, self.caller).items():
            for target in self.targets(model):
                body = {**base(), name: [target] if many else target}
                where = f"{method.upper()} {url} {name}={self.rows.describe([target])[0]}"
                before = snapshot()
                response = self.send(method, url, body, multipart=multipart)
                self.assert_no_leak(response, where, target)
                if refused:
                    assert response.status_code == 403, f"{self.who}: {where}: {response.content}"
                else:
                    assert response.status_code == 400 and name in response.json(), (
                        f"{self.who}: {where} answers {response.status_code} {response.content}"
                    )
                self.assert_unchanged(before, where)

    def check_create(self, route: Route, method: str) -> None:
        url = reverse(route.name)
        refused = rolled_back(lambda: self.send("post", url, {})).status_code == 403
        entry = CREATE_PAYLOADS.get(route.name)
        if refused:
            self.check_references(route, method, url, dict, refused=True)
            return
        if entry is None:
            raise NoCase(f"{route}: {self.who} may POST; add its payload to CREATE_PAYLOADS")
        seed = self.rng.random()

        def base():
            return entry.build(self.world, self.caller, random.Random(seed))

        if base() is None:
            return  # the world has no own row to create it from
        control = rolled_back(lambda: self.send("post", url, base(), multipart=entry.multipart))
        assert control.status_code == 201, (
            f"CREATE_PAYLOADS[{route.name!r}] is no valid create for {self.who}: "
            f"{control.status_code} {control.content}"
        )
        self.assert_no_leak(control, f"POST {url}")
        self.check_references(route, method, url, base, refused=False, multipart=entry.multipart)


def check_admin(api: APIClient, world: World, cases) -> None:
    """An admin's lists hold both organizations' rows; `?organization=` keeps one's."""
    check = Check(api, world, world.admin, random.Random(0))
    rows = world.rows
    for route, _method, case in cases:
        model = view_model(route)
        if case != "list" or route.actions["get"] != "list" or model not in ROW_MODELS:
            continue
        url = reverse(route.name)
        response = check.send("get", url, {"page_size": 100})
        assert response.status_code == 200, f"admin GET {url}: {response.status_code}"
        missing = rows.expected(world.admin, model) - listed_ids(response)
        assert not missing, f"admin: GET {url} misses {rows.describe(missing)}"
        if "organization" not in filter_references(route):
            continue  # this list has no organization filter (yet)
        for organization in world.organizations:
            key = str(organization.pk)
            response = check.send("get", url, {"organization": key, "page_size": 100})
            listed = listed_ids(response)
            outside = {pk for pk in listed if key not in (rows.organizations.get(pk) or ())}
            assert not outside, f"admin: {url}?organization={key}: {rows.describe(outside)}"
            own = {
                pk
                for pk in rows.expected(world.admin, model) - rows.candidate_users
                if rows.organizations[pk] == {key}
            }
            assert own <= listed, f"admin: {url}?organization={key} misses {own - listed}"


# --- the properties --------------------------------------------------------------------------


@pytest.fixture
def api() -> APIClient:
    """One API client for all examples (a new one loads the middleware again, which is slow)."""
    return APIClient()


def in_world(plans, run) -> None:
    with transaction.atomic():
        try:
            cache.clear()
            run(build(plans))
        finally:
            transaction.set_rollback(True)


@PROPERTY_SETTINGS
@given(plans=patterns, rng=st.randoms(use_true_random=False))
def test_members_never_reach_another_organization(plans, rng, api):
    cases = checked_routes()

    def run(world):
        for role in MEMBER_ROLES:
            Check(api, world, world.members[0, role], rng).run(cases)

    in_world(plans, run)


@PROPERTY_SETTINGS
@given(plans=patterns, rng=st.randoms(use_true_random=False))
def test_candidates_reach_only_their_own_profiles_in_every_organization(plans, rng, api):
    cases = checked_routes()

    def run(world):
        for key in ("a", "b", "shared"):
            Check(api, world, world.candidates[key], rng).run(cases)

    in_world(plans, run)


@PROPERTY_SETTINGS
@given(plans=patterns)
def test_an_admin_sees_both_organizations(plans, api):
    cases = checked_routes()
    in_world(plans, lambda world: check_admin(api, world, cases))


# --- one rich world, every case ----------------------------------------------------------------


def _interview(status, *, invitation=None, messages=0, assessed=False, actor=0) -> InterviewPlan:
    return InterviewPlan(
        status=status,
        started=status in (Status.IN_PROGRESS, Status.COMPLETED),
        messages=messages,
        assessed=assessed,
        with_resume=True,
        with_position=True,
        invitation=invitation,
        actor=actor,
    )


RICH_ORGANIZATION = OrganizationPlan(
    positions=("open", "closed"),
    member=CandidatePlan(
        deleted=False,
        login=True,
        resumes=1,
        interviews=(
            _interview(Status.COMPLETED, invitation="accepted", messages=2, assessed=True),
            _interview(Status.SCHEDULED, invitation="pending", actor=1),
        ),
    ),
    shared=CandidatePlan(
        deleted=False,
        login=True,
        resumes=1,
        interviews=(_interview(Status.IN_PROGRESS, invitation="expired", messages=1, actor=2),),
    ),
    others=(
        CandidatePlan(
            deleted=False,
            login=False,
            resumes=1,
            interviews=(
                _interview(Status.COMPLETED, messages=1, actor=3),
                _interview(Status.ABANDONED, invitation="revoked"),
            ),
        ),
        CandidatePlan(
            deleted=True,
            login=True,
            resumes=1,
            interviews=(_interview(Status.SCHEDULED, invitation="pending"),),
        ),
    ),
)


def test_every_route_has_a_case():
    cases = checked_routes()
    checked = {route.name for route, _method, _case in cases}
    # The walk finds the routers' routes, the nested ones and the plain paths.
    assert {"interview-list", "interview-start", "interview-message-list"} <= checked
    assert {"interview-session", "assessment-detail", "auth-me", "health-detailed"} <= checked


def test_every_case_holds_in_a_world_with_every_kind_of_row(api):
    cases = checked_routes()

    def run(world):
        rng = random.Random(9)
        for caller in [
            *(world.members[0, role] for role in MEMBER_ROLES),
            *world.candidates.values(),
        ]:
            Check(api, world, caller, rng).run(cases)
        check_admin(api, world, cases)

    in_world((RICH_ORGANIZATION, RICH_ORGANIZATION), run)


def test_an_admin_reaches_both_organizations_rows_on_every_route_by_id(api):
    """The routes do reach rows by id, so another organization's 404 means something."""
    cases = checked_routes()

    def run(world):
        check = Check(api, world, world.admin, random.Random(0))
        for route, method, case in cases:
            if case != "by-id" or method != "get":
                continue
            argument = route.arguments[0]
            model = argument_model(route, argument)
            fresh = str(uuid7())
            url = reverse(route.name, kwargs={argument: fresh})
            none = answer(check.send("get", url, {}), fresh)
            for organization in world.organizations:
                rows = [
                    pk
                    for pk in sorted(world.rows.expected(world.admin, model))
                    if world.rows.organizations[pk] == {str(organization.pk)}
                ]
                reached = [
                    pk
                    for pk in rows
                    if answer(check.send("get", reverse(route.name, kwargs={argument: pk}), {}), pk)
                    != none
                ]
                assert reached, f"admin reaches no {model.__name__} of {organization} via {route}"

    in_world((RICH_ORGANIZATION, RICH_ORGANIZATION), run)
