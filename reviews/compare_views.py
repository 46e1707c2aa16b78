"""The compare page, and the goal actions it offers: carry over, confirm a suggestion."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import pagecache
from core.dates import MAX_YEAR, MIN_YEAR, is_valid_year
from core.htmx import HtmxHttpRequest, template_for
from core.owner import get_owned
from reviews import charts, services
from reviews.compare import (
    CarryRefused,
    attach_progress,
    carry_over,
    compare_years,
    default_other_year,
    metric_progress,
    suggested_status,
)
from reviews.models import Goal


def _other_year(year: int, asked: str | None) -> tuple[int, str]:
    """The year to compare with, and a message for the user when ``?with=`` was unusable."""
    fallback = default_other_year(year)
    if asked is None or not asked.strip():
        return fallback, ""
    try:
        other = int(asked)
    except ValueError:
        other = None
    if other is None or not is_valid_year(other):
        return fallback, _(
            "“%(asked)s” is not a year between %(min)s and %(max)s; showing %(fallback)s instead."
        ) % {"asked": asked[:20], "min": MIN_YEAR, "max": MAX_YEAR, "fallback": fallback}
    if other == year:
        return fallback, _(
            "Choose a year other than %(year)s to compare with; showing %(fallback)s instead."
        ) % {"year": year, "fallback": fallback}
    return other, ""


@require_GET
def compare(request: HtmxHttpRequest, year: int) -> HttpResponse:
    return pagecache.cached_page(request, request.user.pk, lambda: _compare(request, year))


def _compare(request: HtmxHttpRequest, year: int) -> HttpResponse:
    other, problem = _other_year(year, request.GET.get("with"))
    comparison = compare_years(request.user, year, other)
    years = [y for y in services.years_with_data(request.user, goals=False) if y != year]
    if other not in years:
        years = sorted([*years, other], reverse=True)
    context = {
        "year": year,
        "other": other,
        "cmp": comparison,
        "problem": problem,
        "years": years,
        "reading_chart": charts.reading_chart(comparison.reading_by_year),
        "goals_chart": charts.goals_chart(comparison.goals_by_year),
    }
    template = template_for(request, "reviews/compare.html", "comparison")
    return render(request, template, context, status=400 if problem else 200)


def _goal_fragment(request, template: str, goal: Goal, note: str, level: str) -> HttpResponse:
    return render(request, template, {"goal": goal, "note": note, "note_level": level})


@require_POST
def goal_carry(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Carry an open or in-progress goal over to the next year (once)."""
    goal = get_owned(Goal, request.user, pk=pk)
    try:
        copy, created = carry_over(goal)
    except CarryRefused as refused:
        note, level = str(refused), "error"
    else:
        if created:
            note, level = _("Carried over to %(year)s.") % {"year": copy.year}, "success"
        else:
            note, level = _("Already carried over to %(year)s.") % {"year": copy.year}, "info"
    if request.htmx:
        return _goal_fragment(request, "reviews/_goal_carry.html", goal, note, level)
    getattr(messages, level)(request, note)
    return redirect("reviews:year", year=goal.year)


@require_POST
def goal_confirm(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Set the status the library suggests for a measured goal whose year is over."""
    goal = get_owned(Goal, request.user, pk=pk)
    today = timezone.localdate()
    progress = metric_progress(request.user, [goal])
    suggestion = suggested_status(goal, progress.get(goal.pk, 0), today)
    seen = request.POST.get("status", "")
    if suggestion is None:
        note, level = _("There is no suggestion to confirm for this goal."), "error"
    elif seen and seen != suggestion:
        note, level = _("The numbers changed since the page was shown; check again."), "error"
    else:
        goal.status = suggestion
        goal.save(update_fields=["status", "updated"])
        note = _("Marked as %(status)s.") % {"status": goal.get_status_display().lower()}
        level = "success"
    if request.htmx:
        attach_progress([goal], progress, today)
        return _goal_fragment(request, "reviews/_goal_progress.html", goal, note, level)
    getattr(messages, level)(request, note)
    return redirect("reviews:year", year=goal.year)
