"""Library search in a real browser: htmx narrows the list in place and keeps the URL."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from playwright.sync_api import Page, expect

from library.models import Item
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "library-search-pass-1"


def test_library_search_finds_chinese_substring(live_server, page: Page, django_user_model):
    reader = django_user_model.objects.create_user("reader", password=PASSWORD)
    f.item(reader, "2023-03-01", title="数据库系统内幕", authors="Alex Petrov")
    f.item(
        reader,
        "2022-07-01",
        title="In Search of an Understandable Consensus Algorithm",
        kind=Item.Kind.PAPER,
    )
    f.item(reader, None, title="Crafting Interpreters", notes="读到第三章")

    page.goto(f"{live_server.url}/accounts/login/?next=/library/")
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}/library/")
    rows = page.locator(".list-item")
    expect(rows).to_have_count(3)

    # A marker on the window survives an htmx swap but not a page load.
    page.evaluate("window.__noReload = true")
    page.get_by_label("Search").press_sequentially("数据库", delay=50)

    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("数据库系统内幕")
    expect(page.locator(".list-count")).to_contain_text("1 item")
    assert page.evaluate("window.__noReload") is True
    page.wait_for_function("() => decodeURIComponent(location.search).includes('q=数据库')")
    assert "q=数据库" in unquote(page.url)

    page.reload()
    expect(page.get_by_label("Search")).to_have_value("数据库")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("数据库系统内幕")
