"""The row edit panel and in-place editing in a real browser.

A photo with a caption goes onto an entry in a few clicks; a row saved from a
year's page that leaves it says where it went without moving the reader; the
all-years pages edit and delete rows where they are listed.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from library.models import Item
from reviews.document import compose
from tests import factories as f
from tests.timeline import photo_files as pf
from timeline.models import Photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Counts every click the user makes in the page (the file dialog is outside it; a
# label passes its click on to its file input, which is the same click).
COUNT_CLICKS = """() => {
    window.clicks = 0;
    document.addEventListener("click", (e) => {
        if (!e.target.matches("input[type=file]")) window.clicks++;
    }, true);
}"""


def test_a_photo_with_a_caption_takes_three_clicks_in_the_page(alice_page, live_server, alice):
    f.review(alice, 2020, document=compose(2020, "en"))
    entry = f.entry(alice, "2020-03-01", title="Trip to 杭州")
    page = alice_page
    page.goto(f"{live_server.url}/2020/")
    page.evaluate(COUNT_CLICKS)

    page.locator(f"#entry-{entry.pk}").get_by_role("link", name="Edit").click()
    with page.expect_file_chooser() as chooser:
        page.locator(".editing").get_by_text("Add photos").click()
    # Choosing the file uploads it; the new photo's caption takes the focus.
    chooser.value.set_files({"name": "lake.jpg", "mimeType": "image/jpeg", "buffer": pf.jpeg()})
    caption = page.get_by_label("Caption of photo 1")
    expect(caption).to_be_focused()
    page.keyboard.type("西湖 at dawn")
    page.locator(".editing").get_by_role("button", name="Done").click()

    expect(page.locator(".editing")).to_have_count(0)
    expect(page.locator(f"#entry-{entry.pk}")).to_be_visible()
    # Before: Edit, Choose files, Upload, the caption field, its Save, the panel's Save.
    assert page.evaluate("window.clicks") == 3
    photo = Photo.objects.get()
    assert photo.entry == entry and photo.caption == "西湖 at dawn"


def test_the_caption_field_spans_the_panel(alice_page, live_server, alice):
    f.review(alice, 2020, document=compose(2020, "en"))
    entry = f.entry(alice, "2020-03-01", title="Trip")
    page = alice_page
    page.goto(f"{live_server.url}/2020/")
    page.locator(f"#entry-{entry.pk}").get_by_role("link", name="Edit").click()
    page.locator(".editing").get_by_label("Add photos").set_input_files(
        {"name": "lake.jpg", "mimeType": "image/jpeg", "buffer": pf.jpeg()}
    )

    caption = page.get_by_label("Caption of photo 1")
    expect(caption).to_be_visible()
    box = page.locator(".editing").bounding_box()
    assert caption.bounding_box()["width"] > box["width"] / 2
    # One way out of the panel, below everything in it; no second save model.
    assert page.locator(".editing").get_by_role("button", name="Upload").is_hidden()
    expect(page.locator(".editing").get_by_role("button", name="Save now")).to_have_count(0)
    panel = page.locator(".editing")
    expect(panel.get_by_role("button", name="Save", exact=True)).to_have_count(0)


def test_an_item_saved_as_want_to_read_says_where_it_went_in_view(alice_page, live_server, alice):
    f.review(alice, 2020, document=compose(2020, "en"))
    for n in range(6):  # a long page: rows above and below the library
        f.entry(alice, f"2020-0{n + 1}-01", title=f"Entry {n}", body="Some text.\n\n" * 8)
        f.goal(alice, 2020, title=f"Goal {n}")
    page = alice_page
    page.set_viewport_size({"width": 1000, "height": 700})
    page.goto(f"{live_server.url}/2020/")

    page.get_by_role("link", name="+ Add to the library").click()
    page.get_by_label("Title").fill("《三体》")
    finished = page.get_by_label("Finished on")
    expect(finished).to_have_value("2020")  # a new item from a year page: finished that year
    page.get_by_label("Status").select_option("want")
    expect(finished).to_have_value("")  # not finished: the year's default goes
    page.get_by_role("button", name="Save", exact=True).click()

    notice = page.locator(".moved-row")
    expect(notice).to_contain_text("《三体》")
    item = Item.objects.get()
    link = notice.get_by_role("link", name="the library")
    expect(link).to_have_attribute("href", f"/library/?year=none#item-{item.pk}")
    # The page stays where the user was: the notice and the next add form are on screen.
    expect(notice).to_be_in_viewport()
    expect(page.get_by_label("Title")).to_be_in_viewport()
    for href in page.locator("a.add-button").evaluate_all("links => links.map(a => a.href)"):
        assert "goal_year=None" not in href

    link.click()
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("《三体》")


def test_the_library_edits_and_deletes_in_place(alice_page, live_server, alice):
    item = f.item(alice, None, title="SICP", status="want")
    page = alice_page
    page.goto(f"{live_server.url}/library/")

    row = page.locator(f"#item-{item.pk}")
    row.get_by_role("link", name="Edit").click()
    page.locator(".editing").get_by_label("Title").fill("SICP 第二版")
    page.locator(".editing").get_by_label("Status").select_option("reading")
    page.locator(".editing").get_by_role("button", name="Done").click()

    expect(page.locator(".editing")).to_have_count(0)
    expect(row).to_contain_text("SICP 第二版")
    expect(row).to_contain_text("Reading")
    expect(page).to_have_url(re.compile(r"/library/$"))
    assert Item.objects.get().title == "SICP 第二版"

    row.get_by_role("button", name="Delete").click()
    expect(page.locator(".deleted-row")).to_contain_text("SICP 第二版")
    assert not Item.objects.exists()
    page.locator(".deleted-row").get_by_role("button", name="Undo").click()
    # The notice keeps the row's id: wait for the row itself, with its controls.
    expect(page.locator(".deleted-row")).to_have_count(0)
    expect(page.locator(f"#item-{item.pk}").get_by_role("link", name="Edit")).to_be_visible()
    assert Item.objects.exists()


@pytest.mark.parametrize("page_path", ["/career/", "/goals/"])
def test_career_and_goals_edit_in_place(alice_page, live_server, alice, page_path):
    move = f.move(alice, "2020-05-01", organization="Qinglan", kind="joined")
    goal = f.goal(alice, 2020, title="Read 12 papers")
    row_id, field, value = {
        "/career/": (f"careermove-{move.pk}", "Organization", "青岚科技"),
        "/goals/": (f"goal-{goal.pk}", "Title", "读 12 篇论文"),
    }[page_path]
    page = alice_page
    page.goto(f"{live_server.url}{page_path}")

    page.locator(f"#{row_id}").get_by_role("link", name="Edit").click()
    page.locator(".editing").get_by_label(field, exact=True).fill(value)
    page.locator(".editing").get_by_role("button", name="Done").click()

    expect(page.locator(f"#{row_id}")).to_contain_text(value)
    expect(page.locator(".editing")).to_have_count(0)
    expect(page).to_have_url(f"{live_server.url}{page_path}")
