"""System check (tagged `database`): stored candidate emails the email rule would change."""

from django.core import checks

from accounts.checks import stored_emails_warnings


@checks.register(checks.Tags.database)
def check_candidate_emails(app_configs=None, databases=None, **kwargs):
    from interviews.models import Candidate

    return stored_emails_warnings(Candidate, databases=databases, check_id="interviews.W001")
