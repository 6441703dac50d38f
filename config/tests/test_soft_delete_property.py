"""Soft delete never leaks: for random patterns of soft-deleted users and candidates, no API
list, detail, nested field, filter or admin changelist shows a deleted row to a caller who
should not see it.

Each Hypothesis example builds its rows through the services inside a transaction that is rolled
back at its end, so examples never see each other's rows: the pytest-django `db` fixture is
function-scoped and wraps all examples of a test once. `HYPOTHESIS_MAX_EXAMPLES` (default 15)
sets the number of examples.
"""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.models import Organization, Role, User
from accounts.tests.factories import UserFactory
from assessments import services as assessment_services
from assessments.models import AssessmentResult
from interviews import services
from interviews.models import (
    Candidate,
    Interview,
    InterviewMessage,
    InterviewSession,
    InterviewStatusChange,
    Resume,
)
from interviews.tests.factories import CandidateFactory, ResumeFactory

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "15"))
PROPERTY_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    # Rows live in a transaction rolled back after each example, not in the fixture.
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    # No local example database, so every machine runs the same kind of search; a failure
    # prints its pattern and a blob to replay it with @reproduce_failure.
    database=None,
    print_blob=True,
)

UUID_PATTERN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
Status = Interview.Status
STARTED = (Status.IN_PROGRESS, Status.COMPLETED)
STAFF_AND_ENGINE_ROLES = (Role.ADMIN, Role.OWNER, Role.RECRUITER, Role.ENGINE)
CALLER_ROLES = (*STAFF_AND_ENGINE_ROLES, Role.CANDIDATE)
# API list -> the kind of row it lists (see World.rows).
API_LISTS = {
    "candidate-list": "candidate",
    "resume-list": "resume",
    "interview-list": "interview",
    "assessment-list": "assessmentresult",
}
# Candidate-owned models, each with the path from a row to its candidate.
OWNED_MODELS = [Resume, Interview, InterviewSession, InterviewMessage, InterviewStatusChange]
ADMIN_CHANGELISTS = [
    "admin:accounts_user_changelist",
    "admin:interviews_candidate_changelist",
    "admin:interviews_resume_changelist",
    "admin:interviews_interview_changelist",
    "admin:interviews_interviewsession_changelist",
    "admin:interviews_interviewmessage_changelist",
    "admin:interviews_interviewstatuschange_changelist",
    "admin:assessments_assessmentresult_changelist",
]
# Fields that refer to a user account from a live row: a soft-deleted account can stay there
# (a candidate's portal login, the author of a status change). The property tolerates them
# there; the tests under "live rows that refer to a deleted account" cover them.
USER_REFERENCE_KEYS = frozenset({"user", "changed_by"})


# --- the random pattern -----------------------------------------------------------------------


@dataclass(frozen=True)
class InterviewPlan:
    status: str
    started: bool
    messages: int
    assessed: bool
    with_resume: bool
    actor: int  # which staff or engine account made its transitions (index, wrapped)


@dataclass(frozen=True)
class CandidatePlan:
    deleted: bool
    account: str  # its portal login: "none", "live" or "deleted"
    resumes: int
    interviews: tuple[InterviewPlan, ...]


@dataclass(frozen=True)
class Pattern:
    candidates: tuple[CandidatePlan, ...]
    portal: int  # the candidate whose (live) login is the candidate caller
    extra_accounts: tuple[tuple[str, bool], ...]  # (role, deleted) besides the four callers
    deep_reader: str  # the caller role that also walks every endpoint under each row


@st.composite
def interview_plans(draw) -> InterviewPlan:
    status = draw(st.sampled_from(Status.values))
    started = status in STARTED or (status == Status.ABANDONED and draw(st.booleans()))
    return InterviewPlan(
        status=status,
        started=started,
        messages=draw(st.integers(0, 3)) if started else 0,
        assessed=status == Status.COMPLETED and draw(st.booleans()),
        with_resume=draw(st.booleans()),
        actor=draw(st.integers(0, 7)),
    )


candidate_plans = st.builds(
    CandidatePlan,
    deleted=st.booleans(),
    account=st.sampled_from(["none", "live", "deleted"]),
    resumes=st.integers(0, 2),
    interviews=st.lists(interview_plans(), max_size=2).map(tuple),
)


@st.composite
def patterns(draw) -> Pattern:
    candidates = draw(st.lists(candidate_plans, min_size=1, max_size=3))
    extra = st.tuples(st.sampled_from([*STAFF_AND_ENGINE_ROLES, Role.CANDIDATE]), st.booleans())
    return Pattern(
        candidates=tuple(candidates),
        portal=draw(st.integers(0, len(candidates) - 1)),
        extra_accounts=tuple(draw(st.lists(extra, max_size=3))),
        deep_reader=draw(st.sampled_from(CALLER_ROLES)),
    )


# --- building the rows and knowing who may see them -------------------------------------------


@dataclass
class World:
    """The rows of one example and, for each, whether it is live and whose candidate it is."""

    callers: dict[str, User]
    portal_candidate_id: str
    # Organizations are not soft-deleted rows, but their ids are in every tenant row's JSON:
    # each caller may see those of the organizations it works in (visible_organizations).
    organizations: set[str] = field(default_factory=set)
    candidate_organization: dict[str, str] = field(default_factory=dict)  # candidate id -> org
    live_users: set[str] = field(default_factory=set)
    user_organization: dict[str, str] = field(default_factory=dict)  # user id -> org id or ""
    deleted_users: dict[str, str] = field(default_factory=dict)  # id -> email
    live_candidates: dict[str, str] = field(default_factory=dict)  # id -> email
    deleted_candidates: dict[str, str] = field(default_factory=dict)  # id -> email
    owner: dict[str, str] = field(default_factory=dict)  # row id -> its candidate's id
    rows: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> {id: candidate id}

    def visible_organizations(self, caller: User) -> set[str]:
        """Return the ids of the organizations the caller works in: all for an admin, its own
        for an owner, recruiter or engine, its live profile's for a candidate."""
        if caller.role == Role.ADMIN:
            return set(self.organizations)
        if caller.role != Role.CANDIDATE:
            return {str(caller.organization_id)}
        own = self.portal_candidate_id
        return {self.candidate_organization[own]} if own in self.live_candidates else set()

    def visible_to(self, caller: User) -> set[str]:
        """Return the ids of every row the caller may see."""
        organizations = self.visible_organizations(caller)
        if caller.role != Role.CANDIDATE:
            live = self.live_candidates.keys()
            rows = {row for row, owner in self.owner.items() if owner in live}
            return organizations | self.live_users | rows
        own = self.portal_candidate_id
        if own not in self.live_candidates:
            return {str(caller.pk)}
        rows = {row for row, owner in self.owner.items() if owner == own}
        return organizations | {str(caller.pk)} | rows

    def hidden_from(self, caller: User, kind: str) -> list[str]:
        """Return the ids of rows of this kind that the caller must not reach."""
        visible = self.visible_to(caller)
        return [row for row in self.rows[kind] if row not in visible]

    def hidden_candidates(self, caller: User) -> dict[str, str]:
        visible = self.visible_to(caller)
        everyone = {**self.live_candidates, **self.deleted_candidates}
        return {row: email for row, email in everyone.items() if row not in visible}

    def forbidden_in_admin(self) -> set[str]:
        """Ids and emails that no default changelist may show (emails of accounts aside)."""
        deleted = self.deleted_candidates.keys()
        hidden_rows = {row for row, owner in self.owner.items() if owner in deleted}
        return hidden_rows | set(self.deleted_users) | set(self.deleted_candidates.values())


def build(pattern: Pattern) -> World:
    """Create the pattern's rows through the services, then soft-delete its chosen subsets."""
    callers = {role: UserFactory(role=role, email=f"{role}@example.com") for role in Role}
    extras = [
        (UserFactory(role=role, email=f"extra{number}@example.com"), deleted)
        for number, (role, deleted) in enumerate(pattern.extra_accounts)
    ]
    actors = [callers[role] for role in STAFF_AND_ENGINE_ROLES]
    actors += [user for user, _deleted in extras if user.role in STAFF_AND_ENGINE_ROLES]
    to_delete_users = [user for user, deleted in extras if deleted]
    to_delete_candidates = []

    portal_candidate = None
    for number, plan in enumerate(pattern.candidates):
        candidate = CandidateFactory(email=f"candidate{number}@example.com")
        if number == pattern.portal:
            candidate.user = callers[Role.CANDIDATE]
            portal_candidate = candidate
        elif plan.account != "none":
            candidate.user = UserFactory(role=Role.CANDIDATE, email=f"login{number}@example.com")
            if plan.account == "deleted":
                to_delete_users.append(candidate.user)
        candidate.save()
        resumes = [ResumeFactory(candidate=candidate) for _ in range(plan.resumes)]
        for interview_plan in plan.interviews:
            actor = actors[interview_plan.actor % len(actors)]
            resume = resumes[0] if resumes and interview_plan.with_resume else None
            build_interview(candidate, interview_plan, actor=actor, resume=resume)
        if plan.deleted:
            to_delete_candidates.append(candidate)

    # Deleting an actor after its changes leaves live rows that refer to a deleted account.
    for user in to_delete_users:
        account_services.user_soft_delete(user=user)
    for candidate in to_delete_candidates:
        services.candidate_soft_delete(candidate=candidate)
    return read_world(callers, str(portal_candidate.pk))


def build_interview(candidate, plan: InterviewPlan, *, actor: User, resume) -> None:
    interview = services.interview_create(
        candidate=candidate, role_type=Interview.RoleType.PYTHON, by=actor, resume=resume
    )
    if plan.started:
        interview = services.interview_start(interview=interview, by=actor)
        for number in range(plan.messages):
            services.message_append(
                interview=interview,
                message_type=(
                    InterviewMessage.MessageType.AI_QUESTION
                    if number % 2 == 0
                    else InterviewMessage.MessageType.CANDIDATE_RESPONSE
                ),
                content_text=f"message {number + 1}",
                tokens_used=10,
            )
    if plan.status == Status.COMPLETED:
        interview = services.interview_complete(interview=interview, by=actor)
    elif plan.status == Status.ABANDONED:
        interview = services.interview_abandon(interview=interview, by=actor, reason="no show")
    if plan.assessed:
        assessment_services.assessment_create(
            interview=interview, overall_score=Decimal("64.50"), skill_scores={"python": 70}
        )


def read_world(callers: dict[str, User], portal_candidate_id: str) -> World:
    """Read back from the database which rows exist, which are live and whose they are."""
    world = World(callers=callers, portal_candidate_id=portal_candidate_id)
    users = User.all_objects.values_list("pk", "email", "deleted_at", "organization_id")
    for pk, email, deleted_at, organization in users:
        world.user_organization[str(pk)] = str(organization or "")
        if deleted_at is None:
            world.live_users.add(str(pk))
        else:
            world.deleted_users[str(pk)] = email
    world.organizations = {str(pk) for pk in Organization.objects.values_list("pk", flat=True)}
    world.rows["candidate"] = {}
    candidates = Candidate.all_objects.values_list("pk", "email", "deleted_at", "organization_id")
    for pk, email, deleted_at, organization in candidates:
        world.candidate_organization[str(pk)] = str(organization)
        target = world.live_candidates if deleted_at is None else world.deleted_candidates
        target[str(pk)] = email
        world.owner[str(pk)] = str(pk)
        world.rows["candidate"][str(pk)] = str(pk)
    for model in [*OWNED_MODELS, AssessmentResult]:
        owner_path = model.candidate_path + "_id"
        kind = model._meta.model_name
        world.rows[kind] = {
            str(pk): str(owner) for pk, owner in model.objects.values_list("pk", owner_path)
        }
        world.owner.update(world.rows[kind])
    return world


# --- what the callers get ---------------------------------------------------------------------


def ids_in(payload, key: str | None = None) -> Iterator[tuple[str | None, str]]:
    """Yield (key, id) for every UUID anywhere in a JSON payload, with its nearest key."""
    if isinstance(payload, dict):
        for name, value in payload.items():
            yield from ids_in(value, name)
    elif isinstance(payload, list):
        for item in payload:
            yield from ids_in(item, key)
    elif isinstance(payload, str):
        for found in UUID_PATTERN.findall(payload.lower()):
            yield key, found


def assert_no_leak(world: World, caller: User, response, where: str) -> None:
    """Every id in the response is a row the caller may see."""
    visible = world.visible_to(caller)
    leaked = {
        (key, row)
        for key, row in ids_in(response.json())
        if row not in visible and not (key in USER_REFERENCE_KEYS and row in world.deleted_users)
    }
    assert not leaked, f"{caller.role} got rows it may not see from {where}: {leaked}"


def listed_ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def assert_not_found(response, *, role_may_be_refused: bool = False) -> None:
    expected = {404, 403} if role_may_be_refused else {404}
    assert response.status_code in expected, (
        f"{response.request['PATH_INFO']}: {response.status_code} {response.content}"
    )


def check_api(api: APIClient, world: World, caller: User, *, deep: bool) -> None:
    """Lists, details, filters and searches for one caller; with `deep`, also every endpoint
    under each interview (messages, history, session) and resume downloads."""
    issued = account_services.token_issue(user=caller)
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.raw}")
    visible = world.visible_to(caller)
    is_admin = caller.role == Role.ADMIN

    def get(url: str, **params):
        response = api.get(url, params)
        if response.headers.get("Content-Type", "").startswith("application/json"):
            assert_no_leak(world, caller, response, f"{url} {params}")
        return response

    # Lists show exactly the visible rows of their kind: nothing deleted, nothing missing.
    for name, kind in API_LISTS.items():
        expected = {row for row in world.rows[kind] if row in visible}
        assert listed_ids(get(reverse(name), page_size=100)) == expected, f"{caller.role} {name}"
    users = get(reverse("user-list"), page_size=100)
    if is_admin:
        assert listed_ids(users) == world.live_users
    elif caller.role == Role.OWNER and users.status_code == 200:
        # An owner manages the users of its own organization (SPEC section 9).
        organization = str(caller.organization_id)
        own = {user for user in world.live_users if world.user_organization[user] == organization}
        assert listed_ids(users) <= own, f"owner user-list: {listed_ids(users) - own}"
    else:
        assert users.status_code == 403

    # Details of hidden rows (and, deep, everything under them) are not found.
    for candidate in world.hidden_from(caller, "candidate"):
        assert_not_found(get(reverse("candidate-detail", kwargs={"pk": candidate})))
    for resume in world.hidden_from(caller, "resume"):
        assert_not_found(get(reverse("resume-detail", kwargs={"pk": resume})))
        if deep:
            assert_not_found(get(reverse("resume-download", kwargs={"pk": resume})))
    for interview in world.hidden_from(caller, "interview"):
        assert_not_found(get(reverse("interview-detail", kwargs={"pk": interview})))
        if deep:
            assert_not_found(
                get(reverse("interview-message-list", kwargs={"interview_pk": interview}))
            )
            # Candidates may not read histories or sessions at all: 403 whatever the id.
            refused = caller.role == Role.CANDIDATE
            response = get(reverse("interview-history", kwargs={"pk": interview}))
            assert_not_found(response, role_may_be_refused=refused)
            response = get(reverse("interview-session", kwargs={"interview_pk": interview}))
            assert_not_found(response, role_may_be_refused=refused)
    for assessment in world.hidden_from(caller, "assessmentresult"):
        assert_not_found(get(reverse("assessment-detail", kwargs={"pk": assessment})))
    if is_admin:
        for user in world.deleted_users:
            assert_not_found(get(reverse("user-detail", kwargs={"pk": user})))

    # Nested fields of visible interviews: the transcript, the status history, the session.
    if deep:
        for interview in world.rows["interview"]:
            if interview not in visible:
                continue
            messages = get(
                reverse("interview-message-list", kwargs={"interview_pk": interview}), page_size=100
            )
            assert messages.status_code == 200
            if caller.role != Role.CANDIDATE:
                history = get(reverse("interview-history", kwargs={"pk": interview}))
                assert history.status_code == 200
                session = get(reverse("interview-session", kwargs={"interview_pk": interview}))
                assert session.status_code in {200, 404}  # 404: never started

    # Filters and searches naming a hidden candidate or a deleted account find nothing.
    for candidate, email in world.hidden_candidates(caller).items():
        for name in ("interview-list", "resume-list", "assessment-list"):
            response = get(reverse(name), candidate=candidate)
            if name == "resume-list" and response.status_code == 400:
                # This filter checks the id against live candidates: "not a valid choice".
                continue
            assert listed_ids(response) == set(), f"{caller.role} {name}?candidate={candidate}"
        for name in ("candidate-list", "interview-list"):
            response = get(reverse(name), search=email)
            assert listed_ids(response) == set(), f"{caller.role} {name}?search={email}"
    if is_admin:
        for email in world.deleted_users.values():
            assert listed_ids(get(reverse("user-list"), search=email)) == set(), email


def check_admin(browser: Client, world: World) -> None:
    """Default changelists (and their searches) of an admin show no deleted row."""
    browser.force_login(world.callers[Role.ADMIN])
    forbidden = world.forbidden_in_admin()
    users_url = reverse("admin:accounts_user_changelist")
    candidates_url = reverse("admin:interviews_candidate_changelist")
    for name in ADMIN_CHANGELISTS:
        url = reverse(name)
        page = admin_page(browser, url)
        shown = {text for text in forbidden if text in page}
        if url == users_url:
            shown |= {email for email in world.deleted_users.values() if email in page}
        assert not shown, f"admin {url} shows deleted rows: {shown}"

    # A search page repeats its term in the search box, so only ids are looked for in it.
    deleted_ids = forbidden - set(world.deleted_candidates.values())
    searches = [(users_url, email) for email in world.deleted_users.values()]
    searches += [(candidates_url, email) for email in world.deleted_candidates.values()]
    for url, email in searches:
        response = browser.get(url, {"q": email})
        assert response.status_code == 200, f"{url}?q={email}: {response.status_code}"
        assert response.context["cl"].result_count == 0, f"admin {url}?q={email}"
        page = response.content.decode().lower()
        shown = {row for row in deleted_ids if row in page}
        assert not shown, f"admin {url}?q={email} shows deleted rows: {shown}"

    # The candidate picker of the interview form offers no deleted candidate.
    autocomplete = {"app_label": "interviews", "model_name": "interview", "field_name": "candidate"}
    page = admin_page(browser, reverse("admin:autocomplete"), **autocomplete)
    shown = {text for text in forbidden if text in page}
    assert not shown, f"admin candidate autocomplete offers deleted rows: {shown}"

    # Not vacuous: the default changelists do show the live rows.
    page = browser.get(candidates_url).content.decode()
    assert all(candidate in page for candidate in world.live_candidates)
    page = browser.get(users_url).content.decode()
    assert all(user in page for user in world.live_users)


def admin_page(browser: Client, url: str, **params) -> str:
    response = browser.get(url, params)
    assert response.status_code == 200, f"{url} {params}: {response.status_code}"
    return response.content.decode().lower()


# --- the property -----------------------------------------------------------------------------


@pytest.fixture
def clients() -> tuple[APIClient, Client]:
    """One API client and one browser for all examples: each new test client loads the
    middleware again (WhiteNoise scans every static file then), which would dominate the run."""
    return APIClient(), Client()


@PROPERTY_SETTINGS
@given(pattern=patterns())
def test_soft_deleted_rows_never_reach_a_caller_who_may_not_see_them(pattern, clients):
    api, browser = clients
    with transaction.atomic():
        try:
            cache.clear()
            world = build(pattern)
            for role in CALLER_ROLES:
                check_api(api, world, world.callers[role], deep=role == pattern.deep_reader)
            check_admin(browser, world)
        finally:
            transaction.set_rollback(True)


# --- live rows that refer to a deleted account ------------------------------------------------


def test_live_candidate_does_not_show_its_deleted_login(recruiter_api):
    candidate = CandidateFactory()
    login = UserFactory(role=Role.CANDIDATE)
    candidate.user = login
    candidate.save()
    account_services.user_soft_delete(user=login)

    body = recruiter_api.get(reverse("candidate-detail", kwargs={"pk": candidate.pk})).json()

    assert body["user"] is None


def test_status_history_does_not_show_a_deleted_author(admin_api, recruiter_user):
    interview = services.interview_create(
        candidate=CandidateFactory(), role_type=Interview.RoleType.PYTHON, by=recruiter_user
    )
    account_services.user_soft_delete(user=recruiter_user)

    history = admin_api.get(reverse("interview-history", kwargs={"pk": interview.pk})).json()

    assert history[0]["changed_by"] is None
    assert history[0]["changed_by_email"] is None


def test_status_change_changelist_does_not_show_a_deleted_author(admin_user, recruiter_user):
    services.interview_create(
        candidate=CandidateFactory(), role_type=Interview.RoleType.PYTHON, by=recruiter_user
    )
    account_services.user_soft_delete(user=recruiter_user)
    browser = Client()
    browser.force_login(admin_user)

    page = browser.get(reverse("admin:interviews_interviewstatuschange_changelist"))

    assert page.status_code == 200
    assert recruiter_user.email not in page.content.decode()


def test_email_of_a_deleted_candidate_account_can_register_again(admin_api, anon_client):
    registration = {
        "email": "again@example.com",
        "password": "a-long-enough-password-1",
        "full_name": "Re Registered",
    }
    assert anon_client.post(reverse("auth-register"), registration).status_code == 201
    first = User.objects.with_email("again@example.com").get()
    assert admin_api.delete(reverse("user-detail", kwargs={"pk": first.pk})).status_code == 204

    response = anon_client.post(reverse("auth-register"), registration)

    assert response.status_code == 201, response.content
    again = User.objects.with_email("again@example.com").get()
    assert again != first
    # The deleted login's profile is not handed to whoever registers its email next; it waits
    # for its own login's restore (or an invitation).
    profile = Candidate.objects.get(email="again@example.com")
    assert profile.user is None
    assert profile.former_user == first
