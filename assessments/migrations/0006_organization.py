"""Organizations on assessments and their skill score rows (SPEC section 9).

Forwards sets each row's organization from its interview, then makes the column required.
Backwards refuses, changing nothing, while organizations other than `default` exist (which rows
belonged to which would be lost).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_organization_from_interviews(apps, schema_editor):
    Assessment = apps.get_model("assessments", "AssessmentResult")
    SkillScore = apps.get_model("assessments", "AssessmentSkillScore")
    Interview = apps.get_model("interviews", "Interview")
    Assessment._base_manager.update(
        organization_id=Subquery(
            Interview._base_manager.filter(pk=OuterRef("interview_id")).values("organization_id")
        )
    )
    SkillScore._base_manager.update(
        organization_id=Subquery(
            Assessment._base_manager.filter(pk=OuterRef("assessment_id")).values("organization_id")
        )
    )


def refuse_to_lose_tenancy(apps, schema_editor):
    if apps.get_model("accounts", "Organization").objects.exclude(slug="default").exists():
        raise RuntimeError(
            "Cannot reverse assessments.0006: organizations other than `default` exist, and which "
            "rows belong to which would be lost. Remove them first."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organization"),
        ("assessments", "0005_skill_rows_on_delete"),
        ("interviews", "0005_organizations_positions_invitations"),
    ]

    operations = [
        migrations.AddField(
            model_name="assessmentresult",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organization",
            ),
        ),
        migrations.AddField(
            model_name="assessmentskillscore",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organization",
            ),
        ),
        migrations.RunPython(copy_organization_from_interviews, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="assessmentresult",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organization",
            ),
        ),
        migrations.AlterField(
            model_name="assessmentskillscore",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organization",
            ),
        ),
        migrations.AddIndex(
            model_name="assessmentresult",
            index=models.Index(
                fields=["organization", "-generated_at"], name="assessments_org_generated_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="assessmentresult",
            index=models.Index(
                fields=["organization", "overall_score"], name="assessments_org_score_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="assessmentskillscore",
            index=models.Index(
                fields=["organization", "skill", "score"], name="assessments_org_skill_idx"
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, refuse_to_lose_tenancy),
    ]
