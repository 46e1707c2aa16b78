"""Dates as people remember them: a day, a month, a quarter or a year, typed, shown,
placed and counted the same way on every page, in English and Chinese."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from core.dates import PartialDate, parse_partial, partial_label, partial_span_label
from library.models import Item
from reviews.document import compose
from reviews.models import Goal, Trash
from sharing.models import ShareLink
from tests import factories as f
from timeline.models import CareerMove, Entry

HX = {"HTTP_HX_REQUEST": "true"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-Hans"}
D = datetime.date


def day(text: str) -> PartialDate:
    return parse_partial(text)


# Parsing and labels


@pytest.mark.parametrize(
    ("typed", "precision", "first", "last", "iso"),
    [
        ("2020-04-17", "day", D(2020, 4, 17), D(2020, 4, 17), "2020-04-17"),
        ("2020-04", "month", D(2020, 4, 1), D(2020, 4, 30), "2020-04"),
        ("2020-Q2", "quarter", D(2020, 4, 1), D(2020, 6, 30), "2020-Q2"),
        ("2020", "year", D(2020, 1, 1), D(2020, 12, 31), "2020"),
        ("2020年4月", "month", D(2020, 4, 1), D(2020, 4, 30), "2020-04"),
        ("2020年第二季度", "quarter", D(2020, 4, 1), D(2020, 6, 30), "2020-Q2"),
        ("2020-02", "month", D(2020, 2, 1), D(2020, 2, 29), "2020-02"),
    ],
)
def test_every_precision_parses_to_its_period(typed, precision, first, last, iso):
    date = parse_partial(typed)

    assert (date.precision, date.first, date.last, date.iso) == (precision, first, last, iso)
    assert PartialDate.of(date.stored("start"), precision) == date
    assert PartialDate.of(date.stored("end"), precision) == date


@pytest.mark.parametrize(
    ("iso", "english", "chinese"),
    [
        ("2020-04-17", "Apr 17, 2020", "2020年4月17日"),
        ("2020-04", "Apr 2020", "2020年4月"),
        ("2020-Q2", "Q2 2020", "2020年第二季度"),
        ("2020", "2020", "2020年"),
    ],
)
def test_every_precision_is_labelled_in_both_languages(iso, english, chinese):
    with translation.override("en"):
        assert partial_label(day(iso)) == english
    with translation.override("zh-hans"):
        assert partial_label(day(iso)) == chinese


@pytest.mark.parametrize(
    ("start", "end", "english", "chinese"),
    [
        ("2020-04", "2020-06", "Apr – Jun 2020", "2020年4月 – 6月"),
        ("2020-Q1", "2020-Q3", "Q1 – Q3 2020", "2020年第一季度 – 第三季度"),
        ("2020-04", "2020-Q3", "Apr – Q3 2020", "2020年4月 – 第三季度"),
        ("2020-07", "2020-11-09", "Jul – Nov 9 2020", "2020年7月 – 11月9日"),
        ("2019-12", "2020-02", "Dec 2019 – Feb 2020", "2019年12月 – 2020年2月"),
        ("2019", "2021", "2019 – 2021", "2019年 – 2021年"),
        ("2020-Q4", "2021", "Q4 2020 – 2021", "2020年第四季度 – 2021年"),
        ("2020", "2020-Q3", "2020 – Q3 2020", "2020年 – 2020年第三季度"),
        ("2020-Q2", None, "Q2 2020", "2020年第二季度"),
        ("2020", None, "2020", "2020年"),
        ("2020-11-02", "2020-11-09", "Nov 2 – 9", "11月2日 – 9日"),
    ],
)
def test_spans_across_precisions_in_both_languages(start, end, english, chinese):
    start, end = day(start), day(end) if end else None
    with translation.override("en"):
        assert partial_span_label(start, end) == english
    with translation.override("zh-hans"):
        assert partial_span_label(start, end) == chinese


# Typing a date into a form


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2020-Q5", "There is no quarter 5: a year has Q1 to Q4."),
        ("2020-13", "There is no month 13: months go from 1 to 12."),
        ("20", "“20” is not a date: write 2020-04-17, 2020-04, 2020-Q2 or 2020."),
        ("2020-02-30", "Feb 2020 has no day 30."),
    ],
)
def test_a_date_that_does_not_exist_gets_a_message_beside_its_field(alice_client, typed, message):
    data = {"move-date": typed, "move-kind": "joined", "move-organization": "ACME", "year": "2020"}

    response = alice_client.post("/edit/move/new/", data, **HX)

    html = response.content.decode()
    assert response.status_code == 422  # refused, swapped where the form is
    errors = html[html.index('id="id_move-date_errors"') :]
    assert message in errors[:400]
    assert f'value="{typed}"' in html  # what was typed stays
    assert not CareerMove.objects.exists()


@pytest.mark.django_db
def test_a_date_message_is_in_chinese_for_a_chinese_reader(alice_client):
    data = {
        "move-date": "2020-Q5",
        "move-kind": "joined",
        "move-organization": "ACME",
        "year": "2020",
    }

    html = alice_client.post("/edit/move/new/", data, **HX, **ZH).content.decode()

    errors = html[html.index('id="id_move-date_errors"') :][:300]
    assert "There is no quarter" not in errors and "5" in errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "stored", "precision"),
    [
        ("2020-04-17", D(2020, 4, 17), "day"),
        ("2020-04", D(2020, 4, 1), "month"),
        ("2020-Q2", D(2020, 4, 1), "quarter"),
        ("2020", D(2020, 1, 1), "year"),
    ],
)
def test_the_form_stores_what_was_typed_and_shows_it_again_as_typed(
    alice_client, alice, typed, stored, precision
):
    data = {"entry-title": "Trip", "entry-started_on": typed, "year": "2020"}

    alice_client.post("/edit/entry/new/", data, **HX)

    entry = Entry.objects.get(owner=alice)
    assert (entry.started_on, entry.started_precision) == (stored, precision)
    form = alice_client.get(f"/edit/entry/{entry.pk}/?year=2020", **HX).content.decode()
    assert f'name="entry-started_on" value="{typed}"' in form


@pytest.mark.django_db
def test_an_end_is_stored_as_the_last_day_of_its_period(alice_client, alice):
    data = {
        "item-kind": "paper",
        "item-title": "Raft",
        "item-status": "finished",
        "item-started_on": "2020-Q1",
        "item-finished_on": "2020-Q1",
        "year": "2020",
    }

    alice_client.post("/edit/item/new/", data, **HX)

    item = Item.objects.get(owner=alice)
    assert (item.started_on, item.finished_on) == (D(2020, 1, 1), D(2020, 3, 31))


@pytest.mark.django_db
def test_the_date_field_has_a_calendar_button_shown_by_its_script(alice_client):
    html = alice_client.get("/edit/move/new/?year=2020").content.decode()

    assert "data-date-pick" in html and 'class="date-picker-input"' in html
    # Hidden until static/js/dates.js shows them; the calendar's input sends nothing.
    start = html.rindex("<input", 0, html.index('class="date-picker-input"'))
    picker = html[start:].split(">", 1)[0]
    assert picker.endswith(" hidden") and "name=" not in picker
    assert "js/dates.js" in html


# Placement and order


def entry(owner, iso: str, title: str, end: str | None = None) -> Entry:
    row = Entry(owner=owner, title=title)
    Entry.dates[0].set(row, day(iso))
    Entry.dates[1].set(row, day(end) if end else None)
    row.save()
    return row


def move(owner, iso: str, organization: str) -> CareerMove:
    row = CareerMove(owner=owner, organization=organization, kind=CareerMove.Kind.JOINED)
    CareerMove.dates[0].set(row, day(iso))
    row.save()
    return row


def item(owner, iso: str | None, title: str, kind: str = Item.Kind.PAPER) -> Item:
    row = Item(owner=owner, title=title, kind=kind, status=Item.Status.FINISHED)
    Item.dates[1].set(row, day(iso) if iso else None)
    if iso is None:
        row.status = Item.Status.WANT
    row.save()
    return row


def in_order(html: str, *names: str) -> bool:
    positions = [html.index(name) for name in names]
    return positions == sorted(positions)


@pytest.mark.django_db
def test_the_year_page_places_each_precision_in_its_quarter_and_the_year_after_q4(
    alice_client, alice
):
    entry(alice, "2020", "Wedding")
    entry(alice, "2020-11-02", "Moved house")
    entry(alice, "2020-Q2", "Lockdown", "2020-Q2")
    entry(alice, "2020-04", "New job", "2020-06")
    entry(alice, "2020-01-05", "Ski trip")

    html = alice_client.get("/2020/").content.decode()

    assert in_order(
        html,
        "Q1 · Jan – Mar",
        "Ski trip",
        "Q2 · Apr – Jun",
        "Lockdown",
        "New job",
        "Q4 · Oct – Dec",
        "Moved house",
        "During the year",
        "Wedding",
    )
    assert 'id="whole-year-entries"' in html
    assert "Apr – Jun 2020" in html and ">Q2 2020<" in html and ">2020<" in html
    assert '<time class="entry-span" datetime="2020">' in html
    assert '<time class="entry-span" datetime="2020">' in html


@pytest.mark.django_db
def test_the_year_group_heading_is_in_chinese(alice_client, alice):
    entry(alice, "2020", "Wedding")
    html = alice_client.get("/2020/", **ZH).content.decode()

    assert "这一年中" in html and "2020年" in html


@pytest.mark.django_db
def test_a_year_only_move_comes_after_the_moves_of_known_months(alice_client, alice):
    move(alice, "2020", "Somewhere")
    move(alice, "2020-09", "September")
    move(alice, "2020-03-02", "March")

    html = alice_client.get("/2020/").content.decode()

    assert in_order(html, "March", "September", "Somewhere")
    assert '<time datetime="2020-03-02">Mar 2</time>' in html
    assert '<time datetime="2020-09">Sep 2020</time>' in html
    assert '<time datetime="2020">2020</time>' in html


@pytest.mark.django_db
def test_an_edit_puts_a_year_only_row_where_the_page_shows_it(alice_client, alice):
    first = move(alice, "2020", "First of the year")
    known = move(alice, "2020-10", "October")
    second = move(alice, "2020-05-01", "May")
    data = {"move-date": "2020", "move-kind": "joined", "move-organization": "May", "year": "2020"}

    html = alice_client.post(f"/edit/move/{second.pk}/", data, **HX).content.decode()

    assert f'hx-swap-oob="afterend:#careermove-{first.pk}"' in html
    data = {
        "move-date": "2020-11",
        "move-kind": "joined",
        "move-organization": "Nov",
        "year": "2020",
    }
    html = alice_client.post(f"/edit/move/{second.pk}/", data, **HX).content.decode()
    assert f'hx-swap-oob="afterend:#careermove-{known.pk}"' in html


@pytest.mark.django_db
def test_an_entry_edited_to_a_year_goes_to_the_years_group(alice_client, alice):
    changing = entry(alice, "2020-03-01", "Changing")
    data = {"entry-title": "Changing", "entry-started_on": "2020", "year": "2020"}

    html = alice_client.post(f"/edit/entry/{changing.pk}/", data, **HX).content.decode()

    assert 'hx-swap-oob="afterbegin:#whole-year-entries"' in html


@pytest.mark.django_db
def test_show_all_of_the_years_group(alice_client, alice):
    for n in range(30):
        entry(alice, "2020", f"Sometime {n:02d}")

    page = alice_client.get("/2020/").content.decode()
    part = alice_client.get("/2020/part/whole-year/", **HX).content.decode()

    assert "Sometime 29" not in page and "/2020/part/whole-year/" in page
    assert "Sometime 29" in part


@pytest.mark.django_db
def test_the_library_orders_mixed_precisions_within_a_year(alice_client, alice):
    item(alice, "2019-12-31", "Last day of 2019")
    item(alice, "2020", "Sometime in 2020")
    item(alice, "2020-12-31", "Year end")
    item(alice, "2020-Q2", "Spring paper")
    item(alice, "2020-03-05", "March paper")
    item(alice, None, "Someday")

    html = alice_client.get("/library/").content.decode()

    assert in_order(
        html,
        "Year end",
        "Spring paper",
        "March paper",
        "Sometime in 2020",
        "Last day of 2019",
        "Someday",
    )
    assert '<time datetime="2020">Q2 2020</time>' in html
    assert '<time datetime="2020">2020</time>' in html
    assert '<time datetime="2020-03-05">Mar 5, 2020</time>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("iso", ["2020-06-30", "2020-06", "2020-Q2", "2020"])
def test_the_library_year_filter_counts_every_precision(alice_client, alice, iso):
    item(alice, iso, "The one")
    item(alice, "2021", "Not this year")

    html = alice_client.get("/library/?year=2020").content.decode()

    assert "The one" in html and "Not this year" not in html


@pytest.mark.django_db
def test_career_orders_mixed_precisions_within_a_year(alice_client, alice):
    move(alice, "2020", "Sometime in 2020")
    move(alice, "2020-Q4", "Autumn")
    move(alice, "2020-02", "February")
    move(alice, "2019-12-31", "Late 2019")

    html = alice_client.get("/career/").content.decode()

    assert in_order(html, "Autumn", "February", "Sometime in 2020", "Late 2019")
    assert '<time datetime="2020">Q4 2020</time>' in html


# Counting by the year the date falls in


@pytest.mark.django_db
def test_compare_counts_entries_of_a_year_apart_from_the_quarters(alice_client, alice):
    entry(alice, "2020", "Wedding")
    entry(alice, "2020-Q1", "Winter")
    entry(alice, "2019-02-01", "Old")
    move(alice, "2020", "Sometime")
    move(alice, "2020-06", "June")

    html = alice_client.get("/2020/compare/?with=2019").content.decode()

    table = html[html.index('id="compare-timeline"') :]
    assert "During the year" in table
    assert in_order(html, "June", "Sometime")
    assert '<time datetime="2020-06">Jun 2020</time>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("iso", ["2020-12-31", "2020-12", "2020-Q4", "2020"])
def test_a_metric_goal_and_the_charts_count_every_precision_in_its_year(alice, iso):
    from reviews.compare import finished_counts, metric_progress

    item(alice, iso, "Paper")
    item(alice, "2021-01", "Next year")
    goal = f.goal(alice, 2020, metric_kind=Item.Kind.PAPER, metric_target=1)

    assert metric_progress(alice, [goal]) == {goal.pk: 1}
    assert finished_counts(alice)[2020] == {Item.Kind.PAPER: 1}
    assert Goal.objects.count() == 1


# Everywhere else a date shows


@pytest.mark.django_db
def test_the_share_page_and_export_md_write_dates_at_their_precision(alice_client, alice):
    review = f.review(alice, 2020, document=compose(2020, "en"))
    entry(alice, "2020-04", "New job", "2020-06")
    entry(alice, "2020", "Wedding")
    move(alice, "2020-Q3", "Qinglan")
    _link, token = ShareLink.create_for(review)

    shared = alice_client.get(f"/s/{token}/").content.decode()
    exported = alice_client.get("/2020/export.md").content.decode()

    for text in (shared, exported):
        assert "Apr – Jun 2020" in text and "Q3 2020" in text
        assert in_order(text, "New job", "During the year", "Wedding")
    assert "**Q3 2020** — Joined" in exported


@pytest.mark.django_db
def test_the_palette_shows_a_rows_date_at_its_precision(alice_client, alice):
    f.review(alice, 2020)
    entry(alice, "2020-Q2", "Lockdown")
    move(alice, "2020", "Qinglan")

    entries = alice_client.get("/text/palette/?q=Lockdown&year=2020", **HX).content.decode()
    moves = alice_client.get("/text/palette/?q=Qinglan&year=2020", **HX).content.decode()

    assert "Q2 2020" in entries
    assert "2020 · Joined" in moves


@pytest.mark.django_db
def test_delete_then_undo_keeps_the_precision(alice_client, alice):
    row = entry(alice, "2020-Q2", "Lockdown", "2020-Q3")

    html = alice_client.post(f"/edit/entry/{row.pk}/delete/", {"year": "2020"}, **HX)

    assert "2020-Q2 Lockdown" in html.content.decode()  # the trash's label
    trash = Trash.objects.get(owner=alice)
    alice_client.post(f"/undo/{trash.pk}/", {"year": "2020"}, **HX)
    restored = Entry.objects.get(owner=alice)
    assert (restored.start.iso, restored.end.iso) == ("2020-Q2", "2020-Q3")


@pytest.mark.django_db
def test_a_year_only_item_comes_after_the_items_of_known_months_of_its_kind(alice_client, alice):
    year_only = item(alice, "2020", "Sometime")  # made first: its id is the smallest
    item(alice, "2020-Q4", "Autumn")
    item(alice, "2020-12-31", "Year end")
    item(alice, "2020-03", "March")

    html = alice_client.get("/2020/").content.decode()
    assert in_order(html, "March", "Autumn", "Year end", "Sometime")

    data = {
        "item-kind": "paper",
        "item-title": "Sometime",
        "item-status": "finished",
        "item-finished_on": "2020",
        "year": "2020",
    }
    edited = alice_client.post(f"/edit/item/{year_only.pk}/", data, **HX).content.decode()
    last = Item.objects.get(title="Year end")
    assert f'hx-swap-oob="afterend:#item-{last.pk}"' in edited


def test_timeline_year_is_an_embed_of_the_years_group():
    from reviews.document import parse_embed
    from reviews.palette import lists

    assert parse_embed("[[timeline year]]").quarter == 5
    assert parse_embed("[[timeline Q4]]").quarter == 4
    assert parse_embed("[[timeline]]").quarter is None
    with translation.override("en"):
        assert "Timeline: During the year" in [choice.label for choice in lists()]


@pytest.mark.parametrize(
    "typed, machine",
    [("2020-04-17", "2020-04-17"), ("2020-04", "2020-04"), ("2020-Q2", "2020"), ("2020", "2020")],
)
def test_time_elements_get_a_valid_html_date(typed, machine):
    # HTML's <time datetime> knows days, months and years, not quarters.
    assert parse_partial(typed).machine == machine
