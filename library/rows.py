"""The library's kind of row: an item read or studied (see core.rows)."""

from __future__ import annotations

from core import rows
from library.forms import ItemForm
from library.models import Item


def _item_list(item: Item, year: int) -> str | None:
    return f"kind-{item.kind}-items" if item.year == year else None


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
    )
)
