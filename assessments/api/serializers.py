"""The assessment serializer (scores, strengths, integrity flags, reasoning)."""

from rest_framework import serializers

from assessments.models import AssessmentResult
from core.api.fields import (
    JSONObjectField,
    StrictCharField,
    StrictFloatField,
    StrictModelSerializer,
    VisibleRelatedField,
)
from interviews.models import Interview

MAX_LIST_ITEMS = 100
MAX_ITEM_CHARS = 1000


def score_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, **kwargs
    )


def text_list(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=StrictCharField(max_length=MAX_ITEM_CHARS),
        max_length=MAX_LIST_ITEMS,
        required=False,
        **kwargs,
    )


class AssessmentSerializer(StrictModelSerializer):
    """An assessment; every JSON field has a checked shape."""

    interview = VisibleRelatedField(queryset=Interview.objects.all())
    overall_score = score_field()
    integrity_score = score_field(required=False, allow_null=True)
    skill_scores = serializers.DictField(
        child=StrictFloatField(min_value=0, max_value=100),
        required=False,
        help_text="Skill name -> score from 0 to 100.",
    )
    skill_boundary_map = JSONObjectField(required=False)
    strengths = text_list()
    weaknesses = text_list()
    integrity_flags = text_list()
    ai_reasoning = JSONObjectField(required=False)
    recommended_actions = text_list()

    class Meta:
        model = AssessmentResult
        fields = [
            "id",
            "interview",
            "overall_score",
            "skill_scores",
            "skill_boundary_map",
            "strengths",
            "weaknesses",
            "integrity_score",
            "integrity_flags",
            "ai_reasoning",
            "recommended_actions",
            "generated_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]

    def validate_skill_scores(self, scores):
        if len(scores) > MAX_LIST_ITEMS:
            raise serializers.ValidationError(f"At most {MAX_LIST_ITEMS} skills.")
        for name in scores:
            if not name.strip() or len(name) > 100:
                raise serializers.ValidationError("Skill names are 1 to 100 characters.")
            # PostgreSQL's jsonb cannot hold U+0000; refuse it here rather than fail on save.
            if "\x00" in name:
                raise serializers.ValidationError("Null characters are not allowed.")
        return scores

    def validate_interview(self, interview):
        if self.instance is not None and interview.pk != self.instance.interview_id:
            raise serializers.ValidationError("An assessment cannot move to another interview.")
        return interview
