"""The timeline's kinds of row: entries and career moves (see core.rows)."""

from __future__ import annotations

from django.urls import reverse

from core import rows
from timeline.forms import CareerMoveForm, EntryForm
from timeline.models import CareerMove, Entry


def quarter_part(quarter: int | None) -> str:
    """The year page's name for a quarter's entries ('q2'), or for those known only by year."""
    return f"q{quarter}" if quarter else "whole-year"


def entries_list_id(quarter: int | None) -> str:
    return f"{quarter_part(quarter)}-entries"


def _entry_list(entry: Entry, year: int) -> str | None:
    return entries_list_id(entry.quarter) if entry.started_on.year == year else None


def _move_list(move: CareerMove, year: int) -> str | None:
    return "moves-list" if move.date.year == year else None


ENTRY = rows.register(
    rows.RowKind(
        name="entry",
        model=Entry,
        form=EntryForm,
        template="timeline/_entry.html#entry-row",
        year_field="started_on",
        section="timeline-changed",
        list_id=_entry_list,
    )
)
MOVE = rows.register(
    rows.RowKind(
        name="move",
        model=CareerMove,
        form=CareerMoveForm,
        template="timeline/_move.html#move-row",
        year_field="date",
        section="career-changed",
        list_id=_move_list,
        list_url=lambda move: f"{reverse('career:list')}#{rows.row_id(move)}",
        list_template="timeline/career.html#list-row",
    )
)
