"""A share link opened in a fresh, logged-out browser: the review reads, nothing private."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from reviews.document import compose
from sharing.models import ShareLink
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_logged_out_browser_reads_the_shared_review(live_server, browser, alice):
    review = f.review(
        alice,
        2024,
        title="我的 2024 · My year",
        document=compose(2024, "en", {"intro": "A year of *small* steps."}),
        author_name="Li Wei",
    )
    f.entry(alice, "2024-07-02", "2024-11-20", title="Moved to Hangzhou 搬家", body="New city.")
    f.entry(alice, "2024-03-01", title="CANARY-PRIVATE-ENTRY", private=True)
    f.goal(alice, 2024, title="Ship the book", status="achieved")
    _link, token = ShareLink.create_for(review)

    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        response = page.goto(f"{live_server.url}/s/{token}/")

        assert response.status == 200
        assert response.headers["x-robots-tag"] == "noindex, nofollow"
        assert response.headers["referrer-policy"] == "no-referrer"
        expect(page.locator("h1")).to_have_text("我的 2024 · My year")
        entry = page.locator(".entry", has_text="Moved to Hangzhou 搬家")
        expect(entry).to_be_visible()
        expect(entry.locator(".entry-span")).to_have_text("Jul – Nov")
        expect(page.locator(".goal", has_text="Ship the book")).to_contain_text("Achieved")
        expect(page.locator(".share-header")).to_contain_text("Li Wei")
        expect(page.locator("body")).not_to_contain_text("CANARY-PRIVATE-ENTRY")
        expect(page.locator("form")).to_have_count(0)
        assert context.cookies() == []  # nothing was logged in, nothing was set
        assert errors == []  # no CSP violation, no missing asset

        missing = page.goto(f"{live_server.url}/s/{token[:-2]}xx/")
        assert missing.status == 404
        expect(page.locator("h1")).to_have_text("This link does not work")
    finally:
        context.close()
