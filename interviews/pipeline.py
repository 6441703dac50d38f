"""A position's hiring pipeline: its interviews per status, how many are assessed, and the mean
and quartiles of their overall scores, read in one query (two where SQL has no percentiles).

The scores are reached through the interviews (`assessment__overall_score`): the interviews app
sits below assessments and cannot import it, and an assessment is visible exactly when its
interview is (same candidate, same organization), so the interviews' `visible_to` scopes both.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connections
from django.db.models import Aggregate, Avg, Count, FloatField, Q, QuerySet

from interviews.models import InterviewStatus

CENT = Decimal("0.01")
QUARTILES = {"q1": Decimal("0.25"), "median": Decimal("0.5"), "q3": Decimal("0.75")}
SCORE = "assessment__overall_score"


class PercentileCont(Aggregate):
    """PostgreSQL's `percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`: the value at
    `fraction` of the ordered values, interpolated linearly between the two nearest."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, *, fraction: Decimal, **extra):
        # Written into the SQL as a literal: only the constants above ever reach it.
        if not isinstance(fraction, Decimal) or not 0 <= fraction <= 1:
            raise ValueError("fraction is a Decimal between 0 and 1")
        super().__init__(expression, fraction=str(fraction), **extra)


@dataclass(frozen=True)
class ScoreSummary:
    """Mean and quartiles of overall scores, to the cent; all None when nothing is assessed."""

    mean: Decimal | None = None
    q1: Decimal | None = None
    median: Decimal | None = None
    q3: Decimal | None = None


@dataclass(frozen=True)
class Pipeline:
    """The figures of `positions/{id}/pipeline/`."""

    position: object  # the position's primary key
    interviews: dict[str, int]  # every status, zero when none
    total: int
    assessed: int
    overall_score: ScoreSummary


def percentile_cont(ordered: list[Decimal], fraction: Decimal) -> Decimal:
    """The value at `fraction` of non-empty ascending `ordered`, as `percentile_cont` has it."""
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def _cents(value) -> Decimal | None:
    if value is None:
        return None
    # PostgreSQL's percentiles are floats: through str, 67.5 stays 67.5, not 67.4999...
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def position_pipeline(*, position, interviews: QuerySet) -> Pipeline:
    """The pipeline of `position` over `interviews`: the caller's visible interviews
    (`Interview.objects.visible_to(user)`), so soft-deleted candidates' rows never count."""
    rows = interviews.filter(position=position).order_by()
    in_sql = connections[rows.db].vendor == "postgresql"
    aggregates = {
        f"status_{status}": Count("pk", filter=Q(status=status))
        for status in InterviewStatus.values
    }
    aggregates.update(total=Count("pk"), assessed=Count(SCORE), mean=Avg(SCORE))
    if in_sql:
        aggregates.update(
            {name: PercentileCont(SCORE, fraction=fraction) for name, fraction in QUARTILES.items()}
        )
    figures = rows.aggregate(**aggregates)
    if not in_sql and figures["assessed"]:
        scores = sorted(rows.filter(**{f"{SCORE}__isnull": False}).values_list(SCORE, flat=True))
        figures.update(
            {name: percentile_cont(scores, fraction) for name, fraction in QUARTILES.items()}
        )
    summary = ScoreSummary()
    if figures["assessed"]:
        summary = ScoreSummary(**{name: _cents(figures[name]) for name in ("mean", *QUARTILES)})
    return Pipeline(
        position=position.pk,
        interviews={status: figures[f"status_{status}"] for status in InterviewStatus.values},
        total=figures["total"],
        assessed=figures["assessed"],
        overall_score=summary,
    )
