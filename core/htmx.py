"""HTMX helpers shared by the apps, and the server's half of the htmx convention.

The convention (declared once, in ``templates/base.html``'s htmx config): a
refused form answers 422 with the form and its errors, a conflict 409; htmx
swaps both where the form is. A history restore asks for the whole page, and
every answer varies on ``HX-Request`` so a browser never shows a cached
fragment as a page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def wants_fragment(request: HtmxHttpRequest) -> bool:
    """htmx asked for part of a page (a history restore always gets the whole page)."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def template_for(request: HtmxHttpRequest, template: str, partial: str) -> str:
    """The page's template, or only its partial when htmx asked for it."""
    return f"{template}#{partial}" if wants_fragment(request) else template


class VaryOnHtmxMiddleware:
    """The same address answers a page or a fragment: caches must keep them apart."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        return response
