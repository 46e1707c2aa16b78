"""/career/: every career move as a CV-like history, grouped by year, newest first."""

from __future__ import annotations

import re

import pytest

from tests import factories as f
from timeline.models import CareerMove

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def get(client, query: str = "", **headers) -> str:
    response = client.get(f"/career/{query}", **headers)
    assert response.status_code == 200
    return response.content.decode()


def organizations(html: str) -> list[str]:
    return re.findall(r'<span class="move-kind">[^<]*</span> <strong>([^<]*)</strong>', html)


def years(html: str) -> list[str]:
    return re.findall(r'<h2 class="list-year-heading"[^>]*><a [^>]*>(\d+)</a>', html)


@pytest.fixture
def history(alice):
    f.move(alice, "2016-07-01", kind=CareerMove.Kind.JOINED, organization="Old Corp")
    f.move(alice, "2019-03-01", kind=CareerMove.Kind.LEFT, organization="Old Corp")
    f.move(
        alice,
        "2019-04-01",
        kind=CareerMove.Kind.JOINED,
        organization="青岚数据",
        role="后端工程师",
        note="做**数据库**",
    )
    f.move(
        alice,
        "2021-10-01",
        kind=CareerMove.Kind.PROMOTED,
        organization="青岚数据",
        role="Staff engineer",
        private=True,
    )


def test_it_shows_every_move_grouped_by_year_newest_first(alice_client, history, bob):
    f.move(bob, "2020-01-01", organization="Bob Secret Inc")

    html = get(alice_client)

    assert years(html) == ["2021", "2019", "2016"]
    assert organizations(html) == ["青岚数据", "青岚数据", "Old Corp", "Old Corp"]
    assert "后端工程师" in html and "<strong>数据库</strong>" in html
    assert 'href="/2019/#career"' in html
    assert "4 moves" in html
    assert "Bob Secret Inc" not in html
    assert "<html" in html


def test_private_moves_are_marked(alice_client, history):
    html = get(alice_client)

    promoted = html[html.index("Promoted") : html.index("</li>", html.index("Promoted"))]
    assert "badge-private" in promoted
    assert html.count("badge-private") == 1


def test_it_filters_by_kind(alice_client, history):
    html = get(alice_client, "?kind=joined")

    assert organizations(html) == ["青岚数据", "Old Corp"]
    assert '<option value="joined" selected>' in html
    assert "2 moves" in html


def test_another_user_sees_none_of_it(bob_client, history):
    html = get(bob_client)

    assert organizations(html) == []
    assert "青岚数据" not in html


def test_anonymous_is_sent_to_login(client):
    response = client.get("/career/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/career/")


def test_htmx_gets_only_the_results_and_a_history_restore_the_page(alice_client, history):
    fragment = get(alice_client, "?kind=left", **HTMX)
    restored = get(alice_client, "?kind=left", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)

    # Not the filter form (each row carries its own Delete form).
    assert "<html" not in fragment and 'class="list-filters"' not in fragment
    assert organizations(fragment) == ["Old Corp"]
    assert "<html" in restored and organizations(restored) == ["Old Corp"]


@pytest.mark.parametrize("query", ["?kind=astronaut", "?kind=", "?kind=%00", "?page=x"])
def test_bad_kind_is_ignored_with_a_message(alice_client, history, query):
    html = get(alice_client, query)

    assert len(organizations(html)) == 4


def test_an_unknown_kind_says_so(alice_client, history):
    assert "There is no kind “astronaut”" in get(alice_client, "?kind=astronaut")


def test_query_count_does_not_grow_with_the_history(
    alice_client, alice, django_assert_max_num_queries
):
    def count_queries() -> list[int]:
        counts = []
        for query, headers in [("", {}), ("?kind=joined", HTMX)]:
            with django_assert_max_num_queries(10) as captured:
                get(alice_client, query, **headers)
            counts.append(len(captured))
        return counts

    f.move(alice, "2020-01-01")
    small = count_queries()
    for n in range(60):
        f.move(alice, f"{1990 + n % 30}-01-01", note=f"note {n}", private=n % 2 == 0)
    large = count_queries()

    assert small == large
