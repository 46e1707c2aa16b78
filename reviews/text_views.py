"""Long texts: the autosaving editor, its preview, conflicts and history."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from core import markdown, rows
from core.dates import is_valid_year
from core.htmx import HtmxHttpRequest
from core.owner import get_owned
from reviews import texts
from reviews.models import Review, Revision

TEMPLATE = "reviews/text.html"
MAX_TEXT = 200_000  # characters; a whole book chapter fits


def _text_object(request, kind: str, pk: int, field: str):
    model = texts.model_for(kind, field)
    return get_owned(model, request.user, pk=pk)


def _year(request) -> int | None:
    """The year page the editor was opened from, or None (any other value is ignored).

    It only decides where "Back" and "Done" lead, so a crafted value is
    dropped rather than refused: a save never fails over it.
    """
    year = request.POST.get("year") or request.GET.get("year") or ""
    if year.isascii() and year.isdigit() and len(year) <= 4 and is_valid_year(int(year)):
        return int(year)
    return None


def _flag(request, name: str) -> bool:
    return request.GET.get(name) == "1"


def _back_url(obj, request) -> str:
    """The page the editor was opened from: the year page, at the row."""
    year = _year(request)
    if year is None:
        return reverse("reviews:home")
    url = reverse("reviews:year", args=[year])
    return url if isinstance(obj, Review) else f"{url}#{rows.row_id(obj)}"


def editor_context(obj, kind: str, field: str, year, **extra) -> dict:
    return {
        "obj": obj,
        "kind": kind,
        "field": field,
        "label": type(obj)._meta.get_field(field).verbose_name,
        "text": getattr(obj, field),
        "html": getattr(obj, f"{field}_html", None),
        "version": obj.text_version(field),
        "multiline": field in type(obj).markdown_fields,
        # The year's document gets the writing surface: wide, growing, focus mode.
        "is_document": isinstance(obj, Review) and field == "document",
        "year": year,
        **extra,
    }


@require_GET
def editor(request: HtmxHttpRequest, kind: str, pk: int, field: str) -> HttpResponse:
    """The editor (or, with ?view=1, the rendered text) of one long text."""
    obj = _text_object(request, kind, pk, field)
    context = editor_context(obj, kind, field, _year(request), closable=_flag(request, "closable"))
    if context["is_document"] and _flag(request, "view") and request.htmx:
        # The document is shown with its embeds: "Done" reloads the year page.
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    partial = "text-view" if _flag(request, "view") else "editor"
    return render(request, f"{TEMPLATE}#{partial}" if request.htmx else TEMPLATE, context)


@require_POST
def save(request: HtmxHttpRequest, kind: str, pk: int, field: str) -> HttpResponse:
    obj = _text_object(request, kind, pk, field)
    text = request.POST.get("text", "").replace("\r\n", "\n")
    try:
        base = int(request.POST.get("version", ""))
    except ValueError:
        return HttpResponse(_("A version number is missing."), status=422)
    if "\x00" in text:  # PostgreSQL cannot store it; nobody types it
        return HttpResponse("The text contains a NUL character.", status=422)
    limit = texts.max_length(type(obj), field) or MAX_TEXT
    if len(text) > limit:
        message = _("This text is %(length)s characters long; the limit is %(limit)s.") % {
            "length": len(text),
            "limit": limit,
        }
        return HttpResponse(message, status=422)
    result = texts.save_text(obj, field, text, base)
    if not result.saved:
        context = editor_context(obj, kind, field, _year(request))
        context.update(mine=text, theirs=result.text, version=result.version)
        if not request.htmx:
            # Without JavaScript: the conflict, and an editor holding your text on the new base.
            context["text"] = text
            return render(request, TEMPLATE, context, status=409)
        # The editor's form swaps nothing; the choice goes in its conflict box.
        response = render(request, f"{TEMPLATE}#conflict", context, status=409)
        return reswap(retarget(response, f"#text-{kind}-{obj.pk}-{field}-conflict"), "innerHTML")
    if not request.htmx:
        return redirect(_back_url(obj, request))
    response = HttpResponse(status=204)
    response["X-Text-Version"] = str(result.version)
    response["X-Saved-At"] = time_format(timezone.localtime(result.saved_at), "H:i")
    return response


@require_POST
def preview(request: HtmxHttpRequest) -> HttpResponse:
    """The text as it will look, through the same renderer and sanitizer."""
    text = request.POST.get("text", "")[:MAX_TEXT]
    year = _year(request)
    if request.POST.get("document") and year is not None:
        return _document_preview(request, text, year)
    return HttpResponse(markdown.render(text))


def _document_preview(request: HtmxHttpRequest, text: str, year: int) -> HttpResponse:
    """The document as the year page will show it, embeds as cards, without controls."""
    from reviews import display, document, embeds, services

    page = services.year_page(request.user, year)
    html = document.render_html(text)
    shown = display.lay_out(embeds.resolve(page, request.user, html=html, text=text), page)
    context = {"document": shown, "page": page, "year": year, "editable": False, "mine": True}
    return render(request, "reviews/year/_document.html", context)


@require_GET
def history(request: HtmxHttpRequest, kind: str, pk: int, field: str) -> HttpResponse:
    obj = _text_object(request, kind, pk, field)
    context = editor_context(obj, kind, field, _year(request))
    context["revisions"] = texts.history(obj, field)
    return render(request, f"{TEMPLATE}#history" if request.htmx else TEMPLATE, context)


def _revision(request, obj, field: str, revision_pk: int) -> Revision:
    revision = get_owned(Revision, request.user, pk=revision_pk)
    if revision.object_id != obj.pk or revision.field != field:
        raise Http404("No such revision")
    if revision.content_type.model_class() is not type(obj):
        raise Http404("No such revision")
    return revision


@require_GET
def revision(request: HtmxHttpRequest, kind: str, pk: int, field: str, rev: int) -> HttpResponse:
    obj = _text_object(request, kind, pk, field)
    chosen = _revision(request, obj, field, rev)
    context = editor_context(obj, kind, field, _year(request))
    context.update(revision=chosen, diff=texts.diff_lines(chosen.text, getattr(obj, field)))
    return render(request, f"{TEMPLATE}#revision" if request.htmx else TEMPLATE, context)


@require_POST
def restore(request: HtmxHttpRequest, kind: str, pk: int, field: str, rev: int) -> HttpResponse:
    obj = _text_object(request, kind, pk, field)
    chosen = _revision(request, obj, field, rev)
    texts.restore(obj, field, chosen)
    obj.refresh_from_db()
    if not request.htmx:
        return redirect(_back_url(obj, request))
    context = editor_context(obj, kind, field, _year(request), closable=True)
    return render(request, f"{TEMPLATE}#editor", context)
