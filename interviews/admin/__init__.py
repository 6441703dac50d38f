"""The admin of the interview domain, one module per model or concern (registers them all).

Every write goes through `interviews.services` (status history, counters, locks); rows of
soft-deleted candidates are hidden by `visible_to`, the rule the API uses too. The assessment
pieces of the candidate and interview pages are added by `assessments.admin.interviews`.
"""

from interviews.admin import candidates, interviews, records, resumes  # noqa: F401  registers
