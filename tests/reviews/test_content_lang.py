"""A review's language marks its text (issue 9): `lang` on the year page, the share
page and in the Markdown export, whatever language the interface speaks."""

from __future__ import annotations

import re

import pytest

from reviews.document import compose
from reviews.models import Review
from sharing.models import ShareLink
from tests import factories as f

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-Hans"}


def article_lang(html: str) -> str | None:
    match = re.search(r'<article class="review[^"]*"\s+lang="([^"]*)"', html)
    return match.group(1) if match else None


@pytest.fixture
def review(alice):
    texts = {"intro": "这一年我学会了慢下来。"}
    review = f.review(alice, 2020, language="zh-Hans", document=compose(2020, "zh-Hans", texts))
    f.entry(alice, "2020-07-02", title="徒步 hike")
    return review


def test_the_year_page_marks_the_review_text(alice_client, review):
    html = alice_client.get("/2020/").content.decode()

    assert '<html lang="en"' in html  # the interface
    assert article_lang(html) == "zh-Hans"  # what the user wrote


def test_an_english_review_in_a_chinese_interface(alice_client, alice):
    f.review(alice, 2021, language="en", document="A quiet year.")

    html = alice_client.get("/2021/", **ZH).content.decode()

    assert '<html lang="zh-Hans"' in html
    assert article_lang(html) == "en"


def test_the_share_page_marks_the_review_text(client, review):
    _link, token = ShareLink.create_for(review)

    html = client.get(f"/s/{token}/").content.decode()

    assert article_lang(html) == "zh-Hans"
    assert "这一年我学会了慢下来。" in html


def test_the_share_page_speaks_the_reviews_language_whatever_the_browsers(client, review):
    _link, token = ShareLink.create_for(review)

    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}, ZH):
        response = client.get(f"/s/{token}/", **headers)
        html = response.content.decode()
        assert '<html lang="zh-Hans"' in html and "只读分享" in html and "时间线" in html
        assert "Shared read-only" not in html and "Timeline" not in html
        assert response["Content-Language"] == "zh-hans"
        assert "<form" not in html and "csrfmiddlewaretoken" not in html
        assert article_lang(html) == "zh-Hans"


def test_an_english_review_is_shared_in_english_to_a_chinese_browser(client, alice):
    review = f.review(alice, 2021, language="en", document="A quiet year.\n\n[[timeline]]")
    f.entry(alice, "2021-03-02", title="Walk")
    _link, token = ShareLink.create_for(review)

    html = client.get(f"/s/{token}/", **ZH).content.decode()

    assert '<html lang="en"' in html and "Shared read-only" in html
    assert "只读分享" not in html


def test_the_visitor_can_switch_the_share_pages_language(client, review):
    _link, token = ShareLink.create_for(review)

    chinese = client.get(f"/s/{token}/").content.decode()
    switch = re.search(r'<a class="share-lang" href="([^"]*)" hreflang="en"', chinese)
    assert switch and switch.group(1) == "?lang=en"
    assert ">English</span></a>" in chinese

    response = client.get(f"/s/{token}/?lang=en", **ZH)
    english = response.content.decode()
    assert '<html lang="en"' in english and "Shared read-only" in english
    assert "Q3 · Jul – Sep" in english and "只读分享" not in english
    assert response["Content-Language"] == "en"
    assert 'href="?lang=zh-hans" hreflang="zh-Hans"' in english
    assert article_lang(english) == "zh-Hans"  # the text stays marked as what it is
    assert "<form" not in english


@pytest.mark.parametrize("value", ["xx", "", "EN'><script>", "zh"])
def test_a_language_almanac_does_not_speak_is_ignored(client, review, value):
    _link, token = ShareLink.create_for(review)

    response = client.get(f"/s/{token}/", {"lang": value})

    assert response.status_code == 200
    assert '<html lang="zh-Hans"' in response.content.decode()


def test_links_to_other_shared_years_keep_the_visitors_choice(client, alice, review):
    f.review(alice, 2021, language="zh-Hans", document="二〇二一")
    _link, token = ShareLink.create_for(review, also=[2021])

    html = client.get(f"/s/{token}/?lang=en").content.decode()

    assert f'href="/s/{token}/2021/?lang=en"' in html


def test_the_markdown_export_names_the_language(alice_client, review):
    text = alice_client.get("/2020/export.md").content.decode()

    front_matter = text.split("---")[1]
    assert 'language: "zh-Hans"' in front_matter


def test_settings_offer_common_languages(alice_client, review):
    html = alice_client.get("/2020/settings/").content.decode()

    select = re.search(r'<select name="language"[^>]*>(.*?)</select>', html, re.DOTALL)
    assert select is not None
    values = re.findall(r'<option value="([^"]*)"', select.group(1))
    assert values == ["zh-Hans", "zh-Hant", "en", "ja", "ko", "de", "fr", "es"]
    assert '<option value="zh-Hans" selected>简体中文</option>' in select.group(1)


def test_settings_save_a_listed_language_and_refuse_others(alice_client, review):
    data = {"title": "", "author_name": "", "license": ""}

    response = alice_client.post("/2020/settings/", {**data, "language": "ja"})
    assert response.status_code == 302
    assert Review.objects.get(pk=review.pk).language == "ja"

    response = alice_client.post("/2020/settings/", {**data, "language": 'x" onload="1'})
    assert response.status_code == 422
    assert "field-invalid" in response.content.decode()
    assert Review.objects.get(pk=review.pk).language == "ja"


def test_a_language_stored_before_the_list_is_kept(alice_client, alice):
    old = f.review(alice, 2019, language="zh-CN")
    lower = f.review(alice, 2018, language="zh-hans")

    html = alice_client.get("/2019/settings/").content.decode()
    assert '<option value="zh-CN" selected>zh-CN</option>' in html
    response = alice_client.post("/2019/settings/", {"title": "新标题", "language": "zh-CN"})
    assert response.status_code == 302
    assert Review.objects.get(pk=old.pk).language == "zh-CN"

    # Only the case differs from a listed tag: shown (and saved) as that tag.
    html = alice_client.get("/2018/settings/").content.decode()
    assert '<option value="zh-Hans" selected>' in html
    alice_client.post("/2018/settings/", {"language": "zh-Hans"})
    assert Review.objects.get(pk=lower.pk).language == "zh-Hans"


def test_a_review_started_in_chinese_is_marked_chinese(alice_client, alice):
    alice_client.post("/start/", {"year": "2030"}, HTTP_ACCEPT_LANGUAGE="zh-Hans")
    alice_client.post("/start/", {"year": "2031"}, HTTP_ACCEPT_LANGUAGE="en")

    languages = dict(alice.review_set.values_list("year", "language"))
    assert languages == {2030: "zh-Hans", 2031: "en"}


def test_looking_at_a_years_settings_creates_nothing(alice_client, alice):
    assert alice_client.get("/2032/settings/").status_code == 200
    assert not alice.review_set.exists()


def test_show_all_on_a_share_page_keeps_the_visitors_choice(client, alice, review):
    for day in range(1, 30):
        f.entry(alice, f"2020-03-{day:02d}", title=f"第 {day} 天")
    _link, token = ShareLink.create_for(review)

    chosen = client.get(f"/s/{token}/?lang=en").content.decode()
    default = client.get(f"/s/{token}/").content.decode()

    assert 'href="?all=1&amp;lang=en#' in chosen
    assert 'href="?all=1#' in default
