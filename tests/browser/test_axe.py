"""axe-core finds no accessibility violation on any page of the demo account.

axe-core comes from npm (``make audit`` installs it into ./node_modules). When
it is missing the test is skipped, unless ``REQUIRE_AXE=1`` (CI) makes that
an error. The script is evaluated through the DevTools protocol rather than
added as a ``<script>`` tag: the app's CSP rightly refuses inline scripts.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import expect

from reviews.models import Review
from sharing.models import ShareLink
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DEMO_USER, DEMO_PASSWORD = "demo", "demo-almanac-2025"
RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, url: v.helpUrl,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


@pytest.fixture
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("REQUIRE_AXE") == "1":
            pytest.fail(f"REQUIRE_AXE=1 but {AXE} is missing: run `make audit` (npm i axe-core)")
        pytest.skip(f"{AXE.relative_to(AXE.parents[2])} is missing (npm i axe-core)")
    return AXE.read_text(encoding="utf-8")


def violations(page, axe_source: str) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    return page.evaluate(RUN_AXE)


def readable(found: dict[str, list[dict]]) -> str:
    lines = []
    for where, items in found.items():
        for v in items:
            lines.append(f"{where}: [{v['impact']}] {v['id']} — {v['help']} ({v['url']})")
            for node in v["nodes"][:5]:
                summary = " ".join(node["summary"].split())
                lines.append(f"    {node['target']}: {summary}")
            if len(v["nodes"]) > 5:
                lines.append(f"    … and {len(v['nodes']) - 5} more elements")
    return "\n".join(lines)


def routed(path: str) -> bool:
    try:
        resolve(path)
    except Resolver404:
        return False
    return True


def test_no_page_has_an_accessibility_violation(page, live_server, axe_source):
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    review = Review.objects.filter(owner__username=DEMO_USER).order_by("-year").first()
    year = review.year
    _, token = ShareLink.create_for(review)
    found: dict[str, list[dict]] = {}

    def check(label: str) -> None:
        page.wait_for_load_state("networkidle")
        result = violations(page, axe_source)
        if result:
            found[label] = result

    def visit(path: str) -> None:
        page.goto(live_server.url + path)
        check(path)

    visit("/accounts/login/")
    visit(f"/s/{token}/")  # logged out, as a reader of the link sees it
    log_in(page, live_server, DEMO_USER, DEMO_PASSWORD)
    years = sorted(Review.objects.filter(owner__username=DEMO_USER).values_list("year", flat=True))
    pages = [
        *[f"/{y}/" for y in years],
        f"/{year}/compare/",
        f"/{year}/settings/",
        f"/{year}/share/",
        "/years/",
        "/library/",
        "/career/",
        "/goals/",
        "/data/",
    ]
    skipped = [path for path in pages if not routed(path)]
    for path in pages:
        if path not in skipped:
            visit(path)

    # The year page with the document's editor open.
    page.goto(f"{live_server.url}/{year}/")
    page.get_by_role("link", name="Edit the document").click()
    expect(page.get_by_label("Document", exact=True)).to_be_visible()
    check(f"/{year}/ with the document's editor open")

    # Dark mode has colours of its own (prefers-color-scheme).
    page.emulate_media(color_scheme="dark")
    for path in [f"/{year}/", f"/{year}/compare/", "/library/", "/goals/"]:
        page.goto(live_server.url + path)
        check(f"{path} (dark)")
    log_out = page.get_by_role("button", name="Log out")
    log_out.click()
    page.goto(f"{live_server.url}/s/{token}/")
    check(f"/s/{token}/ (dark)")

    assert not found, "axe-core found violations:\n" + readable(found)
    if skipped:
        print(f"not routed yet, not checked: {', '.join(skipped)}")
