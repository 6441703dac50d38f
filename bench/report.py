"""Figures and the one table the bench prints."""

from dataclasses import dataclass


@dataclass
class Figure:
    """One line of the table: what was measured, the ratio that cancels machine noise, the goal.

    `met` is None for figures that are reported without a goal (or are a control).
    """

    name: str
    measured: str
    ratio: str
    goal: str
    met: bool | None

    @property
    def met_text(self) -> str:
        return "-" if self.met is None else ("yes" if self.met else "NO")


def at_least(value: float, goal: float) -> bool:
    return value >= goal


def at_most(value: float, goal: float) -> bool:
    return value <= goal


def table(figures: list[Figure]) -> str:
    """Render the figures as a Markdown table, aligned so that it also reads in a terminal."""
    header = ("figure", "measured", "ratio", "goal", "met")
    rows = [header] + [(f.name, f.measured, f.ratio, f.goal, f.met_text) for f in figures]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = []
    for number, row in enumerate(rows):
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        lines.append("| " + " | ".join(cells) + " |")
        if number == 0:
            lines.append("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)
