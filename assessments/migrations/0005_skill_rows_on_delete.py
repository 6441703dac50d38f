"""Make PostgreSQL itself delete skill rows with their assessment. (A migration of its own:
the foreign key of 0004 exists only once that migration's deferred SQL has run.)"""

from django.db import migrations

from core.db_operations import SetDatabaseOnDelete


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_skill_score_rows"),
    ]

    operations = [
        SetDatabaseOnDelete("assessments_assessmentskillscore", "assessment_id", "CASCADE"),
    ]
