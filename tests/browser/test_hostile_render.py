"""The hostile input corpus in a real browser: nothing it holds ever runs.

``alert``, ``confirm``, ``prompt`` and ``print`` are replaced before any page
script runs and record their calls; a ``securitypolicyviolation`` listener
records what the Content-Security-Policy blocked. Every year page of the
corpus (tests/hostile_pages.py) is loaded for the owner and through a share
link, and the corpus is typed into the live Markdown preview.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reviews.models import Review
from sharing.models import ShareLink
from tests import hostile_pages as hp
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

HOOKS = """
window.__calls = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__calls.push(name + ": " + String(args[0])); };
}
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push({directive: e.violatedDirective, uri: e.blockedURI});
});
"""


def executions(page) -> list[str]:
    return page.evaluate("window.__calls || []")


def violations(page) -> list[dict]:
    """CSP reports, except external images: Markdown may show them, the policy blocks them."""
    found = page.evaluate("window.__csp || []")
    return [
        v
        for v in found
        if not (v["directive"] == "img-src" and v["uri"].startswith(("http://", "https://")))
    ]


def visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def test_the_corpus_never_runs_on_the_owner_or_the_share_page(page, live_server, alice):
    made = hp.make_years(alice)
    tokens = {
        year: ShareLink.create_for(Review.objects.get(owner=alice, year=year))[1]
        for year in made.years
    }
    page.add_init_script(HOOKS)
    page.on("dialog", lambda dialog: dialog.dismiss())
    log_in(page, live_server)

    visit(page, f"{live_server.url}/{made.years[0]}/")
    page.evaluate("alert('probe')")  # the hooks are in place and recording
    assert executions(page) == ["alert: probe"]

    problems = []
    for year in made.years:
        visit(page, f"{live_server.url}/{year}/")
        assert page.locator(".entry").count() == hp.PER_YEAR
        problems += [(year, "owner", x) for x in executions(page) + violations(page)]
    page.context.clear_cookies()
    for year, token in tokens.items():
        visit(page, f"{live_server.url}/s/{token}/")
        assert page.locator(".entry").count() == hp.PER_YEAR
        problems += [(year, "share", x) for x in executions(page) + violations(page)]

    assert problems == []


def test_the_corpus_never_runs_in_the_live_preview(page, live_server, alice):
    Review.objects.create(owner=alice, year=2020)
    page.add_init_script(HOOKS)
    page.on("dialog", lambda dialog: dialog.dismiss())
    log_in(page, live_server)
    visit(page, f"{live_server.url}/2020/")
    page.get_by_role("link", name="Edit the document").click()
    editor = page.get_by_label("Document", exact=True)
    preview = page.locator(".preview-body")

    batch = [text for text in hp.INPUTS if len(text) < 2000]
    for start in range(0, len(batch), 60):
        chunk = "\n\n".join(batch[start : start + 60]).replace("\x00", "")
        editor.fill(chunk + f"\n\nchunk-{start}-done")
        editor.press("End")
        editor.press_sequentially("!")  # a keystroke: the preview follows typing
        expect(preview).to_contain_text(f"chunk-{start}-done", timeout=10_000)

    assert executions(page) == []
    assert violations(page) == []
