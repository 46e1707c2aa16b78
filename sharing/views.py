"""Sharing a review: the public page behind a link, its photos, the owner's links, export.md.

The public routes (``share``, ``share_photo``) need no login and answer
every request — page, photo or 404 — with headers that keep the capability
URL out of search engines, Referer headers and caches. A link that does
not work gets one fixed 404 body whatever the reason, rendered without the
request so nothing about the visitor or the link can vary it.
"""

from __future__ import annotations

import functools
import tempfile

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseNotFound,
    HttpResponseRedirect,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from core import pagecache
from core.htmx import HtmxHttpRequest, template_for
from core.owner import get_owned
from reviews import display, embeds
from reviews.document import compose as document_template
from reviews.document import language_of
from reviews.models import Review
from reviews.services import year_page
from sharing import bundle, markdown_export, services
from sharing.forms import ShareLinkForm
from sharing.models import ShareLink
from timeline.photos import CONTENT_TYPES

SHARE_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
PHOTO_SIZES = ("full", "thumb")


def share_headers(view):
    """Put SHARE_HEADERS on every response of ``view``, errors included."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        for name, value in SHARE_HEADERS.items():
            response[name] = value
        return response

    return wrapped


def _link_not_found() -> HttpResponse:
    return HttpResponseNotFound(render_to_string("sharing/share_missing.html"))


# The public side


def _visitor_language(request: HtmxHttpRequest) -> str | None:
    """The interface language the visitor chose with ?lang=, if it is one Almanac speaks."""
    asked = request.GET.get("lang", "").lower()
    return asked if asked in dict(settings.LANGUAGES) else None


@login_not_required
@share_headers
@require_safe
def share(request: HtmxHttpRequest, token: str, year: int | None = None) -> HttpResponse:
    """A year the link opens: its own review's year, or with ``year`` another one it names.

    The page's words are in the review's language, not the visitor's browser's (a Chinese
    review reads "时间线" to everyone); ``?lang=`` switches them, with a link on the page.
    """
    link = services.find_live_link(token)
    if link is not None and year is None:
        year = link.review.year
    if link is None or not link.opens(year):
        return _link_not_found()
    if request.method == "GET":
        services.record_view(link, request.user)
    # The year's own review, if any, speaks the page's language; else the link's.
    own = link.review if year == link.review.year else None
    if own is None:
        own = Review.objects.filter(owner_id=link.owner_id, year=year).first()
    chosen = _visitor_language(request)
    # Kept for visitors who are not logged in (and the owner): another user's page
    # would carry their name in the header.
    viewer = getattr(request.user, "pk", None)
    with language_of(chosen or (own or link.review).language):
        language = translation.get_language()
        response = pagecache.cached_page(
            request,
            link.owner_id,
            lambda: _share_page(request, link, token, year, chosen, own),
            cacheable=viewer in (None, link.owner_id),
        )
    response.headers["Content-Language"] = language
    return response


def _share_page(request, link: ShareLink, token: str, year: int, chosen: str | None, own):
    expand = bool(request.GET.get("all"))
    page = year_page(link.owner_id, year, public_only=True, expand=expand, review=own)
    review = page.review
    # The document as written, public rows only (reader=None); links only to the
    # other years this same link opens.
    shared_years = services.shared_years(link)

    lang_query = f"?lang={chosen}" if chosen else ""

    def year_url(other: int) -> str | None:
        if other not in shared_years:
            return None
        return reverse("sharing:share-year", args=[token, other]) + lang_query

    if review is not None:
        html, text = review.document_html, review.document
    else:  # a year the link names that has rows but no review yet: the template
        text = document_template(year, link.review.language)
        html = display.template_html(text)
    resolved = embeds.resolve(page, None, html=html, text=text)
    document = display.lay_out(resolved, page, year_url)
    context = {
        "page": page,
        "document": document,
        "year": year,
        "token": token,
        "title": review.display_title
        if review is not None
        else _("My %(year)s in review") % {"year": year},
        "description": services.description(review)
        or _("A look back at %(year)s.") % {"year": year},
        "author": review.author_name if review is not None else link.review.author_name,
        "shared_years": shared_years,
        "photo_urls": functools.partial(_shared_photo_url, token),
        # Other years keep the visitor's choice; the switch offers the other language.
        "lang_query": lang_query,
        "lang": chosen or "",
        "other_languages": [
            (code, name) for code, name in settings.LANGUAGES if code != translation.get_language()
        ],
    }
    return render(request, "sharing/share.html", context)


@login_not_required
@share_headers
@require_safe
def share_without_slash(request: HtmxHttpRequest, **kwargs) -> HttpResponse:
    """A share address without its last slash: sent on to the address with it.

    The token is not looked up, so the answer is the same for a live link and
    a dead one; the share headers keep it out of caches, Referer and indexes.
    """
    url = reverse(request.resolver_match.view_name, kwargs=kwargs)
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


def _shared_photo_url(token: str, photo, size: str) -> str:
    """Photos on a shared page come through the link: their owner's URLs ask for a login."""
    return reverse("sharing:photo", args=[token, photo.pk, size])


@login_not_required
@share_headers
@require_safe
def share_photo(request: HtmxHttpRequest, token: str, pk: int, size: str) -> HttpResponse:
    link = services.find_live_link(token) if size in PHOTO_SIZES else None
    photo = services.shared_photo(link, pk) if link is not None else None
    if photo is None:
        return _link_not_found()
    field = photo.thumbnail if size == "thumb" and photo.thumbnail else photo.image
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        return _link_not_found()
    extension = field.name.rsplit(".", 1)[-1].lower()
    return FileResponse(
        handle, content_type=CONTENT_TYPES.get(extension, "application/octet-stream")
    )


# The owner's side


def _links(user, year: int) -> list[ShareLink]:
    links = services.links_opening(user, year)
    for link in links:
        link.hint = services.link_hint(link)
    return links


def _panel(
    request: HtmxHttpRequest,
    year: int,
    years: list[int],
    *,
    form: ShareLinkForm | None = None,
    new: tuple[ShareLink, str] | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    """The management page (or its panel, for htmx), with a new link's URL shown once."""
    context = {
        "year": year,
        "links": _links(request.user, year),
        "form": form or ShareLinkForm(other_years=_other(years, year)),
        "notice": notice,
    }
    if new is not None:
        link, token = new
        context["new_hint"] = services.link_hint(link)
        context["new_years"] = services.shared_years(link)
        context["new_url"] = request.build_absolute_uri(reverse("sharing:share", args=[token]))
    template = template_for(request, "sharing/share_links.html", "share-panel")
    response = render(request, template, context, status=status)
    if new is not None:
        response["Cache-Control"] = "no-store"  # the token must not outlive this page
    return response


def _other(years: list[int], year: int) -> list[int]:
    """The owner's other years with data: the ones a new link may open besides ``year``."""
    return [y for y in years if y != year]


@require_http_methods(["GET", "POST"])
def share_links(request: HtmxHttpRequest, year: int) -> HttpResponse:
    """List, create, revoke and regenerate the share links that open a year."""
    years = services.years_with_data(request.user)
    if year not in years:
        raise Http404("Nothing recorded for this year")
    if request.method == "GET":
        return _panel(request, year, years)
    action = request.POST.get("action", "")
    if action == "create":
        return _create(request, year, years)
    if action in ("revoke", "regenerate"):
        return _change(request, year, years, action)
    notice = _("Choose what to do with the link.")
    return _panel(request, year, years, notice=notice, status=422)


def _create(request: HtmxHttpRequest, year: int, years: list[int]) -> HttpResponse:
    form = ShareLinkForm(request.POST, other_years=_other(years, year))
    if not form.is_valid():
        return _panel(request, year, years, form=form, status=422)
    review = services.review_to_share(request.user, year)
    if review is None:
        raise Http404("Nothing recorded for this year")
    day = form.cleaned_data["expires_on"]
    expires_at = services.expiry_at_end_of(day) if day else None
    new = services.create_link(review, expires_at, also=form.cleaned_data["also"])
    return _panel(request, year, years, new=new)


def _change(request: HtmxHttpRequest, year: int, years: list[int], action: str) -> HttpResponse:
    try:
        pk = int(request.POST.get("link", ""))
    except ValueError:
        raise Http404("No such link") from None
    link = get_owned(ShareLink, request.user, pk=pk)
    if not link.opens(year):
        raise Http404("No such link")
    if not link.is_live:
        notice = _("That link no longer works; there is nothing to change.")
        return _panel(request, year, years, notice=notice, status=422)
    if action == "regenerate":
        return _panel(
            request,
            year,
            years,
            new=services.regenerate(link),
            notice=_("The old link no longer opens anything. Here is its replacement."),
        )
    services.revoke(link)
    notice = _("Link revoked: it no longer opens anything.")
    if request.htmx:
        return _panel(request, year, years, notice=notice)
    messages.success(request, notice)
    return redirect("sharing:links", year=year)


def _public(request: HtmxHttpRequest, default: bool) -> bool:
    value = request.GET.get("public", "").lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    return default


def _export(request: HtmxHttpRequest, year: int, *, public: bool, **options):
    """The year's post and the photos it links (404 for a year with nothing recorded)."""
    page = year_page(request.user, year, public_only=public, expand=True)
    if year not in page.years:  # the years with data, read by year_page
        raise Http404("Nothing recorded for this year")

    def year_url(other: int) -> str:
        return request.build_absolute_uri(reverse("reviews:year", args=[other]))

    return markdown_export.export(page, public=public, year_url=year_url, **options)


@require_GET
def export_md(request: HtmxHttpRequest, year: int) -> HttpResponse:
    """The year as a Markdown post; ``?public=1`` leaves out everything private.

    The owner's post links photos at their owner-only address; the public one
    links them where export.zip puts them, next to the post.
    """
    return pagecache.cached_page(request, request.user.pk, lambda: _export_md(request, year))


def _export_md(request: HtmxHttpRequest, year: int) -> HttpResponse:
    public = _public(request, default=False)
    options = {}
    if not public:
        options["photo_url"] = lambda photo: request.build_absolute_uri(
            reverse("timeline:photo", args=[photo.pk, "full"])
        )
    text, _photos = _export(request, year, public=public, **options)
    response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{year}-review.md"'
    # The full version holds private text: no cache between here and the owner keeps it.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def export_zip(request: HtmxHttpRequest, year: int) -> HttpResponse:
    """A Hugo/Jekyll page bundle: ``index.md`` and the photos it links, next to it.

    Public by default, as a bundle is made to be published; ``?public=0`` for
    the owner's full version, private rows included and marked.
    """
    public = _public(request, default=True)
    text, photos = _export(request, year, public=public)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes (so deletes) it
    bundle.write(handle, text, photos)
    size = handle.tell()
    handle.seek(0)
    response = FileResponse(handle, content_type="application/zip")
    response["Content-Length"] = str(size)
    suffix = "" if public else "-private"
    response["Content-Disposition"] = f'attachment; filename="{year}-review{suffix}.zip"'
    response["Cache-Control"] = "no-store"
    return response
