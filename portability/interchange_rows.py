"""Each row of a document checked by the rules of the page that edits it, as the row it becomes.

An entry, career move, item, goal or tally goes through its model form
(``EntryForm``, ``CareerMoveForm``, ``ItemForm``, ``GoalForm``, ``TallyForm``): the same
field rules, choices and cross-field checks as the pages, and the model's
own field validation that the form runs. A review, whose fields the pages
edit one at a time, goes through its model's ``full_clean``; so do the
fields no form has (a goal's year, a photo's caption, almanac.json's
extras), followed by the model constraints on those fields alone, with
their ``violation_error_message``. Each error is reported at the JSON path
of its value, in the words of the form or model (``library[0].url: Enter a
valid URL.``), so the format and the forms cannot drift apart.

The forms' own check of the model constraints is left out: it is one
database query per constraint and row (40,000 for 10,000 items), and each
form already checks those constraints in its ``clean``, with a message on
the field. Long Markdown texts are kept exactly as written, as the text
editor saves them (the forms trim only one-line inputs), so that a round
trip gives the same text.

A row that passes becomes an unsaved model instance without an owner
(``Row``); the import sets the owner and saves it.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from library.forms import ItemForm, TallyForm
from library.models import Item
from portability.interchange_schema import INVALID, Checker, RowRule, join, show, unstorable
from reviews.forms import GoalForm
from reviews.models import Review
from timeline.forms import CareerMoveForm, EntryForm
from timeline.models import Photo

REVIEW_FIELDS = {
    "year": "year",
    "title": "title",
    "document": "document",
    "license": "license",
    "language": "language",
}
# A version 1 review's texts, by the names reviews.document.compose takes them.
V1_TEXTS = {
    "intro": ("intro",),
    "note_timeline": ("notes", "timeline"),
    "note_career": ("notes", "career"),
    "note_reading": ("notes", "reading"),
    "note_goals": ("notes", "goals"),
    "closing": ("closing",),
}
GOAL_PATHS = {"metric_kind": "metric.kind", "metric_target": "metric.target"}


@dataclass
class Row:
    """A row of the document as it will be saved.

    An entry keeps its photos ({file, caption, key?}); a version 1 review its
    texts, which become its document when it is written (with the guided
    answers almanac.json may carry); ``key_given`` says the file named the key.
    """

    object: models.Model
    photos: list[dict] = field(default_factory=list)
    texts: dict[str, str] | None = None
    key_given: bool = False


@functools.cache
def _without_constraint_queries(form_class: type[forms.ModelForm]) -> type[forms.ModelForm]:
    class Form(form_class):
        def validate_constraints(self) -> None:
            pass  # see the module docstring

    return Form


class _FormCheck:
    """One model form, bound to each row in turn.

    Building a form deep-copies all its fields: 10,000 rows would spend
    more time on that than on everything else.
    """

    def __init__(self, form_class: type[forms.ModelForm], paths: dict[str, str] | None = None):
        self.form = _without_constraint_queries(form_class)(data={})
        self.model = self.form._meta.model
        self.paths = paths or {}
        for name, form_field in self.form.fields.items():
            if isinstance(self.model._meta.get_field(name), models.TextField):
                form_field.strip = False

    def __call__(self, data: dict, path: str, ck: Checker) -> models.Model | None:
        form = self.form
        form.data, form.instance = data, self.model()
        form.full_clean()
        for name, messages in form.errors.items():
            here = path if name == NON_FIELD_ERRORS else _path(path, self.paths.get(name, name))
            for message in messages:
                ck.fail(here, message)
        return None if form.errors else form.instance


def _path(path: str, dotted: str) -> str:
    for key in dotted.split("."):
        path = join(path, key)
    return path


def _constraint_field(model: type[models.Model], constraint) -> str:
    """The field a constraint's message belongs to: the last of its fields, in model order."""
    if isinstance(constraint, models.CheckConstraint):
        names = models.Q(constraint.condition).referenced_base_fields
    else:
        names = set(getattr(constraint, "fields", ()))
    order = [f.name for f in model._meta.fields if f.name in names]
    return order[-1] if order else NON_FIELD_ERRORS


def check_model(
    instance: models.Model, paths: dict[str, str], path: str, ck: Checker
) -> models.Model | None:
    """The model's rules for the fields in ``paths`` (field -> JSON path under ``path``).

    Field validation first, then every constraint on those fields alone
    (one that also names another field is that field's form's business).
    """
    others = {f.name for f in instance._meta.fields} - set(paths)
    errors: dict[str, list[str]] = {}
    try:
        instance.clean_fields(exclude=others)
    except ValidationError as error:
        errors = error.message_dict
    for model, constraints in instance.get_constraints():
        for constraint in constraints:
            try:
                constraint.validate(model, instance, exclude=others | set(errors))
            except ValidationError as error:
                name = _constraint_field(model, constraint)
                errors.setdefault(name, []).extend(error.messages)
    for name, messages in errors.items():
        here = path if name == NON_FIELD_ERRORS else _path(path, paths.get(name, name))
        for message in messages:
            ck.fail(here, message)
    return None if errors else instance


class Rules:
    """The rules of each row kind, for one document (their forms are reused row after row)."""

    def __init__(self):
        self.entry = _FormCheck(EntryForm)
        self.move = _FormCheck(CareerMoveForm)
        self.item = _FormCheck(ItemForm)
        self.goal = _FormCheck(GoalForm, GOAL_PATHS)
        self.tally = _FormCheck(TallyForm)
        self.years: dict[int, int] = {}
        self.tallies: dict[tuple[int, str], int] = {}  # (year, kind) -> index in the file
        # Where each key was first seen, per model (an entry's photos and the
        # document's photos share one model, so one set of keys).
        self.keys: dict[str, dict[str, str]] = defaultdict(dict)

    def document(self) -> dict[str, RowRule]:
        return {
            "reviews": self.review_row,
            "timeline": self.entry_row,
            "career": self.move_row,
            "library": self.item_row,
            "goals": self.goal_row,
            "tallies": self.tally_row,
        }

    def extensions(self) -> dict[str, RowRule]:
        return {
            "reviews": self.review_extras,
            "library": self.item_extras,
            "photos": self.document_photo,
        }

    def key(self, kind: str, row: dict, path: str, ck: Checker) -> bool:
        """Whether the row names its key; a key named twice in the file is a problem."""
        key = row.get("key")
        if key is None or key is INVALID:
            return False
        seen = self.keys[kind]
        if key in seen:
            ck.fail(
                f"{path}.key",
                _("%(value)s is already the key of %(other)s")
                % {"value": show(key), "other": seen[key]},
            )
        else:
            seen[key] = ck.prefix + path
        return True

    def review_row(self, row: dict, path: str, ck: Checker, index: int) -> Any:
        texts = None
        if "document" in row:
            document = row["document"]
        else:  # version 1: its texts become the document when it is written
            document = ""
            texts = {name: _dig(row, keys) or "" for name, keys in V1_TEXTS.items()}
        review = Review(
            year=row["year"],
            title=row["title"],
            document=document,
            license=row["license"],
            language=row["language"],
        )
        # Two reviews of one year in the file (their owner's year is unique).
        if row["year"] in self.years:
            return ck.fail(
                f"{path}.year",
                _("%(year)d is already the year of reviews[%(other)d]")
                % {"year": row["year"], "other": self.years[row["year"]]},
            )
        self.years[row["year"]] = index
        checked = _row(check_model(review, REVIEW_FIELDS, path, ck))
        if texts is not None and checked is not INVALID:
            checked.texts = texts
        return checked

    def entry_row(self, row: dict, path: str, ck: Checker, index: int) -> Any:
        given = self.key("entry", row, path, ck)
        entry = self.entry(row, path, ck)
        photos = row["photos"]
        for j, photo in enumerate(photos):
            if not isinstance(photo, dict):
                continue
            self.key("photo", photo, f"{path}.photos[{j}]", ck)
            if photo["caption"] is not INVALID:
                check_model(
                    Photo(caption=photo["caption"]),
                    {"caption": "caption"},
                    f"{path}.photos[{j}]",
                    ck,
                )
        return _keep_key(_row(entry, photos), row, given)

    def move_row(self, row: dict, path: str, ck: Checker, index: int) -> Any:
        given = self.key("move", row, path, ck)
        return _keep_key(_row(self.move(row, path, ck)), row, given)

    def item_row(self, row: dict, path: str, ck: Checker, index: int) -> Any:
        given = self.key("item", row, path, ck)
        return _keep_key(_row(self.item(row, path, ck)), row, given)

    def goal_row(self, row: dict, path: str, ck: Checker, index: int) -> Any:
        given = self.key("goal", row, path, ck)
        metric = row["metric"] or {}
        data = {
            **row,
            "metric_kind": metric.get("kind", ""),
            "metric_target": metric.get("target"),
        }
        goal = self.goal(data, path, ck)
        if goal is None:
            return INVALID
        goal.year = row["year"]
        return _keep_key(_row(check_model(goal, {"year": "year"}, path, ck)), row, given)

    def tally_row(self, row: dict, path: str, ck: Checker, index: int) -> Any:
        data = {**row, "note": row["note"] or "", "private": bool(row["private"])}
        tally = self.tally(data, path, ck)
        if tally is None:
            return INVALID
        tally.year = row["year"]
        if check_model(tally, {"year": "year", "count": "count"}, path, ck) is None:
            return INVALID
        # One count per kind and year (as the account holds them).
        other = self.tallies.setdefault((tally.year, tally.kind), index)
        if other != index:
            return ck.fail(
                f"{path}.kind",
                _("%(year)d already has a count of %(kind)s at tallies[%(other)d]")
                % {"year": tally.year, "kind": show(tally.kind), "other": other},
            )
        return Row(tally)

    def review_extras(self, row: dict, path: str, ck: Checker, index: int) -> dict:
        # A version 1 file's guided answers are Markdown of any length: only their shape counts.
        review = Review(author_name=row["author_name"] or "")
        check_model(review, {"author_name": "author_name"}, path, ck)
        return row

    def document_photo(self, row: dict, path: str, ck: Checker, index: int) -> dict:
        """A photo placed straight into a year's document (almanac.json ``photos``)."""
        self.key("photo", row, path, ck)
        check_model(Photo(caption=row["caption"]), {"caption": "caption"}, path, ck)
        # The model leaves the year open (a photo of an entry has none); a document's year
        # is a review's year.
        check_model(Review(year=row["year"]), {"year": "year"}, path, ck)
        return row

    def item_extras(self, row: dict, path: str, ck: Checker, index: int) -> dict:
        item = Item(
            private_notes=row["private_notes"] or "",
            goodreads_id=row["goodreads_id"] or "",
        )
        check_model(item, ITEM_EXTRAS, path, ck)
        return row


ITEM_EXTRAS = {"private_notes": "private_notes", "goodreads_id": "goodreads_id"}


class ItemCheck:
    """An item made by another importer (a Goodreads row), checked as a backup's item is.

    ``check(item)`` gives (field, message) for each problem, empty when the item
    can be stored and its owner's backup imported back: the item form's rules,
    the model's for the fields no form has, and no text that cannot be stored.
    """

    def __init__(self):
        self.form = _FormCheck(ItemForm)

    def check(self, item: Item) -> list[tuple[str, str]]:
        ck = Checker()
        self.form({name: getattr(item, name) for name in self.form.form.fields}, "", ck)
        check_model(item, ITEM_EXTRAS, "", ck)
        problems = [(problem.path, problem.message) for problem in ck.problems]
        failed = {name for name, _message in problems}
        for model_field in Item._meta.fields:
            value = getattr(item, model_field.attname)
            reason = unstorable(value) if isinstance(value, str) else None
            if reason and model_field.name not in failed:
                problems.append((model_field.name, reason))
        return problems


def _row(instance: models.Model | None, photos: list | None = None) -> Any:
    return INVALID if instance is None else Row(instance, photos or [])


def _keep_key(checked: Any, row: dict, given: bool) -> Any:
    """The row keeps the key the file names; without one it keeps the key it was made with."""
    if checked is not INVALID and given:
        checked.object.key = row["key"]
        checked.key_given = True
    return checked


def _dig(row: dict, keys: tuple[str, ...]) -> Any:
    for key in keys:
        row = row.get(key) if isinstance(row, dict) else None
    return row
