"""/goals/: every goal of the owner, by year, with each year's tally."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from core.filters import fragment_requested
from core.htmx import HtmxHttpRequest
from reviews.forms import GoalFilter
from reviews.models import Goal, GoalStatus


@dataclass
class GoalYear:
    year: int
    goals: list[Goal]
    total: int
    achieved: int
    partial: int


def goal_years(owner, status: str = "") -> list[GoalYear]:
    """Goals grouped by year, newest first, in two queries whatever the account's size.

    The tally counts every goal of the year, so filtering by status does not
    change "2 of 5 achieved".
    """
    tallies = {
        row["year"]: row
        for row in Goal.objects.for_owner(owner)
        .values("year")
        .order_by("year")
        .annotate(
            total=Count("id"),
            achieved=Count("id", filter=Q(status=GoalStatus.ACHIEVED)),
            partial=Count("id", filter=Q(status=GoalStatus.PARTIAL)),
        )
    }
    goals = Goal.objects.for_owner(owner).select_related("carried_from").order_by("-year", "id")
    if status:
        goals = goals.filter(status=status)
    years: list[GoalYear] = []
    for goal in goals:
        if not years or years[-1].year != goal.year:
            tally = tallies.get(goal.year, {})
            years.append(
                GoalYear(
                    year=goal.year,
                    goals=[],
                    total=tally.get("total", 0),
                    achieved=tally.get("achieved", 0),
                    partial=tally.get("partial", 0),
                )
            )
        years[-1].goals.append(goal)
    return years


@require_GET
@vary_on_headers("HX-Request")
def goals(request: HtmxHttpRequest) -> HttpResponse:
    form = GoalFilter(request.GET)
    years = goal_years(request.user, form.values.get("status", ""))
    context = {
        "form": form,
        "years": years,
        "count": sum(len(year.goals) for year in years),
        "notices": form.notices,
    }
    template = "reviews/goals.html"
    if fragment_requested(request):
        template += "#results"
    return render(request, template, context)
