"""The compare page, measured goals, carrying goals over, and the year strip."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from library.models import Item
from reviews import compare, services
from reviews.compare import (
    attach_progress,
    metric_progress,
    strip_numbers,
    suggested_status,
)
from reviews.models import Goal
from tests import factories as f

pytestmark = pytest.mark.django_db

PAPER = Item.Kind.PAPER
BOOK = Item.Kind.BOOK
HTMX = {"HTTP_HX_REQUEST": "true"}


def section(html: str, section_id: str) -> str:
    """The markup of one compare-page section, up to the next one."""
    start = html.index(f'id="{section_id}"')
    end = html.find('<section class="section"', start)
    return html[start : end if end > 0 else len(html)]


def papers(owner, year: int, count: int, **fields) -> None:
    for i in range(count):
        f.item(owner, f"{year}-{i % 12 + 1:02d}-15", kind=PAPER, **fields)


# The numbers


def test_it_shows_the_change_in_reading_with_a_real_minus_sign(alice_client, alice):
    papers(alice, 2019, 30)
    papers(alice, 2020, 7)
    f.item(alice, "2020-03-01", kind=BOOK)

    response = alice_client.get("/2020/compare/")

    assert response.status_code == 200
    html = response.content.decode()
    reading = section(html, "compare-reading")
    assert "<td>7</td><td>30</td>" in reading
    assert "\u221223" in reading  # −23, U+2212
    assert "-23" not in reading
    assert "<td>1</td><td>0</td>" in reading and "+1" in reading  # books
    assert "papers 7 vs 30, \u221223" in section(html, "compare-summary")


def test_it_says_how_many_goals_were_achieved(alice_client, alice):
    f.goal(alice, 2020, title="Read 30 papers", status=Goal.Status.MISSED, outcome="Only 7.")
    f.goal(alice, 2020, title="Ship the side project", status=Goal.Status.MISSED)
    f.goal(alice, 2019, title="Learn Rust 学习", status=Goal.Status.ACHIEVED)

    html = alice_client.get("/2020/compare/").content.decode()

    goals = section(html, "compare-goals")
    this_year, last_year = goals.split('class="compare-col"')[1:3]
    assert "0 of 2 achieved" in this_year
    assert "Read 30 papers" in this_year and "Only 7." in this_year
    assert "1 of 1 achieved" in last_year and "Learn Rust 学习" in last_year
    assert "Goals for 2020: 0 of 2 achieved." in section(html, "compare-summary")


def test_it_counts_private_items_for_the_owner_and_nothing_of_anyone_else(
    alice_client, alice, bob
):
    papers(alice, 2020, 2, private=True)
    papers(alice, 2020, 1)
    f.item(alice, None, kind=PAPER, status=Item.Status.READING)
    f.item(alice, "2020-04-01", kind=PAPER, status=Item.Status.ABANDONED)
    papers(bob, 2020, 5)
    papers(bob, 2019, 9)
    f.goal(bob, 2020, title="Bob's secret goal")
    f.move(bob, "2020-02-01", organization="Bob Corp")

    html = alice_client.get("/2020/compare/").content.decode()

    assert "<td>3</td><td>0</td>" in section(html, "compare-reading")
    assert "Bob" not in html


def test_it_compares_career_moves_and_entries_per_quarter(alice_client, alice):
    f.move(alice, "2020-04-01", organization="Qinglan Data 青岚")
    f.move(alice, "2019-09-01", organization="Old Corp")
    f.move(alice, "2018-09-01", organization="Older Corp")
    for day in ("2020-01-05", "2020-02-05", "2020-11-05", "2019-05-05"):
        f.entry(alice, day)

    html = alice_client.get("/2020/compare/").content.decode()

    career = section(html, "compare-career")
    this_year, last_year = career.split('class="compare-col"')[1:3]
    assert "Qinglan Data 青岚" in this_year and "Old Corp" in last_year
    assert "Older Corp" not in career
    timeline = section(html, "compare-timeline")
    rows = timeline.split("<tr>")
    assert any("Q1" in row and "<td>2</td><td>0</td>" in row and "+2" in row for row in rows)
    assert any("Q2" in row and "<td>0</td><td>1</td>" in row and "\u22121" in row for row in rows)
    assert any("Q4" in row and "<td>1</td><td>0</td>" in row for row in rows)


def test_it_compares_cleanly_with_an_empty_year(alice_client, alice):
    papers(alice, 2020, 4)
    f.goal(alice, 2020, status=Goal.Status.ACHIEVED)

    response = alice_client.get("/2020/compare/?with=2016")

    assert response.status_code == 200
    html = response.content.decode()
    assert "2020 beside 2016" in html
    assert "Nothing recorded for 2016." in section(html, "compare-summary")
    goals = section(html, "compare-goals")
    assert "Nothing recorded." in goals.split('class="compare-col"')[2]
    assert "<td>4</td><td>0</td>" in section(html, "compare-reading")


def test_it_compares_two_empty_years(alice_client, alice):
    response = alice_client.get("/2031/compare/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing recorded for 2031." in html and "Nothing recorded for 2030." in html
    assert "<svg" not in html


def test_it_compares_with_the_year_asked_for(alice_client, alice):
    papers(alice, 2017, 3)
    papers(alice, 2019, 5)
    papers(alice, 2020, 1)

    html = alice_client.get("/2020/compare/?with=2017").content.decode()

    assert "2020 beside 2017" in html
    assert "<td>1</td><td>3</td>" in section(html, "compare-reading")
    assert '<option value="2017" selected>' in html


@pytest.mark.parametrize("value", ["abc", "0", "99999", "2020", "1e3", "9" * 5000, "-5"])
def test_a_bad_with_is_a_clear_message_not_an_error(alice_client, alice, value):
    papers(alice, 2019, 2)

    response = alice_client.get("/2020/compare/", {"with": value})

    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "showing 2019 instead" in html
    assert "2020 beside 2019" in html


@pytest.mark.parametrize("query", ["?with=", "?with=%20", ""])
def test_an_empty_with_compares_with_the_previous_year(alice_client, alice, query):
    response = alice_client.get(f"/2020/compare/{query}")

    assert response.status_code == 200
    assert "2020 beside 2019" in response.content.decode()
    assert 'role="alert"' not in response.content.decode()


@pytest.mark.parametrize("path", ["/1899/compare/", "/2201/compare/", "/0/compare/"])
def test_a_year_out_of_range_is_a_404(alice_client, path):
    assert alice_client.get(path).status_code == 404


def test_the_first_possible_year_compares_with_the_next(alice_client):
    response = alice_client.get("/1900/compare/")

    assert response.status_code == 200
    assert "1900 beside 1901" in response.content.decode()


def test_it_needs_a_login(client):
    response = client.get("/2020/compare/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_renders_only_the_comparison_for_htmx(alice_client, alice):
    papers(alice, 2019, 30)
    papers(alice, 2020, 7)

    full = alice_client.get("/2020/compare/?with=2019").content.decode()
    fragment = alice_client.get("/2020/compare/?with=2019", **HTMX).content.decode()

    assert "<html" in full and "site-header" in full
    assert "<html" not in fragment and "site-header" not in fragment
    assert fragment.lstrip().startswith('<article class="compare" id="comparison">')
    assert "\u221223" in fragment


def _account(owner, size: int) -> None:
    for year in (2018, 2019, 2020):
        papers(owner, year, size)
        for i in range(size):
            f.item(owner, f"{year}-06-{i % 28 + 1:02d}", kind=BOOK)
            f.entry(owner, f"{year}-{i % 12 + 1:02d}-03")
            f.move(owner, f"{year}-{i % 12 + 1:02d}-04")
        for i in range(size):
            origin = f.goal(
                owner, year, status=Goal.Status.IN_PROGRESS, metric_kind=PAPER, metric_target=5
            )
            if i % 2:
                f.goal(owner, year + 1, carried_from=origin)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_the_account(
    alice_client, alice, bob, client, django_assert_max_num_queries, settings
):
    settings.PAGE_CACHE = False  # building the page; tests/core/test_pagecache.py: serving it
    _account(alice, 1)
    _account(bob, 12)

    small = _queries(alice_client, "/2020/compare/")
    client.force_login(bob)
    with django_assert_max_num_queries(12):
        client.get("/2020/compare/")
    large = _queries(client, "/2020/compare/")

    assert small == large


# Measured goals


def test_metric_progress_counts_finished_items_of_the_kind_in_the_year(
    alice, bob, django_assert_num_queries
):
    papers(alice, 2020, 7)
    papers(alice, 2020, 2, private=True)
    papers(alice, 2019, 30)
    f.item(alice, "2020-05-01", kind=BOOK)
    f.item(alice, None, kind=PAPER, status=Item.Status.READING)
    papers(bob, 2020, 50)
    papers_2020 = f.goal(alice, 2020, metric_kind=PAPER, metric_target=30)
    papers_2019 = f.goal(alice, 2019, metric_kind=PAPER, metric_target=30)
    books_2020 = f.goal(alice, 2020, metric_kind=BOOK, metric_target=12)
    books_2021 = f.goal(alice, 2021, metric_kind=BOOK, metric_target=12)
    plain = f.goal(alice, 2020)

    goals = [papers_2020, papers_2019, books_2020, books_2021, plain]
    with django_assert_num_queries(1):
        progress = metric_progress(alice, goals)

    assert progress == {
        papers_2020.pk: 9,
        papers_2019.pk: 30,
        books_2020.pk: 1,
        books_2021.pk: 0,
    }


def test_metric_progress_without_measured_goals_runs_no_query(alice, django_assert_num_queries):
    goal = f.goal(alice, 2020)

    with django_assert_num_queries(0):
        assert metric_progress(alice, [goal]) == {}


@pytest.mark.parametrize(
    ("status", "progress", "today", "expected"),
    [
        ("open", 7, "2020-12-31", None),  # the year is not over
        ("open", 7, "2021-01-01", "missed"),
        ("in_progress", 30, "2021-01-01", "achieved"),
        ("open", 31, "2024-06-01", "achieved"),
        ("missed", 40, "2021-01-01", None),  # already settled
    ],
)
def test_it_suggests_a_status_once_the_year_is_over(alice, status, progress, today, expected):
    goal = f.goal(alice, 2020, status=status, metric_kind=PAPER, metric_target=30)

    assert suggested_status(goal, progress, datetime.date.fromisoformat(today)) == expected


def test_it_suggests_nothing_for_a_goal_without_a_metric(alice):
    goal = f.goal(alice, 2020)

    assert suggested_status(goal, 100, datetime.date(2030, 1, 1)) is None


def test_the_progress_partial_shows_the_count_and_the_suggestion(alice):
    papers(alice, 2019, 7)
    goal = f.goal(alice, 2019, metric_kind=PAPER, metric_target=30)
    attach_progress([goal], metric_progress(alice, [goal]), datetime.date(2020, 1, 2))

    html = render_to_string("reviews/_goal_progress.html", {"goal": goal})

    assert "7 / 30 papers" in html
    assert "Looks missed — confirm?" in html
    assert f'action="/goals/{goal.pk}/confirm/"' in html and 'method="post"' in html


def test_the_compare_page_shows_measured_progress(alice_client, alice):
    papers(alice, 2019, 31)
    f.goal(alice, 2019, title="Thirty papers", metric_kind=PAPER, metric_target=30)

    html = alice_client.get("/2020/compare/").content.decode()

    assert "31 / 30 papers" in html
    assert "Looks achieved — confirm?" in html


def test_confirming_sets_the_suggested_status(alice_client, alice):
    papers(alice, 2019, 30)
    goal = f.goal(alice, 2019, metric_kind=PAPER, metric_target=30)

    response = alice_client.post(f"/goals/{goal.pk}/confirm/", {"status": "achieved"})

    assert response.status_code == 302
    assert response["Location"] == "/2019/"
    goal.refresh_from_db()
    assert goal.status == Goal.Status.ACHIEVED


def test_confirming_with_htmx_returns_the_progress_fragment(alice_client, alice):
    papers(alice, 2019, 3)
    goal = f.goal(alice, 2019, metric_kind=PAPER, metric_target=30)

    response = alice_client.post(f"/goals/{goal.pk}/confirm/", **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "3 / 30 papers" in html and "Marked as missed." in html
    assert "confirm?" not in html
    goal.refresh_from_db()
    assert goal.status == Goal.Status.MISSED


def test_confirming_before_the_year_is_over_changes_nothing(alice_client, alice):
    this_year = datetime.date.today().year
    goal = f.goal(alice, this_year, metric_kind=PAPER, metric_target=1)
    f.item(alice, f"{this_year}-01-01", kind=PAPER)

    response = alice_client.post(f"/goals/{goal.pk}/confirm/", **HTMX)

    assert "There is no suggestion to confirm" in response.content.decode()
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN


def test_confirming_refuses_a_suggestion_that_changed(alice_client, alice):
    papers(alice, 2019, 30)
    goal = f.goal(alice, 2019, metric_kind=PAPER, metric_target=30)

    response = alice_client.post(f"/goals/{goal.pk}/confirm/", {"status": "missed"}, **HTMX)

    assert "The numbers changed" in response.content.decode()
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN


def test_bob_cannot_confirm_alices_goal(bob_client, alice):
    papers(alice, 2019, 30)
    goal = f.goal(alice, 2019, metric_kind=PAPER, metric_target=30)

    assert bob_client.post(f"/goals/{goal.pk}/confirm/").status_code == 404
    goal.refresh_from_db()
    assert goal.status == Goal.Status.OPEN


# Carrying goals over


def test_carrying_over_creates_next_years_goal_linked_to_its_origin(alice_client, alice):
    origin = f.goal(
        alice,
        2020,
        title="Write 写作 weekly",
        description="Every *Sunday*",
        status=Goal.Status.IN_PROGRESS,
        metric_kind=BOOK,
        metric_target=12,
        private=True,
        outcome="Half done",
    )

    response = alice_client.post(f"/goals/{origin.pk}/carry/")

    assert response.status_code == 302
    assert response["Location"] == "/2020/"
    copy = Goal.objects.get(carried_from=origin)
    assert (copy.owner, copy.year, copy.title, copy.status) == (alice, 2021, origin.title, "open")
    assert copy.description == "Every *Sunday*" and "<em>Sunday</em>" in copy.description_html
    assert (copy.metric_kind, copy.metric_target, copy.private) == (BOOK, 12, True)
    assert copy.outcome == ""
    origin.refresh_from_db()
    assert origin.status == Goal.Status.IN_PROGRESS


def test_carrying_over_twice_makes_one_copy(alice_client, alice):
    origin = f.goal(alice, 2020)

    alice_client.post(f"/goals/{origin.pk}/carry/")
    response = alice_client.post(f"/goals/{origin.pk}/carry/", **HTMX)

    assert Goal.objects.filter(owner=alice, year=2021).count() == 1
    assert "Already carried over to 2021." in response.content.decode()


def test_carrying_over_with_htmx_returns_the_chain(alice_client, alice):
    origin = f.goal(alice, 2020)

    response = alice_client.post(f"/goals/{origin.pk}/carry/", **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "carried over to 2021" in html and 'href="/2021/"' in html
    assert "Carried over to 2021." in html
    assert "<button" not in html


@pytest.mark.parametrize("status", ["achieved", "partial", "missed", "dropped"])
def test_a_settled_goal_is_not_carried_over(alice_client, alice, status):
    origin = f.goal(alice, 2020, title="Done deal", status=status)

    full = alice_client.post(f"/goals/{origin.pk}/carry/", follow=True)
    fragment = alice_client.post(f"/goals/{origin.pk}/carry/", **HTMX)

    assert not Goal.objects.filter(carried_from=origin).exists()
    assert full.status_code == 200
    assert "only open or in-progress goals can be carried over" in full.content.decode()
    assert "only open or in-progress goals can be carried over" in fragment.content.decode()


def test_bob_gets_a_404_for_alices_goal(bob_client, alice):
    origin = f.goal(alice, 2020)

    assert bob_client.post(f"/goals/{origin.pk}/carry/").status_code == 404
    assert bob_client.post(f"/goals/{origin.pk}/carry/", **HTMX).status_code == 404
    assert not Goal.objects.filter(carried_from=origin).exists()


def test_carrying_over_needs_a_post(alice_client, alice):
    origin = f.goal(alice, 2020)

    assert alice_client.get(f"/goals/{origin.pk}/carry/").status_code == 405


def test_the_compare_page_shows_the_chain_in_both_directions(alice_client, alice):
    origin = f.goal(alice, 2020, title="Run a marathon 马拉松", status=Goal.Status.IN_PROGRESS)
    alice_client.post(f"/goals/{origin.pk}/carry/")

    html = alice_client.get("/2021/compare/").content.decode()

    this_year, last_year = section(html, "compare-goals").split('class="compare-col"')[1:3]
    assert "Run a marathon 马拉松" in this_year and "carried over from 2020" in this_year
    assert "Run a marathon 马拉松" in last_year and "carried over to 2021" in last_year
    # The carried goal offers no second carry; the new one can go on to 2022.
    assert "Carry over to 2021" not in last_year
    assert "Carry over to 2022" in this_year


# The strip on the year page


def test_strip_numbers_puts_the_year_beside_the_previous(
    alice, bob, django_assert_max_num_queries
):
    papers(alice, 2019, 30)
    papers(alice, 2020, 7)
    f.item(alice, "2020-01-01", kind=BOOK)
    f.item(alice, "2020-01-01", kind=Item.Kind.TALK)
    f.item(alice, "2019-01-01", kind=Item.Kind.CODE)
    f.item(alice, "2019-01-01", kind=Item.Kind.CODE)
    f.goal(alice, 2020, status=Goal.Status.MISSED)
    f.goal(alice, 2020, status=Goal.Status.MISSED)
    f.goal(alice, 2019, status=Goal.Status.ACHIEVED)
    f.move(alice, "2020-03-01")
    f.entry(alice, "2020-03-01")
    f.entry(alice, "2020-07-01")
    f.entry(alice, "2019-07-01")
    papers(bob, 2020, 3)
    f.entry(bob, "2020-07-01")

    with django_assert_max_num_queries(3):
        strip = strip_numbers(alice, 2020)

    assert (strip.finished.this, strip.finished.other) == (9, 32)
    assert [(k.kind, k.this, k.other) for k in strip.kinds] == [
        ("paper", 7, 30),
        ("code", 0, 2),
        ("book", 1, 0),
    ]
    assert strip.goals == ((0, 2), (1, 1))
    assert (strip.moves.this, strip.moves.other) == (1, 0)
    assert (strip.entries.this, strip.entries.other) == (2, 1)


def test_the_strip_partial_links_to_the_compare_page(alice):
    papers(alice, 2019, 30)
    papers(alice, 2020, 7)
    f.goal(alice, 2020, status=Goal.Status.MISSED)

    html = render_to_string("reviews/_year_strip.html", {"strip": strip_numbers(alice, 2020)})

    assert 'href="/2020/compare/"' in html
    assert "Compare with 2019" in html
    assert "2019: 30" in html and "<strong>7</strong>" in html
    assert "<strong>0 of 1</strong>" in html


def test_the_strip_partial_is_empty_for_an_empty_account(alice):
    html = render_to_string("reviews/_year_strip.html", {"strip": strip_numbers(alice, 2020)})

    assert html.strip() == ""


def test_a_year_with_only_goals_is_not_offered_to_compare_with(alice_client, alice):
    for year in (2023, 2024, 2025):
        f.entry(alice, f"{year}-05-01")
    f.goal(alice, 2026)

    html = alice_client.get("/2025/compare/").content.decode()

    offered = re.findall(r'<option value="(\d+)"', html)
    assert offered == ["2024", "2023"]


def test_the_year_page_counts_goals_from_its_own_rows_as_the_query_does(alice):
    for year, status in [(2019, "achieved"), (2019, "open"), (2020, "achieved"), (2020, "missed")]:
        f.goal(alice, year, status=status)
    f.goal(alice, 2020, status="achieved", private=True)
    page = services.year_page(alice, 2020)

    counted = compare.count_goals([*page.goals, *page.previous_goals])

    assert counted == compare.goal_counts(alice, [2020, 2019]) == {2019: (1, 2), 2020: (2, 3)}
