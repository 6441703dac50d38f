"""Organizations (SPEC section 9): the `default` organization, the `owner` role, and every
owner, recruiter and engine tied to one organization.

Forwards creates `default` and moves every recruiter and engine (soft-deleted ones included)
into it. Backwards refuses, changing nothing, while it would lose data: an owner (the role does
not exist before) or a second organization (which rows belonged to which would be lost).
"""

import django.core.validators
import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
import django.utils.timezone
import uuid6
from django.db import migrations, models

DEFAULT_SLUG = "default"
ORGANIZATION_ROLES = ("owner", "recruiter", "engine")


def create_default_and_move_staff(apps, schema_editor):
    Organization = apps.get_model("accounts", "Organization")
    User = apps.get_model("accounts", "User")
    organization, _created = Organization.objects.get_or_create(
        slug=DEFAULT_SLUG, defaults={"name": "Default"}
    )
    User.objects.filter(role__in=ORGANIZATION_ROLES).update(organization=organization)


def refuse_to_lose_organizations(apps, schema_editor):
    Organization = apps.get_model("accounts", "Organization")
    User = apps.get_model("accounts", "User")
    if User.objects.filter(role="owner").exists():
        raise RuntimeError(
            "Cannot reverse accounts.0002: owners exist, and the role does not before it. "
            "Change their role or delete them first."
        )
    if Organization.objects.exclude(slug=DEFAULT_SLUG).exists():
        raise RuntimeError(
            "Cannot reverse accounts.0002: organizations other than `default` exist, and which "
            "rows belong to which would be lost. Remove them first."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.CreateModel(
            name="Organization",
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
                    "name",
                    models.CharField(
                        max_length=255, validators=[django.core.validators.MinLengthValidator(2)]
                    ),
                ),
                ("slug", models.SlugField(max_length=64, unique=True)),
                (
                    "status",
                    models.CharField(
                        choices=[("active", "Active"), ("suspended", "Suspended")],
                        default="active",
                        max_length=16,
                    ),
                ),
                (
                    "retention_days",
                    models.PositiveIntegerField(
                        default=30,
                        help_text="Days a soft-deleted row is kept before purge_deleted removes it.",
                    ),
                ),
            ],
            options={
                "ordering": ["name"],
            },
        ),
        migrations.RemoveConstraint(
            model_name="user",
            name="accounts_user_role_valid",
        ),
        migrations.RemoveConstraint(
            model_name="user",
            name="accounts_user_staff_matches_role",
        ),
        migrations.AlterField(
            model_name="user",
            name="role",
            field=models.CharField(
                choices=[
                    ("admin", "Admin"),
                    ("owner", "Owner"),
                    ("recruiter", "Recruiter"),
                    ("engine", "AI engine"),
                    ("candidate", "Candidate"),
                ],
                default="candidate",
                max_length=16,
            ),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=django.db.models.lookups.GreaterThanOrEqual(
                    django.db.models.functions.text.Length("name"), 2
                ),
                name="accounts_organization_name_length",
                violation_error_message="Name must have at least 2 characters.",
            ),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=models.Q(("slug", django.db.models.functions.text.Lower("slug"))),
                name="accounts_organization_slug_lower",
                violation_error_message="A slug is lower-case.",
            ),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=models.Q(("status__in", ["active", "suspended"])),
                name="accounts_organization_status_valid",
                violation_error_message="Unknown status.",
            ),
        ),
        migrations.AddConstraint(
            model_name="organization",
            constraint=models.CheckConstraint(
                condition=models.Q(("retention_days__gte", 1)),
                name="accounts_organization_retention_positive",
                violation_error_message="Retention is at least one day.",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="organization",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="users",
                to="accounts.organization",
            ),
        ),
        migrations.AddIndex(
            model_name="user",
            index=models.Index(fields=["organization", "role"], name="accounts_user_org_role_idx"),
        ),
        migrations.RunPython(create_default_and_move_staff, refuse_to_lose_organizations),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("role__in", ["admin", "owner", "recruiter", "engine", "candidate"])
                ),
                name="accounts_user_role_valid",
                violation_error_message="Unknown role.",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("is_staff", True), ("role__in", ("admin", "owner", "recruiter"))),
                    models.Q(
                        models.Q(("role__in", ("admin", "owner", "recruiter")), _negated=True),
                        ("is_staff", False),
                    ),
                    _connector="OR",
                ),
                name="accounts_user_staff_matches_role",
                violation_error_message="Only admins, owners and recruiters are staff.",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("organization__isnull", False),
                        ("role__in", ("owner", "recruiter", "engine")),
                    ),
                    models.Q(
                        models.Q(("role__in", ("owner", "recruiter", "engine")), _negated=True),
                        ("organization__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="accounts_user_organization_matches_role",
                violation_error_message="Owners, recruiters and engines belong to one organization; admins and candidates to none.",
            ),
        ),
    ]
