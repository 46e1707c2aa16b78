"""Photo views: serve to the owner only; upload, caption, reorder and delete.

Each change answers an htmx request with the entry's photos partial, and a plain
form post with a redirect back to the year page (or to the ``next`` page the form
names). A refused change is a 400 with the reason shown, and nothing stored.

A photo placed straight into a year's document (pasted or dropped into the
editor) has no entry: its upload answers the editor's script with JSON, and
its caption and deletion answer htmx with no content (the document shows it).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import time_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.dates import is_valid_year
from core.htmx import HtmxHttpRequest, template_for
from core.owner import get_owned
from timeline import photos as service
from timeline.models import Entry, Photo

MAX_FILES = 20  # per upload: each decoded photo can take ~100 MB of memory for a moment


@require_GET
def photo(request: HtmxHttpRequest, pk: int, size: str) -> FileResponse:
    if size not in ("full", "thumb"):
        raise Http404("No such photo size")
    photo = get_owned(Photo, request.user, pk=pk)
    field = photo.thumbnail if size == "thumb" and photo.thumbnail else photo.image
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("Photo file is missing") from None
    extension = field.name.rsplit(".", 1)[-1].lower()
    content_type = service.CONTENT_TYPES.get(extension, "application/octet-stream")
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def photos(request: HtmxHttpRequest, entry_pk: int) -> HttpResponse:
    """GET: the entry's photos page (the no-JS way to manage them). POST: upload."""
    entry = get_owned(Entry, request.user, pk=entry_pk)
    if request.method == "GET":
        return _photos(request, entry, next_url=request.get_full_path())
    files = request.FILES.getlist("photos")
    if not files:
        return _refused(request, entry, [_("Choose at least one photo to upload.")])
    if len(files) > MAX_FILES:
        message = _("At most %(limit)d photos can be uploaded at once.") % {"limit": MAX_FILES}
        return _refused(request, entry, [message])
    processed, errors = [], []
    for uploaded in files:
        try:
            processed.append(service.process_upload(uploaded))
        except service.PhotoError as error:
            errors.append(error.message)
    if errors:
        return _refused(request, entry, errors)
    added = service.add_photos(entry, processed)
    count = len(processed)
    notice = ngettext("%(count)d photo added.", "%(count)d photos added.", count) % {
        "count": count
    }
    # The caption of the first new photo takes the focus: the next thing to write.
    return _done(request, entry, notice, first_new=added[0].pk)


@require_POST
def document_photo(request: HtmxHttpRequest) -> JsonResponse:
    """Upload one photo into the document of ``year``: its key and the embed line."""
    raw = request.POST.get("year", "")
    # int() alone would take " 2020", "+2020" and full-width digits.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4 and is_valid_year(int(raw))):
        raise Http404("No such year")
    uploaded = request.FILES.get("photo")
    if uploaded is None:
        return JsonResponse({"error": _("Choose a photo to upload.")}, status=400)
    try:
        photo = service.place_in_year(request.user, int(raw), service.process_upload(uploaded))
    except service.PhotoError as error:
        return JsonResponse({"error": error.message}, status=400)
    return JsonResponse(
        {
            "key": photo.key,
            "line": f"[[photo:{photo.key}]]",
            "thumb": reverse("timeline:photo", args=[photo.pk, "thumb"]),
            "caption_url": reverse("timeline:photo-caption", args=[photo.pk]),
        },
        status=201,
    )


@require_POST
def caption(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    photo = get_owned(Photo, request.user, pk=pk)
    # An autosaving caption (like a long text) wants only the outcome, never the photos.
    autosave = request.htmx and request.POST.get("autosave") == "1"
    try:
        service.set_caption(photo, request.POST.get("caption", ""))
    except service.PhotoError as error:
        if photo.entry is None or autosave:
            return HttpResponse(error.message, status=400)
        return _refused(request, photo.entry, [error.message])
    if autosave:
        response = HttpResponse(status=204)
        response["X-Saved-At"] = time_format(timezone.localtime(), "H:i")
        return response
    if photo.entry is None:
        return _document_done(request, photo, _("Caption saved."))
    return _done(request, photo.entry, _("Caption saved."))


@require_POST
def reorder(request: HtmxHttpRequest, entry_pk: int) -> HttpResponse:
    """Either ``order`` (every photo id, in the new order) or ``photo`` + ``direction``."""
    entry = get_owned(Entry, request.user, pk=entry_pk)
    try:
        if "order" in request.POST:
            ids = [int(value) for value in request.POST.getlist("order")]
            service.reorder(entry, ids)
        else:
            photo_pk = int(request.POST.get("photo", ""))
            photo = get_owned(Photo, request.user, pk=photo_pk, entry=entry)
            service.move(photo, request.POST.get("direction", ""))
    except ValueError:
        return _refused(request, entry, [_("The photo order could not be read.")])
    except service.PhotoError as error:
        return _refused(request, entry, [error.message])
    return _done(request, entry, _("Photo order saved."))


@require_POST
def delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    photo = get_owned(Photo, request.user, pk=pk)
    entry = photo.entry
    service.delete(photo)
    if entry is None:
        return _document_done(request, photo, _("Photo deleted."))
    return _done(request, entry, _("Photo deleted."))


def _photos(
    request: HtmxHttpRequest,
    entry: Entry,
    *,
    next_url: str,
    errors: list[str] | None = None,
    notice: str = "",
    status: int = 200,
    first_new: int | None = None,
) -> HttpResponse:
    context = {
        "first_new": first_new,
        "entry": entry,
        "editable": True,
        "next_url": next_url,
        "photo_errors": errors or [],
        "photo_notice": notice,
        "year_url": _year_url(entry),
    }
    template = template_for(request, "timeline/photos.html", "photos")
    return render(request, template, context, status=status)


def _refused(request: HtmxHttpRequest, entry: Entry, errors: list[str]) -> HttpResponse:
    """A 422 showing why: the partial for htmx, the photos page without JS."""
    return _photos(request, entry, next_url=_next_url(request, entry), errors=errors, status=422)


def _done(
    request: HtmxHttpRequest, entry: Entry, notice: str, first_new: int | None = None
) -> HttpResponse:
    next_url = _next_url(request, entry)
    if request.htmx:
        return _photos(request, entry, next_url=next_url, notice=notice, first_new=first_new)
    messages.success(request, notice)
    return redirect(next_url)


def _document_done(request: HtmxHttpRequest, photo: Photo, notice: str) -> HttpResponse:
    """A change to a photo of a document: nothing to swap for htmx, else back to the year."""
    if request.htmx:
        return HttpResponse(status=204)
    messages.success(request, notice)
    return redirect(reverse("reviews:year", args=[photo.year]))


def _year_url(entry: Entry) -> str:
    return f"{reverse('reviews:year', args=[entry.started_on.year])}#entry-{entry.pk}"


def _next_url(request: HtmxHttpRequest, entry: Entry) -> str:
    """Where a plain form post returns to: a local ``next`` or the entry on its year page."""
    candidate = request.POST.get("next", "")
    if candidate.startswith("/") and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return _year_url(entry)
