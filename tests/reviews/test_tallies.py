"""Counts recorded without lists: what compare, goals, charts and the document count."""

from __future__ import annotations

import datetime

import pytest

from library.counts import reading_counts
from library.models import Item
from reviews import charts
from reviews.compare import attach_progress, metric_progress
from tests import factories as f

pytestmark = pytest.mark.django_db

PAPER = Item.Kind.PAPER


def papers(owner, year: int, count: int, **fields) -> None:
    for i in range(count):
        f.item(owner, f"{year}-{i % 12 + 1:02d}-15", kind=PAPER, **fields)


def section(html: str, section_id: str) -> str:
    start = html.index(f'id="{section_id}"')
    end = html.find('<section class="section"', start)
    return html[start : end if end > 0 else len(html)]


def test_a_recorded_count_is_what_compare_counts(alice_client, alice):
    f.tally(alice, 2019, PAPER, 30, note="papers with reading notes")
    papers(alice, 2020, 7)

    html = alice_client.get("/2020/compare/").content.decode()

    assert "papers 7 vs 30, \u221223" in section(html, "compare-summary")
    reading = section(html, "compare-reading")
    assert "<td>7</td>" in reading
    assert "30, count only" in reading
    assert 'title="papers with reading notes"' in reading


def test_a_recorded_count_beside_listed_items_says_how_many_are_listed(alice):
    f.tally(alice, 2020, PAPER, 30)
    papers(alice, 2020, 7)
    papers(alice, 2019, 4)

    counts = reading_counts(alice, alice)

    assert counts[2020][PAPER] == 30
    assert counts[2020][PAPER].source == "7 listed of 30"
    assert counts[2019][PAPER] == 4 and counts[2019][PAPER].source == ""


def test_counting_is_one_query_with_tallies(alice, django_assert_num_queries):
    f.tally(alice, 2019, PAPER, 30)
    papers(alice, 2020, 2)
    with django_assert_num_queries(1):
        counts = reading_counts(alice, alice, [2019, 2020], [PAPER])
    assert counts == {2019: {PAPER: 30}, 2020: {PAPER: 2}}


def test_a_private_count_counts_for_the_owner_only(alice, bob):
    f.tally(alice, 2019, PAPER, 30, private=True)
    papers(alice, 2019, 3)

    assert reading_counts(alice, alice)[2019][PAPER] == 30
    assert reading_counts(alice, None)[2019][PAPER] == 3
    assert reading_counts(alice, bob)[2019][PAPER].source == ""


def test_a_metric_goal_counts_a_recorded_count(alice, alice_client):
    f.tally(alice, 2020, PAPER, 30)
    goal = f.goal(alice, 2020, title="Read 30 papers", metric_kind=PAPER, metric_target=30)

    assert metric_progress(alice, [goal]) == {goal.pk: 30}
    html = alice_client.get("/2020/").content.decode()
    progress = html[html.index(f'id="goal-{goal.pk}"') :]
    assert "30 / 30" in progress[:3000]


def test_the_reading_chart_draws_a_recorded_count(alice):
    f.tally(alice, 2019, PAPER, 30)
    papers(alice, 2020, 7)

    chart = charts.reading_chart(reading_counts(alice, alice))

    assert "2019, papers: 30" in chart
    assert "2020, papers: 7" in chart


def test_the_document_comparison_uses_a_recorded_count(alice, alice_client):
    f.tally(alice, 2019, PAPER, 30)
    papers(alice, 2020, 7)
    f.review(alice, 2020, document="Reading.\n\n[[compare paper]]\n")
    from reviews import document

    review = alice.review_set.get(year=2020)
    review.document_html = document.render_html(review.document)
    review.save()

    html = alice_client.get("/2020/").content.decode()

    assert "Papers: 7, last year 30, count only (\u221223)" in html


def test_attach_progress_keeps_the_source_of_the_count(alice):
    f.tally(alice, 2020, PAPER, 12)
    goal = f.goal(alice, 2020, metric_kind=PAPER, metric_target=30)
    attach_progress([goal], metric_progress(alice, [goal]), datetime.date(2021, 1, 1))
    assert goal.progress.done == 12
    assert goal.progress.done.source == "12, count only"


# Recording a count on the year page

HX = {"HTTP_HX_REQUEST": "true"}


def tally_data(**fields) -> dict:
    data = {"year": "2019", "tally-kind": PAPER, "tally-count": "30", "tally-note": "with notes"}
    data.update(fields)
    return data


def test_the_year_page_offers_to_record_a_count(alice_client, alice):
    f.item(alice, "2019-03-01")
    html = alice_client.get("/2019/").content.decode()
    assert 'id="tallies-list"' in html
    assert "Record a count" in html


def test_recording_a_count_with_htmx_inserts_its_row(alice_client, alice):
    response = alice_client.post("/edit/tally/new/", tally_data(), **HX)

    assert response.status_code == 200
    tally = alice.tally_set.get()
    assert (tally.year, tally.kind, tally.count, tally.note) == (2019, PAPER, 30, "with notes")
    html = response.content.decode()
    assert 'hx-swap-oob="afterbegin:#tallies-list"' in html
    assert f'id="tally-{tally.pk}"' in html
    assert response.headers["HX-Trigger"].startswith('{"reading-changed"')
    page = alice_client.get("/2019/").content.decode()
    assert '<strong>30</strong> <span class="count-source">(count only)</span>' in page


def test_recording_a_count_without_javascript_redirects(alice_client, alice):
    response = alice_client.post("/edit/tally/new/", tally_data())
    assert response.status_code == 302
    assert alice.tally_set.count() == 1


def test_a_second_count_of_the_same_kind_and_year_is_refused_beside_the_field(alice_client, alice):
    f.tally(alice, 2019, PAPER, 12)
    response = alice_client.post("/edit/tally/new/", tally_data(), **HX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "2019 already has a count of this kind" in html
    assert 'id="id_tally-kind_errors"' in html
    assert alice.tally_set.get().count == 12


def test_a_count_out_of_range_gets_a_message(alice_client, alice):
    html = alice_client.post("/edit/tally/new/", tally_data(**{"tally-count": "-3"}), **HX)
    assert "field-invalid" in html.content.decode()
    html = alice_client.post("/edit/tally/new/", tally_data(**{"tally-count": "2000000"}), **HX)
    assert "at most 1,000,000" in html.content.decode()
    assert not alice.tally_set.exists()


def test_editing_and_deleting_a_count(alice_client, alice):
    tally = f.tally(alice, 2019, PAPER, 12)
    response = alice_client.post(f"/edit/tally/{tally.pk}/", tally_data(), **HX)
    assert response.status_code == 200
    tally.refresh_from_db()
    assert tally.count == 30

    response = alice_client.post(f"/edit/tally/{tally.pk}/delete/", {"year": "2019"}, **HX)
    assert response.status_code == 200
    assert not alice.tally_set.exists()


def test_another_users_count_is_a_404(client, bob, alice):
    tally = f.tally(alice, 2019, PAPER, 12)
    client.force_login(bob)
    assert client.post(f"/edit/tally/{tally.pk}/", tally_data(), **HX).status_code == 404
    assert client.post(f"/edit/tally/{tally.pk}/delete/", {"year": "2019"}).status_code == 404
    tally.refresh_from_db()
    assert tally.count == 12


def test_pages_say_a_number_is_a_recorded_count(alice, alice_client):
    f.tally(alice, 2019, PAPER, 30)
    papers(alice, 2020, 7)
    goal = f.goal(alice, 2019, metric_kind=PAPER, metric_target=30)

    chart = charts.reading_chart(reading_counts(alice, alice))
    assert "2019, papers: 30, count only" in chart and "2020, papers: 7<" in chart

    html = alice_client.get("/2019/").content.decode()
    progress = html[html.index(f'id="goal-progress-{goal.pk}"') :][:600]
    assert "(count only)" in progress and "30, count only" not in progress  # said once

    counts = html[html.index('class="reading-counts"') :][:600]
    assert '<strong>30</strong> <span class="count-source">(count only)</span>' in counts
