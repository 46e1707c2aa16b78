"""The registry of row kinds: what a kind of row is, declared once.

Each content app declares its kinds in its own ``rows.py`` (loaded by its
``AppConfig.ready``): the model, the form that edits it, the template
partial that shows it as a row, the field that decides its year and its
long texts. Editing, autosaved texts, placement on the year page, the
trash, the pages and compare read the declaration instead of keeping a
table of their own, so adding a kind of row is one declaration plus its
templates.

Core knows no app: the apps register into it, and the page that shows a
year (which lives above the content apps) registers how to link to it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from core.dates import year_bounds


@dataclass(frozen=True)
class RowKind:
    """One kind of row the owner writes: an entry, a career move, an item, a goal."""

    name: str  # in URLs (``/edit/entry/3/``) and element ids
    model: type[models.Model]
    form: type  # the ModelForm that adds and edits it
    template: str  # the row partial, ``"timeline/_entry.html#entry-row"``
    year_field: str  # a date (its year counts) or an integer year
    section: str  # the client event fired when a row of this kind changes
    # The year-page list a row sits in when that page shows ``year``, or None.
    list_id: Callable[[models.Model, int], str | None]
    # Fields whose values rows of one list share (items: one list per kind).
    list_fields: tuple[str, ...] = ()
    # Adds what a row shows beyond its fields (a goal's progress) to freshly read rows.
    prepare: Callable[[list], None] | None = None
    # Where the page listing rows of this kind across all years shows a row
    # (``/library/?year=none#item-3``), and the partial that shows it there;
    # a row edited on that page is re-rendered with it where it was.
    list_url: Callable[[models.Model], str] | None = None
    list_template: str | None = None

    @property
    def texts(self) -> tuple[str, ...]:
        """The long texts, saved by the autosaving editor with versions and history."""
        return tuple(getattr(self.model, "markdown_fields", ()))

    def year_of(self, obj) -> int | None:
        """The year a row belongs to (None: an item not finished yet)."""
        value = getattr(obj, self.year_field)
        if isinstance(value, datetime.date):
            return value.year
        return value

    def in_year(self, queryset: models.QuerySet, year: int) -> models.QuerySet:
        """Rows of ``year``, by a range on the column so an index serves it."""
        return self.in_years(queryset, [year])

    def in_years(self, queryset: models.QuerySet, years: Iterable[int]) -> models.QuerySet:
        """Rows of any of ``years`` (none for no years)."""
        years = sorted(set(years))
        if not self.is_dated:
            return queryset.filter(**{f"{self.year_field}__in": years})
        if not years:
            return queryset.none()
        field = f"{self.year_field}__range"
        return queryset.filter(reduce(or_, (Q(**{field: year_bounds(y)}) for y in years)))

    @property
    def order_field(self) -> str:
        """Rows of one list are ordered by their date, then id (goals by id alone)."""
        return self.year_field if self.is_dated else "id"

    @property
    def is_dated(self) -> bool:
        return isinstance(self.model._meta.get_field(self.year_field), models.DateField)


_kinds: dict[str, RowKind] = {}
_by_model: dict[type[models.Model], RowKind] = {}


def register(kind: RowKind) -> RowKind:
    if kind.name in _kinds and _kinds[kind.name].model is not kind.model:
        raise ValueError(f"two row kinds named {kind.name!r}")
    _kinds[kind.name] = kind
    _by_model[kind.model] = kind
    return kind


def get(name: str) -> RowKind:
    """The kind named ``name``; ``KeyError`` for a name nobody declared."""
    return _kinds[name]


def of(obj_or_model) -> RowKind:
    """The kind of a row (or of a model class)."""
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return _by_model[model]


def all_kinds() -> list[RowKind]:
    return list(_kinds.values())


def row_id(obj) -> str:
    """The element id of a row on a page: ``entry-3``."""
    return f"{type(obj).__name__.lower()}-{obj.pk}"


# How to link to the page of a year; set by the app that serves that page.
_year_url: Callable[[int], str] | None = None


def set_year_url(build: Callable[[int], str]) -> None:
    global _year_url
    _year_url = build


def year_url(year: int) -> str:
    if _year_url is None:
        raise RuntimeError("no app serves the year page")
    return _year_url(year)


def url_of(obj) -> str | None:
    """Where a row is shown: its year's page at the row, or None if it has no year yet."""
    year = of(obj).year_of(obj)
    if year is None:
        return None
    return f"{year_url(year)}#{row_id(obj)}"


# The Edit and Delete controls of a row on an editable page; set by the app that
# edits rows (it owns those URLs), read by the row templates of the apps below.
_row_actions: Callable[..., str] | None = None


def set_row_actions(build: Callable[..., str]) -> None:
    global _row_actions
    _row_actions = build


def row_actions(context, kind: str, obj, *, on_list: bool = False) -> str:
    """Edit and Delete for a row; ``on_list``: on its kind's all-years page."""
    return _row_actions(context, kind, obj, on_list=on_list) if _row_actions else ""
