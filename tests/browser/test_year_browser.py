"""The year page in a real browser: log in as the demo user and read a year."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_demo_logs_in_and_finds_four_quarters(live_server, page: Page):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    page.get_by_label("Username").fill("demo")
    page.get_by_label("Password").fill("demo-almanac-2025")
    page.get_by_role("button", name="Log in").click()

    expect(page.locator("h1")).to_be_visible()
    years = page.get_by_role("navigation", name="Years", exact=True)
    years.get_by_role("link", name="2024", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/2024/")
    # The document's headings, each followed by its quarter's timeline.
    for n in (1, 2, 3, 4):
        expect(page.get_by_role("heading", name=f"Q{n}", exact=False).first).to_be_visible()
        expect(page.locator(f"#q{n}-entries .entry").first).to_be_visible()
