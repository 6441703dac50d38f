"""AssessmentSkillScore rows mirror skill_scores, and serve the skill filter."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentSkillScore
from assessments.tests.factories import AssessmentFactory
from interviews.load_data import LoadPlan, seed_load_data

pytestmark = pytest.mark.django_db


def rows_of(assessment) -> dict[str, float]:
    return dict(
        AssessmentSkillScore.objects.filter(assessment=assessment).values_list("skill", "score")
    )


def test_skill_rows_follow_create_and_update():
    assessment = AssessmentFactory(skill_scores={"python": 80, "sql": 65.5})
    assert rows_of(assessment) == {"python": 80.0, "sql": 65.5}

    services.assessment_update(assessment=assessment, skill_scores={"react": 90})

    assert rows_of(assessment) == {"react": 90.0}


def test_update_of_other_fields_keeps_the_skill_rows():
    assessment = AssessmentFactory(skill_scores={"python": 80})
    services.assessment_update(assessment=assessment, strengths=["tests"])
    assert rows_of(assessment) == {"python": 80.0}


def test_values_that_are_not_scores_get_no_row():
    assessment = AssessmentFactory(skill_scores={"python": 101, "css": "lots", "go": True, "x": 5})
    assert rows_of(assessment) == {"x": 5.0}


def test_skill_rows_go_with_their_assessment():
    assessment = AssessmentFactory()
    assessment.delete()
    assert not AssessmentSkillScore.objects.exists()


def test_load_data_writes_the_skill_rows_of_every_assessment(admin_api):
    seed_load_data(LoadPlan(candidates=30, interviews_per_candidate=1, messages_per_interview=2))

    from assessments.models import AssessmentResult

    for assessment in AssessmentResult.objects.all():
        assert rows_of(assessment) == {k: float(v) for k, v in assessment.skill_scores.items()}
    high = admin_api.get(
        reverse("assessment-list"), {"skill": "python", "min_skill_score": 90, "page_size": 100}
    ).json()
    expected = [
        str(a.pk) for a in AssessmentResult.objects.all() if a.skill_scores.get("python", -1) >= 90
    ]
    assert sorted(row["id"] for row in high["results"]) == sorted(expected)
