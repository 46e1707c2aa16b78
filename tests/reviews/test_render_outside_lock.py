"""Rendering never holds the write lock, and only a changed text is rendered.

Rendering a long text can take a good part of a second; SQLite has one
write lock for every user, so a save renders before it opens its
transaction and hands the HTML in. Each test records the depth of atomic
blocks at every render and asserts it is the depth the test itself runs in.
"""

from __future__ import annotations

import pytest
from django.db import connection

from core import markdown
from reviews import texts
from reviews.models import Review, Revision
from tests import factories as f
from timeline.models import Entry

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """The depth of atomic blocks, relative to the test's own, at each render."""
    real = markdown.render
    baseline = len(connection.atomic_blocks)
    depths: list[int] = []

    def spy(text: str) -> str:
        depths.append(len(connection.atomic_blocks) - baseline)
        return real(text)

    monkeypatch.setattr(markdown, "render", spy)
    return depths


def _all_texts() -> dict[str, str]:
    return {name: f"Some **{name}**" for name in Review.markdown_fields}


def test_an_autosave_renders_its_text_once_before_the_transaction(alice, renders):
    review = f.review(alice, 2020, **_all_texts())
    renders.clear()

    result = texts.save_text(
        review, "document", "A **new** opening", review.text_version("document")
    )

    assert result.saved
    assert renders == [0]
    review.refresh_from_db()
    assert "<strong>new</strong>" in review.document_html
    assert review.title == ""  # the other texts are left as they were


def test_a_restore_renders_its_text_once_before_the_transaction(alice, renders):
    entry = f.entry(alice, body="first")
    texts.save_text(entry, "body", "second **draft**", 0)
    first = Revision.objects.filter(object_id=entry.pk, field="body").order_by("version").first()
    renders.clear()

    texts.restore(entry, "body", first)

    assert renders == [0]
    assert Entry.objects.get(pk=entry.pk).body_html == "<p>first</p>"


def test_saving_a_title_renders_nothing(alice, renders):
    review = f.review(alice, 2020, **_all_texts())
    renders.clear()

    texts.save_text(review, "title", "My year", 0)

    assert renders == []


def test_an_entry_form_renders_no_text_it_did_not_change(alice_client, alice, renders):
    entry = f.entry(alice, "2020-03-01", title="Trip", body="A **long** body")
    renders.clear()
    data = {"entry-title": "Trip 旅行", "entry-started_on": "2020-03-01", "year": "2020"}

    response = alice_client.post(f"/edit/entry/{entry.pk}/", data, **HX)

    assert response.status_code == 200
    assert renders == []
    assert Entry.objects.get(pk=entry.pk).body_html == "<p>A <strong>long</strong> body</p>"


def test_the_settings_form_renders_no_text(alice_client, alice, renders):
    f.review(alice, 2020, **_all_texts())
    renders.clear()
    data = {"title": "2020", "author_name": "Lin", "language": "en", "license": "CC BY"}

    assert alice_client.post("/2020/settings/", data).status_code == 302

    assert renders == []


def test_a_new_entry_renders_its_body_outside_any_transaction(alice_client, renders):
    data = {
        "entry-title": "Trip",
        "entry-started_on": "2020-03-01",
        "entry-body": "A **long** body",
        "year": "2020",
    }

    alice_client.post("/edit/entry/new/", data, **HX)

    assert renders == [0]
    assert Entry.objects.get().body_html == "<p>A <strong>long</strong> body</p>"


def test_the_preview_renders_through_the_same_path(alice_client, renders):
    text = "---\n" * 50_000

    response = alice_client.post("/text/preview/", {"text": text}, **HX)

    assert response.status_code == 200
    assert renders == [0]
    assert response.content.decode() == markdown.render(text)
