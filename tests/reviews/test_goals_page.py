"""/goals/: every goal by year, with statuses, a tally per year and carried-over goals."""

from __future__ import annotations

import re

import pytest

from reviews.models import Goal
from tests import factories as f

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def get(client, query: str = "", **headers) -> str:
    response = client.get(f"/goals/{query}", **headers)
    assert response.status_code == 200
    return response.content.decode()


def goal_titles(html: str) -> list[str]:
    return re.findall(r'<strong class="goal-title">([^<]*)</strong>', html)


def year_block(html: str, year: int) -> str:
    start = html.index(f'id="goals-{year}"')
    end = html.find('class="list-year"', start)
    return html[start : end if end > 0 else len(html)]


@pytest.fixture
def goals(alice):
    old = f.goal(alice, 2022, title="读 12 篇论文", status=Goal.Status.MISSED)
    f.goal(alice, 2022, title="Run a half marathon", status=Goal.Status.ACHIEVED)
    f.goal(alice, 2023, title="Ship v2", status=Goal.Status.ACHIEVED, outcome="Shipped *in May*")
    f.goal(alice, 2023, title="Learn Rust", status=Goal.Status.PARTIAL)
    f.goal(alice, 2023, title="Write weekly", status=Goal.Status.DROPPED, private=True)
    f.goal(alice, 2023, title="再读 12 篇论文", status=Goal.Status.ACHIEVED, carried_from=old)
    f.goal(alice, 2023, title="Sleep more", status=Goal.Status.MISSED)
    f.goal(alice, 2024, title="Open goal", metric_kind="paper", metric_target=30)


def test_it_shows_every_goal_by_year_newest_first_with_a_tally(alice_client, goals, bob):
    f.goal(bob, 2023, title="Bob's secret goal")

    html = get(alice_client)

    assert re.findall(r'id="goals-(\d+)"', html) == ["2024", "2023", "2022"]
    assert goal_titles(year_block(html, 2022)) == ["读 12 篇论文", "Run a half marathon"]
    assert "1 of 2 achieved" in year_block(html, 2022)
    assert "2 of 5 achieved, 1 partly" in year_block(html, 2023)
    assert "0 of 1 achieved" in year_block(html, 2024)
    assert "8 goals" in html
    assert "Bob" not in html
    assert "<html" in html


def test_statuses_outcomes_metrics_and_private_marks_show(alice_client, goals):
    html = get(alice_client)

    assert 'class="status status-partial">Partly achieved<' in html
    assert "<em>in May</em>" in html
    assert "target: 30 × Paper" in html
    assert html.count("badge-private") == 1


def test_carried_over_goals_name_their_year(alice_client, goals):
    block = year_block(get(alice_client), 2023)

    assert "carried over from 2022" in block
    assert 'href="/2022/#goals"' in block


def test_it_filters_by_status_and_keeps_the_whole_years_tally(alice_client, goals):
    html = get(alice_client, "?status=achieved")

    assert goal_titles(html) == ["Ship v2", "再读 12 篇论文", "Run a half marathon"]
    assert "2 of 5 achieved" in year_block(html, 2023)
    assert 'id="goals-2024"' not in html
    assert '<option value="achieved" selected>' in html


def test_another_user_sees_none_of_it(bob_client, goals):
    html = get(bob_client)

    assert goal_titles(html) == []
    assert "0 goals" in html


def test_anonymous_is_sent_to_login(client):
    response = client.get("/goals/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/goals/")


def test_htmx_gets_only_the_results_and_a_history_restore_the_page(alice_client, goals):
    fragment = get(alice_client, "?status=missed", **HTMX)
    restored = get(alice_client, "?status=missed", HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX)

    # Not the filter form (each row carries its own Delete form).
    assert "<html" not in fragment and 'class="list-filters"' not in fragment
    assert goal_titles(fragment) == ["Sleep more", "读 12 篇论文"]
    assert "<html" in restored and goal_titles(restored) == ["Sleep more", "读 12 篇论文"]


@pytest.mark.parametrize("query", ["?status=done", "?status=%00", "?status=" + "x" * 500])
def test_a_bad_status_is_ignored_with_a_message(alice_client, goals, query):
    html = get(alice_client, query)

    assert len(goal_titles(html)) == 8
    assert "There is no status" in html


def test_query_count_does_not_grow_with_the_goals(
    alice_client, alice, django_assert_max_num_queries
):
    def count_queries() -> list[int]:
        counts = []
        for query, headers in [("", {}), ("?status=achieved", HTMX)]:
            with django_assert_max_num_queries(10) as captured:
                get(alice_client, query, **headers)
            counts.append(len(captured))
        return counts

    f.goal(alice, 2020, status=Goal.Status.ACHIEVED)
    small = count_queries()
    previous = None
    for n in range(60):
        previous = f.goal(
            alice,
            2000 + n % 25,
            status=Goal.Status.ACHIEVED if n % 3 else Goal.Status.MISSED,
            carried_from=previous if n % 2 else None,
        )
    large = count_queries()

    assert small == large
