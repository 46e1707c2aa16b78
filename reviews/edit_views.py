"""Inline editing on the year page: add, edit, delete with undo.

Every view answers htmx with a fragment of the year page and plain
requests with a full page or a redirect, so editing also works without
JavaScript. Rows that move (a new date, another kind) are removed from
where they were and inserted where they now belong with an out-of-band
swap; a row that leaves the page leaves a notice saying where it went.
Parts that depend on a section (reading counts) follow an ``HX-Trigger``
event. On the all-years pages (``list=1``: /library/, /career/, /goals/)
a row is edited, deleted and restored where it is listed.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.db import DatabaseError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from core import rows
from core.dates import is_valid_year, precision_fields
from core.htmx import HtmxHttpRequest
from core.owner import get_owned
from library.forms import ItemForm
from reviews import palette, placement, trash
from reviews.models import Trash

EDIT_TEMPLATE = "reviews/edit.html"


def _kind(name: str) -> rows.RowKind:
    try:
        return rows.get(name)
    except KeyError:
        raise Http404("No such kind") from None


def _parse_year(raw: str) -> int:
    """A year written in ASCII digits within the range, or a 404."""
    # int() alone would take " 2020", "+2020", "2_020" and full-width digits.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 4 and is_valid_year(int(raw))):
        raise Http404("No such year")
    return int(raw)


def _page_year(request) -> int:
    return _parse_year(request.POST.get("year") or request.GET.get("year") or "")


def _on_list(request, kind: rows.RowKind) -> bool:
    """The row is shown on its kind's all-years page rather than on a year's page."""
    flag = request.POST.get("list") or request.GET.get("list")
    return flag == "1" and kind.list_template is not None


def _row_year(request, obj) -> int:
    """The page's year; on an all-years page the year may be left out (an unfinished item)."""
    kind = rows.of(obj)
    if _on_list(request, kind) and not (request.POST.get("year") or request.GET.get("year")):
        return kind.year_of(obj) or timezone.localdate().year
    return _page_year(request)


def _goal_year(request, year: int) -> int:
    """The year a new goal is for (the page's year unless the form names another)."""
    raw = request.POST.get("goal_year") or request.GET.get("goal_year") or ""
    return _parse_year(raw) if raw else year


def _year_url(year: int, obj=None) -> str:
    url = reverse("reviews:year", args=[year])
    return f"{url}#{rows.row_id(obj)}" if obj is not None else url


def render_row(request, obj, year: int) -> str:
    kind = rows.of(obj)
    if kind.prepare:
        kind.prepare([obj])
    context = {kind.name: obj, "obj": obj, "kind": kind.name, "year": year, "editable": True}
    return render_to_string(kind.template, context, request=request)


def render_row_on_list(request, obj, year: int) -> str:
    """The row as its kind's all-years page shows it."""
    kind = rows.of(obj)
    context = {kind.name: obj, "obj": obj, "kind": kind.name, "year": year, "editable": True}
    return render_to_string(kind.list_template, context, request=request)


def left_notice(request, obj, *, tag: str = "li") -> str:
    """Where a saved row went when this page no longer shows it, with a link there."""
    kind = rows.of(obj)
    row_year = kind.year_of(obj)
    url = rows.url_of(obj)
    if url is None and kind.list_url:
        url = kind.list_url(obj)  # an item not finished yet: it lives in the library
    context = {"obj": obj, "row_year": row_year, "url": url, "tag": tag}
    return render_to_string(f"{EDIT_TEMPLATE}#moved", context, request=request)


def _placed_response(request, obj, year: int, *, main: str = "") -> HttpResponse:
    """``main`` for the swapped target, plus the row inserted where it belongs now."""
    return _placed_rows(request, [obj], year, main=main)


def _placed_rows(request, objs: list, year: int, *, main: str = "") -> HttpResponse:
    """``main`` for the swapped target, plus each row inserted where it belongs now, in
    the order given (each lands after the ones before it).

    A new row (``main`` is the add slot or form) that this page does not show is
    announced above it; an edited one leaves the notice in its place.
    """
    body = main
    for obj in objs:
        where = placement.place(obj, year)
        if where.list_id is None:
            body = left_notice(request, obj, tag="div" if main else "li") + body
            continue
        swap = f"afterend:#{where.after_id}" if where.after_id else f"afterbegin:#{where.list_id}"
        row = render_row(request, obj, year)
        body += render_to_string(
            f"{EDIT_TEMPLATE}#placed-row", {"swap": swap, "row": row}, request=request
        )
    return trigger_client_event(HttpResponse(body), where.section, {"year": year})


# The kind and status of the owner's last added item: the next one starts with them.
ITEM_DEFAULTS = "item_defaults"


def _form_for(kind: str, request, instance=None, data=None, year: int | None = None):
    form_class = _kind(kind).form
    options = {"instance": instance, "prefix": kind, "label_suffix": ""}
    if kind == "item" and instance is None and year is not None:
        options["initial"] = form_class.initial_for(year, request.session.get(ITEM_DEFAULTS))
    form = form_class(data, **options)
    if instance is not None:
        # Long texts of an existing row are edited by their own autosaving editors.
        for name in _kind(kind).texts:
            form.fields.pop(name, None)
    return form


def _saved_redirect(request, obj, year: int) -> HttpResponse:
    """Without JavaScript: back to the row where the user was, or to the page with a notice."""
    kind = rows.of(obj)
    if _on_list(request, kind):
        return redirect(kind.list_url(obj))
    if placement.place(obj, year).list_id is None:
        messages.info(request, left_notice(request, obj, tag="span"))
        return redirect(_year_url(year))
    return redirect(_year_url(year, obj))


def _row_on_list(request, obj, year: int) -> HttpResponse:
    response = HttpResponse(render_row_on_list(request, obj, year))
    return trigger_client_event(response, rows.of(obj).section, {"year": year})


def _render_form(request, kind, form, year, obj=None, status=200, lines=""):
    context = {"form": form, "kind": kind, "year": year, "obj": obj, "editable": True}
    context["lines"] = lines  # pasted lines waiting to be added, one item each
    context["on_list"] = _on_list(request, _kind(kind))
    if context["on_list"] and obj is not None:
        context["list_url"] = _kind(kind).list_url(obj)
    context["obj_id"] = rows.row_id(obj) if obj else ""
    context["goal_year"] = _goal_year(request, year)
    context["palette"] = _from_palette(request)
    quick = getattr(form, "quick_fields", ())
    if quick and obj is None:
        context["quick_fields"] = [form[name] for name in quick if name in form.fields]
        context["more_fields"] = [form[name] for name in form.fields if name not in quick]
        context["more_open"] = any(field.errors for field in context["more_fields"])
    template = f"{EDIT_TEMPLATE}#object-form" if request.htmx else EDIT_TEMPLATE
    return render(request, template, context, status=status)


def _from_palette(request) -> bool:
    """The form was opened from the document editor's palette (it inserts the new row)."""
    return (request.POST.get("palette") or request.GET.get("palette")) == "1"


def _created_in_palette(request, obj, year: int) -> HttpResponse:
    """Nothing to swap: the palette inserts the new row's embed line and closes."""
    line = palette.row_line(rows.of(obj).name, obj.key, palette.label_of(obj))
    response = trigger_client_event(HttpResponse(""), "embed-created", {"line": line})
    return trigger_client_event(response, placement.place(obj, year).section, {"year": year})


@require_http_methods(["GET", "POST"])
def row_new(request: HtmxHttpRequest, kind: str) -> HttpResponse:
    _kind(kind)
    year = _page_year(request)
    if request.method == "GET" and request.GET.get("slot"):
        context = {"kind": kind, "year": year, "goal_year": _goal_year(request, year)}
        return render(request, f"{EDIT_TEMPLATE}#add-slot", context)
    if request.method == "GET":
        return _render_form(request, kind, _form_for(kind, request, year=year), year)
    if kind == "item" and request.POST.get("many") == "1":
        return _add_many(request, year)
    form = _form_for(kind, request, data=request.POST)
    obj = form.instance
    obj.owner = request.user
    if kind == "goal":
        obj.year = _goal_year(request, year)
    elif not _kind(kind).is_dated and _kind(kind).year_field not in form.fields:
        setattr(obj, _kind(kind).year_field, year)  # a count is for the page's year
    if not form.is_valid():
        return _render_form(request, kind, form, year, status=422)
    form.save()
    if kind == "item":
        request.session[ITEM_DEFAULTS] = {"kind": obj.kind, "status": obj.status}
    if not request.htmx:
        return _saved_redirect(request, obj, year)
    if _from_palette(request):
        return _created_in_palette(request, obj, year)
    if kind == "item":
        return _placed_response(request, obj, year, main=_next_item_form(request, year))
    # The slot adds the next goal for the same year; the other kinds ignore it
    # (an item's own ``year`` is None until it is finished).
    goal_year = obj.year if kind == "goal" else year
    add_slot = render_to_string(
        f"{EDIT_TEMPLATE}#add-slot",
        {"kind": kind, "year": year, "goal_year": goal_year},
        request=request,
    )
    return _placed_response(request, obj, year, main=add_slot)


def _next_item_form(request, year: int) -> str:
    """The add form again, empty and open: items are often added several in a row."""
    form = _form_for("item", request, year=year)
    return _render_form(request, "item", form, year).content.decode()


def _add_many(request, year: int) -> HttpResponse:
    """Items from pasted lines, one per line, the other fields shared: all or none."""
    pasted = request.POST.get("lines", "")
    titles = ItemForm.titles(pasted)[: ItemForm.MAX_LINES + 1]
    forms = []
    for title in titles or [""]:
        data = request.POST.copy()
        data["item-title"] = title
        form = _form_for("item", request, data=data)
        form.instance.owner = request.user
        forms.append(form)
    first = forms[0]
    valid = [form.is_valid() for form in forms]
    if len(titles) > ItemForm.MAX_LINES:
        first.add_error(
            None,
            _("At most %(max)s lines can be added at once.") % {"max": ItemForm.MAX_LINES},
        )
    if not all(valid) or not first.is_valid():
        # The shared fields' problems show beside them (on the first line's form); a
        # title's own problem names its line.
        for form in forms[1:]:
            for error in form.errors.get("title", []):
                first.add_error(None, f"“{form.data['item-title'][:80]}”: {error}")
        return _render_form(request, "item", first, year, lines=pasted)
    with transaction.atomic():
        saved = [form.save() for form in forms]
    request.session[ITEM_DEFAULTS] = {"kind": saved[0].kind, "status": saved[0].status}
    if not request.htmx:
        return redirect(_year_url(year, saved[0]))
    order = rows.of(saved[0]).order_field
    saved.sort(key=lambda o: (getattr(o, order) is None, getattr(o, order), o.pk))
    return _placed_rows(request, saved, year, main=_next_item_form(request, year))


@require_http_methods(["GET", "POST"])
def row_edit(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = get_owned(_kind(kind).model, request.user, pk=pk)
    year = _row_year(request, obj)
    if request.method == "GET":
        return _render_form(request, kind, _form_for(kind, request, obj), year, obj)
    form = _form_for(kind, request, obj, data=request.POST)
    if not form.is_valid():
        return _render_form(request, kind, form, year, obj, status=422)
    # Only what the form edits, onto the row as it is now: its long texts may
    # have been autosaved since ``obj`` was read (or the row deleted in another tab).
    try:
        obj = _save_edited(obj, form)
    except type(obj).DoesNotExist:
        raise Http404("No such row") from None
    if not request.htmx:
        return _saved_redirect(request, obj, year)
    if _on_list(request, rows.of(obj)):
        return _row_on_list(request, obj, year)
    if _in_place(request):
        return _row_in_place(request, obj, year)
    return _placed_response(request, obj, year)


def _save_edited(obj, form):
    """The row saved with the form's fields; ``DoesNotExist`` if it was deleted meanwhile."""
    if hasattr(obj, "save_fields"):
        return obj.save_fields([*form.fields, *precision_fields(type(obj), form.fields)])
    # A row without long texts has nothing autosaved to protect: an update of the
    # whole row, refused (not recreated) when it is gone.
    try:
        obj.save(force_update=True)
    except DatabaseError:
        raise type(obj).DoesNotExist from None
    return obj


def _in_place(request) -> bool:
    """The row is one the document embeds by itself: it stays where the author put it."""
    return (request.POST.get("in_place") or request.GET.get("in_place")) == "1"


def _row_in_place(request, obj, year: int) -> HttpResponse:
    response = HttpResponse(render_row(request, obj, year))
    return trigger_client_event(response, placement.place(obj, year).section, {"year": year})


@require_GET
def row_view(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    """The row as it is (Esc or Cancel in a form)."""
    obj = get_owned(_kind(kind).model, request.user, pk=pk)
    year = _row_year(request, obj)
    if _on_list(request, rows.of(obj)):
        if not request.htmx:
            return redirect(rows.of(obj).list_url(obj))
        return HttpResponse(render_row_on_list(request, obj, year))
    if not request.htmx:
        return redirect(_year_url(year, obj))
    if _in_place(request):
        return HttpResponse(render_row(request, obj, year))
    if placement.place(obj, year).list_id is None:
        return HttpResponse("")
    return HttpResponse(render_row(request, obj, year))


@require_POST
def row_delete(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    row_kind = _kind(kind)
    obj = get_owned(row_kind.model, request.user, pk=pk)
    year = _row_year(request, obj)
    on_list = _on_list(request, row_kind)
    back = urlsplit(row_kind.list_url(obj)).path if on_list else _year_url(year)
    element_id = rows.row_id(obj)
    kept = trash.delete(obj)
    if not request.htmx and on_list:
        messages.success(request, _("Deleted “%(label)s”.") % {"label": kept.label})
        return redirect(back)
    if not request.htmx:
        request.session["undo"] = kept.pk  # the year page offers the undo once
        return redirect(back)
    context = {"trash": kept, "year": year, "element_id": element_id, "on_list": on_list}
    response = render(request, f"{EDIT_TEMPLATE}#deleted-row", context)
    return trigger_client_event(response, row_kind.section, {"year": year})


@require_POST
def undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    kept = get_owned(Trash, request.user, pk=pk)
    obj = trash.restore(kept)
    year = _row_year(request, obj)
    if not request.htmx:
        messages.success(request, _("Restored “%(label)s”.") % {"label": str(obj)})
        return _saved_redirect(request, obj, year)
    if _on_list(request, rows.of(obj)):
        return _row_on_list(request, obj, year)
    if _in_place(request):
        return _row_in_place(request, obj, year)
    return _placed_response(request, obj, year)
