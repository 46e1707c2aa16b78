"""The document editor's palette: search what to insert (the dialog is in the editor)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.htmx import HtmxHttpRequest
from reviews import palette
from reviews.edit_views import _page_year


@require_GET
def search(request: HtmxHttpRequest) -> HttpResponse:
    """The choices matching ``q``, for the year the editor writes (``year``)."""
    year = _page_year(request)
    words = " ".join(request.GET.get("q", "")[:200].split())
    context = {
        "choices": palette.search(request.user, words),
        "new_rows": palette.new_rows(),
        "year": year,
        "words": words,
    }
    return render(request, "reviews/_palette.html#results", context)
