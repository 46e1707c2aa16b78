"""/career/: every career move of the owner as a CV-like history, newest first."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from core.filters import FilterForm, fragment_requested
from core.htmx import HtmxHttpRequest
from timeline.models import CareerMove, MoveKind


class CareerFilter(FilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All moves")), *MoveKind.choices],
        error_messages={"invalid_choice": _("There is no kind “%(value)s”; showing every move.")},
    )


@require_GET
@vary_on_headers("HX-Request")
def career(request: HtmxHttpRequest) -> HttpResponse:
    """One query; a person has tens of moves, not thousands, so there is no paging."""
    form = CareerFilter(request.GET)
    moves = CareerMove.objects.for_owner(request.user).order_by("-date", "-id")
    if form.values.get("kind"):
        moves = moves.filter(kind=form.values["kind"])
    context = {"form": form, "moves": list(moves), "notices": form.notices}
    template = "timeline/career.html"
    if fragment_requested(request):
        template += "#results"
    return render(request, template, context)
