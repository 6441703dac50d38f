"""The admin index dashboard: what is happening now, in a fixed number of queries.

Interviews by status this week (one aggregate), interviews in progress with their last activity,
the latest assessments and, for those who may see accounts, the locked ones. Lists are LIMITed,
so the page costs the same on a demo database and on load data. Every query reads through
`visible_to(user)` (accounts: `manageable_by(user)`): an organization's members see their
organization's rows only.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import User
from assessments.models import AssessmentResult
from core.admin import changelist_url
from interviews.models import Interview

LIST_LIMIT = 10


@dataclass(frozen=True)
class StatusCount:
    label: str
    count: int
    url: str


@dataclass(frozen=True)
class Dashboard:
    week_start: datetime
    week_counts: list[StatusCount] | None
    week_total: int
    in_progress: list[Interview] | None
    in_progress_total: int
    in_progress_url: str
    recent_assessments: list[AssessmentResult] | None
    assessments_url: str
    locked_users: list[User] | None
    locked_more: bool
    locked_url: str


def week_start(now: datetime) -> datetime:
    """Return Monday 00:00 of the current week, in the site's time zone."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - timedelta(days=today.weekday())


def interviews_this_week(user, since: datetime) -> list[StatusCount]:
    """Count this week's interviews (by creation time) per status, in one query."""
    counts = (
        Interview.objects.visible_to(user)
        .filter(created_at__gte=since)
        .aggregate(
            **{status: Count("pk", filter=Q(status=status)) for status in Interview.Status.values}
        )
    )
    since_param = since.isoformat()
    return [
        StatusCount(
            label=label,
            count=counts[status],
            url=changelist_url(Interview, status__exact=status, created_at__gte=since_param),
        )
        for status, label in Interview.Status.choices
    ]


def interviews_in_progress(user) -> tuple[list[Interview], int]:
    """Return the running interviews, most recently active first (LIMITed), and their count."""
    running = Interview.objects.visible_to(user).filter(status=Interview.Status.IN_PROGRESS)
    latest = list(
        running.select_related("candidate", "session")
        .only(
            "id",
            "role_type",
            "status",
            "started_at",
            "message_count",
            "candidate__id",
            "candidate__full_name",
            "candidate__email",
            "session__id",
            "session__last_activity_at",
            "session__questions_asked_count",
            "session__current_difficulty_level",
        )
        .order_by(F("session__last_activity_at").desc(nulls_last=True), "-started_at")[:LIST_LIMIT]
    )
    # Counted every time (not only when the list is full): the page's query count stays fixed.
    return latest, running.count()


def recent_assessments(user) -> list[AssessmentResult]:
    return list(
        AssessmentResult.objects.visible_to(user)
        .select_related("interview", "interview__candidate")
        .only(
            "id",
            "overall_score",
            "integrity_score",
            "generated_at",
            "interview__id",
            "interview__role_type",
            "interview__status",
            "interview__candidate__id",
            "interview__candidate__full_name",
        )
        .order_by("-generated_at")[:LIST_LIMIT]
    )


def locked_users(user, now: datetime) -> tuple[list[User], bool]:
    """Return the accounts `user` manages that are locked out now (LIMITed, served by the
    partial index) and whether there are more."""
    rows = list(
        User.objects.manageable_by(user)
        .filter(locked_until__gt=now)
        .only("id", "email", "full_name", "role", "failed_login_attempts", "locked_until")
        .order_by("locked_until")[: LIST_LIMIT + 1]
    )
    return rows[:LIST_LIMIT], len(rows) > LIST_LIMIT


def dashboard_for(user, now: datetime | None = None) -> Dashboard:
    """Build the dashboard that `user` may see: sections without a view permission are None."""
    now = now or timezone.now()
    since = week_start(now)
    week_counts, in_progress, in_progress_total, assessments = None, None, 0, None
    if user.has_perm("interviews.view_interview"):
        week_counts = interviews_this_week(user, since)
        in_progress, in_progress_total = interviews_in_progress(user)
    if user.has_perm("assessments.view_assessmentresult"):
        assessments = recent_assessments(user)
    locked, locked_more = (None, False)
    if user.has_perm("accounts.view_user"):
        locked, locked_more = locked_users(user, now)
    return Dashboard(
        week_start=since,
        week_counts=week_counts,
        week_total=sum(row.count for row in week_counts or []),
        in_progress=in_progress,
        in_progress_total=in_progress_total,
        in_progress_url=changelist_url(Interview, status__exact=Interview.Status.IN_PROGRESS),
        recent_assessments=assessments,
        assessments_url=changelist_url(AssessmentResult),
        locked_users=locked,
        locked_more=locked_more,
        locked_url=changelist_url(User, locked="yes"),
    )
