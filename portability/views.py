"""/data/: take everything out (JSON or a zip backup), bring it back in, import Goodreads.

An import is two steps. The upload is checked and previewed — what would be
added, what is already there, or every problem with its path — and kept
server-side meanwhile (MEDIA_ROOT/imports/, a random name held in the
session); the confirmation imports that very file, in bounded steps
(portability.import_steps) that the browser asks for one after another —
checking the photos, then writing — and deletes it when the last is done.

Uploads over the size limits (settings ALMANAC_IMPORT_MAX_ZIP_BYTES,
ALMANAC_IMPORT_MAX_JSON_BYTES, ALMANAC_IMPORT_MAX_CSV_BYTES) are refused
with a message; no file, however broken, gives a server error. The panels
answer htmx with their fragment — with status 200 even for a refusal,
since htmx swaps only successful responses; without htmx a refusal is a 400.
"""

from __future__ import annotations

import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.htmx import HtmxHttpRequest
from library.models import Item
from portability import goodreads, posts
from portability.backup import export_name, import_backup, is_zip, json_bytes, write_zip
from portability.forms import GoodreadsForm, ImportForm, PostConfirmForm, PostForm
from portability.import_steps import Progress, import_step, report_of, under_way
from portability.interchange import export_data
from portability.interchange_import import ImportReport
from reviews.models import Goal, Review
from timeline.models import CareerMove, Entry, Photo

TEMPLATE = "portability/data.html"
PENDING = "data_import"
PENDING_MAX_AGE = 24 * 3600  # an upload never confirmed is deleted after a day
SHOWN_PROBLEMS = 200
MB = 1024 * 1024


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def limits() -> dict[str, int]:
    return {
        "zip": _limit("ALMANAC_IMPORT_MAX_ZIP_BYTES", 50 * MB),
        "json": _limit("ALMANAC_IMPORT_MAX_JSON_BYTES", 10 * MB),
        "csv": _limit("ALMANAC_IMPORT_MAX_CSV_BYTES", 10 * MB),
    }


def _size_text(size: int) -> str:
    return f"{size / MB:.1f}"


def _too_big(upload, kind: str) -> str | None:
    limit = limits()[kind]
    if upload.size <= limit:
        return None
    names = {
        "zip": _("A zip backup can be at most %(limit)s MB; this one is %(size)s MB."),
        "json": _("A JSON file can be at most %(limit)s MB; this one is %(size)s MB."),
        "csv": _("A Goodreads file can be at most %(limit)s MB; this one is %(size)s MB."),
    }
    return names[kind] % {"limit": _size_text(limit), "size": _size_text(upload.size)}


def kind_labels() -> dict[str, str]:
    return {
        "reviews": _("Reviews"),
        "timeline": _("Timeline entries"),
        "photos": _("Photos"),
        "career": _("Career moves"),
        "library": _("Library items"),
        "goals": _("Goals"),
        "tallies": _("Recorded counts"),
    }


def _status(ok: bool) -> int:
    """A refused upload or import answers 422 with the panel saying why (htmx swaps it)."""
    return 200 if ok else 422


def _counts(user) -> dict[str, int]:
    return {
        "reviews": Review.objects.filter(owner=user).count(),
        "timeline": Entry.objects.filter(owner=user).count(),
        "photos": Photo.objects.filter(owner=user).count(),
        "career": CareerMove.objects.filter(owner=user).count(),
        "library": Item.objects.filter(owner=user).count(),
        "goals": Goal.objects.filter(owner=user).count(),
    }


def _page(request: HtmxHttpRequest, partial: str, status: int = 200, **context) -> HttpResponse:
    """The whole page, or for htmx only the panel that changed."""
    context.setdefault("import_form", ImportForm())
    context.setdefault("goodreads_form", GoodreadsForm())
    context.setdefault("post_form", PostForm())
    context["limits"] = {kind: _size_text(size) for kind, size in limits().items()}
    if request.htmx:
        return render(request, f"{TEMPLATE}#{partial}", context, status=status)
    labels = kind_labels()
    context["counts"] = [(labels[kind], n) for kind, n in _counts(request.user).items()]
    return render(request, TEMPLATE, context, status=status)


@require_GET
def data(request: HtmxHttpRequest) -> HttpResponse:
    path = _pending_path(request)
    pending = request.session.get(PENDING) or {}
    if path is not None and under_way(pending.get("progress")):
        # An import left unfinished (a closed tab): its Continue button picks it up.
        return _page(request, "import-panel", **_under_way(path, pending))
    return _page(request, "import-panel")


# Export


def _download_headers(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"  # private data: never kept by a cache
    return response


@require_GET
def export_json(request: HtmxHttpRequest) -> HttpResponse:
    public = request.GET.get("public") == "1"
    body = json_bytes(export_data(request.user, public_only=public))
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _download_headers(response, export_name(request.user, "json", public_only=public))


@require_GET
def export_zip(request: HtmxHttpRequest) -> HttpResponse:
    public = request.GET.get("public") == "1"
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes (so deletes) it
    write_zip(request.user, handle, public_only=public)
    size = handle.tell()
    handle.seek(0)
    response = FileResponse(handle, content_type="application/zip")
    response["Content-Length"] = str(size)
    return _download_headers(response, export_name(request.user, "zip", public_only=public))


# Import: upload and preview, then confirm


def _imports_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _remove_stale(folder: Path) -> None:
    cutoff = time.time() - PENDING_MAX_AGE
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def _pending_path(request: HtmxHttpRequest) -> Path | None:
    pending = request.session.get(PENDING) or {}
    name = str(pending.get("name", ""))
    # The name is ours, but it is checked anyway: this user's, and a bare file name.
    if not re.fullmatch(rf"{request.user.pk}-[0-9a-f]{{32}}\.upload", name):
        return None
    path = _imports_dir() / name
    return path if path.is_file() else None


def _drop_pending(request: HtmxHttpRequest) -> None:
    path = _pending_path(request)
    if path is not None:
        path.unlink(missing_ok=True)
    request.session.pop(PENDING, None)


def _keep_pending(request: HtmxHttpRequest, upload, without_photos: bool) -> Path:
    _drop_pending(request)
    folder = _imports_dir()
    _remove_stale(folder)
    path = folder / f"{request.user.pk}-{secrets.token_hex(16)}.upload"
    with path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    request.session[PENDING] = {
        "name": path.name,
        "filename": str(upload.name)[:100],
        "without_photos": without_photos,
    }
    return path


def _import_panel(request, *, form=None, report=None, status=200, **context) -> HttpResponse:
    context["import_form"] = form or ImportForm()
    shown = report if report is not None else context.get("done")
    if shown is not None:
        labels = kind_labels()
        context["rows"] = [(labels[kind], added, skip) for kind, added, skip in shown.lines()]
    if report is not None:
        context["report"] = report
        context["problems"] = report.problems[:SHOWN_PROBLEMS]
        context["more_problems"] = max(len(report.problems) - SHOWN_PROBLEMS, 0)
    return _page(request, "import-panel", status=status, **context)


@require_POST
def import_upload(request: HtmxHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_panel(request, form=form, status=_status(False))
    upload = form.cleaned_data["file"]
    head = upload.read(4)
    upload.seek(0)
    refusal = _too_big(upload, "zip" if is_zip(head) else "json")
    if refusal:
        form.add_error("file", refusal)
        return _import_panel(request, form=form, status=_status(False))
    without_photos = form.cleaned_data["without_photos"]
    path = _keep_pending(request, upload, without_photos)
    # Photos are only decoded by the confirmation's steps: a preview reads their headers.
    report = import_backup(
        request.user, path, without_photos=without_photos, preview=True, decode_photos=False
    )
    if report.problems:
        _drop_pending(request)
    return _import_panel(
        request,
        report=report,
        filename=upload.name,
        upload_name=path.name,
        status=_status(report.ok),
    )


@require_POST
def import_confirm(request: HtmxHttpRequest) -> HttpResponse:
    """One step of the import (import_steps): the progress and the next step, or the summary."""
    path = _pending_path(request)
    # The preview names its upload: a preview left open in another tab that has since
    # uploaded another file must not import that other file.
    if path is None or request.POST.get("upload") != path.name:
        notice = _("There is no upload waiting to be imported. Choose the file again.")
        return _import_panel(request, notice=notice, status=_status(False))
    pending = dict(request.session[PENDING])
    state = pending.setdefault("progress", {})
    # Not dropped when a step fails unexpectedly: Continue (or the preview again) carries on.
    step = import_step(
        request.user, path, state=state, without_photos=bool(pending.get("without_photos"))
    )
    if step.problems:
        _drop_pending(request)
        report = ImportReport(problems=step.problems)
        return _import_panel(request, report=report, stopped=step.stopped, status=_status(False))
    if step.done:
        _drop_pending(request)
        report = report_of(state)
        if not request.htmx:
            messages.success(request, report.summary())
            return redirect("portability:data")
        return _import_panel(request, done=report)
    request.session[PENDING] = pending
    return _import_panel(request, next_step=True, **_under_way(path, pending))


def _under_way(path: Path, pending: dict) -> dict:
    return {
        "progress": Progress(pending["progress"]),
        "upload_name": path.name,
        "filename": pending["filename"],
    }


@require_POST
def import_cancel(request: HtmxHttpRequest) -> HttpResponse:
    started = under_way((request.session.get(PENDING) or {}).get("progress"))
    _drop_pending(request)
    if not request.htmx:
        return redirect("portability:data")
    if started:
        return _import_panel(request, notice=_("The import was stopped; what it added stays."))
    return _import_panel(request, notice=_("The upload was discarded; nothing was imported."))


# Goodreads


@require_POST
def goodreads_upload(request: HtmxHttpRequest) -> HttpResponse:
    form = GoodreadsForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        refusal = _too_big(upload, "csv")
        if refusal:
            form.add_error("file", refusal)
        else:
            try:
                report = goodreads.import_csv(request.user, upload.read())
            except goodreads.GoodreadsError as error:
                form.add_error("file", error.message)
            else:
                return _page(request, "goodreads-panel", goodreads_report=report)
    return _page(request, "goodreads-panel", goodreads_form=form, status=_status(False))


# A post: upload and preview, then confirm (the text comes back in the form)


def _post_panel(request: HtmxHttpRequest, ok: bool = True, **context) -> HttpResponse:
    return _page(request, "post-panel", status=_status(ok), **context)


def _read_post(form: PostForm) -> str | None:
    upload = form.cleaned_data["file"]
    if upload.size > posts.MAX_POST_CHARS * 4:  # UTF-8 takes at most 4 bytes a character
        form.add_error("file", _("This post is too long to be a document."))
        return None
    try:
        return upload.read().decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        form.add_error("file", _("This is not a UTF-8 text file."))
        return None


@require_POST
def post_upload(request: HtmxHttpRequest) -> HttpResponse:
    form = PostForm(request.POST, request.FILES)
    raw = _read_post(form) if form.is_valid() else None
    if raw is not None:
        try:
            plan = posts.plan(request.user, raw, form.cleaned_data["year"])
        except posts.PostError as error:
            form.add_error("file", error.message)
        else:
            confirm = PostConfirmForm(initial={"text": raw, "year": plan.year})
            return _post_panel(request, post_plan=plan, confirm_form=confirm)
    return _post_panel(request, False, post_form=form)


@require_POST
def post_confirm(request: HtmxHttpRequest) -> HttpResponse:
    form = PostConfirmForm(request.POST)
    if not form.is_valid():
        return _post_panel(request, False, post_notice=_("Choose the post again."))
    data = form.cleaned_data
    try:
        plan = posts.plan(request.user, data["text"], data["year"])
    except posts.PostError as error:
        return _post_panel(request, False, post_notice=error.message)
    try:
        review = posts.apply(request.user, plan, replace=data["replace"])
    except posts.PostError as error:  # a document to replace, and no permission to
        form.add_error("replace", error.message)
        return _post_panel(request, False, post_plan=plan, confirm_form=form)
    notice = _("The post is now the document of %(year)s.") % {"year": review.year}
    if not request.htmx:
        messages.success(request, notice)
        return redirect(review.get_absolute_url())
    return _post_panel(request, post_done=review, post_notice=notice)
