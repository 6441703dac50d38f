"""Organizations on every interview row, positions and invitations (SPEC section 9).

Forwards puts every existing candidate, resume, interview, session, message and status change
into the organization `default` (accounts.0002 created it), then makes the column required;
`Candidate.user` becomes a foreign key (a login may hold one profile per organization).
Backwards refuses, changing nothing, while it would lose data: a position or an invitation (their
tables go), or an organization other than `default` (which rows belonged to which would go).
"""

import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
import uuid6
from django.conf import settings
from django.db import migrations, models

import interviews.models.positions
from core.db_operations import SetDatabaseOnDelete

TENANT_MODELS = [
    "candidate",
    "resume",
    "interview",
    "interviewsession",
    "interviewmessage",
    "interviewstatuschange",
]


def move_rows_into_default(apps, schema_editor):
    Organization = apps.get_model("accounts", "Organization")
    default, _created = Organization.objects.get_or_create(
        slug="default", defaults={"name": "Default"}
    )
    for name in TENANT_MODELS:
        apps.get_model("interviews", name)._base_manager.update(organization=default)


def refuse_to_lose_tenancy(apps, schema_editor):
    Organization = apps.get_model("accounts", "Organization")
    for name in ("position", "invitation"):
        if apps.get_model("interviews", name)._base_manager.exists():
            raise RuntimeError(
                f"Cannot reverse interviews.0005: {name}s exist and their table would go. "
                "Delete them first."
            )
    if Organization.objects.exclude(slug="default").exists():
        raise RuntimeError(
            "Cannot reverse interviews.0005: organizations other than `default` exist, and which "
            "rows belong to which would be lost. Remove them first."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_organization"),
        ("interviews", "0004_candidate_former_user"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Invitation",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid6.uuid7, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("email", models.EmailField(max_length=254)),
                (
                    "full_name",
                    models.CharField(
                        max_length=255, validators=[django.core.validators.MinLengthValidator(2)]
                    ),
                ),
                ("token_digest", models.CharField(editable=False, max_length=64, unique=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("accepted", "Accepted"),
                            ("revoked", "Revoked"),
                            ("expired", "Expired"),
                        ],
                        default="pending",
                        max_length=16,
                    ),
                ),
                ("expires_at", models.DateTimeField()),
                ("sent_count", models.PositiveIntegerField(default=1)),
                ("accepted_at", models.DateTimeField(blank=True, null=True)),
                ("revoked_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["-created_at"],
            },
        ),
        migrations.CreateModel(
            name="Position",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid6.uuid7, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "title",
                    models.CharField(
                        max_length=200, validators=[django.core.validators.MinLengthValidator(2)]
                    ),
                ),
                (
                    "role_type",
                    models.CharField(
                        choices=[
                            ("react", "React"),
                            ("python", "Python"),
                            ("javascript", "JavaScript"),
                            ("fullstack", "Full stack"),
                        ],
                        max_length=16,
                    ),
                ),
                (
                    "experience_level",
                    models.CharField(
                        choices=[
                            ("entry", "Entry"),
                            ("junior", "Junior"),
                            ("mid", "Mid"),
                            ("senior", "Senior"),
                            ("lead", "Lead"),
                            ("principal", "Principal"),
                        ],
                        default="mid",
                        max_length=16,
                    ),
                ),
                ("description", models.TextField(blank=True, default="")),
                (
                    "skills",
                    models.JSONField(
                        blank=True,
                        default=list,
                        validators=[interviews.models.positions.validate_rubric],
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("closed", "Closed")],
                        default="open",
                        max_length=16,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="candidate",
            name="interviews_candidate_email_live_unique",
        ),
        migrations.RemoveConstraint(
            model_name="interviewmessage",
            name="interviews_interviewmessage_sequence_unique",
        ),
        migrations.AddField(
            model_name="candidate",
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
            model_name="interview",
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
            model_name="interviewmessage",
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
            model_name="interviewsession",
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
            model_name="interviewstatuschange",
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
            model_name="resume",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organization",
            ),
        ),
        migrations.RunPython(move_rows_into_default, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="candidate",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organization",
            ),
        ),
        migrations.AlterField(
            model_name="resume",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organization",
            ),
        ),
        migrations.AlterField(
            model_name="interview",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organization",
            ),
        ),
        migrations.AlterField(
            model_name="interviewsession",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organization",
            ),
        ),
        migrations.AlterField(
            model_name="interviewmessage",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organization",
            ),
        ),
        migrations.AlterField(
            model_name="interviewstatuschange",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organization",
            ),
        ),
        # Reversing, the AlterField below re-creates the key as Django writes it: put back
        # the ON DELETE SET NULL of 0002 afterwards (this runs last on the way down).
        SetDatabaseOnDelete("interviews_candidate", "user_id", "SET NULL", previous="SET NULL"),
        migrations.AlterField(
            model_name="candidate",
            name="user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="candidate_profiles",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddIndex(
            model_name="candidate",
            index=models.Index(
                fields=["organization", "-created_at"], name="interviews_cand_org_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="resume",
            index=models.Index(
                fields=["organization", "-uploaded_at"], name="interviews_resume_org_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="candidate",
            constraint=models.UniqueConstraint(
                models.F("organization"),
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("deleted_at__isnull", True)),
                name="interviews_candidate_email_live_unique",
                violation_error_message="A candidate with this email already exists.",
            ),
        ),
        migrations.AddConstraint(
            model_name="candidate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("user__isnull", False)),
                fields=("organization", "user"),
                name="interviews_candidate_user_unique",
                violation_error_message="This account has a profile in this organization already.",
            ),
        ),
        migrations.AddConstraint(
            model_name="interviewmessage",
            constraint=models.UniqueConstraint(
                fields=("organization", "interview", "sequence_number"),
                name="interviews_interviewmessage_sequence_unique",
                violation_error_message="This sequence number is taken in this interview.",
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="accepted_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="candidate",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="invitations",
                to="interviews.candidate",
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="interview",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="invitations",
                to="interviews.interview",
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organization",
            ),
        ),
        migrations.AddField(
            model_name="position",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="position",
            name="organization",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.organization",
            ),
        ),
        migrations.AddField(
            model_name="invitation",
            name="position",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="invitations",
                to="interviews.position",
            ),
        ),
        migrations.AddField(
            model_name="interview",
            name="position",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="interviews",
                to="interviews.position",
            ),
        ),
        migrations.AddIndex(
            model_name="interview",
            index=models.Index(
                fields=["organization", "-created_at"], name="interviews_interview_org_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="interview",
            index=models.Index(
                fields=["organization", "status", "-created_at"],
                name="interviews_iv_org_status_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="interview",
            index=models.Index(
                condition=models.Q(("position__isnull", False)),
                fields=["position", "status"],
                name="interviews_interview_pos_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="position",
            index=models.Index(
                fields=["organization", "status", "-created_at"], name="interviews_position_org_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="position",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.GreaterThanOrEqual(
                    django.db.models.functions.text.Length("title"), 2
                ),
                name="interviews_position_title_length",
                violation_error_message="A title has at least 2 characters.",
            ),
        ),
        migrations.AddConstraint(
            model_name="position",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("role_type__in", ["react", "python", "javascript", "fullstack"])
                ),
                name="interviews_position_role_type_valid",
                violation_error_message="Unknown role type.",
            ),
        ),
        migrations.AddConstraint(
            model_name="position",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "experience_level__in",
                        ["entry", "junior", "mid", "senior", "lead", "principal"],
                    )
                ),
                name="interviews_position_experience_level_valid",
                violation_error_message="Unknown experience level.",
            ),
        ),
        migrations.AddConstraint(
            model_name="position",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["open", "closed"])),
                name="interviews_position_status_valid",
                violation_error_message="Unknown position status.",
            ),
        ),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(
                fields=["organization", "-created_at"], name="interviews_invitation_org_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="invitation",
            index=models.Index(fields=["interview"], name="interviews_invitation_iv_idx"),
        ),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ("pending", "accepted", "revoked"))),
                name="interviews_invitation_status_valid",
                violation_error_message="Unknown invitation status.",
            ),
        ),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.CheckConstraint(
                condition=models.Q(("email", django.db.models.functions.text.Lower("email"))),
                name="interviews_invitation_email_normalised",
                violation_error_message="Email must be stored lower-cased.",
            ),
        ),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.GreaterThanOrEqual(
                    django.db.models.functions.text.Length("full_name"), 2
                ),
                name="interviews_invitation_full_name_length",
                violation_error_message="Full name must have at least 2 characters.",
            ),
        ),
        migrations.AddConstraint(
            model_name="invitation",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("accepted_at__isnull", True), ("status", "pending")),
                    models.Q(("accepted_at__isnull", False), ("status", "accepted")),
                    models.Q(("revoked_at__isnull", False), ("status", "revoked")),
                    _connector="OR",
                ),
                name="interviews_invitation_times_match_status",
                violation_error_message="Acceptance and revocation times do not match the status.",
            ),
        ),
        # PostgreSQL itself acts as Django's on_delete does (as 0002 did for the others).
        SetDatabaseOnDelete("interviews_candidate", "user_id", "SET NULL"),
        SetDatabaseOnDelete("interviews_invitation", "candidate_id", "CASCADE"),
        SetDatabaseOnDelete("interviews_invitation", "interview_id", "CASCADE"),
        SetDatabaseOnDelete("interviews_invitation", "position_id", "SET NULL"),
        SetDatabaseOnDelete("interviews_invitation", "accepted_by_id", "SET NULL"),
        SetDatabaseOnDelete("interviews_invitation", "created_by_id", "SET NULL"),
        SetDatabaseOnDelete("interviews_position", "created_by_id", "SET NULL"),
        migrations.RunPython(migrations.RunPython.noop, refuse_to_lose_tenancy),
    ]
