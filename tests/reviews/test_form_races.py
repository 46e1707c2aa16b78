"""A form save never undoes an autosave made while the form was being saved.

The interleaving that lost saves, made deterministic: the view has read
the row for its form, then (while the form is validated) a long text of
the same row is autosaved and acknowledged, then the form saves. The
acknowledged text and its version must survive, and the writer's next
autosave, based on the version it was told, must be accepted. Then the
same with real threads for a second and a half: one autosaving, one saving
the form, and no acknowledged save lost.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.test import Client

from core import rows
from reviews import texts
from reviews.forms import ReviewForm
from reviews.models import Review
from tests import factories as f
from timeline.models import Entry

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}

# Each row kind: a factory, the form data of an edit that changes its title, the field
# that edit changes and the value it sets.
ROWS = {
    "entry": (
        f.entry,
        {"entry-title": "Renamed", "entry-started_on": "2020-03-01"},
        ("title", "Renamed"),
    ),
    "move": (
        f.move,
        {"move-date": "2020-05-01", "move-kind": "joined", "move-organization": "Renamed"},
        ("organization", "Renamed"),
    ),
    "item": (
        f.item,
        {
            "item-kind": "book",
            "item-title": "Renamed",
            "item-status": "finished",
            "item-finished_on": "2020-06-01",
        },
        ("title", "Renamed"),
    ),
    "goal": (f.goal, {"goal-title": "Renamed", "goal-status": "open"}, ("title", "Renamed")),
}


def autosave_during_validation(monkeypatch, form_class, model, pk, fields) -> dict[str, int]:
    """While ``form_class`` validates, autosave each of ``fields``; their acknowledged versions."""
    acknowledged: dict[str, int] = {}
    clean = form_class.clean

    def clean_and_autosave(form):
        for field in fields:
            row = model.objects.get(pk=pk)
            result = texts.save_text(row, field, f"autosaved {field}", row.text_version(field))
            assert result.saved
            acknowledged[field] = result.version
        return clean(form)

    monkeypatch.setattr(form_class, "clean", clean_and_autosave)
    return acknowledged


@pytest.mark.parametrize("kind", ROWS)
def test_a_row_form_keeps_texts_autosaved_while_it_saved(alice_client, alice, monkeypatch, kind):
    factory, data, (changed, value) = ROWS[kind]
    row_kind = rows.get(kind)
    row = factory(alice, **{name: f"old {name}" for name in row_kind.texts})
    acknowledged = autosave_during_validation(
        monkeypatch, row_kind.form, row_kind.model, row.pk, row_kind.texts
    )

    response = alice_client.post(f"/edit/{kind}/{row.pk}/", {**data, "year": "2020"}, **HX)

    assert response.status_code == 200
    current = row_kind.model.objects.get(pk=row.pk)
    assert getattr(current, changed) == value  # the form's own change is saved
    for field, version in acknowledged.items():
        assert getattr(current, field) == f"autosaved {field}"
        assert getattr(current, f"{field}_html") == f"<p>autosaved {field}</p>"
        assert current.text_version(field) == version
        # The writer's next autosave, from the version it was told, is accepted.
        assert texts.save_text(current, field, "next", version).saved


def test_the_settings_form_keeps_texts_autosaved_while_it_saved(alice_client, alice, monkeypatch):
    review = f.review(alice, 2020, title="A year", document="old document")
    acknowledged = autosave_during_validation(
        monkeypatch, ReviewForm, Review, review.pk, ("document", "title")
    )
    data = {"title": "A year", "author_name": "Lin", "language": "en", "license": "CC BY"}

    assert alice_client.post("/2020/settings/", data).status_code == 302

    current = Review.objects.get(pk=review.pk)
    assert (current.author_name, current.license) == ("Lin", "CC BY")
    for field, version in acknowledged.items():
        assert getattr(current, field) == f"autosaved {field}"
        assert current.text_version(field) == version
        assert texts.save_text(current, field, "next", version).saved
    assert current.document_html == "<p>autosaved document</p>"


def test_a_title_changed_in_settings_is_a_new_version_of_the_title(alice_client, alice):
    review = f.review(alice, 2020, title="A year")
    texts.save_text(review, "title", "An editor's title", 0)
    data = {"title": "From settings", "author_name": "", "language": "en", "license": ""}

    assert alice_client.post("/2020/settings/", data).status_code == 302

    current = Review.objects.get(pk=review.pk)
    assert current.title == "From settings" and current.text_version("title") == 2
    # An editor still open on the title's first version is told, not obeyed.
    stale = texts.save_text(current, "title", "stale editor", 1)
    assert not stale.saved and stale.text == "From settings"
    assert [r.text for r in texts.history(current, "title")][:2] == [
        "From settings",
        "An editor's title",
    ]


def test_a_row_deleted_while_its_form_was_saved_is_a_404(alice_client, alice, monkeypatch):
    entry = f.entry(alice, "2020-03-01", title="Trip")
    form_class = rows.get("entry").form
    clean = form_class.clean

    def clean_and_delete(form):
        Entry.objects.filter(pk=entry.pk).delete()  # in another tab
        return clean(form)

    monkeypatch.setattr(form_class, "clean", clean_and_delete)
    data = {"entry-title": "Renamed", "entry-started_on": "2020-03-01", "year": "2020"}

    response = alice_client.post(f"/edit/entry/{entry.pk}/", data, **HX)

    assert response.status_code == 404
    assert not Entry.objects.exists()


def test_a_form_cannot_write_a_long_text(alice):
    entry = f.entry(alice, body="kept")
    entry.body = "from a stale copy"

    with pytest.raises(ValueError):
        entry.save_fields(["title", "body"])

    with pytest.raises(ValueError):
        entry.save_fields(["text_versions"])


def _race(seconds: float, autosave, submit_form) -> tuple[list[int], list[str]]:
    """Autosave in one thread and submit a form in another for ``seconds``."""
    stop = time.monotonic() + seconds
    acknowledged: list[int] = []
    problems: list[str] = []

    def autosaving():
        try:
            version = 0
            while time.monotonic() < stop:
                result = autosave(f"text {version + 1}", version)
                if not result.saved:
                    problems.append(f"autosave from version {version} refused: {result.text!r}")
                    return
                version = result.version
                acknowledged.append(version)
        finally:
            connection.close()

    def submitting():
        try:
            client = Client()
            while time.monotonic() < stop:
                status = submit_form(client)
                if status >= 400:
                    problems.append(f"form answered {status}")
                    return
        finally:
            connection.close()

    threads = [threading.Thread(target=autosaving), threading.Thread(target=submitting)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return acknowledged, problems


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_entry_body_autosaved_while_its_form_is_saved_for_seconds(alice):
    entry = f.entry(alice, "2020-03-01", title="Trip", body="")
    data = {"entry-title": "Trip", "entry-started_on": "2020-03-01", "year": "2020"}

    def autosave(text, version):
        return texts.save_text(Entry.objects.get(pk=entry.pk), "body", text, version)

    def submit(client):
        client.force_login(alice)
        return client.post(f"/edit/entry/{entry.pk}/", data, **HX).status_code

    acknowledged, problems = _race(1.5, autosave, submit)

    assert not problems
    current = Entry.objects.get(pk=entry.pk)
    assert acknowledged and current.text_version("body") == acknowledged[-1]
    assert current.body == f"text {acknowledged[-1]}"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_review_text_autosaved_while_its_settings_are_saved_for_seconds(alice):
    review = f.review(alice, 2020, title="A year")
    data = {"title": "A year", "author_name": "Lin", "language": "en", "license": "CC BY"}

    def autosave(text, version):
        return texts.save_text(Review.objects.get(pk=review.pk), "document", text, version)

    def submit(client):
        client.force_login(alice)
        return client.post("/2020/settings/", data).status_code

    acknowledged, problems = _race(1.5, autosave, submit)

    assert not problems
    current = Review.objects.get(pk=review.pk)
    assert acknowledged and current.text_version("document") == acknowledged[-1]
    assert current.document == f"text {acknowledged[-1]}"
