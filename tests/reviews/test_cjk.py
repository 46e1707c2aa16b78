"""CJK correctness (issue 9): lengths are counted in characters, not bytes.

A Chinese character is three bytes in UTF-8; a limit of 200 must let 200 of
them through and refuse the 201st with a message that says so, in the
interface language.
"""

from __future__ import annotations

import pytest

from reviews import texts
from reviews.models import Review
from tests import factories as f
from timeline.models import Entry

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-Hans"}
TITLE_200 = "年" * 200
TITLE_201 = "年" * 201


def test_a_review_title_of_200_chinese_characters_is_accepted(alice_client, alice):
    review = f.review(alice, 2020)

    response = alice_client.post("/2020/settings/", {"title": TITLE_200, "language": "zh-Hans"})

    assert response.status_code == 302
    assert Review.objects.get(pk=review.pk).title == TITLE_200


@pytest.mark.parametrize(
    ("headers", "message"),
    [({}, "at most 200 characters (it has 201)"), (ZH, "200"), (ZH, "201")],
)
def test_a_review_title_of_201_is_refused_with_a_clear_message(
    alice_client, alice, headers, message
):
    review = f.review(alice, 2020, title="旧标题")

    response = alice_client.post(
        "/2020/settings/", {"title": TITLE_201, "language": "zh-Hans"}, **headers
    )

    html = response.content.decode()
    assert response.status_code == 422 and "field-errors" in html
    assert message in html
    assert Review.objects.get(pk=review.pk).title == "旧标题"


def test_the_chinese_refusal_is_in_chinese(alice_client, alice):
    f.review(alice, 2020)

    html = alice_client.post("/2020/settings/", {"title": TITLE_201}, **ZH).content.decode()

    assert "最多 200 个字，现在有 201 个。" in html


def test_an_entry_title_of_200_chinese_characters_fits_and_201_does_not(alice_client, alice):
    base = {"year": "2020", "entry-started_on": "2020-08-01"}

    ok = alice_client.post("/edit/entry/new/", {**base, "entry-title": TITLE_200}, **HX)
    refused = alice_client.post("/edit/entry/new/", {**base, "entry-title": TITLE_201}, **HX)

    assert ok.status_code == 200
    assert list(Entry.objects.values_list("title", flat=True)) == [TITLE_200]
    assert "201" in refused.content.decode() and Entry.objects.count() == 1


def test_the_autosaved_title_counts_characters(alice_client, alice):
    review = f.review(alice, 2020)
    url = f"/text/review/{review.pk}/title/save/"

    saved = alice_client.post(url, {"text": TITLE_200, "version": "0"}, **HX)
    refused = alice_client.post(url, {"text": TITLE_201, "version": "1"}, **HX)
    refused_zh = alice_client.post(url, {"text": TITLE_201, "version": "1"}, **HX, **ZH)

    assert saved.status_code == 204 or saved.status_code == 200
    assert Review.objects.get(pk=review.pk).title == TITLE_200
    assert refused.status_code == 422
    assert refused.content.decode() == "This text is 201 characters long; the limit is 200."
    assert refused_zh.content.decode() == "这段文字有 201 个字，上限是 200 个。"


def test_history_counts_characters(alice_client, alice):
    review = f.review(alice, 2020)
    texts.save_text(review, "document", "中文字符", 0)

    html = alice_client.get(
        f"/text/review/{review.pk}/document/history/?year=2020", **HX
    ).content.decode()

    assert "4 characters" in html
