"""The admin of the interview domain, one module per model or concern (registers them all).

Every write goes through `interviews.services` (status history, counters, locks); rows of
soft-deleted candidates are hidden by `visible_to`, the rule the API uses too, which also
keeps an organization's members to their organization's rows. The assessment pieces of the
candidate and interview pages are added by `assessments.admin.interviews`.
"""

from interviews.admin import (  # noqa: F401  registers
    candidates,
    interviews,
    invitations,
    positions,
    records,
    resumes,
)
