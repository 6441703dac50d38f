"""Make PostgreSQL itself cascade from a candidate down (spec section 3), and null the links
that Django declares SET_NULL. Only constraint actions change: no data moves either way."""

from django.db import migrations

from core.db_operations import SetDatabaseOnDelete


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0001_initial"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        SetDatabaseOnDelete("interviews_resume", "candidate_id", "CASCADE"),
        SetDatabaseOnDelete("interviews_interview", "candidate_id", "CASCADE"),
        SetDatabaseOnDelete("interviews_interview", "resume_id", "SET NULL"),
        SetDatabaseOnDelete("interviews_interviewsession", "interview_id", "CASCADE"),
        SetDatabaseOnDelete("interviews_interviewmessage", "interview_id", "CASCADE"),
        SetDatabaseOnDelete("interviews_interviewmessage", "session_id", "CASCADE"),
        SetDatabaseOnDelete("interviews_interviewstatuschange", "interview_id", "CASCADE"),
        SetDatabaseOnDelete("interviews_interviewstatuschange", "changed_by_id", "SET NULL"),
        SetDatabaseOnDelete("interviews_candidate", "user_id", "SET NULL"),
    ]
