"""The Content-Security-Policy holds in a real browser: no violation on any page."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__csp || []")


def test_every_page_and_the_main_interactions_cause_no_violation(page, live_server):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page.add_init_script(LISTEN)
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security" in m.text else None)

    page.goto(f"{live_server.url}/accounts/login/")
    assert violations(page) == []
    log_in(page, live_server, "demo", "demo-almanac-2025")

    pages = ["/", "/years/", "/2024/", "/2024/compare/", "/2024/settings/", "/library/",
             "/library/?q=数据", "/career/", "/goals/", "/accounts/password_change/"]  # fmt: skip
    for path in pages:
        page.goto(live_server.url + path)
        page.wait_for_load_state("networkidle")
        assert violations(page) == [], path

    # The main interactions of the year page.
    page.goto(f"{live_server.url}/2024/")
    page.get_by_role("link", name="Edit the document").click()
    editor = page.get_by_label("Document", exact=True)
    editor.fill(editor.input_value() + "\n\nCSP check **bold**\n")
    expect(page.locator("[data-state]")).to_contain_text("Saved", timeout=8000)
    page.get_by_role("link", name="History").click()
    page.goto(f"{live_server.url}/2024/")  # the document as it reads, its lists and Add links
    page.get_by_role("link", name="+ Add an entry").click()
    page.get_by_label("Title").fill("CSP entry")
    page.get_by_label("Started on").fill("2024-05-05")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#q2-entries")).to_contain_text("CSP entry")
    row = page.locator("#q2-entries li", has_text="CSP entry")
    row.get_by_role("button", name="Delete").click()
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#q2-entries")).to_contain_text("CSP entry")
    page.locator("#q2-entries li", has_text="CSP entry").get_by_role("link", name="Edit").click()
    expect(page.locator(".editing")).to_be_visible()
    assert violations(page) == []
    page.goto(f"{live_server.url}/library/")
    page.get_by_role("searchbox").fill("paper")
    page.wait_for_load_state("networkidle")

    assert violations(page) == []
    assert seen == []
