"""System check (tagged `database`): stored user emails that the email rule would change."""

from django.core import checks
from django.db import connections

from accounts.emails import stored_email_findings

# Rows named in one warning; the rest are counted.
LISTED_ROWS = 20


def stored_emails_warnings(model, *, databases, check_id: str) -> list[checks.Warning]:
    """Warn about rows of `model` (its `all_objects`, deleted rows too) whose stored email the
    rule of accounts.emails would change or refuse; shared with interviews' candidate check."""
    warnings = []
    for alias in databases or []:
        table = model._meta.db_table
        if table not in connections[alias].introspection.table_names():
            continue  # not migrated yet: nothing stored
        rows = model.all_objects.using(alias).values_list("pk", "email").iterator(chunk_size=2000)
        findings = stored_email_findings(rows)
        if not findings:
            continue
        listed = "\n  ".join(findings[:LISTED_ROWS])
        more = len(findings) - LISTED_ROWS
        warnings.append(
            checks.Warning(
                f"{len(findings)} {model._meta.verbose_name_plural} in database {alias!r} have a "
                f"stored email that the email rule (accounts.emails) would change or refuse:\n  "
                f"{listed}" + (f"\n  ... and {more} more" if more > 0 else ""),
                hint=(
                    "They keep their stored email, but lookups (login, duplicate checks) use the "
                    "normalised form and the API and admin refuse the email as it is: correct "
                    "each one (admin change page or API PATCH) to the form shown, or to a valid "
                    "address."
                ),
                obj=model,
                id=check_id,
            )
        )
    return warnings


@checks.register(checks.Tags.database)
def check_user_emails(app_configs=None, databases=None, **kwargs):
    from accounts.models import User

    return stored_emails_warnings(User, databases=databases, check_id="accounts.W001")
