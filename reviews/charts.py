"""Small charts over all years, drawn on the server as inline SVG (no JavaScript).

This module computes the numbers and the geometry; templates/reviews/_charts.html
draws them. Each chart is a ``<figure>``: an ``<svg role="img">`` with a
``<title>`` and a ``<desc>``, and the same numbers as a ``<table>`` that is
hidden on screen but read by assistive technology and printed. Colours come
from CSS classes (``bar-paper``, ``chart-line``) that use the stylesheet's
variables, so the charts follow dark mode; the CSP forbids inline styles, and
none are used. The ``viewBox`` lets a chart shrink to a phone's width; its
``width`` attribute keeps it at its natural size on a wide screen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from library.models import Item
from reviews.compare import GoalCounts, ReadingCounts, kind_noun

TEMPLATE = "reviews/_charts.html#chart"

# Geometry, in viewBox units (one unit is one CSS pixel at natural size).
TOP = 16
PLOT_HEIGHT = 160
BOTTOM = 30
LEFT = 40
RIGHT = 12
MIN_WIDTH = 300
BAR = 12
BAR_GAP = 2
GROUP_GAP = 22
POINT_STEP = 64
LABEL_BELOW = 20  # from the baseline to a year label's baseline


@dataclass(frozen=True)
class Tick:
    y: float
    label: str

    @property
    def label_y(self) -> float:
        return self.y + 4


@dataclass(frozen=True)
class Table:
    """The numbers behind a chart: a caption, the column heads, one row per year."""

    caption: str
    head: list[str]
    rows: list[list[object]]


@dataclass(frozen=True)
class Frame:
    """What every chart has: its box, ids, title, description, y axis and table."""

    prefix: str
    width: float
    title: str
    desc: str
    ticks: list[Tick]
    table: Table
    height: float = TOP + PLOT_HEIGHT + BOTTOM
    base: float = TOP + PLOT_HEIGHT
    left: float = LEFT

    @property
    def right(self) -> float:
        return self.width - RIGHT

    @property
    def tick_label_x(self) -> float:
        return LEFT - 6

    @property
    def year_label_y(self) -> float:
        return self.base + LABEL_BELOW


@dataclass(frozen=True)
class Bar:
    kind: str
    x: float
    y: float
    height: float
    title: str
    width: float = BAR


@dataclass(frozen=True)
class YearLabel:
    year: int
    x: float


@dataclass(frozen=True)
class ReadingChart:
    css_class: ClassVar[str] = "chart-reading"
    frame: Frame
    bars: list[Bar]
    year_labels: list[YearLabel]
    legend: list[tuple[str, str]]  # (kind, label)


@dataclass(frozen=True)
class Point:
    year: int
    x: float
    y: float
    percent: int
    title: str

    @property
    def value_y(self) -> float:
        """The percentage sits above the point, or below it near the top."""
        return self.y - 9 if self.y > TOP + 12 else self.y + 18


@dataclass(frozen=True)
class GoalsChart:
    css_class: ClassVar[str] = "chart-goals"
    frame: Frame
    points: list[Point]


def nice_ceiling(value: int) -> tuple[int, int]:
    """(axis maximum, tick step) with 1, 2 or 5 × 10ⁿ steps and at most four ticks."""
    if value <= 0:
        return 1, 1
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return math.ceil(value / step) * step, step


def reading_geometry(counts: ReadingCounts, prefix: str = "chart-reading") -> ReadingChart | None:
    """Grouped bars: finished items per kind (one bar each) for every year with any.

    Every kind shown has a bar in every year, zero-height where none was
    finished, so a reader can compare groups position by position.
    """
    years = sorted(y for y, kinds in counts.items() if any(kinds.values()))
    if not years:
        return None
    kinds = [k for k in Item.Kind.values if any(counts[y].get(k) for y in years)]
    labels = {k: kind_noun(k, 2) for k in kinds}
    largest = max(counts[y].get(k, 0) for y in years for k in kinds)
    axis_max, step = nice_ceiling(largest)

    group = len(kinds) * BAR + (len(kinds) - 1) * BAR_GAP
    plot_width = len(years) * (group + GROUP_GAP)
    width = max(MIN_WIDTH, LEFT + plot_width + RIGHT)
    # Centre the groups when the minimum width leaves room to spare.
    start = LEFT + (width - LEFT - RIGHT - plot_width) / 2 + GROUP_GAP / 2
    base = TOP + PLOT_HEIGHT

    bars = []
    year_labels = []
    for i, year in enumerate(years):
        x0 = start + i * (group + GROUP_GAP)
        for j, kind in enumerate(kinds):
            n = counts[year].get(kind, 0)
            h = PLOT_HEIGHT * n / axis_max
            shown = getattr(n, "source", "") or n  # "30, count only" where it was recorded
            title = _("%(year)s, %(kind)s: %(n)s") % {
                "year": year,
                "kind": labels[kind],
                "n": shown,
            }
            bars.append(Bar(kind, x0 + j * (BAR + BAR_GAP), base - h, h, title))
        year_labels.append(YearLabel(year, x0 + group / 2))

    top_year, top_kind = max(
        ((y, k) for y in years for k in kinds), key=lambda yk: counts[yk[0]].get(yk[1], 0)
    )
    title = _("Finished items per kind, %(first)s–%(last)s") % {
        "first": years[0],
        "last": years[-1],
    }
    desc = _(
        "Grouped bars, one group per year and one bar per kind (%(kinds)s). "
        "The most in one year: %(n)s %(kind)s in %(year)s. The table that follows "
        "gives every number."
    ) % {
        "kinds": ", ".join(labels.values()),
        "n": largest,
        "kind": labels[top_kind],
        "year": top_year,
    }
    table = Table(
        title,
        [_("Year"), *labels.values()],
        [[y, *(counts[y].get(k, 0) for k in kinds)] for y in years],
    )
    ticks = [Tick(base - PLOT_HEIGHT * v / axis_max, str(v)) for v in range(0, axis_max + 1, step)]
    frame = Frame(prefix, width, title, desc, ticks, table)
    return ReadingChart(frame, bars, year_labels, list(labels.items()))


def goals_geometry(counts: GoalCounts, prefix: str = "chart-goals") -> GoalsChart | None:
    """A line: the share of each year's goals that were achieved."""
    years = sorted(y for y, (_achieved, total) in counts.items() if total)
    if not years:
        return None
    plot_width = max(len(years) - 1, 1) * POINT_STEP
    width = max(MIN_WIDTH, LEFT + plot_width + 2 * GROUP_GAP + RIGHT)
    step = (width - LEFT - RIGHT - 2 * GROUP_GAP) / max(len(years) - 1, 1)
    base = TOP + PLOT_HEIGHT

    def share(year: int) -> float:
        achieved, total = counts[year]
        return achieved / total

    def x_of(i: int) -> float:
        if len(years) == 1:
            return (LEFT + width - RIGHT) / 2
        return LEFT + GROUP_GAP + i * step

    points = []
    for i, year in enumerate(years):
        achieved, total = counts[year]
        percent = round(share(year) * 100)
        title = _("%(year)s: %(a)s of %(n)s achieved (%(percent)s%%)") % {
            "year": year,
            "a": achieved,
            "n": total,
            "percent": percent,
        }
        points.append(Point(year, x_of(i), base - PLOT_HEIGHT * share(year), percent, title))

    title = _("Share of goals achieved, %(first)s–%(last)s") % {
        "first": years[0],
        "last": years[-1],
    }
    best = max(years, key=share)
    desc = _(
        "A line through one point per year, from 0%% to 100%% of that year's goals "
        "achieved. The best year: %(year)s with %(percent)s%%. The table that follows "
        "gives every number."
    ) % {"year": best, "percent": round(share(best) * 100)}
    table = Table(
        title,
        [_("Year"), _("Achieved"), pgettext("goals", "Set"), pgettext("part achieved", "Share")],
        [[y, counts[y][0], counts[y][1], f"{round(share(y) * 100)}%"] for y in years],
    )
    ticks = [Tick(base - PLOT_HEIGHT * f, f"{round(f * 100)}%") for f in (0, 0.5, 1)]
    return GoalsChart(Frame(prefix, width, title, desc, ticks, table), points)


def reading_chart(counts: ReadingCounts, prefix: str = "chart-reading") -> SafeString:
    """The reading chart as HTML, or nothing when no year has a finished item."""
    chart = reading_geometry(counts, prefix)
    if chart is None:
        return SafeString("")
    return render_to_string(TEMPLATE, {"chart": chart, "frame": chart.frame})


def goals_chart(counts: GoalCounts, prefix: str = "chart-goals") -> SafeString:
    """The goals chart as HTML, or nothing when no year has a goal."""
    chart = goals_geometry(counts, prefix)
    if chart is None:
        return SafeString("")
    return render_to_string(TEMPLATE, {"chart": chart, "frame": chart.frame})
