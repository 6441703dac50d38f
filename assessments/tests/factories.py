"""Factories of assessment rows for tests."""

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from assessments import services
from assessments.models import AssessmentResult
from interviews.tests.factories import InterviewFactory


class AssessmentFactory(DjangoModelFactory):
    """An assessment row with its skill rows (written as the services write them)."""

    class Meta:
        model = AssessmentResult

    interview = factory.SubFactory(InterviewFactory, completed=True)
    organization = factory.SelfAttribute("interview.organization")
    overall_score = Decimal("72.50")
    skill_scores = factory.LazyFunction(lambda: {"python": 80, "sql": 65})
    strengths = factory.LazyFunction(lambda: ["clear explanations"])
    weaknesses = factory.LazyFunction(lambda: ["testing"])
    integrity_score = Decimal("95.00")
    integrity_flags = factory.LazyFunction(list)
    ai_reasoning = factory.LazyFunction(lambda: {"summary": "solid"})
    recommended_actions = factory.LazyFunction(lambda: ["second round"])

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        assessment = super()._create(model_class, *args, **kwargs)
        services.assessment_skill_rows_write(assessment=assessment)
        return assessment
