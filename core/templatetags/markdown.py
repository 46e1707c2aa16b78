"""Template filters for user-written Markdown."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from core import markdown as md

register = template.Library()


@register.filter
def markdown(obj, field: str) -> str:
    """The stored, sanitized HTML of ``obj.<field>``: ``{{ entry|markdown:"body" }}``.

    Rendering happens on save; this only falls back to rendering when a row
    was written around ``save()`` (bulk inserts) and has no HTML yet.
    """
    html = getattr(obj, f"{field}_html", "")
    if not html and getattr(obj, field, ""):
        html = md.render(getattr(obj, field))
    return mark_safe(html)  # noqa: S308 - sanitized by core.markdown
