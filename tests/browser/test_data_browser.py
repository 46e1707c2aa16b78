"""/data/ in a real browser: download a backup, import it into another account, same year page."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page, expect

from tests.portability.interchange_data import populate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in_as(page: Page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def year_text(page: Page, live_server, year: int) -> str:
    page.goto(f"{live_server.url}/{year}/")
    return page.locator("main").inner_text()


def test_a_backup_moves_to_another_account_and_the_year_pages_match(
    page: Page, live_server, alice, bob, tmp_path
):
    populate(alice)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in_as(page, live_server, alice)
    before = {year: year_text(page, live_server, year) for year in (2023, 2024)}
    page.goto(f"{live_server.url}/data/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Backup (zip)").click()
    backup = tmp_path / "backup.zip"
    download.value.save_as(backup)

    log_in_as(page, live_server, bob)
    page.goto(f"{live_server.url}/data/")
    page.get_by_label("Backup file (.zip or .json)").set_input_files(str(backup))
    page.get_by_role("button", name="Check the file").click()
    panel = page.locator("#import-panel")
    expect(panel).to_contain_text("Adds 2 reviews, 4 entries, 4 photos")
    expect(page.locator("h1")).to_have_text("Your data")  # swapped in place, not a new page
    page.get_by_role("button", name="Import", exact=True).click()
    expect(panel).to_contain_text("Imported. Added 2 reviews")

    after = {year: year_text(page, live_server, year) for year in (2023, 2024)}
    assert after == before
    page.goto(f"{live_server.url}/2023/")  # the year whose document holds the photos
    expect(page.locator("main img")).not_to_have_count(0)
    assert not [e for e in errors if "Content Security" in e]
