"""Inline editing on the year page: add, edit, delete with undo.

Every view answers htmx with a fragment of the year page and plain
requests with a full page or a redirect, so editing also works without
JavaScript. Rows that move (a new date, another kind) are removed from
where they were and inserted where they now belong with an out-of-band
swap; parts that depend on a section (reading counts) follow an
``HX-Trigger`` event.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from core import rows
from core.dates import is_valid_year
from core.htmx import HtmxHttpRequest
from core.owner import get_owned
from reviews import placement, trash
from reviews.models import Trash

EDIT_TEMPLATE = "reviews/edit.html"


def _kind(name: str) -> rows.RowKind:
    try:
        return rows.get(name)
    except KeyError:
        raise Http404("No such kind") from None


def _page_year(request) -> int:
    raw = request.POST.get("year") or request.GET.get("year") or ""
    try:
        year = int(raw)
    except ValueError:
        raise Http404("No such year") from None
    if not is_valid_year(year):
        raise Http404("No such year")
    return year


def _year_url(year: int, obj=None) -> str:
    url = reverse("reviews:year", args=[year])
    return f"{url}#{rows.row_id(obj)}" if obj is not None else url


def render_row(request, obj, year: int) -> str:
    kind = rows.of(obj)
    if kind.prepare:
        kind.prepare([obj])
    context = {kind.name: obj, "obj": obj, "kind": kind.name, "year": year, "editable": True}
    return render_to_string(kind.template, context, request=request)


def _placed_response(request, obj, year: int, *, main: str = "") -> HttpResponse:
    """``main`` for the swapped target, plus the row inserted where it belongs now."""
    where = placement.place(obj, year)
    body = main
    if where.list_id is None:
        body = main or render_to_string(
            f"{EDIT_TEMPLATE}#moved", {"obj": obj, "year": year}, request=request
        )
    else:
        swap = f"afterend:#{where.after_id}" if where.after_id else f"afterbegin:#{where.list_id}"
        row = render_row(request, obj, year)
        body += f'<template><div hx-swap-oob="{swap}">{row}</div></template>'
    response = HttpResponse(body)
    return trigger_client_event(response, where.section, {"year": year})


def _form_for(kind: str, request, instance=None, data=None):
    form_class = _kind(kind).form
    form = form_class(data, instance=instance, prefix=kind, label_suffix="")
    if instance is not None:
        # Long texts of an existing row are edited by their own autosaving editors.
        for name in _kind(kind).texts:
            form.fields.pop(name, None)
    return form


def _render_form(request, kind, form, year, obj=None, status=200):
    context = {"form": form, "kind": kind, "year": year, "obj": obj, "editable": True}
    context["obj_id"] = rows.row_id(obj) if obj else ""
    context["goal_year"] = request.POST.get("goal_year") or request.GET.get("goal_year") or year
    template = f"{EDIT_TEMPLATE}#object-form" if request.htmx else EDIT_TEMPLATE
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def row_new(request: HtmxHttpRequest, kind: str) -> HttpResponse:
    _kind(kind)
    year = _page_year(request)
    if request.method == "GET" and request.GET.get("slot"):
        goal_year = request.GET.get("goal_year", year)
        context = {"kind": kind, "year": year, "goal_year": goal_year}
        return render(request, f"{EDIT_TEMPLATE}#add-slot", context)
    if request.method == "GET":
        return _render_form(request, kind, _form_for(kind, request), year)
    form = _form_for(kind, request, data=request.POST)
    obj = form.instance
    obj.owner = request.user
    if kind == "goal":
        goal_year = request.POST.get("goal_year", "")
        obj.year = int(goal_year) if goal_year.isascii() and goal_year.isdigit() else year
        if not is_valid_year(obj.year):
            raise Http404("No such year")
    if not form.is_valid():
        return _render_form(request, kind, form, year)
    form.save()
    if not request.htmx:
        return redirect(_year_url(year, obj))
    add_slot = render_to_string(
        f"{EDIT_TEMPLATE}#add-slot",
        {"kind": kind, "year": year, "goal_year": getattr(obj, "year", year)},
        request=request,
    )
    return _placed_response(request, obj, year, main=add_slot)


@require_http_methods(["GET", "POST"])
def row_edit(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = get_owned(_kind(kind).model, request.user, pk=pk)
    year = _page_year(request)
    if request.method == "GET":
        return _render_form(request, kind, _form_for(kind, request, obj), year, obj)
    form = _form_for(kind, request, obj, data=request.POST)
    if not form.is_valid():
        return _render_form(request, kind, form, year, obj)
    # Only what the form edits, onto the row as it is now: its long texts may
    # have been autosaved since ``obj`` was read.
    obj = obj.save_fields(form.fields)
    if not request.htmx:
        return redirect(_year_url(year, obj))
    return _placed_response(request, obj, year)


@require_GET
def row_view(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    """The row as it is (Esc or Cancel in a form)."""
    obj = get_owned(_kind(kind).model, request.user, pk=pk)
    year = _page_year(request)
    if not request.htmx:
        return redirect(_year_url(year, obj))
    if placement.place(obj, year).list_id is None:
        return HttpResponse("")
    return HttpResponse(render_row(request, obj, year))


@require_POST
def row_delete(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    obj = get_owned(_kind(kind).model, request.user, pk=pk)
    year = _page_year(request)
    section = placement.place(obj, year).section
    element_id = rows.row_id(obj)
    kept = trash.delete(obj)
    if not request.htmx:
        request.session["undo"] = kept.pk  # the year page offers the undo once
        return redirect(_year_url(year))
    context = {"trash": kept, "year": year, "element_id": element_id}
    response = render(request, f"{EDIT_TEMPLATE}#deleted-row", context)
    return trigger_client_event(response, section, {"year": year})


@require_POST
def undo(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    kept = get_owned(Trash, request.user, pk=pk)
    year = _page_year(request)
    obj = trash.restore(kept)
    if not request.htmx:
        messages.success(request, _("Restored “%(label)s”.") % {"label": str(obj)})
        return redirect(_year_url(year, obj))
    return _placed_response(request, obj, year)
