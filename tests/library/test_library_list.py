"""/library/: every item across the years, filtered, searched (Chinese too), paginated."""

from __future__ import annotations

import re

import pytest

from library.models import Item
from tests import factories as f

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def titles(html: str) -> list[str]:
    """The item titles shown, in order."""
    return re.findall(
        r'<li class="item list-item[^>]*>\s*<p class="item-line">\s*<(?:a|cite)[^>]*>([^<]*)<',
        html,
    )


def get(client, query: str = "", **headers) -> str:
    response = client.get(f"/library/{query}", **headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def shelf(alice):
    f.item(alice, "2023-03-01", title="数据库系统内幕", authors="Alex Petrov", kind=Item.Kind.BOOK)
    f.item(alice, "2022-07-01", title="Raft", authors="Diego Ongaro", kind=Item.Kind.PAPER)
    f.item(alice, "2022-01-05", title="SQLite source", kind=Item.Kind.CODE, recommended=True)
    f.item(alice, None, title="Unfinished", status=Item.Status.READING, notes="读到第三章")
    f.item(alice, "2021-05-05", title="Talk on caches", kind=Item.Kind.TALK, private=True)


def test_it_lists_every_item_of_the_owner_newest_first(alice_client, shelf, bob):
    f.item(bob, "2022-02-02", title="Bob's secret book")

    html = get(alice_client)

    assert titles(html) == [
        "数据库系统内幕",
        "Raft",
        "SQLite source",
        "Talk on caches",
        "Unfinished",
    ]
    assert "5 items" in html
    assert "Bob&#x27;s secret book" not in html and "Bob's secret book" not in html
    assert "<html" in html


def test_each_row_shows_link_date_year_page_and_marks(alice_client, alice):
    f.item(
        alice,
        "2022-07-01",
        title="Raft",
        authors="Ongaro",
        url="https://raft.github.io/raft.pdf",
        kind=Item.Kind.PAPER,
        rating=5,
        recommended=True,
        private=True,
    )

    html = get(alice_client)

    assert (
        '<a href="https://raft.github.io/raft.pdf" rel="noopener noreferrer nofollow">Raft</a>'
        in html
    )
    assert "Ongaro" in html
    assert 'href="/2022/#reading"' in html
    assert 'datetime="2022-07-01"' in html
    assert "5/5" in html
    assert "badge-recommended" in html and "badge-private" in html
    assert "status-finished" in html and "Paper" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?kind=paper", ["Raft"]),
        ("?kind=code", ["SQLite source"]),
        ("?status=reading", ["Unfinished"]),
        ("?year=2022", ["Raft", "SQLite source"]),
        ("?year=none", ["Unfinished"]),
        ("?recommended=1", ["SQLite source"]),
        ("?kind=paper&year=2022", ["Raft"]),
        ("?kind=book&year=2022", []),
    ],
)
def test_it_filters_by_kind_status_year_and_recommended(alice_client, shelf, query, expected):
    assert titles(get(alice_client, query)) == expected


def test_the_year_select_offers_the_years_with_items_and_no_date(alice_client, shelf):
    html = get(alice_client, "?year=2022")

    assert '<option value="2022" selected>2022</option>' in html
    assert '<option value="2023">2023</option>' in html
    assert '<option value="none">' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=数据库", ["数据库系统内幕"]),
        ("?q=系统", ["数据库系统内幕"]),
        ("?q=petrov", ["数据库系统内幕"]),
        ("?q=第三章", ["Unfinished"]),
        ("?q=数据库+PETROV", ["数据库系统内幕"]),
        ("?q=数据库　Ongaro", []),
        ("?q=nothing-like-this", []),
    ],
)
def test_search_finds_substrings_in_title_authors_and_notes(alice_client, shelf, query, expected):
    assert titles(get(alice_client, query)) == expected


def test_search_never_finds_another_users_items(bob_client, shelf, bob):
    html = get(bob_client, "?q=数据库")

    assert titles(html) == []
    assert "0 items" in html
    assert "数据库系统内幕" not in html


def test_anonymous_is_sent_to_login(client):
    response = client.get("/library/?q=x")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/library/")


def test_htmx_gets_only_the_results(alice_client, shelf):
    html = get(alice_client, "?q=数据库", **HTMX)

    assert "<html" not in html
    assert 'class="list-filters"' not in html  # rows carry their own Delete forms
    assert titles(html) == ["数据库系统内幕"]
    assert "1 item" in html


def test_a_history_restore_gets_the_full_page(alice_client, shelf):
    html = get(alice_client, "?q=数据库", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)

    assert "<html" in html and "<form" in html
    assert titles(html) == ["数据库系统内幕"]


def test_the_form_keeps_the_filters_and_is_wired_for_htmx(alice_client, shelf):
    html = get(alice_client, "?q=数据库&kind=book&recommended=1")

    assert 'value="数据库"' in html
    assert '<option value="book" selected>' in html
    assert re.search(r'<input type="checkbox" name="recommended"[^>]* checked', html)
    assert 'hx-push-url="true"' in html
    assert 'hx-target="#library-results"' in html
    assert 'type="submit"' in html  # a plain GET form without JavaScript


@pytest.mark.parametrize(
    "query",
    [
        "?kind=vinyl",
        "?status=done",
        "?year=abc",
        "?year=20222",
        "?page=x",
        "?page=99999",
        "?page=0",
        "?page=-3",
        "?page=1.5",
        "?recommended=maybe",
        "?q=" + "长" * 300,
        "?kind=%00",
    ],
)
def test_bad_parameters_are_ignored_never_a_500(alice_client, shelf, query):
    html = get(alice_client, query)

    assert len(titles(html)) >= 1


def test_bad_values_say_what_was_ignored(alice_client, shelf):
    html = get(alice_client, "?kind=vinyl&year=abc&status=paper")

    assert "There is no kind “vinyl”" in html
    assert "“abc” is not a year" in html
    assert "There is no status “paper”" in html
    assert len(titles(html)) == 5


def test_a_valid_filter_still_applies_beside_a_bad_one(alice_client, shelf):
    html = get(alice_client, "?kind=paper&year=abc")

    assert titles(html) == ["Raft"]


def _fill(owner, count: int) -> None:
    for n in range(count):
        f.item(owner, f"20{10 + n % 14}-0{1 + n % 9}-1{n % 10}", title=f"Book {n:03d}")


def test_it_pages_fifty_at_a_time_with_load_more(alice_client, alice):
    _fill(alice, 120)

    first = get(alice_client)
    assert len(titles(first)) == 50
    assert "120 items" in first
    assert 'id="library-more"' in first
    assert 'href="/library/?page=2"' in first  # plain link without JavaScript
    assert 'hx-get="/library/?page=2"' in first

    # htmx asks for the next rows on behalf of the "Load more" row
    more = get(alice_client, "?page=2", HTTP_HX_TARGET="library-more", **HTMX)
    assert "<html" not in more and "list-count" not in more
    assert len(titles(more)) == 50
    assert 'hx-get="/library/?page=3"' in more

    last = get(alice_client, "?page=3", HTTP_HX_TARGET="library-more", **HTMX)
    assert len(titles(last)) == 20
    assert "library-more" not in last

    every = titles(first) + titles(more) + titles(last)
    assert len(set(every)) == 120


def test_the_next_page_link_keeps_the_filters(alice_client, alice):
    _fill(alice, 60)

    html = get(alice_client, "?q=Book&kind=book")

    assert "/library/?q=Book&amp;kind=book&amp;page=2" in html


def test_a_full_page_two_offers_the_previous_page(alice_client, alice):
    _fill(alice, 60)

    html = get(alice_client, "?page=2")

    assert len(titles(html)) == 10
    assert 'href="/library/?page=1"' in html
    assert "showing 51–60" in html


def test_page_out_of_range_says_so(alice_client, alice):
    _fill(alice, 60)

    html = get(alice_client, "?page=99999")

    assert "There is no page 99999" in html
    assert len(titles(html)) == 10


def test_query_count_does_not_grow_with_the_library(
    alice_client, alice, django_assert_max_num_queries
):
    def count_queries() -> list[int]:
        counts = []
        for query, headers in [
            ("?q=数", {}),
            ("?page=2&year=2012", {}),
            ("?page=2", {"HTTP_HX_TARGET": "library-more", **HTMX}),
            ("?kind=book&recommended=1", HTMX),
        ]:
            with django_assert_max_num_queries(10) as captured:
                get(alice_client, query, **headers)
            counts.append(len(captured))
        return counts

    _fill(alice, 3)
    f.item(alice, None, title="数据库 notes", notes="长笔记")
    small = count_queries()
    _fill(alice, 200)
    large = count_queries()

    assert small == large
