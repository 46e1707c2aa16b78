"""Template tags for the year page's editors."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string

from reviews.texts import KIND_OF_MODEL

register = template.Library()


@register.simple_tag(takes_context=True)
def text_editor(context, obj, field: str, year) -> str:
    """The autosaving editor of ``obj.<field>``."""
    from reviews.text_views import editor_context

    kind = KIND_OF_MODEL[type(obj)]
    return render_to_string(
        "reviews/text.html#editor",
        editor_context(obj, kind, field, year),
        request=context.get("request"),
    )


@register.simple_tag(takes_context=True)
def text_block(context, obj, field: str, year) -> str:
    """A long text as the page shows it, with an Edit button that opens its editor."""
    from reviews.text_views import editor_context

    kind = KIND_OF_MODEL[type(obj)]
    return render_to_string(
        "reviews/text.html#text-view",
        editor_context(obj, kind, field, year),
        request=context.get("request"),
    )


@register.simple_tag
def guided_prompts(review, answered_only: bool = False) -> list:
    """The guided review's prompts with the review's answers: (prompt, text, html)."""
    from reviews.prompts import PROMPTS

    items = []
    for prompt in PROMPTS:
        text = getattr(review, prompt.field, "") if review else ""
        if answered_only and not text.strip():
            continue
        items.append((prompt, text, getattr(review, f"{prompt.field}_html", "") if review else ""))
    return items
