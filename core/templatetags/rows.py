"""Links to where rows are shown and the controls that edit them, for the row
templates of the apps below the year page (which registers both)."""

from __future__ import annotations

from django import template

from core import rows

register = template.Library()


@register.filter
def year_url(year: int) -> str:
    """The page of ``year``, served by whichever app registered it."""
    return rows.year_url(int(year))


@register.simple_tag(takes_context=True)
def row_actions(context, kind: str, obj, on_list: bool = False) -> str:
    """Edit and Delete for one row of an editable page (``on_list``: an all-years page)."""
    return rows.row_actions(context, kind, obj, on_list=on_list)
