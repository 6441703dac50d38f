"""Skill scores as rows, for indexed score-range filters.

A jsonb_path_ops GIN index cannot answer `skill_scores.python >= 70`, so the skill filter scans
every assessment. This adds AssessmentSkillScore (assessment, skill, score) with a B-tree on
(skill, score), fills it from the existing skill_scores, and drops the GIN index on skill_scores
that no query uses any more. skill_scores stays the source of truth: reversing drops the rows
(they are derived) and brings the GIN index back; no data is lost either way.
"""

import django.db.models.deletion
from django.db import migrations, models


def fill_skill_rows(apps, schema_editor):
    Assessment = apps.get_model("assessments", "AssessmentResult")
    SkillScore = apps.get_model("assessments", "AssessmentSkillScore")
    batch = []
    for assessment_id, scores in Assessment.objects.values_list("id", "skill_scores").iterator():
        if not isinstance(scores, dict):
            continue
        for skill, score in scores.items():
            valid = isinstance(score, int | float) and not isinstance(score, bool)
            if valid and 0 <= score <= 100:
                batch.append(
                    SkillScore(assessment_id=assessment_id, skill=str(skill)[:100], score=score)
                )
        if len(batch) >= 5000:
            SkillScore.objects.bulk_create(batch)
            batch = []
    SkillScore.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_database_on_delete"),
    ]

    operations = [
        migrations.CreateModel(
            name="AssessmentSkillScore",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "assessment",
                        "skill",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "assessment",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="skill_rows",
                        to="assessments.assessmentresult",
                    ),
                ),
                ("skill", models.CharField(max_length=100)),
                ("score", models.FloatField()),
            ],
            options={
                "indexes": [
                    models.Index(fields=["skill", "score"], name="assessments_skill_score_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("score__gte", 0), ("score__lte", 100)),
                        name="assessments_assessmentskillscore_score_range",
                        violation_error_message="A skill score is between 0 and 100.",
                    )
                ],
            },
        ),
        migrations.RunPython(fill_skill_rows, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="assessmentresult", name="assessments_skills_gin"),
    ]
