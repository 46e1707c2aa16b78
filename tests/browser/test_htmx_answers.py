"""The htmx convention in a browser: every refusal is seen, Back restores whole pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reviews.document import compose
from sharing.models import ShareLink
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("debug", [False, True])
def test_a_share_link_expiring_in_the_past_says_why(
    settings, alice_page, live_server, alice, debug
):
    # DEBUG on adds django-htmx's error overlay, which takes over 400 answers.
    settings.DEBUG = debug
    f.review(alice, 2020, document=compose(2020, "en"))
    page = alice_page
    page.goto(f"{live_server.url}/2020/share/")
    page.get_by_label("Expires after (optional)").fill("2001-01-01")
    page.get_by_role("button", name="Create a link").click()

    expect(page.locator(".share-create .field-errors")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Share 2020")  # the page, not an error page
    assert not ShareLink.objects.exists()
    # What was typed is still in the form.
    expect(page.get_by_label("Expires after (optional)")).to_have_value("2001-01-01")


def test_a_refused_add_form_shows_its_errors_and_keeps_the_text(alice_page, live_server, alice):
    f.review(alice, 2020, document=compose(2020, "en"))
    page = alice_page
    page.goto(f"{live_server.url}/2020/")
    page.get_by_role("link", name="+ Add an entry").click()
    page.get_by_label("Title").fill("Back to front")
    page.get_by_label("Started on").fill("2020-05-01")
    page.get_by_label("Ended on").fill("2020-04-01")
    page.get_by_label("Body").fill("the end before the start 先结束后开始")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".object-form .field-ended_on .field-errors")).to_contain_text(
        "The end date cannot be before the start date."
    )
    expect(page.get_by_label("Body")).to_have_value("the end before the start 先结束后开始")


def test_refused_settings_show_why(alice_page, live_server, alice):
    f.review(alice, 2020, document=compose(2020, "en"))
    page = alice_page
    page.goto(f"{live_server.url}/2020/settings/")
    title = page.get_by_label("Title")
    title.evaluate("(input) => input.removeAttribute('maxlength')")
    title.fill("长" * 201)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".settings-form .field-errors")).to_contain_text("200")


def test_a_refused_import_shows_its_problems(alice_page, live_server, alice):
    page = alice_page
    page.goto(f"{live_server.url}/data/")
    page.get_by_label("Backup file (.zip or .json)").set_input_files(
        {"name": "broken.json", "mimeType": "application/json", "buffer": b"{not json"}
    )
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#import-panel [role=alert]")).to_be_visible()


def test_a_server_error_is_told_next_to_the_form_and_the_text_stays(
    alice_page, live_server, alice
):
    f.review(alice, 2020, document=compose(2020, "en"))
    page = alice_page
    page.goto(f"{live_server.url}/2020/")
    page.get_by_role("link", name="+ Add a goal").first.click()
    page.get_by_label("Title").fill("Run a marathon")
    page.route("**/new/**", lambda route: route.fulfill(status=500, body="boom"))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="server answered 500")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Run a marathon")

    page.unroute("**/new/**")
    page.context.set_offline(True)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="No connection")).to_be_visible()
    page.context.set_offline(False)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#goals-list")).to_contain_text("Run a marathon")
    expect(page.locator("[data-request-error]")).to_have_count(0)


def test_back_after_two_compare_changes_shows_the_whole_page(alice_page, live_server, alice):
    for year in (2018, 2019, 2020):
        f.review(alice, year, document=compose(year, "en"))
        f.entry(alice, f"{year}-05-01", title=f"Entry of {year}")
    page = alice_page
    page.goto(f"{live_server.url}/2020/compare/?with=2019")
    expect(page.locator("h1")).to_have_text("2020 beside 2019")

    for other in ("2018", "2019"):
        page.get_by_label("Compare 2020 with").select_option(other)
        page.get_by_role("button", name="Compare", exact=True).click()
        expect(page.locator("h1")).to_have_text(f"2020 beside {other}")
    page.go_back()

    expect(page).to_have_url(f"{live_server.url}/2020/compare/?with=2018")
    expect(page.locator("h1")).to_have_text("2020 beside 2018")
    expect(page.locator(".site-header")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.locator(".site-footer")).to_be_visible()
    expect(page.locator("main#main")).to_have_count(1)
