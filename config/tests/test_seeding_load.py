"""The load generator (seed --load): its rows obey the apps' rules and serve their filters."""

import pytest
from django.urls import reverse

from assessments.models import AssessmentResult, AssessmentSkillScore
from config.seeding.load import LoadPlan, seed_load_data

pytestmark = pytest.mark.django_db


def rows_of(assessment) -> dict[str, float]:
    return dict(
        AssessmentSkillScore.objects.filter(assessment=assessment).values_list("skill", "score")
    )


def test_load_data_writes_the_skill_rows_of_every_assessment(admin_api):
    seed_load_data(LoadPlan(candidates=30, interviews_per_candidate=1, messages_per_interview=2))

    for assessment in AssessmentResult.objects.all():
        assert rows_of(assessment) == {k: float(v) for k, v in assessment.skill_scores.items()}
    high = admin_api.get(
        reverse("assessment-list"), {"skill": "python", "min_skill_score": 90, "page_size": 100}
    ).json()
    expected = [
        str(a.pk) for a in AssessmentResult.objects.all() if a.skill_scores.get("python", -1) >= 90
    ]
    assert sorted(row["id"] for row in high["results"]) == sorted(expected)
