"""The htmx convention on the server: declared once, whole pages for history, no cached
fragments, conflicts told where to go, out-of-band markup only from templates."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HX = {"HTTP_HX_REQUEST": "true"}


def htmx_config(html: str) -> dict:
    match = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", html)
    assert match, "base.html declares the htmx config"
    return json.loads(match.group(1))


def test_the_config_swaps_refusals_and_conflicts_and_restores_whole_pages(alice_client, alice):
    f.review(alice, 2020)
    config = htmx_config(alice_client.get("/2020/").content.decode())

    assert config["historyRestoreAsHxRequest"] is False
    rules = config["responseHandling"]

    def rule_for(status: int) -> dict:
        return next(r for r in rules if re.search(r["code"], str(status)))

    assert rule_for(422)["swap"] and not rule_for(422).get("error")
    assert rule_for(409)["swap"]
    for status in (400, 401, 403, 404, 500, 503):
        assert not rule_for(status)["swap"] and rule_for(status)["error"]
    assert not rule_for(204)["swap"] and rule_for(200)["swap"]


def test_a_history_restore_gets_the_whole_page_and_answers_vary(alice_client, alice):
    for year in (2019, 2020):
        f.review(alice, year)
        f.entry(alice, f"{year}-05-01")

    fragment = alice_client.get("/2020/compare/?with=2019", **HX)
    restore = alice_client.get(
        "/2020/compare/?with=2019", **HX, HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    plain = alice_client.get("/2020/compare/?with=2019")

    assert 'class="site-header"' not in fragment.content.decode()
    assert 'class="site-header"' in restore.content.decode()
    assert 'class="site-header"' in plain.content.decode()
    for response in (fragment, restore, plain):
        assert "HX-Request" in response["Vary"]


def test_a_conflict_names_the_editor_box_it_goes_in(alice_client, alice):
    review = f.review(alice, 2020)
    url = f"/text/review/{review.pk}/document/save/"
    assert (
        alice_client.post(url, {"text": "A", "version": 0, "year": 2020}, **HX).status_code == 204
    )

    response = alice_client.post(url, {"text": "B", "version": 0, "year": 2020}, **HX)

    assert response.status_code == 409
    box = response["HX-Retarget"]
    assert response["HX-Reswap"] == "innerHTML"
    editor = alice_client.get(f"/text/review/{review.pk}/document/?year=2020", **HX)
    assert f'id="{box.removeprefix("#")}"' in editor.content.decode()


def test_one_csrf_mechanism_and_no_out_of_band_markup_in_python():
    templates = "\n".join(p.read_text() for p in (ROOT / "templates").rglob("*.html"))
    assert "hx-headers" not in templates  # the header comes from htmx-setup.js alone
    apps = ("core", "reviews", "timeline", "library", "sharing", "portability")
    for app in apps:
        for path in (ROOT / app).rglob("*.py"):
            assert "hx-swap-oob" not in path.read_text(), f"{path}: use a template partial"


def test_refused_forms_answer_422_with_the_form(alice_client, alice):
    f.review(alice, 2020)
    row = alice_client.post(
        "/edit/entry/new/",
        {
            "year": 2020,
            "entry-title": "x",
            "entry-started_on": "2020-05-01",
            "entry-ended_on": "2020-04-01",
        },  # fmt: skip
        **HX,
    )
    share = alice_client.post(
        "/2020/share/", {"action": "create", "expires_on": "2001-01-01"}, **HX
    )
    for response in (row, share):
        assert response.status_code == 422
        assert "field-errors" in response.content.decode()
