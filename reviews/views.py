"""The owner's pages: home, the year page, starting a year."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import pagecache
from core.dates import MAX_YEAR, MIN_YEAR, is_valid_year
from core.htmx import HtmxHttpRequest
from core.owner import get_owned
from reviews import compare, display, document, embeds, services, texts
from reviews.forms import ReviewForm
from reviews.models import Review, Trash

DOCUMENT = "reviews/year/_document.html"


@require_GET
def home(request: HtmxHttpRequest) -> HttpResponse:
    """The latest year written in; a year holding only goals set ahead when nothing is;
    else the first-run page, which starts any recent year."""
    year = services.latest_written_year(request.user)
    if year is None:
        years = services.years_with_data(request.user)
        year = years[0] if years else None
    if year is not None:
        return redirect("reviews:year", year=year)
    this_year = datetime.date.today().year
    context = {"this_year": this_year, "recent_years": range(this_year, this_year - 6, -1)}
    context |= {"min_year": MIN_YEAR, "max_year": MAX_YEAR}
    return render(request, "reviews/first_run.html", context)


@require_GET
def year(request: HtmxHttpRequest, year: int) -> HttpResponse:
    # A delete's undo is offered once, to this request only: that page is not kept.
    fresh = "undo" not in request.session
    return pagecache.cached_page(
        request, request.user.pk, lambda: _year(request, year), cacheable=fresh
    )


def _year(request: HtmxHttpRequest, year: int) -> HttpResponse:
    # One count of finished items for last year, this year and next year feeds
    # both the strip and the progress of measured goals; the same query reads the tallies.
    tallies: list = []
    years = range(max(year - 1, MIN_YEAR), year + 2)
    reading = compare.finished_counts(request.user, years, tallies_read=tallies)
    expand = bool(request.GET.get("all"))
    page = services.year_page(request.user, year, expand=expand, tallies=tallies)
    goals = page.goals + page.next_goals
    progress = compare.progress_from_counts(goals, reading)
    compare.attach_progress(goals, progress, timezone.localdate())
    # The page holds every goal of this year and the last: no query to count them.
    goal_counts = compare.count_goals([*page.goals, *page.previous_goals])
    strip = compare.strip_numbers(request.user, year, reading, goal_counts)
    # The counts just read serve the document's comparisons too.
    counts = {
        "reading": reading,
        "goals": {year: strip.goals_this, year - 1: strip.goals_previous},
    }
    shown = owner_document(page, request.user, counts)
    context = {"page": page, "year": year, "strip": strip, "document": shown}
    context["strip_template"] = "reviews/_year_strip.html"
    context["tray"] = display.tray(shown)
    if page.review:
        context["document_version"] = page.review.text_version("document")
    if request.GET.get("new"):  # just started: the new-year welcome
        context["welcome"] = services.new_year_welcome(page)
    undo_pk = request.session.pop("undo", None)
    if undo_pk:  # a delete made without JavaScript: offer its undo once
        context["undo"] = Trash.objects.filter(owner=request.user, pk=undo_pk).first()
    return render(request, "reviews/year.html", context)


def owner_document(page: services.YearPage, owner, counts: dict | None = None) -> embeds.Document:
    """The year's document for its owner; a year without a review shows the template."""
    review = page.review
    if review is not None:
        html, text = review.document_html, review.document
    else:
        text = document.compose(page.year, Review.language_for_interface())
        html = display.template_html(text)
    resolved = embeds.resolve(page, owner, html=html, text=text, counts=counts)
    return display.lay_out(resolved, page)


@require_http_methods(["GET", "POST"])
def review_settings(request: HtmxHttpRequest, year: int) -> HttpResponse:
    """Title, author name, language and license of a year's review."""
    review = Review.objects.filter(owner=request.user, year=year).first() or services.new_review(
        request.user, year
    )  # saved on the first valid POST, never by merely looking
    form = ReviewForm(request.POST or None, instance=review)
    if request.method == "POST" and form.is_valid():
        if review.pk is None:
            # The template speaks the language chosen in the form.
            review.document = document.compose(year, form.cleaned_data["language"])
            form.save()
        else:
            _save_settings(review, form)
        if not request.htmx:
            return redirect("reviews:year", year=year)
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    template = "reviews/settings.html#settings-form" if request.htmx else "reviews/settings.html"
    status = 422 if request.method == "POST" else 200  # refused: the form shows why
    return render(request, template, {"form": form, "year": year, "review": review}, status=status)


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
    created = False
    if not Review.objects.filter(owner=request.user, year=year).exists():
        try:
            with transaction.atomic():
                services.new_review(request.user, year).save()
            created = True
        except IntegrityError:  # started at the same moment in another tab
            pass
    url = reverse("reviews:year", args=[year])
    return redirect(f"{url}?new=1" if created else url)


@require_GET
def year_part(request: HtmxHttpRequest, year: int, part: str) -> HttpResponse:
    """One part of the year page: reading counts after a change, or every row of
    a long quarter (``q1``…``q4``) or reading kind (``kind-book``…) on "Show all"."""
    page = services.year_page(request.user, year, expand=True)
    context = {"page": page, "year": year, "editable": True, "counts_id": "reading-counts"}
    if part == "reading-counts":
        return render(request, f"{DOCUMENT}#reading-counts", context)
    quarters = {quarter.part: quarter for quarter in page.quarters}
    groups = {group.part: group for group in page.reading_all}
    if part in quarters:
        context["quarter"] = quarters[part]
        response = render(request, f"{DOCUMENT}#quarter-rows", context)
    elif part in groups:
        context["group"] = groups[part]
        response = render(request, f"{DOCUMENT}#kind-rows", context)
    else:
        raise Http404("No such part")
    response.write(render_to_string("reviews/year/_show_more.html#shown-all", {"part": part}))
    return response


@require_POST
def document_insert(request: HtmxHttpRequest, year: int) -> HttpResponse:
    """Append one row's embed line to the document (the tray's Insert), as a versioned save."""
    review = get_owned(Review, request.user, year=year)
    embed = document.parse_embed(request.POST.get("line", ""))
    if embed is None or not embed.is_row or embed.problem:
        return HttpResponse(_("This is not an embed of a row."), status=422)
    try:
        base = int(request.POST.get("version", ""))
    except ValueError:
        return HttpResponse(_("A version number is missing."), status=422)
    text = f"{review.document.rstrip()}\n\n{embed.line}\n".lstrip()
    result = texts.save_text(review, "document", text, base)
    if not result.saved:
        message = _(
            "The document was changed elsewhere since this page was loaded. "
            "Reload the page and insert again."
        )
        body = format_html('<p class="tray-conflict" role="alert">{}</p>', message)
        return HttpResponse(body, status=409)
    url = reverse("reviews:year", args=[year])
    if not request.htmx:
        return redirect(url)
    response = HttpResponse(status=204)
    response["HX-Refresh"] = "true"  # the row now shows where the document puts it
    return response
