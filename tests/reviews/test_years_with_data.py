"""The years with data: one query that walks the indexes year by year, never row by row."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import markdown
from reviews import services, texts
from reviews.models import Review
from tests import factories as f
from timeline.models import Entry

pytestmark = pytest.mark.django_db


def test_every_kind_counts_at_the_edges_of_its_years(alice, bob):
    f.review(alice, 1999)
    f.entry(alice, "2001-01-01")
    f.entry(alice, "2001-12-31")
    f.entry(alice, "2003-12-31")
    f.move(alice, "2004-01-01")
    f.item(alice, "2005-06-30")
    f.item(alice, None, title="still reading")  # no year yet
    f.goal(alice, 2007)
    f.entry(bob, "2010-05-05")

    assert services.years_with_data(alice) == [2007, 2005, 2004, 2003, 2001, 1999]
    assert services.years_with_data(bob.pk) == [2010]


def test_one_query_that_runs_no_function_per_row(alice):
    Entry.objects.bulk_create(
        Entry(owner=alice, title=f"e{n}", started_on=datetime.date(2000 + n % 30, 1 + n % 12, 1))
        for n in range(300)
    )
    with CaptureQueriesContext(connection) as queries:
        years = services.years_with_data(alice)

    assert years == list(range(2029, 1999, -1))
    assert len(queries.captured_queries) == 1
    sql = queries.captured_queries[0]["sql"]
    assert "django_date_extract" not in sql  # SQLite's per-row Python function


def test_an_autosave_renders_only_the_text_it_saves(alice, monkeypatch):
    review = f.review(alice, 2020)
    Review.objects.filter(pk=review.pk).update(document="# Old")
    calls = []
    real = markdown.render
    monkeypatch.setattr(
        markdown, "render", lambda text, *a, **k: calls.append(text) or real(text, *a, **k)
    )

    texts.save_text(Review.objects.get(pk=review.pk), "document", "# New", 0)

    assert len(calls) <= 1
