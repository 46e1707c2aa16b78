"""Where a row sits on the year page, so an edit can move it without a reload.

Each kind of row lives in one list on the page (a quarter, the career list,
a reading kind, this year's or next year's goals), as its kind declares
(core.rows). After a save the row is removed from where it was and
inserted after its new predecessor, with an out-of-band swap computed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Q, When

from core import rows
from core.dates import Precision
from core.rows import row_id

__all__ = ["Placement", "place", "row_id"]


@dataclass
class Placement:
    list_id: str | None  # None: the row is not on this year's page
    after_id: str | None  # the row it follows, or None to go first
    section: str  # the HX-Trigger event for parts that depend on the section


def place(obj, year: int) -> Placement:
    kind = rows.of(obj)
    list_id = kind.list_id(obj, year)
    if list_id is None:
        return Placement(None, None, kind.section)
    same_list = {name: getattr(obj, name) for name in kind.list_fields}
    rows_of_year = kind.in_year(kind.model.objects.filter(owner=obj.owner), kind.year_of(obj))
    precision = _precision_field(obj, kind.order_field)
    if precision:
        before = _first_before_by_precision(rows_of_year.filter(**same_list), obj, kind, precision)
    else:
        before = _first_before(rows_of_year.filter(**same_list), obj, kind.order_field)
    # Lists split by date (quarters) follow the order: the row just before is
    # either in the same list or the row goes first.
    if before is not None and kind.list_id(before, year) != list_id:
        before = None
    return Placement(list_id, before and row_id(before), kind.section)


def _precision_field(obj, field: str) -> str | None:
    """The precision column of the date a kind orders its lists by.

    The year page puts a year-only date after the known months of its year, as
    ``PartialDate.sort_key`` does: entries, moves and items alike.
    """
    return next((d.precision_field for d in getattr(obj, "dates", ()) if d.field == field), None)


def _first_before_by_precision(queryset, obj, kind, precision: str):
    """``_first_before`` by (year-only, date, id) within the row's year, as the page orders."""
    field = kind.order_field
    value, pk = getattr(obj, field), obj.pk
    if getattr(obj, precision) == Precision.YEAR:
        # After every known date of the year, and after the year-only rows made before it.
        earlier = ~Q(**{precision: Precision.YEAR}) | Q(id__lt=pk)
    else:
        earlier = ~Q(**{precision: Precision.YEAR}) & (
            Q(**{f"{field}__lt": value}) | Q(**{field: value, "id__lt": pk})
        )
    year_only = Case(When(**{precision: Precision.YEAR}, then=1), default=0)
    return (
        queryset.exclude(pk=pk)
        .filter(earlier)
        .order_by(year_only.desc(), f"-{field}", "-id")
        .first()
    )


def _first_before(queryset, obj, field: str):
    """The row ordered just before ``obj`` by (field, id) in ``queryset`` (one query)."""
    value = getattr(obj, field)
    earlier = Q(**{f"{field}__lt": value}) | Q(**{field: value, "id__lt": obj.pk})
    return queryset.exclude(pk=obj.pk).filter(earlier).order_by(f"-{field}", "-id").first()
