"""Server-rendered SVG charts of skill scores for the admin: no JavaScript, every label escaped.

`skill_chart` draws one assessment's scores as horizontal bars; `progression_chart` draws a
candidate's scores across completed interviews as one line per skill.
"""

from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext as _

# Bar chart geometry, in pixels.
LABEL_WIDTH = 160
BAR_WIDTH = 300
ROW_HEIGHT = 22
BAR_HEIGHT = 14
LABEL_CHARS = 22  # what fits in LABEL_WIDTH; the bar's tooltip has the whole name

# Line chart geometry, in pixels.
PLOT_LEFT = 40
PLOT_TOP = 12
PLOT_WIDTH = 520
PLOT_HEIGHT = 200
AXIS_LABELS_HEIGHT = 40
LEGEND_GAP = 24
LEGEND_WIDTH = 190
LEGEND_ROW = 18
MAX_LINES = 10  # more lines than this are unreadable; the legend says how many were left out
MAX_X_LABELS = 12
GRID_SCORES = (0, 25, 50, 75, 100)
# Distinguishable on white and for the common colour-vision deficiencies (Okabe-Ito, darkened).
PALETTE = (
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#8a6d00",
    "#56b4e9",
    "#000000",
    "#e69f00",
    "#6a3d9a",
    "#7f7f7f",
)


def skill_rows(skill_scores) -> list[tuple[str, float]]:
    """Return (skill, score) pairs clamped to 0..100, best first; unreadable scores are left out."""
    rows = []
    for skill, score in (skill_scores or {}).items():
        try:
            value = float(score)
        except (TypeError, ValueError):
            continue
        if value != value:  # NaN
            continue
        rows.append((str(skill), min(max(value, 0.0), 100.0)))
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def skill_chart(skill_scores) -> str:
    """Render the skill scores as a horizontal bar chart in inline SVG (no script, escaped)."""
    rows = skill_rows(skill_scores)
    if not rows:
        return _("No skill scores.")
    bars = format_html_join(
        "\n",
        '<g class="skill" data-skill="{}" transform="translate(0 {})">'
        '<text x="0" y="{}" font-size="12" fill="currentColor">{}</text>'
        '<rect class="skill-track" x="{}" y="0" width="{}" height="{}" fill="#e8e8e8"></rect>'
        '<rect class="skill-bar" x="{}" y="0" width="{}" height="{}" fill="#417690">'
        "<title>{}: {}</title></rect>"
        '<text class="skill-score" x="{}" y="{}" font-size="12" fill="currentColor">{}</text>'
        "</g>",
        (
            (
                skill,
                index * ROW_HEIGHT,
                BAR_HEIGHT - 2,
                Truncator(skill).chars(LABEL_CHARS),
                LABEL_WIDTH,
                BAR_WIDTH,
                BAR_HEIGHT,
                LABEL_WIDTH,
                round(score * BAR_WIDTH / 100, 1),
                BAR_HEIGHT,
                skill,
                f"{score:g}",
                LABEL_WIDTH + BAR_WIDTH + 8,
                BAR_HEIGHT - 2,
                f"{score:g}",
            )
            for index, (skill, score) in enumerate(rows)
        ),
    )
    width = LABEL_WIDTH + BAR_WIDTH + 48
    return format_html(
        '<svg class="skill-chart" role="img" aria-label="Skill scores" width="{}" height="{}" '
        'viewBox="0 0 {} {}" xmlns="http://www.w3.org/2000/svg">{}</svg>',
        width,
        len(rows) * ROW_HEIGHT,
        width,
        len(rows) * ROW_HEIGHT,
        bars,
    )


@dataclass(frozen=True)
class ProgressPoint:
    """The skill scores of one completed interview, a point on the x axis."""

    label: str  # under the x axis, e.g. the completion date
    title: str  # in the tooltips, e.g. "2025-03-05, Python interview"
    skill_scores: dict = field(default_factory=dict)


def _x(index: int, count: int) -> float:
    # Each interview gets an equal slot; its point sits in the middle of the slot.
    return round(PLOT_LEFT + PLOT_WIDTH * (index + 0.5) / count, 1)


def _y(score: float) -> float:
    return round(PLOT_TOP + PLOT_HEIGHT * (1 - score / 100), 1)


def _series(points: list[ProgressPoint]) -> dict[str, list[tuple[int, float]]]:
    """Return skill -> [(point index, score)] in point order."""
    series: dict[str, list[tuple[int, float]]] = {}
    for index, point in enumerate(points):
        for skill, score in skill_rows(point.skill_scores):
            series.setdefault(skill, []).append((index, score))
    return series


def progression_chart(points: list[ProgressPoint]) -> str:
    """Render skill scores across interviews (oldest first) as a line chart in inline SVG.

    One polyline per skill, the skills measured most often first (at most MAX_LINES), with a
    legend; every point has a tooltip. Names and labels are escaped; nothing runs in the page.
    """
    series = _series(points)
    if not series:
        return _("No skill scores from completed interviews yet.")
    count = len(points)
    ranked = sorted(series, key=lambda skill: (-len(series[skill]), skill))
    shown, left_out = ranked[:MAX_LINES], len(ranked) - MAX_LINES

    grid = format_html_join(
        "",
        '<line class="grid" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#dddddd"></line>'
        '<text x="{}" y="{}" font-size="11" text-anchor="end" fill="currentColor">{}</text>',
        (
            (
                PLOT_LEFT,
                _y(score),
                PLOT_LEFT + PLOT_WIDTH,
                _y(score),
                PLOT_LEFT - 6,
                _y(score) + 4,
                score,
            )
            for score in GRID_SCORES
        ),
    )
    step = -(-count // MAX_X_LABELS)  # label every step-th interview so labels never overlap
    x_labels = format_html_join(
        "",
        '<text class="x-label" x="{}" y="{}" font-size="11" text-anchor="middle" '
        'fill="currentColor">{}</text>',
        (
            (_x(index, count), PLOT_TOP + PLOT_HEIGHT + 16, point.label)
            for index, point in enumerate(points)
            if index % step == 0
        ),
    )
    lines = format_html_join(
        "",
        '<g class="skill-line" data-skill="{}">'
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"></polyline>{}</g>',
        (
            (
                skill,
                " ".join(f"{_x(index, count)},{_y(score)}" for index, score in series[skill]),
                PALETTE[number % len(PALETTE)],
                format_html_join(
                    "",
                    '<circle cx="{}" cy="{}" r="3.5" fill="{}"><title>{}: {} ({})</title></circle>',
                    (
                        (
                            _x(index, count),
                            _y(score),
                            PALETTE[number % len(PALETTE)],
                            skill,
                            f"{score:g}",
                            points[index].title,
                        )
                        for index, score in series[skill]
                    ),
                ),
            )
            for number, skill in enumerate(shown)
        ),
    )
    legend_left = PLOT_LEFT + PLOT_WIDTH + LEGEND_GAP
    legend = format_html_join(
        "",
        '<g class="legend-entry" transform="translate({} {})">'
        '<line x1="0" y1="0" x2="18" y2="0" stroke="{}" stroke-width="3"></line>'
        '<text x="24" y="4" font-size="12" fill="currentColor">{}<title>{}</title></text></g>',
        (
            (
                legend_left,
                PLOT_TOP + 6 + number * LEGEND_ROW,
                PALETTE[number % len(PALETTE)],
                Truncator(skill).chars(LABEL_CHARS),
                skill,
            )
            for number, skill in enumerate(shown)
        ),
    )
    if left_out > 0:
        legend = format_html(
            '{}<text class="legend-more" x="{}" y="{}" font-size="11" fill="currentColor">'
            "{}</text>",
            legend,
            legend_left,
            PLOT_TOP + 10 + len(shown) * LEGEND_ROW,
            _("and %(count)d more skill(s)") % {"count": left_out},
        )
    width = legend_left + LEGEND_WIDTH
    height = max(
        PLOT_TOP + PLOT_HEIGHT + AXIS_LABELS_HEIGHT,
        PLOT_TOP + (len(shown) + 1) * LEGEND_ROW + 10,
    )
    return format_html(
        '<svg class="progression-chart" role="img" aria-label="{}" width="{}" height="{}" '
        'viewBox="0 0 {} {}" xmlns="http://www.w3.org/2000/svg">'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#bbbbbb"></rect>'
        "{}{}{}{}</svg>",
        _("Skill scores across %(count)d completed interview(s)") % {"count": count},
        width,
        height,
        width,
        height,
        PLOT_LEFT,
        PLOT_TOP,
        PLOT_WIDTH,
        PLOT_HEIGHT,
        grid,
        x_labels,
        lines,
        legend,
    )
