"""The timeline's kinds of row: entries and career moves (see core.rows)."""

from __future__ import annotations

from django.urls import reverse

from core import rows
from timeline.forms import CareerMoveForm, EntryForm
from timeline.models import CareerMove, Entry


def _entry_list(entry: Entry, year: int) -> str | None:
    return f"q{entry.quarter}-entries" if entry.started_on.year == year else None


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
