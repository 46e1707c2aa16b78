"""Dates on the year page in each interface language (issue 9).

English abbreviates the month ("Jul – Nov"); Chinese writes it as a number
("7月 – 11月"), never Django's "七月".
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from core.dates import day_label, quarter_label, span_label
from reviews.document import compose
from tests import factories as f

D = datetime.date

SPANS = [
    (D(2020, 11, 2), None, "Nov 2", "11月2日"),
    (D(2020, 11, 2), D(2020, 11, 2), "Nov 2", "11月2日"),
    (D(2020, 11, 2), D(2020, 11, 9), "Nov 2 – 9", "11月2日 – 9日"),
    (D(2020, 7, 2), D(2020, 11, 9), "Jul – Nov", "7月 – 11月"),
    (D(2019, 12, 30), D(2020, 2, 1), "Dec 2019 – Feb 2020", "2019年12月 – 2020年2月"),
]


@pytest.mark.parametrize(("start", "end", "english", "chinese"), SPANS)
def test_spans_in_both_languages(start, end, english, chinese):
    with translation.override("en"):
        assert span_label(start, end) == english
    with translation.override("zh-hans"):
        assert span_label(start, end) == chinese


@pytest.mark.parametrize(
    ("quarter", "english", "chinese"),
    [(1, "Q1 · Jan – Mar", "第一季度 · 1月 – 3月"), (3, "Q3 · Jul – Sep", "第三季度 · 7月 – 9月"),
     (4, "Q4 · Oct – Dec", "第四季度 · 10月 – 12月")],
)  # fmt: skip
def test_quarter_headings_in_both_languages(quarter, english, chinese):
    with translation.override("en"):
        assert quarter_label(quarter) == english
    with translation.override("zh-hans"):
        assert quarter_label(quarter) == chinese


def test_a_single_day_in_both_languages():
    with translation.override("en"):
        assert day_label(D(2020, 7, 2)) == "Jul 2"
    with translation.override("zh-hans"):
        assert day_label(D(2020, 7, 2)) == "7月2日"


@pytest.mark.django_db
def test_the_pages_show_chinese_dates(alice_client, alice):
    f.review(alice, 2020, language="zh-Hans", document=compose(2020, "zh-Hans"))
    f.entry(alice, "2020-07-02", title="Hike", ended_on="2020-11-09")
    f.move(alice, "2020-04-04")
    f.item(alice, "2020-05-05")
    zh = {"HTTP_ACCEPT_LANGUAGE": "zh-Hans"}

    year = alice_client.get("/2020/", **zh).content.decode()
    assert "第三季度 · 7月 – 9月" in year and "7月 – 11月" in year
    assert "4月4日" in year  # the career move
    assert "七月" not in year and "Jul" not in year
    assert "4月4日" in alice_client.get("/career/", **zh).content.decode()
    assert "2020年5月5日" in alice_client.get("/library/", **zh).content.decode()
    export = alice_client.get("/2020/export.md", **zh).content.decode()
    assert "### 第三季度 · 7月 – 9月" in export and "**4月4日**" in export


@pytest.mark.django_db
def test_english_dates_are_unchanged(alice_client, alice):
    f.review(alice, 2020, document=compose(2020, "en"))
    f.entry(alice, "2020-07-02", title="Hike", ended_on="2020-11-09")
    f.move(alice, "2020-04-04")

    year = alice_client.get("/2020/").content.decode()

    assert "Q3 · Jul – Sep" in year and "Jul – Nov" in year and "Apr 4" in year
