"""Make PostgreSQL itself delete an assessment with its interview (spec section 3)."""

from django.db import migrations

from core.db_operations import SetDatabaseOnDelete


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_recruiters_group"),
        ("interviews", "0002_database_on_delete"),
    ]

    operations = [
        SetDatabaseOnDelete("assessments_assessmentresult", "interview_id", "CASCADE"),
    ]
