"""Small charts over all years, drawn on the server as inline SVG (no JavaScript).

Each chart is a ``<figure>``: an ``<svg role="img">`` with a ``<title>`` and
a ``<desc>``, and the same numbers as a ``<table>`` that is hidden on screen
but read by assistive technology and printed. Colours come from CSS classes
(``bar-paper``, ``chart-line``) that use the stylesheet's variables, so the
charts follow dark mode; the CSP forbids inline styles, and none are used.
The ``viewBox`` lets a chart shrink to a phone's width; its ``width``
attribute keeps it at its natural size on a wide screen.
"""

from __future__ import annotations

import math

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from library.models import Item
from reviews.compare import GoalCounts, ReadingCounts, kind_noun

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


def _fmt(number: float) -> str:
    """Coordinates with two decimals at most: '12', '80.5', '106.67'."""
    return f"{number:.2f}".rstrip("0").rstrip(".")


def nice_ceiling(value: int) -> tuple[int, int]:
    """(axis maximum, tick step) with 1, 2 or 5 × 10ⁿ steps and at most four ticks."""
    if value <= 0:
        return 1, 1
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return math.ceil(value / step) * step, step


def _svg_open(width: float, height: float, prefix: str, title: str, desc: str) -> SafeString:
    return format_html(
        '<svg class="chart-svg" role="img" xmlns="http://www.w3.org/2000/svg" '
        'viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'aria-labelledby="{p}-title {p}-desc" focusable="false">'
        '<title id="{p}-title">{title}</title><desc id="{p}-desc">{desc}</desc>',
        w=_fmt(width),
        h=_fmt(height),
        p=prefix,
        title=title,
        desc=desc,
    )


def _y_axis(width: float, ticks: list[tuple[float, str]]) -> SafeString:
    """Horizontal grid lines with their labels at the left."""
    return format_html_join(
        "",
        '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
        '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (LEFT, _fmt(width - RIGHT), _fmt(y), _fmt(y), LEFT - 6, _fmt(y + 4), label)
            for y, label in ticks
        ),
    )


def _table(caption: str, head: list[str], rows: list[list[object]]) -> SafeString:
    head_html = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in head))
    body_html = mark_safe(
        "".join(
            format_html(
                '<tr><th scope="row">{}</th>{}</tr>',
                row[0],
                format_html_join("", "<td>{}</td>", ((cell,) for cell in row[1:])),
            )
            for row in rows
        )
    )
    return format_html(
        # The wrapper hides it: a table itself ignores a 1px width and would widen the page.
        '<div class="chart-data"><table><caption>{}</caption><thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody></table></div>",
        caption,
        head_html,
        body_html,
    )


def reading_chart(counts: ReadingCounts, prefix: str = "chart-reading") -> SafeString:
    """Grouped bars: finished items per kind (one bar each) for every year with any.

    Every kind shown has a bar in every year, zero-height where none was
    finished, so a reader can compare groups position by position.
    """
    years = sorted(y for y, kinds in counts.items() if any(kinds.values()))
    if not years:
        return SafeString("")
    kinds = [k for k in Item.Kind.values if any(counts[y].get(k) for y in years)]
    labels = {k: kind_noun(k, 2) for k in kinds}
    largest = max(counts[y].get(k, 0) for y in years for k in kinds)
    axis_max, step = nice_ceiling(largest)

    group = len(kinds) * BAR + (len(kinds) - 1) * BAR_GAP
    plot_width = len(years) * (group + GROUP_GAP)
    width = max(MIN_WIDTH, LEFT + plot_width + RIGHT)
    # Centre the groups when the minimum width leaves room to spare.
    start = LEFT + (width - LEFT - RIGHT - plot_width) / 2 + GROUP_GAP / 2
    height = TOP + PLOT_HEIGHT + BOTTOM
    base = TOP + PLOT_HEIGHT

    ticks = [(base - PLOT_HEIGHT * v / axis_max, str(v)) for v in range(0, axis_max + 1, step)]
    bars = []
    year_labels = []
    for i, year in enumerate(years):
        x0 = start + i * (group + GROUP_GAP)
        for j, kind in enumerate(kinds):
            n = counts[year].get(kind, 0)
            h = PLOT_HEIGHT * n / axis_max
            bars.append(
                format_html(
                    '<rect class="bar bar-{}" x="{}" y="{}" width="{}" height="{}">'
                    "<title>{}</title></rect>",
                    kind,
                    _fmt(x0 + j * (BAR + BAR_GAP)),
                    _fmt(base - h),
                    BAR,
                    _fmt(h),
                    _("%(year)s, %(kind)s: %(n)s") % {"year": year, "kind": labels[kind], "n": n},
                )
            )
        year_labels.append(
            format_html(
                '<text class="chart-label chart-year" x="{}" y="{}" text-anchor="middle">{}'
                "</text>",
                _fmt(x0 + group / 2),
                base + 20,
                year,
            )
        )

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
    legend = format_html_join(
        "",
        '<li><span class="swatch swatch-{}" aria-hidden="true"></span>{}</li>',
        ((k, labels[k]) for k in kinds),
    )
    table = _table(
        title,
        [_("Year"), *labels.values()],
        [[y, *(counts[y].get(k, 0) for k in kinds)] for y in years],
    )
    return format_html(
        '<figure class="chart chart-reading">{}{}'
        '<line class="chart-axis" x1="{}" x2="{}" y1="{}" y2="{}"></line>{}{}</svg>'
        '<ul class="chart-legend" aria-hidden="true">{}</ul>{}</figure>',
        _svg_open(width, height, prefix, title, desc),
        _y_axis(width, ticks),
        LEFT,
        _fmt(width - RIGHT),
        base,
        base,
        mark_safe("".join(bars)),
        mark_safe("".join(year_labels)),
        legend,
        table,
    )


def goals_chart(counts: GoalCounts, prefix: str = "chart-goals") -> SafeString:
    """A line: the share of each year's goals that were achieved."""
    years = sorted(y for y, (_achieved, total) in counts.items() if total)
    if not years:
        return SafeString("")
    plot_width = max(len(years) - 1, 1) * POINT_STEP
    width = max(MIN_WIDTH, LEFT + plot_width + 2 * GROUP_GAP + RIGHT)
    step = (width - LEFT - RIGHT - 2 * GROUP_GAP) / max(len(years) - 1, 1)
    height = TOP + PLOT_HEIGHT + BOTTOM
    base = TOP + PLOT_HEIGHT

    def share(year: int) -> float:
        achieved, total = counts[year]
        return achieved / total

    def x_of(i: int) -> float:
        if len(years) == 1:
            return (LEFT + width - RIGHT) / 2
        return LEFT + GROUP_GAP + i * step

    points = [(year, x_of(i), base - PLOT_HEIGHT * share(year)) for i, year in enumerate(years)]

    ticks = [(base - PLOT_HEIGHT * f, f"{round(f * 100)}%") for f in (0, 0.5, 1)]
    polyline = format_html(
        '<polyline class="chart-line" points="{}"></polyline>',
        " ".join(f"{_fmt(x)},{_fmt(y)}" for _year, x, y in points),
    )
    marks = []
    for year, x, y in points:
        achieved, total = counts[year]
        percent = round(share(year) * 100)
        marks.append(
            format_html(
                '<circle class="chart-point" cx="{}" cy="{}" r="4"><title>{}</title></circle>'
                '<text class="chart-label chart-value" x="{}" y="{}" text-anchor="middle">{}%'
                "</text>"
                '<text class="chart-label chart-year" x="{}" y="{}" text-anchor="middle">{}'
                "</text>",
                _fmt(x),
                _fmt(y),
                _("%(year)s: %(a)s of %(n)s achieved (%(percent)s%%)")
                % {"year": year, "a": achieved, "n": total, "percent": percent},
                _fmt(x),
                _fmt(y - 9 if y > TOP + 12 else y + 18),
                percent,
                _fmt(x),
                base + 20,
                year,
            )
        )

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
    table = _table(
        title,
        [_("Year"), _("Achieved"), pgettext("goals", "Set"), pgettext("part achieved", "Share")],
        [[y, counts[y][0], counts[y][1], f"{round(share(y) * 100)}%"] for y in years],
    )
    return format_html(
        '<figure class="chart chart-goals">{}{}{}{}</svg>{}</figure>',
        _svg_open(width, height, prefix, title, desc),
        _y_axis(width, ticks),
        polyline,
        mark_safe("".join(marks)),
        table,
    )
