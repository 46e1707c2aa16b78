"""Small factory functions: each makes one row with sensible defaults."""

from __future__ import annotations

import datetime
import itertools

from library.models import Item, Tally
from reviews.models import Goal, Review
from timeline.models import CareerMove, Entry

_seq = itertools.count(1)


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def review(owner, year: int = 2020, **fields) -> Review:
    return Review.objects.create(owner=owner, year=year, **fields)


def entry(owner, started_on: str = "2020-03-01", ended_on: str | None = None, **fields) -> Entry:
    fields.setdefault("title", f"Entry {next(_seq)}")
    return Entry.objects.create(
        owner=owner,
        started_on=d(started_on),
        ended_on=d(ended_on) if ended_on else None,
        **fields,
    )


def move(owner, date: str = "2020-05-01", **fields) -> CareerMove:
    fields.setdefault("kind", CareerMove.Kind.JOINED)
    fields.setdefault("organization", f"Org {next(_seq)}")
    return CareerMove.objects.create(owner=owner, date=d(date), **fields)


def item(owner, finished_on: str | None = "2020-06-01", **fields) -> Item:
    fields.setdefault("title", f"Item {next(_seq)}")
    fields.setdefault("kind", Item.Kind.BOOK)
    fields.setdefault("status", Item.Status.FINISHED if finished_on else Item.Status.WANT)
    return Item.objects.create(
        owner=owner, finished_on=d(finished_on) if finished_on else None, **fields
    )


def goal(owner, year: int = 2020, **fields) -> Goal:
    fields.setdefault("title", f"Goal {next(_seq)}")
    return Goal.objects.create(owner=owner, year=year, **fields)


def tally(
    owner, year: int = 2020, kind: str = Item.Kind.PAPER, count: int = 30, **fields
) -> Tally:
    return Tally.objects.create(owner=owner, year=year, kind=kind, count=count, **fields)
