"""Writing in the browser: autosave, conflicts, offline, history, rows with undo."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from reviews.document import compose
from reviews.models import Review
from tests import factories as f
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"Saved \d\d:\d\d")


def open_opening_editor(page, live_server, year=2020):
    page.goto(f"{live_server.url}/{year}/")
    page.get_by_role("link", name="Edit the document").click()
    editor = page.get_by_label("Document", exact=True)
    expect(editor).to_be_visible()
    return editor


def state_of(page):
    return page.locator("[data-state]").first


def test_autosave_survives_reload(alice_page, live_server, alice):
    f.review(alice, 2020)
    page = alice_page
    editor = open_opening_editor(page, live_server)

    editor.press_sequentially("今年写了很多代码。A good year.")
    expect(page.locator("[data-state]")).to_have_text(SAVED, timeout=8000)
    page.reload()

    expect(page.locator(".document")).to_contain_text("今年写了很多代码。A good year.")
    assert Review.objects.get(owner=alice, year=2020).document == "今年写了很多代码。A good year."


def test_conflict_shows_both_texts(alice_page, live_server, alice, browser):
    f.review(alice, 2020, document="start")
    page = alice_page
    editor = open_opening_editor(page, live_server)
    other_context = browser.new_context()
    other = other_context.new_page()
    log_in(other, live_server)
    other_editor = open_opening_editor(other, live_server)

    other_editor.fill("written on the other device")
    expect(other.locator("[data-state]")).to_have_text(SAVED, timeout=8000)
    editor.fill("written in this tab")

    conflict = page.locator(".conflict")
    expect(conflict).to_be_visible(timeout=8000)
    expect(conflict).to_contain_text("written in this tab")
    expect(conflict).to_contain_text("written on the other device")
    assert Review.objects.get(owner=alice).document == "written on the other device"

    conflict.get_by_role("button", name="Keep mine").click()
    expect(page.locator("[data-state]")).to_have_text(SAVED, timeout=8000)
    assert Review.objects.get(owner=alice).document == "written in this tab"
    other_context.close()


def test_offline_typing_is_saved(alice_page, live_server, alice):
    f.review(alice, 2020)
    page = alice_page
    editor = open_opening_editor(page, live_server)

    page.context.set_offline(True)
    editor.fill("typed while offline 离线")
    expect(page.locator("[data-state]")).to_contain_text("retrying", timeout=8000)
    assert Review.objects.get(owner=alice).document == ""
    page.context.set_offline(False)

    expect(page.locator("[data-state]")).to_have_text(SAVED, timeout=15000)
    assert Review.objects.get(owner=alice).document == "typed while offline 离线"


def test_expired_session_keeps_the_text_and_saves_after_logging_in_again(
    alice_page, live_server, alice, browser
):
    f.review(alice, 2020)
    page = alice_page
    editor = open_opening_editor(page, live_server)

    page.context.clear_cookies()  # the session expires
    editor.fill("written while logged out")
    expect(page.locator("[data-state]")).to_contain_text("session expired", timeout=8000)
    expect(editor).to_have_value("written while logged out")

    other = page.context.new_page()  # log in again in another tab
    log_in(other, live_server)

    expect(page.locator("[data-state]")).to_have_text(SAVED, timeout=20000)
    assert Review.objects.get(owner=alice).document == "written while logged out"


def test_revision_restore(alice_page, live_server, alice):
    from reviews import texts
    from reviews.models import Revision

    review = f.review(alice, 2020)
    texts.save_text(review, "document", "the first version", 0)
    Revision.objects.update(created="2020-01-01T00:00:00Z")
    texts.save_text(review, "document", "the second version", 1)
    page = alice_page
    open_opening_editor(page, live_server)

    page.get_by_role("link", name="History").click()
    page.locator(".history-list a").last.click()
    expect(page.locator(".diff")).to_contain_text("the first version")
    page.get_by_role("button", name="Restore this version").click()

    expect(page.get_by_label("Document", exact=True)).to_have_value("the first version")
    review.refresh_from_db()
    assert review.document == "the first version"


def test_add_one_row_of_each_kind_edit_one_then_delete_and_undo(alice_page, live_server, alice):
    f.review(alice, 2020, document=compose(2020, "en"))
    page = alice_page
    page.goto(f"{live_server.url}/2020/")

    page.get_by_role("link", name="+ Add an entry").click()
    page.get_by_label("Title").fill("搬到杭州")
    page.get_by_label("Started on").fill("2020-08-03")
    page.get_by_label("Title").press("Control+Enter")
    expect(page.locator("#q3-entries")).to_contain_text("搬到杭州")

    page.get_by_role("link", name="+ Add a career move").click()
    page.get_by_label("Date").fill("2020-04-01")
    page.get_by_label("Kind").select_option("joined")
    page.get_by_label("Organization").fill("Qinglan Data")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#moves-list")).to_contain_text("Qinglan Data")

    for kind, title in [("book", "数据库系统内幕"), ("paper", "Raft"), ("code", "SQLite source"),
                        ("article", "On retries"), ("course", "CMU 15-445"), ("talk", "Latency"),
                        ("other", "A podcast")]:  # fmt: skip
        if kind == "book":  # then the form stays open for the next item
            page.get_by_role("link", name="+ Add to the library").click()
        page.get_by_label("Kind").select_option(kind)
        page.get_by_label("Title").fill(title)
        page.get_by_label("Status").select_option("finished")
        page.get_by_label("Finished on").fill("2020-06-01")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(f"#kind-{kind}-items")).to_contain_text(title)
    expect(page.locator("#reading-counts")).to_contain_text("7 finished")
    page.locator("[data-kind=item]").get_by_role("link", name="Cancel").click()

    page.get_by_role("link", name="+ Add a goal").first.click()
    page.get_by_label("Title").fill("Read 12 papers")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#goals-list")).to_contain_text("Read 12 papers")
    page.get_by_role("link", name="+ Add a goal").last.click()
    page.get_by_label("Title").fill("Run a marathon")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#next-goals-list")).to_contain_text("Run a marathon")

    # Edit: the entry moves to Q4 when its date changes.
    page.locator("#q3-entries li", has_text="搬到杭州").get_by_role("link", name="Edit").click()
    page.locator(".editing").get_by_label("Started on").fill("2020-11-20")
    # The edit panel's one way out: Done saves the fields (its texts save as typed).
    page.locator(".editing").get_by_role("button", name="Done", exact=True).click()
    expect(page.locator("#q4-entries")).to_contain_text("搬到杭州")
    expect(page.locator("#q3-entries")).not_to_contain_text("搬到杭州")

    # Esc cancels an edit.
    page.locator("#moves-list li").get_by_role("link", name="Edit").click()
    page.locator(".editing").get_by_label("Organization").press("Escape")
    expect(page.locator(".editing")).to_have_count(0)

    # Delete and undo.
    page.locator("#kind-paper-items li").get_by_role("button", name="Delete").click()
    expect(page.locator(".deleted-row")).to_contain_text("Raft")
    expect(page.locator("#reading-counts")).to_contain_text("6 finished")
    page.wait_for_timeout(500)
    page.locator(".deleted-row").get_by_role("button", name="Undo").click()
    expect(page.locator("#kind-paper-items")).to_contain_text("Raft")
    expect(page.locator("#reading-counts")).to_contain_text("7 finished")
    page.reload()
    expect(page.locator("#kind-paper-items")).to_contain_text("Raft")
