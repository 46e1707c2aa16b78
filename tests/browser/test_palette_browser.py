"""The document editor's palette in a real browser, by keyboard alone; photos pasted in."""

from __future__ import annotations

import base64
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from library.models import Item
from reviews.models import Goal, Review
from tests import factories as f
from tests.browser.test_csp import LISTEN, violations
from timeline.models import Photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"Saved \d\d:\d\d")


def open_document(page, live_server, review):
    url = reverse("reviews:text-editor", args=["review", review.pk, "document"])
    page.goto(f"{live_server.url}{url}?year={review.year}")
    editor = page.locator("[data-document-editor]")
    expect(editor).to_be_visible()
    return editor


def paste_image(editor, png: bytes, name: str = "screenshot.png") -> None:
    """What the browser does for Ctrl+V of a copied image: a paste event carrying the file."""
    editor.evaluate(
        """(editor, [data, name]) => {
          const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], name, { type: "image/png" }));
          editor.dispatchEvent(new ClipboardEvent("paste", {
            clipboardData: transfer, bubbles: true, cancelable: true }));
        }""",
        [base64.b64encode(png).decode(), name],
    )


def png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (24, 16), "teal").save(out, "PNG")
    return out.getvalue()


def test_write_insert_a_book_by_keyboard_paste_a_photo_and_reload(alice_page, live_server, alice):
    review = f.review(alice, 2020)
    book = f.item(alice, title="深入理解计算机系统", kind=Item.Kind.BOOK)
    f.item(alice, title="Designing Data-Intensive Applications")
    page = alice_page
    page.add_init_script(LISTEN)  # the palette, its thumbnails and uploads keep to the CSP
    editor = open_document(page, live_server, review)

    editor.click()
    editor.press_sequentially("今年读了几本好书，最喜欢的是这一本：")
    editor.press("Control+k")
    dialog = page.locator("dialog[data-palette]")
    expect(dialog).to_be_visible()
    search = dialog.locator("[data-palette-input]")
    expect(search).to_be_focused()
    page.keyboard.type("计算机")
    chosen = dialog.locator("[role=option][aria-selected=true]")
    expect(chosen).to_contain_text("深入理解计算机系统")
    page.keyboard.press("Enter")

    expect(dialog).to_be_hidden()
    expect(editor).to_be_focused()
    page.keyboard.type("Then a photo of the lake:")
    paste_image(editor, png())
    caption = dialog.locator("[data-palette-caption-input]")
    expect(caption).to_be_focused(timeout=8000)
    expect(dialog.locator("[data-palette-thumb]")).to_be_visible()
    page.keyboard.type("西湖 at dusk")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(editor).to_be_focused()
    page.keyboard.type("The end.")
    expect(page.locator("[data-state]")).to_have_text(SAVED, timeout=8000)

    assert violations(page) == []
    page.reload()
    photo = Photo.objects.get(owner=alice)
    expected = (
        "今年读了几本好书，最喜欢的是这一本：\n"
        f"[[item:{book.key} | 深入理解计算机系统]]\n"
        "Then a photo of the lake:\n"
        f"[[photo:{photo.key} | 西湖 at dusk]]\n"
        "The end."
    )
    expect(page.locator("[data-document-editor]")).to_have_value(expected)
    assert Review.objects.get(owner=alice).document == expected
    assert photo.entry is None and photo.year == 2020 and photo.caption == "西湖 at dusk"
    assert violations(page) == []


def test_arrows_move_esc_closes_and_gives_the_cursor_back(alice_page, live_server, alice):
    review = f.review(alice, 2020, document="first line\nsecond line")
    page = alice_page
    editor = open_document(page, live_server, review)
    editor.focus()
    editor.evaluate("(el) => el.setSelectionRange(5, 5)")  # inside "first line"

    page.get_by_role("button", name=re.compile("Insert")).click()  # shown by the script
    dialog = page.locator("dialog[data-palette]")
    expect(dialog.locator("[role=option][aria-selected=true]")).to_contain_text("timeline")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(editor).to_be_focused()
    assert editor.evaluate("(el) => el.selectionStart") == 5

    editor.press("Control+k")
    expect(dialog.locator("[role=option][aria-selected=true]")).to_be_visible()
    # Reopening fetches the choices again: move only once they have settled.
    page.wait_for_load_state("networkidle")
    expect(dialog.locator("[role=option][aria-selected=true]")).to_contain_text("timeline")
    expect(dialog.locator(".htmx-added, .htmx-request")).to_have_count(0)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    expect(dialog.locator("[role=option][aria-selected=true]")).to_contain_text("Q1")
    page.keyboard.press("Enter")

    # On a line of its own, even from the middle of a line.
    expect(editor).to_have_value("first\n[[timeline Q1]]\n line\nsecond line")
    expect(editor).to_be_focused()


def test_a_new_goal_created_in_the_palette_is_inserted(alice_page, live_server, alice):
    review = f.review(alice, 2020)
    page = alice_page
    editor = open_document(page, live_server, review)
    editor.click()
    editor.press_sequentially("My goals:")

    editor.press("Control+k")
    dialog = page.locator("dialog[data-palette]")
    expect(dialog.locator("[role=option][aria-selected=true]")).to_be_visible()
    page.keyboard.press("ArrowUp")  # from the first choice round to the last: a new goal
    expect(dialog.locator("[role=option][aria-selected=true]")).to_contain_text("New goal")
    page.keyboard.press("Enter")
    title = dialog.get_by_label("Title")
    expect(title).to_be_focused()
    page.keyboard.type("跑一次半马")
    page.keyboard.press("Control+Enter")

    expect(dialog).to_be_hidden()
    goal = Goal.objects.get(owner=alice)
    expect(editor).to_have_value(f"My goals:\n[[goal:{goal.key} | 跑一次半马]]\n")
    expect(editor).to_be_focused()
    expect(page.locator("[data-state]")).to_have_text(SAVED, timeout=8000)
    assert Review.objects.get(owner=alice).document.startswith("My goals:\n[[goal:")


def test_a_refused_paste_says_why_and_inserts_nothing(alice_page, live_server, alice):
    review = f.review(alice, 2020)
    page = alice_page
    editor = open_document(page, live_server, review)
    editor.click()

    paste_image(editor, b"not an image at all", name="x.png")

    status = page.locator("[data-palette-status]")
    expect(status).not_to_have_text("Uploading the photo…", timeout=8000)
    expect(status).not_to_be_empty()
    page.keyboard.press("Escape")
    expect(editor).to_have_value("")
    assert not Photo.objects.exists()


def test_a_photo_dropped_on_the_document_is_inserted_at_the_cursor(alice_page, live_server, alice):
    review = f.review(alice, 2020, document="before\nafter")
    page = alice_page
    editor = open_document(page, live_server, review)
    editor.focus()
    editor.evaluate("(el) => el.setSelectionRange(7, 7)")  # the start of "after"

    editor.evaluate(
        """(editor, data) => {
          const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], "lake.png", { type: "image/png" }));
          for (const type of ["dragover", "drop"]) {
            editor.dispatchEvent(new DragEvent(type, {
              dataTransfer: transfer, bubbles: true, cancelable: true }));
          }
        }""",
        base64.b64encode(png()).decode(),
    )

    expect(page.locator("[data-palette-caption-input]")).to_be_focused(timeout=8000)
    page.keyboard.press("Escape")  # no caption: the photo stays, without one
    photo = Photo.objects.get(owner=alice)
    expect(editor).to_have_value(f"before\n[[photo:{photo.key}]]\nafter")
    expect(editor).to_be_focused()
    assert photo.caption == ""


def test_the_open_palette_has_no_accessibility_violation(alice_page, live_server, alice):
    from tests.browser.test_axe import AXE, readable, violations

    if not AXE.exists():
        pytest.skip("axe-core is missing (make audit installs it)")
    review = f.review(alice, 2020)
    f.item(alice, title="深入理解计算机系统", private=True)
    page = alice_page
    editor = open_document(page, live_server, review)
    editor.press("Control+k")
    page.keyboard.type("计算机")
    expect(page.locator("[role=option][aria-selected=true]")).to_contain_text("计算机")
    found = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        result = violations(page, AXE.read_text(encoding="utf-8"))
        if result:
            found[f"palette ({scheme})"] = result
    assert not found, readable(found)


def test_enter_typed_before_the_choices_arrive_inserts_the_match(alice_page, live_server, alice):
    review = f.review(alice, 2020)
    paper = f.item(alice, title="Raft", kind=Item.Kind.PAPER)
    page = alice_page
    editor = open_document(page, live_server, review)
    editor.press("Control+k")
    expect(page.locator("[role=option][aria-selected=true]")).to_be_visible()

    page.keyboard.type("raft")
    page.keyboard.press("Enter")  # at once: the search waits 150 ms for more typing

    expect(editor).to_have_value(f"[[item:{paper.key} | Raft]]\n")
