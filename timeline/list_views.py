"""/career/: every career move of the owner as a CV-like history, newest first."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from core.filters import fragment_requested
from core.htmx import HtmxHttpRequest
from timeline.forms import CareerFilter
from timeline.models import CareerMove


@require_GET
@vary_on_headers("HX-Request")
def career(request: HtmxHttpRequest) -> HttpResponse:
    """One query; a person has tens of moves, not thousands, so there is no paging."""
    form = CareerFilter(request.GET)
    moves = CareerMove.objects.for_owner(request.user).order_by("-date", "-id")
    if form.values.get("kind"):
        moves = moves.filter(kind=form.values["kind"])
    # Within a year, a move known only by its year comes after those of known months.
    moves = sorted(moves, key=lambda move: move.when.newest_first_key())
    context = {"form": form, "moves": moves, "notices": form.notices}
    template = "timeline/career.html"
    if fragment_requested(request):
        template += "#results"
    return render(request, template, context)
