"""AssessmentSkillScore rows mirror skill_scores, and serve the skill filter."""

import pytest

from assessments import services
from assessments.models import AssessmentSkillScore
from assessments.tests.factories import AssessmentFactory

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
