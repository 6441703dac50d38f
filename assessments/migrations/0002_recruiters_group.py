"""Create the "Recruiters" group with full rights on the interview domain (not on users).

The lockout backend grants this group's permissions to every user whose role is `recruiter`, so
the group follows the role without membership rows to keep in sync. Admins may edit the group's
permissions in the admin. Reversing removes the group (no other data depends on it).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_NAME = "Recruiters"
DOMAIN_MODELS = {
    "interviews": [
        "candidate",
        "resume",
        "interview",
        "interviewsession",
        "interviewmessage",
        "interviewstatuschange",
    ],
    "assessments": ["assessmentresult"],
}


def create_recruiters_group(apps, schema_editor):
    # Permissions are normally created after migrate finishes; make sure they exist now.
    for label in DOMAIN_MODELS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True  # a migration's app stub has none; the check needs one
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    for app_label, models in DOMAIN_MODELS.items():
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, content_type__model__in=models
            )
        )


def remove_recruiters_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0001_initial"),
        ("interviews", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_recruiters_group, remove_recruiters_group)]
