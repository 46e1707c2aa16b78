"""The document editor in the browser: focus mode, preview toggle, growing text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reviews.document import compose
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_document(page, live_server, year=2020):
    page.goto(f"{live_server.url}/{year}/")
    page.get_by_role("link", name="Edit the document").click()
    editor = page.locator("[data-document-editor]")
    expect(editor).to_be_visible()
    # The editor's script has set it up (a click before htmx loads opens the editor's page).
    expect(page.locator(".editor-document[data-document-ready]")).to_have_count(1)
    return editor


def test_focus_mode_hides_everything_but_the_text_and_esc_leaves(alice_page, live_server, alice):
    f.review(alice, 2020, document=compose(2020, "en"))
    f.entry(alice, "2020-05-05", title="Spring thing")
    page = alice_page
    page.set_viewport_size({"width": 1400, "height": 900})
    editor = open_document(page, live_server)
    header = page.locator(".review-header")

    editor.press("Control+Shift+F")

    expect(page.locator(".editor-document.focus-mode")).to_be_visible()
    box = page.locator(".editor-document.focus-mode").bounding_box()
    assert box["y"] <= 1 and box["height"] >= 890  # it covers the page
    assert page.evaluate("document.elementFromPoint(700, 20).closest('.editor-document') !== null")
    editor.press_sequentially("专注写作 Focused writing.")
    page.keyboard.press("Escape")
    expect(page.locator(".editor-document.focus-mode")).to_have_count(0)
    expect(header).to_be_visible()

    page.get_by_role("button", name="Focus").click()
    expect(page.locator(".editor-document.focus-mode")).to_be_visible()
    page.get_by_role("button", name="Focus").click()
    expect(page.locator(".editor-document.focus-mode")).to_have_count(0)


def test_preview_sits_beside_on_a_wide_screen_and_toggles_by_key(alice_page, live_server, alice):
    item = f.item(alice, "2020-03-01", title="Previewed paper")
    f.review(alice, 2020, document=f"A sentence.\n\n[[item:{item.key}]]\n")
    page = alice_page
    page.set_viewport_size({"width": 1400, "height": 900})
    editor = open_document(page, live_server)
    preview = page.locator(".editor-document .editor-preview")

    editor.press("End")
    editor.press_sequentially(" More.")
    expect(preview).to_contain_text("Previewed paper", timeout=8000)  # the embed as a card
    text_box, preview_box = editor.bounding_box(), preview.bounding_box()
    assert preview_box["x"] > text_box["x"] + text_box["width"] - 1  # side by side
    assert text_box["width"] > 500  # wider than the old 310-pixel box

    editor.press("Control+Shift+P")
    expect(preview).to_be_hidden()
    editor.press("Control+Shift+P")
    expect(preview).to_be_visible()


def test_the_editor_grows_with_its_text(alice_page, live_server, alice):
    f.review(alice, 2020, document="Short.")
    page = alice_page
    editor = open_document(page, live_server)
    before = editor.bounding_box()["height"]

    editor.press("End")
    for _ in range(40):
        editor.press("Enter")
        editor.press_sequentially("一行字 a line")

    assert editor.bounding_box()["height"] > before
