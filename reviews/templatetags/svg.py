"""Template filters for the inline SVG charts (templates/reviews/_charts.html)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def coord(number: float) -> str:
    """A coordinate with two decimals at most: '12', '80.5', '106.67'."""
    return f"{number:.2f}".rstrip("0").rstrip(".")
