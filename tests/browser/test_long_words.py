"""Long unbroken Latin words and URLs inside Chinese text never widen the page (issue 9).

Chinese breaks between any two characters, but a 300-character URL has no
break opportunity: without `overflow-wrap: anywhere` it pushes a flex row,
a table cell or a heading wider than a phone's screen.
"""

from __future__ import annotations

import pytest

from reviews.document import compose
from sharing.models import ShareLink
from tests import factories as f
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
URL = "https://example.com/" + "a1b2c3d4e5" * 28  # 300 characters, no break
LONG = f"今天读到{URL}这篇文章，很有启发。"
WORD = "Donaudampfschifffahrtsgesellschaftskapitän" * 4


@pytest.fixture
def long_year(alice):
    review = f.review(
        alice, 2020, title=f"我的一年{WORD}", document=f"{LONG}\n\n{compose(2020, 'zh-Hans')}"
    )
    f.review(alice, 2019)
    f.entry(alice, "2020-07-02", title=LONG, body=f"{LONG}\n\n`{URL}`\n\n{WORD}")
    f.move(alice, "2020-04-04", organization=f"公司{WORD}", role=LONG, note=LONG)
    f.item(alice, "2020-05-05", title=LONG, authors=WORD, url=URL, notes=LONG)
    f.item(alice, "2019-05-05", title="旧书")
    f.goal(alice, 2020, title=LONG, description=LONG, outcome=LONG, status="achieved")
    f.goal(alice, 2021, title=WORD)
    return review


def log_in(page, live_server) -> None:
    """By field name: the labels are in the page's language."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click(".auth-card button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_owner_pages_stay_within_a_phone_screen(browser, live_server, long_year, language):
    context = browser.new_context(
        viewport=PHONE, locale=language, extra_http_headers={"Accept-Language": language}
    )
    try:
        page = context.new_page()
        log_in(page, live_server)
        wide = {}
        for path in ["/2020/", "/2020/compare/", "/library/", "/career/", "/goals/"]:
            page.goto(f"{live_server.url}{path}")
            if page_width(page) > PHONE["width"]:
                wide[path] = page_width(page)
        assert wide == {}
    finally:
        context.close()


def test_the_share_page_stays_within_a_phone_screen(browser, live_server, long_year):
    _link, token = ShareLink.create_for(long_year)
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/s/{token}/")
        assert page.locator(".entry-title").first.inner_text().startswith("今天读到https://")
        assert page_width(page) <= PHONE["width"]
    finally:
        context.close()
