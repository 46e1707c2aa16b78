"""Adding many library items from a year page by keyboard alone, then by pasting lines."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from library.models import Item
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_five_items_by_keyboard_then_three_pasted_lines(alice_page: Page, live_server, alice):
    f.entry(alice, "2020-03-01", title="A year to read in")
    page = alice_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server.url}/2020/")
    page.get_by_role("link", name="+ Add to the library").focus()
    page.keyboard.press("Enter")

    title = page.locator("[data-paste-title]")
    expect(title).to_be_focused()
    expect(page.locator('[name="item-finished_on"]')).to_have_value("2020")
    # The first item's kind is chosen by keyboard; the next ones start with it.
    page.keyboard.type("Raft")
    page.keyboard.press("Tab")
    page.keyboard.type("Paper")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#kind-paper-items")).to_contain_text("Raft")
    for n in range(2, 6):
        expect(title).to_be_focused()
        expect(title).to_have_value("")
        page.keyboard.type(f"Paper {n}")
        page.keyboard.press("Enter")
        expect(page.locator("#kind-paper-items")).to_contain_text(f"Paper {n}")
    expect(page.locator("#kind-paper-items > li")).to_have_count(5)

    expect(title).to_be_focused()
    page.evaluate("navigator.clipboard.writeText('Zab\\nPaxos made simple\\n\\nChubby\\n')")
    page.keyboard.press("Control+V")
    confirm = page.locator("[data-paste-lines]")
    expect(confirm).to_be_visible()
    expect(confirm.locator("li")).to_have_text(["Zab", "Paxos made simple", "Chubby"])
    expect(confirm.get_by_role("button", name="Add them")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator("#kind-paper-items > li")).to_have_count(8)
    expect(page.locator("#kind-paper-items")).to_contain_text("Paxos made simple")
    expect(page.locator("[data-paste-title]")).to_be_focused()
    expect(page.locator("[data-paste-lines]")).to_be_hidden()
    items = Item.objects.filter(owner=alice)
    assert items.count() == 8
    assert set(items.values_list("kind", "status", "finished_precision")) == {
        ("paper", "finished", "year")
    }
    assert {i.finished_on.year for i in items} == {2020}
