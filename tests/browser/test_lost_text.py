"""Nothing typed is lost: Cancel and Esc keep the text, leaving the page asks first."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from reviews.document import compose
from tests import factories as f
from tests.browser.test_palette_browser import open_document, paste_image, png
from timeline.models import Photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Ten delays from 0 to 1 s between the last keystroke and Cancel.
DELAYS_MS = [round(i * 1000 / 9) for i in range(10)]
BACK = "Your unsaved text is back."


def settled(page) -> None:
    """Wait until htmx has processed what it swapped in (as a user's first key would)."""
    expect(
        page.locator(".htmx-added, .htmx-request, .htmx-settling, .htmx-swapping")
    ).to_have_count(0)


def eventually(check, timeout: float = 10.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.1)
    return check()


def test_cancel_right_after_typing_keeps_the_text_at_ten_delays(alice_page, live_server, alice):
    f.review(alice, 2020, document=compose(2020, "en"))
    entry = f.entry(alice, "2020-05-01", title="Hangzhou", body="")
    page = alice_page
    page.goto(f"{live_server.url}/2020/")
    row = page.locator(f"#entry-{entry.pk}")

    for delay in DELAYS_MS:
        text = f"typed {delay} ms before Cancel · 取消前 {delay} 毫秒"
        row.get_by_role("link", name="Edit").click()
        expect(page.locator(".editing").get_by_label("Title")).to_be_focused()
        body = page.locator(f"#text-entry-{entry.pk}-body-input")
        body.fill(text)
        page.wait_for_timeout(delay)
        page.locator(".editing").get_by_role("link", name="Cancel").click()
        expect(page.locator(".editing")).to_have_count(0, timeout=15000)
        expect(row).to_contain_text(text)
        entry.refresh_from_db()
        assert entry.body == text, f"lost after {delay} ms"


@pytest.mark.parametrize("kind", ["goal", "item", "move"])
def test_cancel_at_once_keeps_the_long_text_of_every_kind(alice_page, live_server, alice, kind):
    f.review(alice, 2020, document=compose(2020, "en"))
    obj, field = {
        "goal": lambda: (f.goal(alice, 2020, title="Run"), "description"),
        "item": lambda: (f.item(alice, title="SICP", status="finished"), "notes"),
        "move": lambda: (f.move(alice, organization="Qinglan"), "note"),
    }[kind]()
    page = alice_page
    page.goto(f"{live_server.url}/2020/")
    row_id = f"careermove-{obj.pk}" if kind == "move" else f"{kind}-{obj.pk}"
    page.locator(f"#{row_id}").get_by_role("link", name="Edit").click()
    page.locator(f"#text-{kind}-{obj.pk}-{field}-input").fill("written, then Cancel at once")
    page.locator(".editing").get_by_role("link", name="Cancel").click()
    expect(page.locator(".editing")).to_have_count(0, timeout=15000)
    assert eventually(
        lambda: getattr(type(obj).objects.get(pk=obj.pk), field) == "written, then Cancel at once"
    )


ADD = {
    "entry": ("+ Add an entry", "Title"),
    "move": ("+ Add a career move", "Organization"),
    "item": ("+ Add to the library", "Title"),
    "goal": ("+ Add a goal", "Title"),
}


@pytest.mark.parametrize("kind", list(ADD))
def test_esc_in_an_add_form_keeps_the_text_and_offers_it_back(
    alice_page, live_server, alice, kind
):
    f.review(alice, 2020, document=compose(2020, "en"))
    page = alice_page
    page.goto(f"{live_server.url}/2020/")
    add, label = ADD[kind]
    page.get_by_role("link", name=add).first.click()
    settled(page)
    form = page.locator(".object-form").first
    form.get_by_label(label).fill("半句话 half a thought")
    if kind == "entry":
        form.get_by_label("Body").fill("一段还没保存的正文。")
    form.get_by_label(label).press("Escape")
    expect(page.locator(".object-form")).to_have_count(0)

    page.get_by_role("link", name=add).first.click()
    settled(page)
    form = page.locator(".object-form").first
    expect(form.get_by_label(label)).to_have_value("半句话 half a thought")
    if kind == "entry":
        expect(form.get_by_label("Body")).to_have_value("一段还没保存的正文。")
    expect(form.get_by_role("status").filter(has_text=BACK)).to_be_visible()


def test_the_draft_goes_after_a_save_and_discarding_asks(alice_page, live_server, alice):
    f.review(alice, 2020, document=compose(2020, "en"))
    page = alice_page
    page.goto(f"{live_server.url}/2020/")
    add = page.get_by_role("link", name="+ Add an entry")

    add.click()
    page.get_by_label("Title").fill("kept")
    page.get_by_label("Title").press("Escape")
    add.click()
    expect(page.get_by_label("Title")).to_have_value("kept")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Discard it").click()
    expect(page.get_by_label("Title")).to_have_value("kept")  # said no: nothing goes
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Discard it").click()
    expect(page.get_by_label("Title")).to_have_value("")
    page.get_by_label("Title").press("Escape")
    add.click()
    expect(page.get_by_label("Title")).to_have_value("")

    page.get_by_label("Title").fill("Saved for good")
    page.get_by_label("Started on").fill("2020-08-03")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#q3-entries")).to_contain_text("Saved for good")
    add.click()
    expect(page.get_by_label("Title")).to_have_value("")
    expect(page.get_by_text(BACK)).to_have_count(0)


def test_an_edit_panel_keeps_typed_fields_after_cancel(alice_page, live_server, alice):
    f.review(alice, 2020, document=compose(2020, "en"))
    move = f.move(alice, organization="Qinglan")
    page = alice_page
    page.goto(f"{live_server.url}/2020/")
    row = page.locator(f"#careermove-{move.pk}")
    row.get_by_role("link", name="Edit").click()
    page.locator(".editing").get_by_label("Role").fill("Staff engineer 主任工程师")
    page.locator(".editing").get_by_role("link", name="Cancel").click()
    expect(page.locator(".editing")).to_have_count(0)
    row.get_by_role("link", name="Edit").click()
    expect(page.locator(".editing").get_by_label("Role")).to_have_value(
        "Staff engineer 主任工程师"
    )


def leaving_asks(page) -> bool:
    """Close the tab as a user would; True if the browser asked first."""
    asked: list[str] = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.accept()

    page.on("dialog", answer)
    page.close(run_before_unload=True)
    # Playwright's sync API handles events only inside its own calls: keep calling.
    eventually(lambda: bool(asked) or page.is_closed() or not page.context.cookies(), timeout=5)
    return "beforeunload" in asked


def test_leaving_with_a_typed_add_form_asks(alice_page, live_server, alice):
    f.review(alice, 2020, document=compose(2020, "en"))
    page = alice_page
    page.goto(f"{live_server.url}/2020/")
    page.get_by_role("link", name="+ Add a goal").first.click()
    page.get_by_label("Title").fill("not saved yet")
    assert leaving_asks(page)


def test_leaving_with_nothing_typed_does_not_ask(alice_page, live_server, alice):
    f.review(alice, 2020, document=compose(2020, "en"))
    page = alice_page
    page.goto(f"{live_server.url}/2020/")
    page.get_by_role("link", name="+ Add a goal").first.click()
    page.get_by_label("Title").click()
    assert not leaving_asks(page)


def test_settings_and_share_forms_keep_a_draft(alice_page, live_server, alice):
    f.review(alice, 2020, document=compose(2020, "en"))
    page = alice_page
    page.goto(f"{live_server.url}/2020/settings/")
    page.get_by_label("Title").fill("我的 2020")
    page.goto(f"{live_server.url}/2020/")  # left without saving (the warning is accepted)
    page.goto(f"{live_server.url}/2020/settings/")
    expect(page.get_by_label("Title")).to_have_value("我的 2020")
    expect(page.get_by_text(BACK)).to_be_visible()


def test_esc_in_the_palette_caption_saves_the_caption(alice_page, live_server, alice):
    review = f.review(alice, 2020, document="")
    page = alice_page
    editor = open_document(page, live_server, review)
    paste_image(editor, png())
    caption = page.locator("[data-palette-caption-input]")
    expect(caption).to_be_focused(timeout=8000)
    caption.fill("西湖 at dawn")
    caption.press("Escape")
    expect(page.locator("dialog[open]")).to_have_count(0)
    expect(editor).to_have_value(re.compile(r"\[\[photo:\w+ \| 西湖 at dawn\]\]"))
    assert eventually(lambda: Photo.objects.get(owner=alice).caption == "西湖 at dawn")


def test_logging_out_leaves_no_draft_in_the_tab(alice_page, live_server, alice):
    f.review(alice, 2020, document=compose(2020, "en"))
    page = alice_page
    page.goto(f"{live_server.url}/2020/")
    page.get_by_role("link", name="+ Add a goal").first.click()
    settled(page)
    page.get_by_label("Title").fill("私人的草稿")
    page.get_by_label("Title").press("Escape")
    expect(page.locator(".object-form")).to_have_count(0)
    assert page.evaluate("Object.keys(sessionStorage).some((k) => k.startsWith('almanac-draft'))")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/**")
    assert not page.evaluate(
        "Object.keys(sessionStorage).some((k) => k.startsWith('almanac-draft'))"
    )


def test_leaving_with_an_unsaved_long_text_asks(alice_page, live_server, alice):
    review = f.review(alice, 2020, document="")
    page = alice_page
    editor = open_document(page, live_server, review)
    page.context.set_offline(True)
    editor.fill("written on a train 火车上写的")
    expect(page.locator("[data-state]")).to_contain_text("retrying", timeout=8000)
    page.route("**/save/", lambda route: route.abort())  # still not saved when leaving
    page.context.set_offline(False)
    assert leaving_asks(page)
