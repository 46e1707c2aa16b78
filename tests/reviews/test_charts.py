"""The inline SVG charts: bars per kind per year, the goals line, accessibility, CSP."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from library.models import Item
from reviews import charts
from reviews.models import Goal
from tests import factories as f

SVG = "{http://www.w3.org/2000/svg}"


def svg_of(figure: str) -> ET.Element:
    """The chart's <svg>, parsed as XML (which also proves it is well formed)."""
    return ET.fromstring(re.search(r"<svg.*</svg>", figure, re.S).group(0))


def bars(svg: ET.Element) -> dict[tuple[str, str], float]:
    """{(kind class, title): height} of every bar."""
    found = {}
    for rect in svg.iter(f"{SVG}rect"):
        kind = next(c for c in rect.get("class").split() if c.startswith("bar-"))
        found[(kind, rect.find(f"{SVG}title").text)] = float(rect.get("height"))
    return found


def test_it_draws_one_bar_per_kind_per_year_with_proportional_heights():
    counts = {
        2018: {"book": 4},
        2019: {"paper": 30, "book": 5},
        2020: {"paper": 7, "code": 2},
    }

    svg = svg_of(charts.reading_chart(counts))

    rects = list(svg.iter(f"{SVG}rect"))
    assert len(rects) == 3 * 3  # kinds book, paper, code × three years
    heights = bars(svg)
    assert set(heights) == {
        (f"bar-{kind}", f"{year}, {noun}: {counts[year].get(kind, 0)}")
        for year in (2018, 2019, 2020)
        for kind, noun in (("book", "books"), ("paper", "papers"), ("code", "codebases"))
    }
    per_count = {
        int(title.rsplit(": ", 1)[1]): height for (_kind, title), height in heights.items()
    }
    assert per_count[0] == 0
    unit = per_count[30] / 30
    assert unit > 0
    for count, height in per_count.items():
        assert height == pytest.approx(count * unit, abs=0.01)
    # Bars stand on one baseline.
    bottoms = {round(float(r.get("y")) + float(r.get("height")), 1) for r in rects}
    assert len(bottoms) == 1


def test_the_bars_are_in_kind_order_within_each_year():
    svg = svg_of(charts.reading_chart({2019: {"talk": 1, "book": 2}, 2020: {"book": 1}}))

    rects = list(svg.iter(f"{SVG}rect"))
    order = [(r.get("class"), float(r.get("x"))) for r in rects]
    assert [c for c, _x in order] == ["bar bar-book", "bar bar-talk"] * 2
    xs = [x for _c, x in order]
    assert xs == sorted(xs)


def test_a_chart_is_an_accessible_image_with_its_numbers_as_a_table():
    figure = charts.reading_chart({2019: {"paper": 30}, 2020: {"paper": 7}})
    svg = svg_of(figure)

    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    assert svg.find(f"{SVG}title").get("id") == title_id
    assert svg.find(f"{SVG}desc").get("id") == desc_id
    assert "2019" in svg.find(f"{SVG}title").text and "2020" in svg.find(f"{SVG}title").text
    assert "30 papers in 2019" in svg.find(f"{SVG}desc").text
    assert svg.get("viewBox").startswith("0 0 ")
    assert '<div class="chart-data"><table>' in figure
    assert '<th scope="row">2019</th><td>30</td>' in figure
    assert '<th scope="row">2020</th><td>7</td>' in figure
    assert "style" not in figure
    assert not re.search(r"\sfill=", figure)  # colours come from CSS classes


def test_the_goals_chart_draws_the_share_achieved_as_a_line():
    counts = {2018: (1, 4), 2019: (2, 2), 2020: (0, 2), 2021: (0, 0)}

    figure = charts.goals_chart(counts)
    svg = svg_of(figure)

    points = [
        tuple(map(float, p.split(","))) for p in svg.find(f"{SVG}polyline").get("points").split()
    ]
    assert len(points) == 3  # a year without goals has no point
    xs, ys = zip(*points, strict=True)
    assert list(xs) == sorted(xs)
    bottom, top = ys[2], ys[1]  # 0 % and 100 %
    assert bottom > top
    assert ys[0] == pytest.approx(bottom - (bottom - top) * 0.25, abs=0.01)
    circles = list(svg.iter(f"{SVG}circle"))
    assert [c.find(f"{SVG}title").text for c in circles] == [
        "2018: 1 of 4 achieved (25%)",
        "2019: 2 of 2 achieved (100%)",
        "2020: 0 of 2 achieved (0%)",
    ]
    assert svg.get("role") == "img" and len(svg.get("aria-labelledby").split()) == 2
    assert "<td>1</td><td>4</td><td>25%</td>" in figure
    assert "style" not in figure


def test_a_single_year_still_draws():
    assert "<circle" in charts.goals_chart({2020: (1, 2)})
    assert len(list(svg_of(charts.reading_chart({2020: {"book": 1}})).iter(f"{SVG}rect"))) == 1


def test_no_data_draws_nothing():
    assert charts.reading_chart({}) == ""
    assert charts.reading_chart({2020: {"book": 0}}) == ""
    assert charts.goals_chart({2020: (0, 0)}) == ""


@pytest.mark.parametrize(("largest", "axis_max"), [(1, 1), (3, 3), (7, 8), (30, 30), (93, 100)])
def test_the_axis_ends_on_a_round_number(largest, axis_max):
    assert charts.nice_ceiling(largest)[0] == axis_max


@pytest.mark.django_db
def test_the_compare_page_draws_both_charts_over_all_years(alice_client, alice, bob):
    for year, count in ((2017, 2), (2019, 30), (2020, 7)):
        for i in range(count):
            f.item(alice, f"{year}-03-{i % 28 + 1:02d}", kind=Item.Kind.PAPER)
    f.item(alice, "2018-05-01", kind=Item.Kind.BOOK, private=True)
    f.item(bob, "2016-05-01", kind=Item.Kind.TALK)
    f.goal(alice, 2019, status=Goal.Status.ACHIEVED)
    f.goal(alice, 2020, status=Goal.Status.MISSED)

    html = alice_client.get("/2020/compare/").content.decode()

    reading = html[html.index('class="chart chart-reading"') : html.index("</figure>")]
    svg = svg_of(reading)
    assert len(list(svg.iter(f"{SVG}rect"))) == 4 * 2  # 2017–2020 × book, paper
    assert "2016" not in reading and "bar-talk" not in reading
    assert 'class="chart chart-goals"' in html
    assert 'aria-labelledby="chart-goals-title chart-goals-desc"' in html
    assert "style=" not in html


@pytest.mark.django_db
def test_the_goals_chart_leaves_out_years_whose_goals_have_no_outcome_yet(alice_client, alice):
    f.goal(alice, 2024, status=Goal.Status.ACHIEVED)
    f.goal(alice, 2025, status=Goal.Status.MISSED)
    f.goal(alice, 2025, status=Goal.Status.IN_PROGRESS)
    f.goal(alice, 2026, status=Goal.Status.OPEN)  # set for next year: nothing to plot at 0 %
    f.goal(alice, 2026, status=Goal.Status.IN_PROGRESS)

    html = alice_client.get("/2025/compare/").content.decode()

    chart = html[html.index('class="chart chart-goals"') :]
    chart = chart[: chart.index("</figure>")]
    assert "2024" in chart and "2025" in chart
    assert "2026" not in chart
