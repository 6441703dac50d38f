"""The assessments endpoints: one per completed interview, checked JSON shapes, filters."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentResult
from assessments.tests.factories import AssessmentFactory
from interviews.tests.factories import CandidateFactory, InterviewFactory

pytestmark = [pytest.mark.django_db, pytest.mark.pgbouncer]

VALID = {
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


def detail(assessment: AssessmentResult) -> str:
    return reverse("assessment-detail", args=[assessment.pk])


def ids(response) -> list[str]:
    return [row["id"] for row in response.json()["results"]]


def create(client, interview, **changes):
    return client.post(
        reverse("assessment-list"), {**VALID, "interview": str(interview.pk), **changes}
    )


# --- who may call (the tables: config/tests/test_roles.py) ------------------------------------


def test_assessment_of_soft_deleted_candidate_is_hidden(recruiter_api):
    assessment = AssessmentFactory(interview__candidate=CandidateFactory(deleted_at=timezone.now()))
    assert recruiter_api.get(reverse("assessment-list")).json()["count"] == 0
    assert recruiter_api.get(detail(assessment)).status_code == 404


# --- create -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role_api", ["admin_api", "recruiter_api", "engine_api"])
def test_create_assessment_for_completed_interview(request, role_api):
    client = request.getfixturevalue(role_api)
    interview = InterviewFactory(completed=True)
    response = create(client, interview)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["interview"] == str(interview.pk)
    assert body["overall_score"] == "78.25"
    assert body["skill_scores"] == {"python": 85.0, "sql": 62.5}
    assert body["strengths"] == VALID["strengths"]
    stored = AssessmentResult.objects.get(interview=interview)
    assert stored.overall_score == Decimal("78.25")
    assert stored.ai_reasoning == VALID["ai_reasoning"]
    listed = client.get(reverse("interview-detail", args=[interview.pk])).json()
    assert listed["overall_score"] == "78.25"


@pytest.mark.parametrize("trait", ["scheduled", "in_progress", "abandoned"])
def test_assessment_for_unfinished_interview_is_conflict(engine_api, trait):
    interview = InterviewFactory(**({} if trait == "scheduled" else {trait: True}))
    response = create(engine_api, interview)
    assert response.status_code == 409
    assert response.json()["code"] == "assessment_not_allowed"
    assert trait in response.json()["detail"]
    assert AssessmentResult.objects.count() == 0


def test_second_assessment_is_conflict(recruiter_api):
    first = AssessmentFactory()
    response = create(recruiter_api, first.interview)
    assert response.status_code == 409
    assert response.json()["code"] == "assessment_not_allowed"
    assert AssessmentResult.objects.filter(interview=first.interview).count() == 1
    first.refresh_from_db()
    assert first.overall_score == Decimal("72.50")


def test_assessment_for_unknown_interview_is_400(recruiter_api):
    response = recruiter_api.post(
        reverse("assessment-list"),
        {**VALID, "interview": "0190a4d8-0000-7000-8000-000000000000"},
    )
    assert response.status_code == 400
    assert "interview" in response.json()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"skill_scores": [85, 62]}, "skill_scores"),
        ({"skill_scores": {"python": 101}}, "skill_scores"),
        ({"skill_scores": {"python": -1}}, "skill_scores"),
        ({"skill_scores": {"python": "high"}}, "skill_scores"),
        ({"skill_scores": {"": 50}}, "skill_scores"),
        ({"skill_scores": {"py\x00thon": 50}}, "skill_scores"),
        ({"skill_scores": {"python": None}}, "skill_scores"),
        ({"strengths": "clear explanations"}, "strengths"),
        ({"weaknesses": [{"topic": "sql"}]}, "weaknesses"),
        ({"integrity_flags": "tab switching"}, "integrity_flags"),
        ({"recommended_actions": {"next": "hire"}}, "recommended_actions"),
        ({"ai_reasoning": ["because"]}, "ai_reasoning"),
        ({"skill_boundary_map": "python"}, "skill_boundary_map"),
        ({"overall_score": "100.001"}, "overall_score"),
        ({"overall_score": "101"}, "overall_score"),
        ({"overall_score": "-0.01"}, "overall_score"),
        ({"overall_score": None}, "overall_score"),
        ({"integrity_score": "-1"}, "integrity_score"),
        ({"integrity_score": "100.5"}, "integrity_score"),
        ({"strengths": ["x" * 1001]}, "strengths"),
        ({"strengths": ["ok"] * 101}, "strengths"),
        # Booleans are not numbers and numbers are not strings (issue 12, item 14).
        ({"skill_scores": {"python": True}}, "skill_scores"),
        ({"skill_scores": {"python": False}}, "skill_scores"),
        ({"strengths": [1, 2]}, "strengths"),
        ({"weaknesses": [True]}, "weaknesses"),
        ({"integrity_flags": [1.5]}, "integrity_flags"),
        ({"recommended_actions": [7]}, "recommended_actions"),
        ({"overall_score": True}, "overall_score"),
        ({"integrity_score": False}, "integrity_score"),
    ],
)
def test_badly_shaped_assessment_is_400(recruiter_api, changes, field):
    response = create(recruiter_api, InterviewFactory(completed=True), **changes)
    assert response.status_code == 400
    assert field in response.json()
    assert AssessmentResult.objects.count() == 0


def test_missing_overall_score_is_400(recruiter_api):
    payload = {key: value for key, value in VALID.items() if key != "overall_score"}
    interview = InterviewFactory(completed=True)
    response = recruiter_api.post(
        reverse("assessment-list"), {**payload, "interview": str(interview.pk)}
    )
    assert response.status_code == 400
    assert "overall_score" in response.json()


def test_boundary_scores_are_accepted(recruiter_api):
    response = create(
        recruiter_api,
        InterviewFactory(completed=True),
        overall_score="100.00",
        integrity_score="0",
        skill_scores={"python": 0, "sql": 100},
    )
    assert response.status_code == 201


# --- update -----------------------------------------------------------------------------------


def test_patch_assessment_scores(engine_api):
    assessment = AssessmentFactory()
    response = engine_api.patch(detail(assessment), {"overall_score": "88.00"})
    assert response.status_code == 200
    assessment.refresh_from_db()
    assert assessment.overall_score == Decimal("88.00")


def test_patch_cannot_move_assessment_to_another_interview(recruiter_api):
    assessment = AssessmentFactory()
    original = assessment.interview_id
    other = InterviewFactory(completed=True)
    response = recruiter_api.patch(detail(assessment), {"interview": str(other.pk)})
    assert response.status_code == 400
    assert "interview" in response.json()
    assessment.refresh_from_db()
    assert assessment.interview_id == original


def test_patch_with_bad_shape_is_400(recruiter_api):
    assessment = AssessmentFactory()
    response = recruiter_api.patch(detail(assessment), {"skill_scores": {"python": 150}})
    assert response.status_code == 400
    assessment.refresh_from_db()
    assert assessment.skill_scores == {"python": 80, "sql": 65}


def test_delete_assessment(recruiter_api):
    assessment = AssessmentFactory()
    assert recruiter_api.delete(detail(assessment)).status_code == 204
    assert not AssessmentResult.objects.filter(pk=assessment.pk).exists()


# --- filters and ordering ---------------------------------------------------------------------


@pytest.fixture
def scored():
    return {
        "strong": AssessmentFactory(
            overall_score=Decimal("91.00"),
            skill_scores={"python": 95, "node.js": 40, "c++": 70, "café": 55, "back\\slash": 5},
            integrity_flags=[],
        ),
        "average": AssessmentFactory(
            overall_score=Decimal("65.00"),
            skill_scores={"python": 60, "sql": 75},
            integrity_flags=["tab_switching"],
        ),
        "weak": AssessmentFactory(
            overall_score=Decimal("30.50"),
            skill_scores={"sql": 20, "node.js": 90},
            integrity_flags=["tab_switching", "second voice"],
            integrity_score=Decimal("40.00"),
        ),
    }


def names_in(response, scored) -> set[str]:
    by_id = {str(assessment.pk): name for name, assessment in scored.items()}
    return {by_id[row_id] for row_id in ids(response)}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"min_score": "65"}, {"strong", "average"}),
        ({"max_score": "65"}, {"average", "weak"}),
        ({"min_score": "31", "max_score": "90"}, {"average"}),
        ({"skill": "python"}, {"strong", "average"}),
        ({"skill": "python", "min_skill_score": "70"}, {"strong"}),
        ({"skill": "python", "max_skill_score": "60"}, {"average"}),
        ({"skill": "sql", "min_skill_score": "20", "max_skill_score": "74"}, {"weak"}),
        ({"skill": "node.js", "min_skill_score": "50"}, {"weak"}),
        ({"skill": "c++"}, {"strong"}),
        ({"skill": "café", "min_skill_score": "50"}, {"strong"}),
        ({"skill": "back\\slash", "max_skill_score": "5"}, {"strong"}),
        ({"skill": "python", "min_skill_score": "6.5e1"}, {"strong"}),
        ({"skill": "$.python"}, set()),
        ({"skill": "python' || true"}, set()),
        ({"skill": "rust"}, set()),
        ({"skill": 'py"thon', "min_skill_score": "0"}, set()),
        ({"integrity_flag": "tab_switching"}, {"average", "weak"}),
        ({"integrity_flag": "second voice"}, {"weak"}),
        ({"integrity_flag": "tab"}, set()),
        ({"max_integrity_score": "50"}, {"weak"}),
    ],
)
def test_assessment_filters(recruiter_api, scored, query, expected):
    response = recruiter_api.get(reverse("assessment-list"), query)
    assert response.status_code == 200, response.json()
    assert names_in(response, scored) == expected


def test_assessment_filter_by_interview_and_candidate(recruiter_api, scored):
    weak = scored["weak"]
    by_interview = recruiter_api.get(
        reverse("assessment-list"), {"interview": str(weak.interview_id)}
    )
    assert names_in(by_interview, scored) == {"weak"}
    by_candidate = recruiter_api.get(
        reverse("assessment-list"), {"candidate": str(weak.interview.candidate_id)}
    )
    assert names_in(by_candidate, scored) == {"weak"}


@pytest.mark.parametrize(
    "query",
    [
        {"min_skill_score": "50"},
        {"max_skill_score": "50"},
        {"skill": "python", "min_skill_score": "abc"},
        {"skill": "python", "min_skill_score": "101"},
        {"min_score": "-1"},
        {"interview": "not-a-uuid"},
    ],
)
def test_bad_assessment_filter_is_400(recruiter_api, scored, query):
    response = recruiter_api.get(reverse("assessment-list"), query)
    assert response.status_code == 400


def test_min_skill_score_without_skill_names_the_skill_parameter(recruiter_api, scored):
    response = recruiter_api.get(reverse("assessment-list"), {"min_skill_score": "50"})
    assert response.status_code == 400
    assert "skill" in response.json()


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("overall_score", ["weak", "average", "strong"]),
        ("-overall_score", ["strong", "average", "weak"]),
    ],
)
def test_assessment_ordering(recruiter_api, scored, ordering, expected):
    response = recruiter_api.get(reverse("assessment-list"), {"ordering": ordering})
    assert ids(response) == [str(scored[name].pk) for name in expected]
