"""The library's kinds of row: an item read or studied, a count of a kind (see core.rows)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse

from core import rows
from library.forms import NO_DATE, ItemForm, TallyForm
from library.models import Item, Tally


def _item_list(item: Item, year: int) -> str | None:
    return f"kind-{item.kind}-items" if item.year == year else None


def _item_on_list(item: Item) -> str:
    # The list pages by 50, unfinished items last: filter by year to land on it.
    year = item.year or NO_DATE
    return f"{reverse('library:list')}?{urlencode({'year': year})}#{rows.row_id(item)}"


ITEM = rows.register(
    rows.RowKind(
        name="item",
        model=Item,
        form=ItemForm,
        template="library/_item.html#item-row",
        year_field="finished_on",
        section="reading-changed",
        list_id=_item_list,
        list_fields=("kind",),
        list_url=_item_on_list,
        list_template="library/list.html#list-row",
    )
)


def _tally_list(tally: Tally, year: int) -> str | None:
    return "tallies-list" if tally.year == year else None


TALLY = rows.register(
    rows.RowKind(
        name="tally",
        model=Tally,
        form=TallyForm,
        template="library/_tally.html#tally-row",
        year_field="year",
        section="reading-changed",
        list_id=_tally_list,
    )
)
