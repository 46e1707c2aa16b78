"""Recorded counts on the share page and in the exports: public ones only."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from library.models import Item
from reviews import document
from sharing.models import ShareLink
from tests import factories as f

pytestmark = pytest.mark.django_db

PAPER, BOOK = Item.Kind.PAPER, Item.Kind.BOOK


@pytest.fixture
def review(alice):
    text = "Reading.\n\n[[library]]\n\n[[compare paper]]\n\n[[compare book]]\n"
    review = f.review(alice, 2020, document=text, document_html=document.render_html(text))
    f.item(alice, "2020-03-01", title="Raft", kind=PAPER)
    f.tally(alice, 2020, BOOK, 12, note="PUBLIC-TALLY-NOTE")
    f.tally(alice, 2020, PAPER, 777, note="CANARY-TALLY-NOTE", private=True)
    f.tally(alice, 2019, PAPER, 30, note="CANARY-OLD-TALLY", private=True)
    return review


def test_the_share_page_shows_public_counts_only(client, review):
    _link, token = ShareLink.create_for(review)

    html = client.get(reverse("sharing:share", args=[token])).content.decode()

    assert "PUBLIC-TALLY-NOTE" in html and "12, count only" in html
    assert "CANARY" not in html and "777" not in html
    assert "Papers: 1, last year 0 (+1)" in html  # the private counts count for nobody here
    assert "Books: 12, count only, last year 0 (+12)" in html


def test_the_owners_page_counts_the_private_counts(alice_client, review):
    html = alice_client.get("/2020/").content.decode()

    assert "CANARY-TALLY-NOTE" in html
    assert "Papers: 1 listed of 777, last year 30, count only (+747)" in html


def test_the_public_exports_hold_public_counts_only(alice_client, review):
    text = alice_client.get(reverse("sharing:export-md", args=[2020]) + "?public=1")
    text = text.content.decode()
    assert "- Book: 12, count only — PUBLIC-TALLY-NOTE" in text
    assert "CANARY" not in text and "777" not in text
    assert "Papers: 1, last year 0 (+1)." in text

    response = alice_client.get(reverse("sharing:export-zip", args=[2020]))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    post = archive.read("index.md").decode()
    assert "PUBLIC-TALLY-NOTE" in post and "CANARY" not in post


def test_the_owners_export_has_the_private_count_marked_by_its_number(alice_client, review):
    text = alice_client.get(reverse("sharing:export-md", args=[2020]) + "?public=0")
    text = text.content.decode()
    assert "- Paper: 1 listed of 777 — CANARY-TALLY-NOTE *(private)*" in text
    assert "Papers: 1 listed of 777, last year 30, count only (+747)." in text
