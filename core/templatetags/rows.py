"""Links to where rows are shown, for templates of the apps below the year page."""

from __future__ import annotations

from django import template

from core import rows

register = template.Library()


@register.filter
def year_url(year: int) -> str:
    """The page of ``year``, served by whichever app registered it."""
    return rows.year_url(int(year))
