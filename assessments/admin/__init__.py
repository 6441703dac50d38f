"""The admin of assessments: their own pages, and what they add to the interview domain's.

`results` registers AssessmentResult; `interviews` re-registers Candidate and Interview with
subclasses of the interview domain's admins that show scores, charts and assessment links.
"""

from assessments.admin import interviews, results  # noqa: F401  registers the model admins
