"""Template tags for the year page's editors."""

from __future__ import annotations

import functools

from django import template
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core import rows
from reviews import actions
from reviews.texts import kind_name

register = template.Library()


@register.simple_tag(takes_context=True)
def text_editor(context, obj, field: str, year) -> str:
    """The autosaving editor of ``obj.<field>``."""
    from reviews.text_views import editor_context

    kind = kind_name(obj)
    return render_to_string(
        "reviews/text.html#editor",
        editor_context(obj, kind, field, year),
        request=context.get("request"),
    )


@register.simple_tag(takes_context=True)
def text_block(context, obj, field: str, year) -> str:
    """A long text as the page shows it, with an Edit button that opens its editor."""
    from reviews.text_views import editor_context

    kind = kind_name(obj)
    return render_to_string(
        "reviews/text.html#text-view",
        editor_context(obj, kind, field, year),
        request=context.get("request"),
    )


@functools.cache
def _row_url_patterns() -> tuple[str, str]:
    """The edit and delete URLs with placeholders, reversed once per process."""
    edit = reverse("reviews:row-edit", args=["KIND", 424242])
    delete = reverse("reviews:row-delete", args=["KIND", 424242])
    return edit, delete


def row_actions(context, kind: str, obj, *, on_list: bool = False) -> str:
    """Edit and Delete for one row of the year page (the row templates' ``{% row_actions %}``).

    On an all-years page (``on_list``) the controls name that page instead of
    a year, so the row is edited, saved and deleted where it is listed.
    Built in Python rather than with an include and four ``{% url %}`` tags:
    a long year has hundreds of rows and this was a third of its render time.
    """
    edit, delete = (
        url.replace("KIND", kind).replace("424242", str(obj.pk)) for url in _row_url_patterns()
    )
    if on_list:
        year = rows.of(obj).year_of(obj) or ""
        query, extra = f"list=1&year={year}", '<input type="hidden" name="list" value="1">'
    else:
        year = context.get("year")
        query, extra = f"year={year}", ""
    # The context's token is masked once per request; get_token() would mask
    # anew for every row, and hundreds of random strings do not compress.
    token = context.get("csrf_token") or (
        get_token(context["request"]) if context.get("request") else ""
    )
    label = str(obj)
    return format_html(
        '<span class="row-actions">'
        '<a class="row-action" href="{edit}?{query}" hx-get="{edit}?{query}" '
        'hx-target="closest li" hx-swap="outerHTML">{edit_text}'
        '<span class="visually-hidden"> {label}</span></a>'
        '<form class="row-delete" method="post" action="{delete}" hx-post="{delete}" '
        'hx-target="closest li" hx-swap="outerHTML">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
        '<input type="hidden" name="year" value="{year}">{extra}'
        '<button type="submit" class="link-button row-action">{delete_text}'
        '<span class="visually-hidden"> {label}</span></button></form></span>',
        edit=edit,
        delete=delete,
        query=query,
        year=year,
        extra=mark_safe(extra),
        token=token,
        label=label,
        edit_text=_("Edit"),
        delete_text=_("Delete"),
    )


@register.simple_tag
def year_actions(year) -> list:
    """The links other apps add to the year page's tools (see reviews.actions)."""
    return actions.links_for(year)
