"""HTMX helpers shared by the apps."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def template_for(request: HtmxHttpRequest, template: str, partial: str) -> str:
    """The page's template, or only its partial when htmx asked for it."""
    return f"{template}#{partial}" if request.htmx else template
