"""Remember which login a candidate profile lost when that login was soft-deleted, so that
restoring it (and no other account) links the profile again. A nullable column, nulled in the
database too when the login is purged; reversing drops it (it only ever held a soft-deleted
login's id, which restore cannot use without it and nothing else reads)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.db_operations import SetDatabaseOnDelete


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0003_candidate_deleted_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="candidate",
            name="former_user",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="former_candidate_profiles",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        SetDatabaseOnDelete("interviews_candidate", "former_user_id", "SET NULL"),
    ]
