"""Long texts: versioned autosave, conflicts, history and restore."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from reviews import texts
from reviews.models import Review, Revision
from tests import factories as f

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def save_url(review, field="document"):
    return f"/text/review/{review.pk}/{field}/save/"


def post_save(client, review, text, version, field="document", **headers):
    return client.post(
        save_url(review, field), {"text": text, "version": version, "year": review.year}, **headers
    )


def test_a_save_bumps_the_version_and_renders(alice_client, alice):
    review = f.review(alice, 2020)

    response = post_save(alice_client, review, "Hello **world**", 0, **HX)

    assert response.status_code == 204
    assert response["X-Text-Version"] == "1"
    review.refresh_from_db()
    assert review.document == "Hello **world**"
    assert review.text_version("document") == 1
    assert "<strong>world</strong>" in review.document_html


def test_a_stale_version_gets_409_and_changes_nothing(alice_client, alice):
    review = f.review(alice, 2020)
    assert post_save(alice_client, review, "from tab A", 0, **HX).status_code == 204

    response = post_save(alice_client, review, "from tab B", 0, **HX)

    assert response.status_code == 409
    html = response.content.decode()
    assert "from tab A" in html and "from tab B" in html
    review.refresh_from_db()
    assert review.document == "from tab A" and review.text_version("document") == 1


def test_two_saves_from_the_same_base_one_wins_the_other_gets_its_text_back(alice):
    review = f.review(alice, 2020, document="base")
    first = texts.save_text(review, "document", "first edit", 0)
    second = texts.save_text(review, "document", "second edit", 0)

    assert first.saved and not second.saved
    assert second.text == "first edit" and second.version == 1
    review.refresh_from_db()
    assert review.document == "first edit"


def test_each_field_has_its_own_version(alice_client, alice):
    review = f.review(alice, 2020)
    assert post_save(alice_client, review, "opening", 0, **HX).status_code == 204

    response = post_save(alice_client, review, "A title", 0, field="title", **HX)

    assert response.status_code == 204


def test_saving_the_same_text_is_not_a_new_version(alice):
    review = f.review(alice, 2020)
    texts.save_text(review, "document", "same", 0)

    result = texts.save_text(review, "document", "same", 1)

    assert result.saved and result.version == 1
    assert Revision.objects.count() == 1


def test_autosaves_close_together_fold_into_one_revision(alice):
    review = f.review(alice, 2020)
    texts.save_text(review, "document", "a", 0)
    texts.save_text(review, "document", "ab", 1)
    texts.save_text(review, "document", "abc", 2)

    assert [r.text for r in texts.history(review, "document")] == ["abc"]


def test_saves_minutes_apart_keep_separate_revisions(alice):
    review = f.review(alice, 2020)
    texts.save_text(review, "document", "morning", 0)
    Revision.objects.update(created=timezone.now() - datetime.timedelta(minutes=10))
    texts.save_text(review, "document", "evening", 1)

    assert [r.text for r in texts.history(review, "document")] == ["evening", "morning"]


def test_the_text_a_form_wrote_is_kept_before_the_first_autosave(alice):
    entry = f.entry(alice, body="written in the add form")

    texts.save_text(entry, "body", "changed later", 0)

    assert [r.text for r in texts.history(entry, "body")] == [
        "changed later",
        "written in the add form",
    ]


def test_restoring_a_revision_gives_back_the_exact_text_and_is_recorded(alice_client, alice):
    review = f.review(alice, 2020)
    original = "第一版：**精确**的文字\n\n  with trailing spaces  \n"
    texts.save_text(review, "document", original, 0)
    Revision.objects.update(created=timezone.now() - datetime.timedelta(minutes=10))
    texts.save_text(review, "document", "overwritten", 1)
    old = texts.history(review, "document")[-1]

    response = alice_client.post(
        f"/text/review/{review.pk}/document/history/{old.pk}/restore/", {"year": 2020}, **HX
    )

    assert response.status_code == 200 and "<html" not in response.content.decode()
    review.refresh_from_db()
    assert review.document == original
    assert review.text_version("document") == 3
    newest = texts.history(review, "document")[0]
    assert newest.text == original and newest.restored_from_id == old.pk
    assert len(texts.history(review, "document")) == 3


def test_history_and_revision_views_full_page_and_fragment(alice_client, alice):
    review = f.review(alice, 2020)
    texts.save_text(review, "document", "line one\nline two", 0)
    Revision.objects.update(created=timezone.now() - datetime.timedelta(minutes=10))
    texts.save_text(review, "document", "line one\nline 2", 1)
    old = texts.history(review, "document")[-1]
    base = f"/text/review/{review.pk}/document/history/"

    for url in (base, f"{base}{old.pk}/"):
        full = alice_client.get(url + "?year=2020").content.decode()
        fragment = alice_client.get(url + "?year=2020", **HX).content.decode()
        assert "<html" in full and "<html" not in fragment
    diff = alice_client.get(f"{base}{old.pk}/?year=2020", **HX).content.decode()
    assert "<del>− line two</del>" in diff and "<ins>+ line 2</ins>" in diff


def test_editor_view_full_page_and_fragment(alice_client, alice):
    review = f.review(alice, 2020, document="Hi")
    url = f"/text/review/{review.pk}/document/?year=2020"

    full = alice_client.get(url).content.decode()
    fragment = alice_client.get(url, **HX).content.decode()

    assert "<html" in full and 'name="version"' in full
    assert "<html" not in fragment and 'hx-sync="this:queue last"' in fragment
    # "Done" on the document reloads the page: its embeds show current rows.
    done = alice_client.get(url + "&view=1", **HX)
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    assert "data-document-editor" in fragment and 'name="document"' in fragment


def test_preview_goes_through_the_sanitizer(alice_client):
    response = alice_client.post("/text/preview/", {"text": "**b** <script>x</script>"}, **HX)

    html = response.content.decode()
    assert "<strong>b</strong>" in html and "<script" not in html


def test_without_javascript_a_save_redirects_and_a_conflict_is_a_page(alice_client, alice):
    review = f.review(alice, 2020)
    response = post_save(alice_client, review, "plain post", 0)
    assert response.status_code == 302 and response["Location"] == "/2020/"

    conflict = post_save(alice_client, review, "stale post", 0)

    assert conflict.status_code == 409
    html = conflict.content.decode()
    assert "<html" in html and "stale post" in html and "plain post" in html


def test_an_expired_session_gets_401_for_autosave_and_nothing_changes(client, alice):
    review = f.review(alice, 2020, document="kept")

    response = post_save(client, review, "typed after expiry", 0, **HX)

    assert response.status_code == 401
    assert Review.objects.get(pk=review.pk).document == "kept"


def test_bob_cannot_read_or_save_alices_texts(bob_client, alice):
    review = f.review(alice, 2020, document="secret")
    texts.save_text(review, "document", "secret 2", 0)
    revision = texts.history(review, "document")[0]
    base = f"/text/review/{review.pk}/document/"

    assert bob_client.get(base).status_code == 404
    assert bob_client.get(base + "history/").status_code == 404
    assert bob_client.get(f"{base}history/{revision.pk}/").status_code == 404
    assert bob_client.post(f"{base}history/{revision.pk}/restore/").status_code == 404
    assert post_save(bob_client, review, "bob was here", 1, **HX).status_code == 404
    assert Review.objects.get(pk=review.pk).document == "secret 2"


@pytest.mark.parametrize(
    "url",
    ["/text/nope/1/document/", "/text/review/1/owner/", "/text/review/1/document_html/"],
)
def test_unknown_kinds_and_fields_are_404(alice_client, alice, url):
    f.review(alice, 2020)
    assert alice_client.get(url).status_code == 404


def test_bad_version_or_too_long_text_is_a_clear_422(alice_client, alice):
    review = f.review(alice, 2020)

    assert post_save(alice_client, review, "x", "abc", **HX).status_code == 422
    too_long = alice_client.post(
        f"/text/review/{review.pk}/title/save/", {"text": "x" * 500, "version": 0}, **HX
    )
    assert too_long.status_code == 422 and "limit" in too_long.content.decode()
