"""A page view never renders Markdown: it shows the HTML stored when the text was saved.

Rows are saved the normal way (so each ``<field>_html`` is filled), then the
renderer is made to raise — both ``core.markdown.render`` and
Python-Markdown's ``Markdown.convert``, which any other route to a rendering
would pass through — and every page is requested.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import markdown as markdown_lib
import pytest
from django.test import Client

from core import markdown
from reviews import texts
from reviews.models import Review, Revision
from sharing.models import ShareLink
from tests import factories as f
from tests.pages import PAGES, TEXT_FIELDS, YEAR, Page
from timeline.models import Photo

# Every page, watched for Markdown rendering: a performance check.
pytestmark = pytest.mark.slow

TEXT = "Shipped **the rewrite**, 终于上线了。\n\n- fewer pages\n- [notes](https://example.com/n)"


class RenderedDuringView(AssertionError):
    pass


def _refuse(*args, **kwargs):
    raise RenderedDuringView("Markdown was rendered during a page view")


def refuse_rendering(monkeypatch) -> None:
    monkeypatch.setattr(markdown, "render", _refuse)
    monkeypatch.setattr(markdown_lib.Markdown, "convert", _refuse)


@dataclass
class SavedAccount:
    """One year of everything, saved through save(): the stored HTML is there."""

    owner: object
    first: dict[str, object] = field(default_factory=dict)
    token: str = ""

    def __post_init__(self):
        owner = self.owner
        review_texts = {name: TEXT for name in Review.markdown_fields}
        review = f.review(owner, YEAR, title="A year", **review_texts)
        entry = f.entry(owner, f"{YEAR}-03-01", body=TEXT)
        Photo.objects.create(
            owner=owner, entry=entry, image="photos/a.jpg", thumbnail="photos/a-t.jpg",
            width=800, height=600,
        )  # fmt: skip
        self.first = {
            "review": review,
            "entry": entry,
            "move": f.move(owner, f"{YEAR}-05-01", note=TEXT),
            "item": f.item(owner, f"{YEAR}-06-01", notes=TEXT, recommended=True),
            "goal": f.goal(owner, YEAR, description=TEXT, outcome=TEXT),
        }
        f.goal(owner, YEAR + 1, description=TEXT, outcome=TEXT)
        for kind, name in TEXT_FIELDS.items():
            obj = self.first[kind]
            texts.save_text(obj, name, TEXT + " (edited)", obj.text_version(name))
        _, self.token = ShareLink.create_for(review)

    def revision(self, kind: str) -> int:
        obj = self.first[kind]
        return Revision.objects.filter(object_id=obj.pk, field=TEXT_FIELDS[kind]).earliest("id").pk


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_page_view_renders_no_markdown(page: Page, alice, bob, monkeypatch):
    account = SavedAccount(bob if page.measured_account == "other" else alice)
    url = page.url(account)
    client = Client(raise_request_exception=True)
    if not page.anonymous:
        client.force_login(alice)
    refuse_rendering(monkeypatch)

    response = client.get(url, headers={"HX-Request": "true"} if page.htmx else {})

    assert response.status_code == page.status


def test_a_row_written_around_save_would_be_rendered_and_caught(alice, monkeypatch):
    """Guards the test above: without stored HTML the page renders, and the patch catches it."""
    entry = f.entry(alice, f"{YEAR}-03-01")
    type(entry).objects.filter(pk=entry.pk).update(body=TEXT)  # bypasses save(): no body_html
    client = Client(raise_request_exception=True)
    client.force_login(alice)
    refuse_rendering(monkeypatch)

    with pytest.raises(RenderedDuringView):
        client.get(f"/{YEAR}/")
