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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from core.htmx import HtmxHttpRequest
from core.owner import get_owned
from library.forms import ItemForm
from library.models import Item
from reviews import compare, placement, trash
from reviews.forms import GoalForm
from reviews.models import MAX_YEAR, MIN_YEAR, Goal, Trash
from timeline.forms import CareerMoveForm, EntryForm
from timeline.models import CareerMove, Entry

KINDS = {
    "entry": (Entry, EntryForm),
    "move": (CareerMove, CareerMoveForm),
    "item": (Item, ItemForm),
    "goal": (Goal, GoalForm),
}
ROW_TEMPLATES = {
    "entry": "timeline/_entry.html#entry-row",
    "move": "timeline/_move.html#move-row",
    "item": "library/_item.html#item-row",
    "goal": "reviews/_goal.html#goal-row",
}
EDIT_TEMPLATE = "reviews/edit.html"


def _kind(kind: str):
    try:
        return KINDS[kind]
    except KeyError:
        raise Http404("No such kind") from None


def _page_year(request) -> int:
    raw = request.POST.get("year") or request.GET.get("year") or ""
    try:
        year = int(raw)
    except ValueError:
        raise Http404("No such year") from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404("No such year")
    return year


def _kind_of(obj) -> str:
    return {Entry: "entry", CareerMove: "move", Item: "item", Goal: "goal"}[type(obj)]


def _row_context(obj, year: int) -> dict:
    kind = _kind_of(obj)
    return {kind: obj, "obj": obj, "kind": kind, "year": year, "editable": True}


def render_row(request, obj, year: int) -> str:
    if isinstance(obj, Goal):
        progress = compare.metric_progress(obj.owner, [obj])
        compare.attach_progress([obj], progress, timezone.localdate())
    if isinstance(obj, Entry):
        from core.dates import span_label

        obj.span = span_label(obj.started_on, obj.ended_on)
    return render_to_string(ROW_TEMPLATES[_kind_of(obj)], _row_context(obj, year), request=request)


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
    form_class = _kind(kind)[1]
    form = form_class(data, instance=instance, prefix=kind, label_suffix="")
    if instance is not None:
        # Long texts of an existing row are edited by their own autosaving editors.
        for name in type(instance).markdown_fields:
            form.fields.pop(name, None)
    return form


def _render_form(request, kind, form, year, obj=None, status=200):
    context = {"form": form, "kind": kind, "year": year, "obj": obj, "editable": True}
    context["obj_id"] = placement.row_id(obj) if obj else ""
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
        if not MIN_YEAR <= obj.year <= MAX_YEAR:
            raise Http404("No such year")
    if not form.is_valid():
        return _render_form(request, kind, form, year)
    form.save()
    if not request.htmx:
        return redirect(f"/{year}/#{placement.row_id(obj)}")
    add_slot = render_to_string(
        f"{EDIT_TEMPLATE}#add-slot",
        {"kind": kind, "year": year, "goal_year": getattr(obj, "year", year)},
        request=request,
    )
    return _placed_response(request, obj, year, main=add_slot)


@require_http_methods(["GET", "POST"])
def row_edit(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    model = _kind(kind)[0]
    obj = get_owned(model, request.user, pk=pk)
    year = _page_year(request)
    if request.method == "GET":
        return _render_form(request, kind, _form_for(kind, request, obj), year, obj)
    form = _form_for(kind, request, obj, data=request.POST)
    if not form.is_valid():
        return _render_form(request, kind, form, year, obj)
    form.save()
    if not request.htmx:
        return redirect(f"/{year}/#{placement.row_id(obj)}")
    return _placed_response(request, obj, year)


@require_GET
def row_view(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    """The row as it is (Esc or Cancel in a form)."""
    model = _kind(kind)[0]
    obj = get_owned(model, request.user, pk=pk)
    year = _page_year(request)
    if not request.htmx:
        return redirect(f"/{year}/#{placement.row_id(obj)}")
    if placement.place(obj, year).list_id is None:
        return HttpResponse("")
    return HttpResponse(render_row(request, obj, year))


@require_POST
def row_delete(request: HtmxHttpRequest, kind: str, pk: int) -> HttpResponse:
    model = _kind(kind)[0]
    obj = get_owned(model, request.user, pk=pk)
    year = _page_year(request)
    section = placement.place(obj, year).section
    element_id = placement.row_id(obj)
    kept = trash.delete(obj)
    if not request.htmx:
        request.session["undo"] = kept.pk  # the year page offers the undo once
        return redirect(f"/{year}/")
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
        return redirect(f"/{year}/#{placement.row_id(obj)}")
    return _placed_response(request, obj, year)
