"""Where a row sits on the year page, so an edit can move it without a reload.

Each kind of row lives in one list on the page (a quarter, the career list,
a reading kind, this year's or next year's goals). After a save the row is
removed from where it was and inserted after its new predecessor, with an
out-of-band swap computed here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from core.dates import QUARTER_MONTHS
from library.models import Item
from reviews.models import Goal
from timeline.models import CareerMove, Entry


@dataclass
class Placement:
    list_id: str | None  # None: the row is not on this year's page
    after_id: str | None  # the row it follows, or None to go first
    section: str  # the HX-Trigger event for parts that depend on the section


def row_id(obj) -> str:
    return f"{type(obj).__name__.lower()}-{obj.pk}"


def _first_before(queryset, obj, field: str):
    """The row ordered just before ``obj`` by (field, id) in ``queryset`` (one query)."""
    value = getattr(obj, field)
    earlier = Q(**{f"{field}__lt": value}) | Q(**{field: value, "id__lt": obj.pk})
    return queryset.exclude(pk=obj.pk).filter(earlier).order_by(f"-{field}", "-id").first()


def place(obj, year: int) -> Placement:
    if isinstance(obj, Entry):
        if obj.started_on.year != year:
            return Placement(None, None, "timeline-changed")
        first_month, last_month = QUARTER_MONTHS[obj.quarter]
        siblings = Entry.objects.filter(
            owner=obj.owner,
            started_on__gte=datetime.date(year, first_month, 1),
            started_on__lt=datetime.date(year + (last_month == 12), last_month % 12 + 1, 1),
        )
        before = _first_before(siblings, obj, "started_on")
        return Placement(f"q{obj.quarter}-entries", before and row_id(before), "timeline-changed")
    if isinstance(obj, CareerMove):
        if obj.date.year != year:
            return Placement(None, None, "career-changed")
        siblings = CareerMove.objects.filter(owner=obj.owner, date__year=year)
        before = _first_before(siblings, obj, "date")
        return Placement("moves-list", before and row_id(before), "career-changed")
    if isinstance(obj, Item):
        if obj.finished_on is None or obj.finished_on.year != year:
            return Placement(None, None, "reading-changed")
        siblings = Item.objects.filter(owner=obj.owner, kind=obj.kind, finished_on__year=year)
        before = _first_before(siblings, obj, "finished_on")
        return Placement(f"kind-{obj.kind}-items", before and row_id(before), "reading-changed")
    if isinstance(obj, Goal):
        if obj.year not in (year, year + 1):
            return Placement(None, None, "goals-changed")
        siblings = Goal.objects.filter(owner=obj.owner, year=obj.year)
        before = _first_before(siblings, obj, "id")
        list_id = "goals-list" if obj.year == year else "next-goals-list"
        return Placement(list_id, before and row_id(before), "goals-changed")
    raise TypeError(f"no placement for {type(obj).__name__}")
