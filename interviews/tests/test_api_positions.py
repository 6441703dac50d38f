"""The positions endpoints: who may do what, CRUD and rubric validation, isolation between
organizations, the pipeline's figures and query count, and the position filters and references
of interviews and assessments."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization
from assessments.tests.factories import AssessmentFactory
from core.errors import InvalidInput
from interviews import services
from interviews.models import Interview, InterviewStatus, Position
from interviews.tests.factories import CandidateFactory, InterviewFactory, PositionFactory

pytestmark = pytest.mark.django_db

LIST = reverse("position-list")
NEW_POSITION = {
    "title": "Senior Python engineer",
    "role_type": "python",
    "experience_level": "senior",
    "description": "Backend services and data pipelines.",
    "skills": [{"skill": "python", "weight": 60}, {"skill": "sql", "weight": 40.5}],
}
ROLE_CLIENTS = {
    "admin": "admin_api",
    "owner": "owner_api",
    "recruiter": "recruiter_api",
    "engine": "engine_api",
    "candidate": "candidate_api",
    "anon": "anon_client",
}


def detail(position: Position) -> str:
    return reverse("position-detail", args=[position.pk])


def pipeline_of(position: Position) -> str:
    return reverse("position-pipeline", args=[position.pk])


def ids(response) -> set[str]:
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def theirs(other_organization) -> Position:
    """A position of the other organization."""
    return PositionFactory(organization=other_organization, title="Their opening")


# --- who may do what --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 200),
        ("owner", 200),
        ("recruiter", 200),
        ("engine", 200),
        ("candidate", 403),
        ("anon", 401),
    ],
)
def test_who_reads_positions(request, role, expected):
    position = PositionFactory()
    client = request.getfixturevalue(ROLE_CLIENTS[role])
    for url in (LIST, detail(position), pipeline_of(position)):
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 201),
        ("owner", 201),
        ("recruiter", 201),
        ("engine", 403),
        ("candidate", 403),
        ("anon", 401),
    ],
)
def test_who_creates_positions(request, role, expected):
    client = request.getfixturevalue(ROLE_CLIENTS[role])
    response = client.post(LIST, NEW_POSITION)
    assert response.status_code == expected, response.json()
    assert Position.objects.count() == (1 if expected == 201 else 0)


@pytest.mark.parametrize("role", ["engine", "candidate"])
def test_engines_and_candidates_cannot_change_or_delete_a_position(request, role):
    position = PositionFactory(title="Kept title")
    client = request.getfixturevalue(ROLE_CLIENTS[role])
    assert client.patch(detail(position), {"title": "Changed"}).status_code == 403
    assert client.delete(detail(position)).status_code == 403
    position.refresh_from_db()
    assert position.title == "Kept title"


# --- create, read, update, delete ---------------------------------------------------------------


def test_recruiter_creates_a_position_in_its_organization(recruiter_api, recruiter_user):
    response = recruiter_api.post(LIST, NEW_POSITION)
    assert response.status_code == 201, response.json()
    body = response.json()
    position = Position.objects.get(pk=body["id"])
    assert position.organization == recruiter_user.organization
    assert position.created_by == recruiter_user
    assert body["organization"] == str(recruiter_user.organization_id)
    assert body["created_by"] == str(recruiter_user.pk)
    assert body["skills"] == NEW_POSITION["skills"]
    assert body["status"] == "open"
    assert recruiter_api.get(detail(position)).json() == body


def test_admin_creates_in_the_named_organization_or_in_default(admin_api, other_organization):
    named = admin_api.post(LIST, {**NEW_POSITION, "organization": str(other_organization.pk)})
    assert named.status_code == 201, named.json()
    assert Position.objects.get(pk=named.json()["id"]).organization == other_organization
    omitted = admin_api.post(LIST, NEW_POSITION)
    assert omitted.status_code == 201
    assert Position.objects.get(pk=omitted.json()["id"]).organization.slug == "default"


def test_recruiter_naming_another_organization_is_400_and_creates_nothing(
    recruiter_api, other_organization
):
    response = recruiter_api.post(
        LIST, {**NEW_POSITION, "organization": str(other_organization.pk)}
    )
    assert response.status_code == 400
    assert "organization" in response.json()
    assert not Position.objects.exists()


def test_recruiter_may_name_its_own_organization(recruiter_api, recruiter_user):
    response = recruiter_api.post(
        LIST, {**NEW_POSITION, "organization": str(recruiter_user.organization_id)}
    )
    assert response.status_code == 201, response.json()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "x"),
        ("title", "   "),
        ("title", 42),
        ("role_type", "cobol"),
        ("experience_level", "wizard"),
        ("status", "archived"),
        ("description", "d" * 20_001),
        ("skills", {"python": 60}),
        ("skills", "python"),
        ("skills", [{"skill": "python"}]),
        ("skills", [{"skill": "python", "weight": 60, "extra": 1}]),
        ("skills", [{"skill": "", "weight": 60}]),
        ("skills", [{"skill": "s" * 101, "weight": 60}]),
        ("skills", [{"skill": "python", "weight": 0}]),
        ("skills", [{"skill": "python", "weight": 100.5}]),
        ("skills", [{"skill": "python", "weight": "60"}]),
        ("skills", [{"skill": "python", "weight": True}]),
        ("skills", [{"skill": "Python", "weight": 50}, {"skill": "python ", "weight": 50}]),
        ("skills", [{"skill": f"skill {n}", "weight": 1} for n in range(51)]),
        ("skills", [{"skill": "py\x00thon", "weight": 60}]),
        ("skills", ["python"]),
    ],
)
def test_create_with_bad_input_is_400_and_creates_nothing(recruiter_api, field, value):
    response = recruiter_api.post(LIST, {**NEW_POSITION, field: value})
    assert response.status_code == 400
    assert field in response.json()
    assert not Position.objects.exists()


def test_title_and_role_type_are_required(recruiter_api):
    response = recruiter_api.post(LIST, {"skills": []})
    assert response.status_code == 400
    assert {"title", "role_type"} <= set(response.json())


def test_patch_changes_the_given_fields(recruiter_api):
    position = PositionFactory(title="Backend engineer")
    rubric = [{"skill": "django", "weight": 100}]
    response = recruiter_api.patch(detail(position), {"status": "closed", "skills": rubric})
    assert response.status_code == 200, response.json()
    position.refresh_from_db()
    assert (position.status, position.skills, position.title) == (
        "closed",
        rubric,
        "Backend engineer",
    )


def test_patch_with_a_bad_rubric_is_400_and_changes_nothing(recruiter_api):
    position = PositionFactory()
    before = position.skills
    response = recruiter_api.patch(detail(position), {"skills": [{"skill": "x", "weight": -1}]})
    assert response.status_code == 400
    assert "skills" in response.json()
    position.refresh_from_db()
    assert position.skills == before


def test_organization_is_fixed_after_create(admin_api, recruiter_api, other_organization):
    position = PositionFactory()
    moved = admin_api.patch(detail(position), {"organization": str(other_organization.pk)})
    assert moved.status_code == 400
    assert "organization" in moved.json()
    refused = recruiter_api.patch(detail(position), {"organization": str(other_organization.pk)})
    assert refused.status_code == 400
    same = admin_api.patch(detail(position), {"organization": str(position.organization_id)})
    assert same.status_code == 200
    position.refresh_from_db()
    assert position.organization.slug == "default"


def test_put_is_not_offered(recruiter_api):
    position = PositionFactory()
    assert recruiter_api.put(detail(position), NEW_POSITION).status_code == 405


def test_delete_an_unused_position(owner_api):
    position = PositionFactory()
    assert owner_api.delete(detail(position)).status_code == 204
    assert not Position.objects.filter(pk=position.pk).exists()


def test_delete_a_position_with_interviews_is_409_and_keeps_it(recruiter_api):
    position = PositionFactory()
    InterviewFactory(position=position, candidate=CandidateFactory(deleted_at=timezone.now()))
    response = recruiter_api.delete(detail(position))
    assert response.status_code == 409
    assert response.json()["code"] == "position_in_use"
    assert Position.objects.filter(pk=position.pk).exists()


def test_services_refuse_a_bad_rubric():
    organization = Organization.objects.default()
    with pytest.raises(InvalidInput) as refused:
        services.position_create(
            by=None, organization=organization, title="Ops", role_type="python", skills=[1]
        )
    assert refused.value.field == "skills"
    position = PositionFactory()
    with pytest.raises(InvalidInput):
        services.position_update(position=position, skills=[{"skill": "a", "weight": 0}])
    assert Position.objects.count() == 1


# --- organizations ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["owner", "recruiter", "engine"])
def test_another_organizations_position_is_404(request, role, theirs):
    client = request.getfixturevalue(ROLE_CLIENTS[role])
    assert client.get(detail(theirs)).status_code == 404
    assert client.get(pipeline_of(theirs)).status_code == 404
    assert str(theirs.pk) not in ids(client.get(LIST))


@pytest.mark.parametrize("role", ["owner", "recruiter"])
def test_another_organizations_position_cannot_be_changed_or_deleted(request, role, theirs):
    client = request.getfixturevalue(ROLE_CLIENTS[role])
    assert client.patch(detail(theirs), {"title": "Taken over"}).status_code == 404
    assert client.delete(detail(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Their opening"


def test_admin_sees_every_organization_and_filters_by_one(admin_api, theirs):
    ours = PositionFactory()
    assert ids(admin_api.get(LIST)) == {str(ours.pk), str(theirs.pk)}
    only_theirs = admin_api.get(LIST, {"organization": str(theirs.organization_id)})
    assert ids(only_theirs) == {str(theirs.pk)}
    assert admin_api.get(LIST, {"organization": "not-a-uuid"}).status_code == 400


def test_organization_filter_cannot_reach_another_organization(recruiter_api, theirs):
    response = recruiter_api.get(LIST, {"organization": str(theirs.organization_id)})
    assert response.status_code == 200
    assert response.json()["count"] == 0


# --- list filters, search, ordering, queries --------------------------------------------------


@pytest.fixture
def openings() -> dict[str, Position]:
    return {
        "python": PositionFactory(title="Python developer", role_type="python"),
        "react": PositionFactory(title="React developer", role_type="react"),
        "closed": PositionFactory(title="Archivist", role_type="python", status="closed"),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "open"}, {"python", "react"}),
        ({"status": "closed"}, {"closed"}),
        ({"role_type": "python"}, {"python", "closed"}),
        ({"role_type": ["python", "react"], "status": "open"}, {"python", "react"}),
        ({"search": "developer"}, {"python", "react"}),
        ({"search": "ARCHIV"}, {"closed"}),
        ({"experience_level": "mid"}, {"python", "react", "closed"}),
    ],
)
def test_position_filters(recruiter_api, openings, query, expected):
    response = recruiter_api.get(LIST, query)
    assert response.status_code == 200, response.json()
    assert ids(response) == {str(openings[name].pk) for name in expected}


@pytest.mark.parametrize("query", [{"status": "archived"}, {"role_type": "cobol"}])
def test_bad_position_filter_is_400(recruiter_api, query):
    assert recruiter_api.get(LIST, query).status_code == 400


def test_positions_order_by_title(recruiter_api, openings):
    titles = [
        row["title"] for row in recruiter_api.get(LIST, {"ordering": "title"}).json()["results"]
    ]
    assert titles == ["Archivist", "Python developer", "React developer"]


def test_list_is_paginated_in_a_fixed_number_of_queries(
    recruiter_api, django_assert_max_num_queries
):
    PositionFactory.create_batch(30)
    with django_assert_max_num_queries(3):  # token, count, page
        first = recruiter_api.get(LIST, {"page_size": 100})
    assert first.json()["count"] == 30
    assert len(recruiter_api.get(LIST).json()["results"]) == 20


# --- pipeline ---------------------------------------------------------------------------------


def _assessed(position: Position, score: str, **interview):
    return AssessmentFactory(
        interview=InterviewFactory(position=position, completed=True, **interview),
        overall_score=Decimal(score),
    )


def test_pipeline_counts_interviews_per_status_and_summarises_scores(recruiter_api):
    position = PositionFactory()
    InterviewFactory.create_batch(2, position=position)
    InterviewFactory(position=position, in_progress=True)
    InterviewFactory(position=position, abandoned=True)
    InterviewFactory(position=position, completed=True)  # not assessed yet
    for score in ("90.00", "55.25", "72.50"):
        _assessed(position, score)
    # None of these count: no position, another position, a soft-deleted candidate's.
    _assessed(None, "10.00")
    _assessed(PositionFactory(), "11.00")
    _assessed(position, "12.00", candidate=CandidateFactory(deleted_at=timezone.now()))
    InterviewFactory(position=position, candidate=CandidateFactory(deleted_at=timezone.now()))

    response = recruiter_api.get(pipeline_of(position))
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "position": str(position.pk),
        "interviews": {"scheduled": 2, "in_progress": 1, "completed": 4, "abandoned": 1},
        "total": 8,
        "assessed": 3,
        # Quartiles interpolate linearly (percentile_cont): q1 = 55.25 + 0.5 * 17.25 = 63.875.
        "overall_score": {"mean": "72.58", "q1": "63.88", "median": "72.50", "q3": "81.25"},
    }


def test_pipeline_quartiles_of_an_even_number_of_scores(engine_api):
    position = PositionFactory()
    for score in ("70.00", "90.00", "60.00", "80.00"):
        _assessed(position, score)
    summary = engine_api.get(pipeline_of(position)).json()["overall_score"]
    assert summary == {"mean": "75.00", "q1": "67.50", "median": "75.00", "q3": "82.50"}


def test_pipeline_of_a_single_assessment_is_that_score(recruiter_api):
    position = PositionFactory()
    _assessed(position, "64.30")
    summary = recruiter_api.get(pipeline_of(position)).json()["overall_score"]
    assert summary == {"mean": "64.30", "q1": "64.30", "median": "64.30", "q3": "64.30"}


def test_pipeline_of_a_new_position_has_every_status_at_zero_and_no_scores(recruiter_api):
    body = recruiter_api.get(pipeline_of(PositionFactory())).json()
    assert body["interviews"] == dict.fromkeys(InterviewStatus.values, 0)
    assert (body["total"], body["assessed"]) == (0, 0)
    assert body["overall_score"] == {"mean": None, "q1": None, "median": None, "q3": None}


def test_admin_reads_another_organizations_pipeline(admin_api, theirs):
    candidate = CandidateFactory(organization=theirs.organization)
    _assessed(theirs, "50.00", candidate=candidate)
    body = admin_api.get(pipeline_of(theirs)).json()
    assert (body["total"], body["assessed"], body["overall_score"]["median"]) == (1, 1, "50.00")


def test_pipeline_costs_the_same_queries_for_any_number_of_interviews(
    recruiter_api, django_assert_max_num_queries
):
    small, large = PositionFactory(), PositionFactory()
    _assessed(small, "50.00")
    for n in range(25):
        _assessed(large, f"{50 + n}.00")
        InterviewFactory(position=large)
    with CaptureQueriesContext(connection) as few:
        recruiter_api.get(pipeline_of(small))
    # token, position, the aggregate (and the scores where SQL has no percentile_cont)
    with django_assert_max_num_queries(4):
        response = recruiter_api.get(pipeline_of(large))
    assert response.json()["total"] == 50
    with CaptureQueriesContext(connection) as many:
        recruiter_api.get(pipeline_of(large))
    assert len(many) == len(few)


# --- interviews and assessments by position ---------------------------------------------------


@pytest.fixture
def staffed(theirs) -> dict:
    """An assessed interview for `position`, one for another position, one for none; and
    another organization's assessed interview for its position `theirs`."""
    position = PositionFactory()
    their_candidate = CandidateFactory(organization=theirs.organization)
    return {
        "position": position,
        "theirs": theirs,
        "match": _assessed(position, "80.00").interview,
        "other": _assessed(PositionFactory(), "70.00").interview,
        "none": _assessed(None, "60.00").interview,
        "their_interview": _assessed(theirs, "50.00", candidate=their_candidate).interview,
    }


@pytest.mark.parametrize(
    ("url", "key"), [("interview-list", "id"), ("assessment-list", "interview")]
)
def test_interviews_and_assessments_filter_by_position(recruiter_api, staffed, url, key):
    response = recruiter_api.get(reverse(url), {"position": str(staffed["position"].pk)})
    assert response.status_code == 200, response.json()
    assert [row[key] for row in response.json()["results"]] == [str(staffed["match"].pk)]


@pytest.mark.parametrize("url", ["interview-list", "assessment-list"])
def test_filtering_by_another_organizations_position_yields_no_rows(recruiter_api, staffed, url):
    response = recruiter_api.get(reverse(url), {"position": str(staffed["theirs"].pk)})
    assert response.status_code == 200
    assert response.json()["count"] == 0


@pytest.mark.parametrize("url", ["interview-list", "assessment-list"])
def test_admin_filters_any_organizations_position(admin_api, staffed, url):
    response = admin_api.get(reverse(url), {"position": str(staffed["theirs"].pk)})
    assert response.json()["count"] == 1


@pytest.mark.parametrize("url", ["interview-list", "assessment-list"])
def test_position_filter_that_is_not_an_id_is_400(recruiter_api, url):
    response = recruiter_api.get(reverse(url), {"position": "backend"})
    assert response.status_code == 400
    assert "position" in response.json()


def test_create_an_interview_for_a_position(recruiter_api):
    position, candidate = PositionFactory(), CandidateFactory()
    response = recruiter_api.post(
        reverse("interview-list"),
        {"candidate": str(candidate.pk), "position": str(position.pk), "role_type": "python"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["position"] == str(position.pk)
    assert Interview.objects.get(pk=response.json()["id"]).position == position


def test_interview_for_another_organizations_position_is_400_and_creates_nothing(
    recruiter_api, theirs
):
    response = recruiter_api.post(
        reverse("interview-list"),
        {"candidate": str(CandidateFactory().pk), "position": str(theirs.pk), "role_type": "react"},
    )
    assert response.status_code == 400
    assert "position" in response.json()
    assert not Interview.objects.exists()


def test_admin_pairing_a_candidate_and_position_of_two_organizations_is_400(admin_api, theirs):
    response = admin_api.post(
        reverse("interview-list"),
        {"candidate": str(CandidateFactory().pk), "position": str(theirs.pk), "role_type": "react"},
    )
    assert response.status_code == 400
    assert "position" in response.json()
    assert not Interview.objects.exists()


def test_patch_an_interview_onto_a_position_and_off_it(recruiter_api, theirs):
    interview, position = InterviewFactory(), PositionFactory()
    url = reverse("interview-detail", args=[interview.pk])
    assert recruiter_api.patch(url, {"position": str(position.pk)}).json()["position"] == str(
        position.pk
    )
    assert recruiter_api.patch(url, {"position": str(theirs.pk)}).status_code == 400
    interview.refresh_from_db()
    assert interview.position == position
    assert recruiter_api.patch(url, {"position": None}).json()["position"] is None
