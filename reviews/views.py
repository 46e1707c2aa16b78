"""The owner's pages: home, the year page, starting a year."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.dates import MAX_YEAR, MIN_YEAR, is_valid_year
from core.htmx import HtmxHttpRequest
from reviews import compare, services, texts
from reviews.forms import ReviewForm
from reviews.models import Review, Trash


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    years = services.years_with_data(request.user)
    if years:
        return redirect("reviews:year", year=years[0])
    return render(request, "reviews/first_run.html", {"this_year": datetime.date.today().year})


@require_GET
def year(request: HtmxHttpRequest, year: int) -> HttpResponse:
    page = services.year_page(request.user, year, expand=bool(request.GET.get("all")))
    # One count of finished items for last year, this year and next year feeds
    # both the strip and the progress of measured goals.
    reading = compare.finished_counts(request.user, range(max(year - 1, MIN_YEAR), year + 2))
    goals = page.goals + page.next_goals
    progress = compare.progress_from_counts(goals, reading)
    compare.attach_progress(goals, progress, timezone.localdate())
    strip = compare.strip_numbers(request.user, year, reading)
    context = {"page": page, "year": year, "strip": strip}
    context["strip_template"] = "reviews/_year_strip.html"
    if request.GET.get("new"):  # just started: the new-year welcome and open prompts
        context["open_prompts"] = True
        context["welcome"] = services.new_year_welcome(page)
    undo_pk = request.session.pop("undo", None)
    if undo_pk:  # a delete made without JavaScript: offer its undo once
        context["undo"] = Trash.objects.filter(owner=request.user, pk=undo_pk).first()
    return render(request, "reviews/year.html", context)


@require_http_methods(["GET", "POST"])
def review_settings(request: HtmxHttpRequest, year: int) -> HttpResponse:
    """Title, author name, language and license of a year's review."""
    review = Review.objects.filter(owner=request.user, year=year).first() or Review(
        owner=request.user, year=year, language=Review.language_for_interface()
    )  # saved on the first valid POST, never by merely looking
    form = ReviewForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        if review.pk is None:
            form.save()
        else:
            _save_settings(review, form)
        if not request.htmx:
            return redirect("reviews:year", year=year)
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    template = "reviews/settings.html#settings-form" if request.htmx else "reviews/settings.html"
    return render(request, template, {"form": form, "year": year, "review": review})


def _save_settings(review: Review, form: ReviewForm) -> None:
    """Only what the form edits, onto the review as it is now.

    Its texts may have been autosaved since ``review`` was read; the title,
    a versioned text too, is saved through its versioned path so that an
    editor open on it learns of the change instead of overwriting it.
    """
    with transaction.atomic():
        current = review.save_fields(name for name in form.fields if name != "title")
        if "title" in form.changed_data:
            title = form.cleaned_data["title"]
            texts.save_text(current, "title", title, current.text_version("title"), fold=False)


@require_GET
def years(request: HtmxHttpRequest) -> HttpResponse:
    """Every year with data, and a form to start any year."""
    context = {
        "years": services.years_with_data(request.user),
        "this_year": datetime.date.today().year,
        "min_year": MIN_YEAR,
        "max_year": MAX_YEAR,
    }
    return render(request, "reviews/years.html", context)


@require_POST
def start(request: HtmxHttpRequest) -> HttpResponse:
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        raise Http404("No such year") from None
    if not is_valid_year(year):
        raise Http404("No such year")
    _, created = Review.objects.get_or_create(
        owner=request.user, year=year, defaults={"language": Review.language_for_interface()}
    )
    url = reverse("reviews:year", args=[year])
    return redirect(f"{url}?new=1" if created else url)


@require_GET
def year_part(request: HtmxHttpRequest, year: int, part: str) -> HttpResponse:
    """One part of the year page: reading counts after a change, or every row of
    a long quarter (``q1``…``q4``) or reading kind (``kind-book``…) on "Show all"."""
    page = services.year_page(request.user, year, expand=True)
    context = {"page": page, "year": year, "editable": True}
    if part == "reading-counts":
        return render(request, "reviews/year/_reading.html#reading-counts", context)
    quarters = {quarter.part: quarter for quarter in page.quarters}
    groups = {group.part: group for group in page.reading_all}
    if part in quarters:
        context["quarter"] = quarters[part]
        response = render(request, "reviews/year/_timeline.html#quarter-rows", context)
    elif part in groups:
        context["group"] = groups[part]
        response = render(request, "reviews/year/_reading.html#kind-rows", context)
    else:
        raise Http404("No such part")
    # The "Show all" link has done its work.
    response.write(f'<p id="{part}-more" hx-swap-oob="delete"></p>')
    return response
