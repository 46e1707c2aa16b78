"""Every page runs at most 12 queries, and the same number whatever the account's size.

Pages served from the rendered-page cache are measured on a miss, the dearer
case (tests/core/test_pagecache.py holds the budget of a hit).

Each page is requested for a small account (one year, 3 rows of every kind),
then again after the account has grown to 6 years of 40 rows of every kind
(with photos, revisions, share links and carried-over goals), each year's
document embedding every row of its year one by one: the two counts must be
equal. Routes that other work has not registered yet are skipped
with the reason, so this module covers them as soon as they exist.
"""

from __future__ import annotations

import datetime
import functools
import itertools
from dataclasses import dataclass, field

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from core import markdown, pagecache
from core import rows as rows_registry
from core.dates import END, START, PartialDate, Precision
from library.models import Item, Tally
from reviews import document
from reviews.document import compose
from reviews.models import Goal, Review, Revision
from sharing.models import ShareLink
from tests.pages import PAGES, TEXT_FIELDS, YEAR, Page
from timeline.models import CareerMove, Entry, Photo

pytestmark = pytest.mark.slow

BUDGET = 12
SMALL_YEARS, SMALL_ROWS = [YEAR], 3
LARGE_YEARS, LARGE_ROWS = list(range(YEAR - 4, YEAR + 2)), 40  # 6 years, the next one included

EMBEDDED = {"entry": Entry, "move": CareerMove, "item": Item, "goal": Goal, "photo": Photo}
TEXTS = [
    "Shipped the **rewrite** after [three months](https://example.com/a).\n\n- fewer pages\n"
    "- more sleep",
    "数据接入管道终于稳定了，值班的同事可以睡个好觉。\n\n*再也不用半夜起来了。*",
    "A short note with `code` and a [link](https://example.com/b).",
]


@functools.cache
def _html(text: str) -> str:
    return markdown.render(text)


def _md(obj, **texts: str):
    """Source and stored HTML together: these rows are bulk-inserted, bypassing save()."""
    for name, text in texts.items():
        setattr(obj, name, text)
        setattr(obj, f"{name}_html", _html(text))
    return obj


def _day(year: int, n: int) -> datetime.date:
    return datetime.date(year, 1 + n % 12, 1 + n % 28)


def _dated(year: int, n: int, anchor: str = START) -> dict:
    """A day, month, quarter or year in turn: every precision has its place on the pages."""
    date = PartialDate.of(_day(year, n), Precision.values[n % len(Precision.values)])
    return {"day": date.stored(anchor), "precision": date.precision}


@dataclass
class Account:
    """An owner's data that grows in place: the objects named by URLs stay the same."""

    owner: object
    rows: dict[int, int] = field(default_factory=dict)  # year -> rows of each kind so far
    first: dict[str, object] = field(default_factory=dict)
    token: str = ""

    def grow(self, years: list[int], per_kind: int) -> None:
        for year in years:
            have = self.rows.get(year, 0)
            if have < per_kind:
                self._add_year(year, range(have, per_kind))
                self.rows[year] = per_kind
        self._add_extras(per_kind)
        self._write_documents()

    def _add_year(self, year: int, numbers: range) -> None:
        owner = self.owner
        Review.objects.get_or_create(owner=owner, year=year)
        texts = itertools.cycle(TEXTS)
        entries = [
            _md(
                Entry(
                    owner=owner,
                    title=f"Entry {year}-{n}",
                    started_on=_dated(year, n)["day"],
                    started_precision=_dated(year, n)["precision"],
                ),
                body=next(texts),
            )
            for n in numbers
        ]
        moves = [
            _md(
                CareerMove(
                    owner=owner,
                    date=_dated(year, n)["day"],
                    date_precision=_dated(year, n)["precision"],
                    kind=CareerMove.Kind.values[n % len(CareerMove.Kind.values)],
                    organization=f"Org {n}",
                ),
                note=next(texts),
            )
            for n in numbers
        ]
        items = [
            _md(
                Item(
                    owner=owner,
                    title=f"Item {year}-{n}",
                    kind=Item.Kind.values[n % len(Item.Kind.values)],
                    status=Item.Status.FINISHED if n % 5 else Item.Status.READING,
                    finished_on=_dated(year, n, END)["day"] if n % 5 else None,
                    finished_precision=_dated(year, n)["precision"],
                    recommended=n % 7 == 0,
                    rating=1 + n % 5,
                ),
                notes=next(texts),
            )
            for n in numbers
        ]
        goals = [
            _md(
                Goal(
                    owner=owner,
                    year=year,
                    title=f"Goal {year}-{n}",
                    status=Goal.Status.values[n % len(Goal.Status.values)],
                    metric_kind=Item.Kind.BOOK if n % 3 == 0 else "",
                    metric_target=10 if n % 3 == 0 else None,
                ),
                description=next(texts),
                outcome=next(texts),
            )
            for n in numbers
        ]
        # A count recorded for the year, public and private: every count reads them.
        if numbers.start == 0:
            Tally.objects.bulk_create(
                [
                    Tally(owner=owner, year=year, kind=Item.Kind.PAPER, count=30, note="notes"),
                    Tally(owner=owner, year=year, kind=Item.Kind.ARTICLE, count=9, private=True),
                ]
            )
        entries = Entry.objects.bulk_create(entries)
        CareerMove.objects.bulk_create(moves)
        Item.objects.bulk_create(items)
        Goal.objects.bulk_create(goals)
        Photo.objects.bulk_create(
            Photo(
                owner=owner,
                entry=entry,
                image=f"photos/{entry.pk}.jpg",
                thumbnail=f"photos/{entry.pk}-thumb.jpg",
                width=800,
                height=600,
                caption=f"Photo of {entry.title}",
            )
            for entry in entries
        )
        Photo.objects.bulk_create(  # photos placed straight into the document
            Photo(
                owner=owner,
                year=year,
                image=f"photos/{year}-{n}.jpg",
                thumbnail=f"photos/{year}-{n}-thumb.jpg",
                width=800,
                height=600,
                caption=f"Photo {n}",
            )  # fmt: skip
            for n in numbers
        )

    def _write_documents(self) -> None:
        """Each year's document: the template, then an embed of every row of the year."""
        for review in Review.objects.filter(owner=self.owner):
            year = review.year
            lines = [compose(year, "en", {"intro": TEXTS[0], "closing": TEXTS[1]})]
            lines += ["[[compare paper]]", "[[compare goals]]", "[[library kind=paper]]"]
            for kind, model in EMBEDDED.items():
                if kind == "photo":
                    rows = model.objects.filter(owner=self.owner, year=year)
                else:
                    rows = rows_registry.get(kind).in_year(
                        model.objects.filter(owner=self.owner), year
                    )
                lines += [f"[[{kind}:{key}]]" for key in rows.values_list("key", flat=True)]
            review.document = "\n\n".join(lines)
            review.document_html = document.render_html(review.document)
            review.save(update_fields=["document", "document_html"])

    def _add_extras(self, per_kind: int) -> None:
        """Carried-over goals, revisions of each text, share links: as many as rows."""
        owner = self.owner
        if not self.first:
            self.first = {
                "review": Review.objects.get(owner=owner, year=YEAR),
                "entry": Entry.objects.filter(owner=owner).earliest("id"),
                "move": CareerMove.objects.filter(owner=owner).earliest("id"),
                "item": Item.objects.filter(owner=owner).earliest("id"),
                "goal": Goal.objects.filter(owner=owner).earliest("id"),
            }
            _, self.token = ShareLink.create_for(self.first["review"])
        for year in sorted(self.rows)[1:]:
            previous = Goal.objects.filter(owner=owner, year=year - 1, carried_to__isnull=True)
            later = Goal.objects.filter(owner=owner, year=year, carried_from__isnull=True)
            pairs = list(zip(previous.order_by("id")[:5], later.order_by("id")[:5], strict=False))
            for old, new in pairs:
                new.carried_from = old
            Goal.objects.bulk_update([new for _, new in pairs], ["carried_from"])
        for kind, field_name in TEXT_FIELDS.items():
            obj = self.first[kind]
            content_type = ContentType.objects.get_for_model(type(obj))
            have = Revision.objects.filter(content_type=content_type, object_id=obj.pk).count()
            Revision.objects.bulk_create(
                Revision(
                    owner=owner,
                    content_type=content_type,
                    object_id=obj.pk,
                    field=field_name,
                    text=f"version {version}",
                    version=version,
                )
                for version in range(have + 1, per_kind + 1)
            )
        have = ShareLink.objects.filter(owner=owner).count()
        for _ in range(have, per_kind):
            ShareLink.create_for(self.first["review"])

    def revision(self, kind: str) -> int:
        obj = self.first[kind]
        return Revision.objects.filter(object_id=obj.pk, field=TEXT_FIELDS[kind]).earliest("id").pk


PARAMS = [
    pytest.param(
        page,
        id=page.name,
        marks=[pytest.mark.xfail(strict=True, reason=page.over_budget)]
        if page.over_budget
        else [],
    )
    for page in PAGES
]


@pytest.mark.parametrize("page", PARAMS)
def test_page_runs_a_fixed_number_of_queries(
    page: Page, alice, bob, django_assert_max_num_queries
):
    grown = Account(bob if page.measured_account == "other" else alice)
    grown.grow(SMALL_YEARS, SMALL_ROWS)
    url = page.url(grown)
    client = Client()
    if not page.anonymous:
        client.force_login(alice)
    headers = {"HX-Request": "true"} if page.htmx else {}

    def get():
        return client.get(url, headers=headers)

    def miss():
        # Measured as a cache miss (the first view after a write): the page is built.
        pagecache.bump_many([alice.pk, bob.pk])

    assert get().status_code == page.status  # warm-up: per-process caches (content types)
    miss()
    with django_assert_max_num_queries(BUDGET) as small:
        assert get().status_code == page.status
    grown.grow(LARGE_YEARS, LARGE_ROWS)
    miss()
    with django_assert_max_num_queries(BUDGET) as large:
        response = get()
    assert response.status_code == page.status

    small_sql = [q["sql"] for q in small.captured_queries]
    large_sql = [q["sql"] for q in large.captured_queries]
    assert len(large_sql) == len(small_sql), "\n".join(
        ["small account:", *small_sql, "", "large account:", *large_sql]
    )


def test_the_large_account_really_is_larger(alice):
    """Guards the test above: growing adds rows to the year the pages show."""
    account = Account(alice)
    account.grow(SMALL_YEARS, SMALL_ROWS)
    small = Entry.objects.filter(owner=alice, started_on__year=YEAR).count()
    account.grow(LARGE_YEARS, LARGE_ROWS)

    assert small == SMALL_ROWS
    assert Entry.objects.filter(owner=alice, started_on__year=YEAR).count() == LARGE_ROWS
    photos = Photo.objects.filter(owner=alice, entry__isnull=False)
    assert photos.count() == LARGE_ROWS * len(LARGE_YEARS)
    review = Review.objects.get(owner=alice, year=YEAR)
    assert review.document.count("[[entry:") == LARGE_ROWS  # as many embeds as rows
    assert Goal.objects.filter(owner=alice, carried_from__isnull=False).exists()
    assert ShareLink.objects.filter(owner=alice).count() == LARGE_ROWS
