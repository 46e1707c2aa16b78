"""The owner's pages: home, the year page, starting a year."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from core.htmx import HtmxHttpRequest
from reviews import services
from reviews.models import MAX_YEAR, MIN_YEAR, Review


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("No such year")


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    years = services.years_with_data(request.user)
    if years:
        return redirect("reviews:year", year=years[0])
    return render(request, "reviews/first_run.html", {"this_year": datetime.date.today().year})


@require_GET
def year(request: HtmxHttpRequest, year: int) -> HttpResponse:
    _check_year(year)
    page = services.year_page(request.user, year)
    return render(request, "reviews/year.html", {"page": page, "year": year})


@require_POST
def start(request: HtmxHttpRequest) -> HttpResponse:
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        raise Http404("No such year") from None
    _check_year(year)
    Review.objects.get_or_create(owner=request.user, year=year)
    return redirect("reviews:year", year=year)
