"""Dates in a real browser: the calendar button beside a date, and a year-only entry
added on the year page going to "During the year"."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from reviews.document import compose
from tests import factories as f
from timeline.models import Entry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_day_picked_in_the_calendar_is_written_into_the_date(live_server, alice_page: Page):
    page = alice_page
    page.goto(f"{live_server.url}/edit/move/new/?year=2020")

    field = page.locator(".field-date")
    button = field.get_by_role("button", name="Pick a day")
    expect(button).to_be_visible()  # shown by dates.js
    page.locator("#id_move-date").fill("2020-03-14")
    button.click()
    # The browser's calendar opens on the day typed; picking another writes it back.
    picker = field.locator(".date-picker-input")
    expect(picker).to_have_value("2020-03-14")
    picker.fill("2020-04-17")
    picker.dispatch_event("change")
    expect(page.locator("#id_move-date")).to_have_value("2020-04-17")
    expect(page.locator("#id_move-date")).to_be_focused()


def test_a_year_only_entry_added_on_the_year_page_goes_after_q4(
    live_server, alice_page: Page, alice
):
    f.review(alice, 2020, document=compose(2020, "en"))
    f.entry(alice, "2020-11-02", title="November")
    page = alice_page
    page.goto(f"{live_server.url}/2020/")

    page.locator("#whole-year-entries").wait_for(state="attached")
    add = page.get_by_role("link", name="Add an entry").or_(
        page.get_by_role("button", name="Add an entry")
    )
    add.first.click()
    page.locator("#id_entry-title").fill("Our wedding")
    page.locator("#id_entry-started_on").fill("2020")
    page.locator("#id_entry-started_on").press("Enter")

    row = page.locator("#whole-year-entries .entry", has_text="Our wedding")
    expect(row).to_be_visible()
    expect(row.locator("time")).to_have_text("2020")
    assert Entry.objects.get(title="Our wedding").started_precision == "year"
