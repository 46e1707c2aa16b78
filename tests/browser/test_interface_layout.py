"""The frame of every page in a real browser: one width with the header and footer lined up,
a two-line phone header, the author's text in the text colour, no CSP violation on edits."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from reviews.models import Review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = ("demo", "demo-almanac-2025")
LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.sourceFile}:${e.lineNumber} ${e.sample}`);
});
"""
# The left and right edges of the header's contents, the page and the footer's rule.
EDGES = """() => {
  const box = (selector, padded = true) => {
    const e = document.querySelector(selector);
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    const [left, right] = padded ? [s.paddingLeft, s.paddingRight] : ["0", "0"];
    return [Math.round(r.left + parseFloat(left)), Math.round(r.right - parseFloat(right))];
  };
  return {nav: box(".site-nav"), main: box("main"), footer: box(".site-footer", false)};
}"""
# Lines of the header: its visible items' vertical centres, grouped where they overlap.
HEADER_LINES = """() => {
  const items = [...document.querySelectorAll(
    ".site-nav .brand, .nav-links li, .nav-logout > *, .lang-switch button")];
  const centres = items.filter((e) => e.offsetParent !== null).map((e) => {
    const r = e.getBoundingClientRect();
    return (r.top + r.bottom) / 2;
  }).sort((a, b) => a - b);
  return centres.filter((c, i) => i === 0 || c - centres[i - 1] > 12).length;
}"""


@pytest.fixture
def demo(live_server):
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return max(Review.objects.filter(owner__username="demo").values_list("year", flat=True))


def new_page(browser, live_server, width: int, scheme: str = "light", language: str = "en"):
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        color_scheme=scheme,
        extra_http_headers={"Accept-Language": language},
    )
    page = context.new_page()
    page.add_init_script(LISTEN)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=username]").fill(DEMO[0])  # the labels are in either language
    page.locator("input[name=password]").fill(DEMO[1])
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page


def test_main_pages_share_one_width_with_the_header_and_footer(browser, live_server, demo):
    page = new_page(browser, live_server, 1280)
    paths = [f"/{demo}/", f"/{demo}/compare/", f"/{demo}/settings/", f"/{demo}/share/",
             "/years/", "/library/", "/career/", "/goals/", "/data/"]  # fmt: skip
    widths = {}
    for path in paths:
        page.goto(live_server.url + path)
        edges = page.evaluate(EDGES)
        assert edges["nav"] == edges["main"] == edges["footer"], (path, edges)
        widths[path] = edges["main"][1] - edges["main"][0]
    assert len(set(widths.values())) == 1, widths


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_phone_header_takes_at_most_two_lines(browser, live_server, demo, language, scheme):
    page = new_page(browser, live_server, 390, scheme, language)
    for path in [f"/{demo}/", "/library/", "/data/"]:
        page.goto(live_server.url + path)
        assert page.evaluate(HEADER_LINES) <= 2, path
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_authors_own_words_are_in_the_text_colour(browser, live_server, demo, scheme):
    year = Review.objects.filter(owner__username="demo", year=demo).get()
    year.document = (
        "An opening note.\n\n## Timeline\n\nA note under the heading.\n\n"
        "> A line the author quotes.\n\n[[timeline]]"
    )
    year.save()
    page = new_page(browser, live_server, 1280, scheme)
    page.goto(f"{live_server.url}/{demo}/")

    colour = page.evaluate("getComputedStyle(document.body).color")
    for text in ("An opening note.", "A note under the heading.", "A line the author quotes."):
        element = page.locator("article.review").get_by_text(text, exact=True)
        assert element.evaluate("(e) => getComputedStyle(e).color") == colour, text
    body = page.locator(".entry-body").first
    assert body.evaluate("(e) => getComputedStyle(e).color") == colour


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_editing_each_kind_of_row_causes_no_csp_violation(browser, live_server, demo, language):
    page = new_page(browser, live_server, 1280, "light", language)
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if "Content Security" in m.text else None)
    for kind in ("entry", "move", "item", "goal"):
        page.goto(f"{live_server.url}/{demo}/")
        page.locator(f"a.row-action[href*='/edit/{kind}/']").first.click()
        form = page.locator(".editing form[data-row-form]")
        expect(form).to_be_visible()
        # A plain text field: a date with " ✓" after it would be refused.
        field = form.locator("input[type=text]:not([data-partial-date] input)").first
        field.fill(field.input_value() + " ✓")
        page.locator(".editing button[type=submit][form]").first.click()
        expect(page.locator(".editing form[data-row-form]")).to_have_count(0)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__csp") == [], kind
    assert seen == []


def test_a_refused_row_save_after_a_textarea_resize_causes_no_csp_violation(
    browser, live_server, demo
):
    """Resizing a textarea (or a form-filling extension) leaves a style attribute; htmx
    must not copy it onto the form that comes back, as a style attribute the CSP refuses."""
    page = new_page(browser, live_server, 1280)
    page.goto(f"{live_server.url}/{demo}/")
    page.locator("a.row-action[href*='/edit/entry/']").first.click()
    form = page.locator(".editing form[data-row-form]")
    expect(form).to_be_visible()
    page.evaluate(
        "document.querySelectorAll('.editing [id]').forEach((e) => e.style.height = '9em')"
    )

    form.locator("input[name$=ended_on]").fill("1901-01-01")  # before it started: refused
    page.locator(".editing button[type=submit][form]").first.click()

    expect(page.locator(".editing .field-errors")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == []
