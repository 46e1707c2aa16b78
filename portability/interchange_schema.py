"""The interchange format, version 1, as a checker: every problem of a document, with its path.

``clean(data)`` walks the whole document and returns it with dates parsed,
plus every problem found — never only the first — each with the JSON path
of the value (``library[3].status``) and a message that quotes the value
(``"done" is not one of want, reading, finished, abandoned``). Import
writes nothing unless the list is empty. The format is described for users
in docs/data-format.md; the limits come from the models' field lengths.

``clean_extensions(ext, document)`` does the same for ``almanac.json``, the
Almanac-only fields a zip backup carries beside ``data.json``.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from library.models import Item, ItemKind, ItemStatus
from reviews.models import MAX_YEAR, MIN_YEAR, Goal, GoalStatus, Review
from reviews.prompts import PROMPTS
from timeline.models import CareerMove, Entry, MoveKind, Photo

FORMAT = "annual-review"
VERSION = 1
EXTENSIONS_FORMAT = "almanac-extensions"
EXTENSIONS_FILE = "almanac.json"
DATA_FILE = "data.json"
MAX_PROBLEMS = 1000
MAX_TARGET = 2_147_483_647  # PositiveIntegerField on every database

INVALID = object()  # a value that failed its check; the document has a problem then


@dataclass(frozen=True)
class Problem:
    """One problem of a document: where (a JSON path) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class DuplicateKeysDict(dict):
    """A JSON object that named some key more than once (``json`` keeps the last)."""

    duplicates: tuple[str, ...] = ()


def object_pairs(pairs: list[tuple[str, Any]]) -> dict:
    result = DuplicateKeysDict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        result.duplicates = tuple(k for k, _v in pairs if k in seen or seen.add(k))
    return result


def show(value: Any) -> str:
    """A value as it appears in the file, shortened, for a message."""
    if isinstance(value, dict):
        return _("an object")
    if isinstance(value, list):
        return _("a list")
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else f"{text[:57]}…"


def join(path: str, key: str) -> str:
    """``path.key``, or ``path["some key"]`` for a key that is not a plain name."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,59}", key, re.ASCII):
        return f"{path}.{key}" if path else key
    return f"{path}[{show(key)}]"


class Checker:
    def __init__(self, prefix: str = ""):
        self.prefix = prefix
        self.problems: list[Problem] = []
        self.more = 0

    def fail(self, path: str, message: str) -> object:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.prefix + (path or "$"), message))
        else:
            self.more += 1
        return INVALID

    def finish(self) -> list[Problem]:
        if self.more:
            self.problems.append(
                Problem("$", _("and %(count)d more problems") % {"count": self.more})
            )
        return self.problems


Check = Callable[[Any, str, Checker], Any]


# Checks of single values


def _storable(text: str) -> bool:
    """No NUL (PostgreSQL refuses it) and no lone surrogate (not encodable as UTF-8)."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def text(max_length: int | None = None, *, required: bool = False) -> Check:
    def check(value: Any, path: str, ck: Checker) -> Any:
        if not isinstance(value, str):
            return ck.fail(path, _("%(value)s is not a string") % {"value": show(value)})
        if not _storable(value):
            return ck.fail(path, _("contains a character that cannot be stored (NUL)"))
        if required and not value.strip():
            return ck.fail(path, _("must not be empty"))
        if max_length is not None and len(value) > max_length:
            return ck.fail(
                path,
                _("has %(count)d characters; at most %(limit)d are allowed")
                % {"count": len(value), "limit": max_length},
            )
        return value

    return check


def _field_text(model, name: str, *, required: bool = False) -> Check:
    return text(model._meta.get_field(name).max_length, required=required)


def boolean(value: Any, path: str, ck: Checker) -> Any:
    if not isinstance(value, bool):
        return ck.fail(path, _("%(value)s is not true or false") % {"value": show(value)})
    return value


def integer(low: int, high: int) -> Check:
    def check(value: Any, path: str, ck: Checker) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            return ck.fail(path, _("%(value)s is not a whole number") % {"value": show(value)})
        if not low <= value <= high:
            return ck.fail(
                path,
                _("%(value)s is not between %(low)d and %(high)d")
                % {"value": show(value), "low": low, "high": high},
            )
        return value

    return check


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def date(value: Any, path: str, ck: Checker) -> Any:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    return ck.fail(path, _("%(value)s is not a date") % {"value": show(value)})


def choice(values: list[str]) -> Check:
    def check(value: Any, path: str, ck: Checker) -> Any:
        if not isinstance(value, str) or value not in values:
            return ck.fail(
                path,
                _("%(value)s is not one of %(choices)s")
                % {"value": show(value), "choices": ", ".join(values)},
            )
        return value

    return check


_URL = re.compile(r"(https?|ftps?)://[^\s\x00-\x1f\x7f]+", re.IGNORECASE | re.ASCII)


def url(value: Any, path: str, ck: Checker) -> Any:
    value = text(Item._meta.get_field("url").max_length)(value, path, ck)
    if value is INVALID or value == "" or _URL.fullmatch(value):
        return value
    # Shown as a link: anything but a web address (javascript:, data:) is refused.
    return ck.fail(
        path, _("%(value)s is not a web address (http:// or https://)") % {"value": show(value)}
    )


def photo_file(value: Any, path: str, ck: Checker) -> Any:
    value = text(255, required=True)(value, path, ck)
    if value is INVALID:
        return value
    parts = value.split("/")
    if (
        "\\" in value
        or any(part in ("", ".", "..") for part in parts)
        or value in (DATA_FILE, EXTENSIONS_FILE)
        or any(ord(c) < 32 for c in value)
    ):
        return ck.fail(
            path, _("%(value)s is not a file name inside a backup") % {"value": show(value)}
        )
    return value


# Structure


def obj(fields: dict[str, tuple[bool, Check]]) -> Check:
    """An object with exactly these keys; (True, check) marks a key optional (missing or null)."""

    def check(value: Any, path: str, ck: Checker) -> Any:
        if not isinstance(value, dict):
            return ck.fail(path, _("%(value)s is not an object") % {"value": show(value)})
        for key in getattr(value, "duplicates", ()):
            ck.fail(join(path, key), _("appears more than once in the same object"))
        out: dict[str, Any] = {}
        for key, (optional, sub) in fields.items():
            here = join(path, key)
            if key not in value or (optional and value[key] is None):
                if not optional:
                    ck.fail(here, _("required key is missing"))
                out[key] = INVALID if not optional else None
                continue
            out[key] = sub(value[key], here, ck)
        for key in value:
            if key not in fields:
                ck.fail(join(path, key), _("unknown key"))
        return out

    return check


def listof(sub: Check) -> Check:
    def check(value: Any, path: str, ck: Checker) -> Any:
        if not isinstance(value, list):
            return ck.fail(path, _("%(value)s is not a list") % {"value": show(value)})
        return [sub(element, f"{path}[{i}]", ck) for i, element in enumerate(value)]

    return check


def constant(expected: Any, message: str) -> Check:
    """Exactly ``expected``; ``message`` may name %(value)s and %(expected)s."""

    def check(value: Any, path: str, ck: Checker) -> Any:
        if type(value) is not type(expected) or value != expected:
            return ck.fail(path, message % {"value": show(value), "expected": show(expected)})
        return value

    return check


REQUIRED, OPTIONAL = False, True


def _version_message() -> str:
    return _("%(value)s is not a version this Almanac reads (%(expected)s)")


YEAR = integer(MIN_YEAR, MAX_YEAR)

REVIEW = obj(
    {
        "year": (REQUIRED, YEAR),
        "title": (REQUIRED, _field_text(Review, "title")),
        "intro": (REQUIRED, text()),
        "closing": (REQUIRED, text()),
        "notes": (
            REQUIRED,
            obj({name: (OPTIONAL, text()) for name in ("timeline", "career", "reading", "goals")}),
        ),
        "license": (REQUIRED, _field_text(Review, "license")),
        "language": (REQUIRED, _field_text(Review, "language")),
    }
)
PHOTO = obj(
    {
        "file": (REQUIRED, photo_file),
        "caption": (REQUIRED, _field_text(Photo, "caption")),
    }
)
ENTRY = obj(
    {
        "title": (REQUIRED, _field_text(Entry, "title", required=True)),
        "body": (REQUIRED, text()),
        "started_on": (REQUIRED, date),
        "ended_on": (OPTIONAL, date),
        "private": (REQUIRED, boolean),
        "photos": (REQUIRED, listof(PHOTO)),
    }
)
MOVE = obj(
    {
        "date": (REQUIRED, date),
        "kind": (REQUIRED, choice(MoveKind.values)),
        "organization": (REQUIRED, _field_text(CareerMove, "organization", required=True)),
        "role": (REQUIRED, _field_text(CareerMove, "role")),
        "note": (REQUIRED, text()),
        "private": (REQUIRED, boolean),
    }
)
ITEM = obj(
    {
        "kind": (REQUIRED, choice(ItemKind.values)),
        "title": (REQUIRED, _field_text(Item, "title", required=True)),
        "authors": (REQUIRED, _field_text(Item, "authors")),
        "url": (REQUIRED, url),
        "status": (REQUIRED, choice(ItemStatus.values)),
        "started_on": (OPTIONAL, date),
        "finished_on": (OPTIONAL, date),
        "rating": (OPTIONAL, integer(1, 5)),
        "recommended": (REQUIRED, boolean),
        "notes": (REQUIRED, text()),
        "private": (REQUIRED, boolean),
    }
)
METRIC = obj(
    {
        "kind": (REQUIRED, choice(ItemKind.values)),
        "target": (REQUIRED, integer(1, MAX_TARGET)),
    }
)
GOAL = obj(
    {
        "year": (REQUIRED, YEAR),
        "title": (REQUIRED, _field_text(Goal, "title", required=True)),
        "description": (REQUIRED, text()),
        "status": (REQUIRED, choice(GoalStatus.values)),
        "outcome": (REQUIRED, text()),
        "metric": (OPTIONAL, METRIC),
        "private": (REQUIRED, boolean),
    }
)


def _document() -> Check:
    return obj(
        {
            "format": (REQUIRED, constant(FORMAT, _("%(value)s is not %(expected)s"))),
            "version": (
                REQUIRED,
                constant(VERSION, _version_message()),
            ),
            "reviews": (REQUIRED, listof(REVIEW)),
            "timeline": (REQUIRED, listof(ENTRY)),
            "career": (REQUIRED, listof(MOVE)),
            "library": (REQUIRED, listof(ITEM)),
            "goals": (REQUIRED, listof(GOAL)),
        }
    )


def _indexed(document: dict, key: str) -> list[tuple[int, dict]]:
    rows = document.get(key)
    if not isinstance(rows, list):
        return []
    return [(i, row) for i, row in enumerate(rows) if isinstance(row, dict)]


def _not_before(ck: Checker, path: str, start: Any, end: Any, start_name: str) -> None:
    if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
        ck.fail(
            path,
            _('"%(end)s" is before %(start_name)s "%(start)s"')
            % {"end": end.isoformat(), "start_name": start_name, "start": start.isoformat()},
        )


def clean(data: Any) -> tuple[Any, list[Problem]]:
    """The document with dates parsed and nulls for missing optional values, and its problems."""
    ck = Checker()
    if not isinstance(data, dict):
        ck.fail("$", _("the file is not a JSON object"))
        return INVALID, ck.finish()
    document = _document()(data, "", ck)
    first_of_year: dict[int, int] = {}
    for i, review in _indexed(document, "reviews"):
        year = review.get("year")
        if isinstance(year, int) and year in first_of_year:
            ck.fail(
                f"reviews[{i}].year",
                _("%(year)d is already the year of reviews[%(other)d]")
                % {"year": year, "other": first_of_year[year]},
            )
        elif isinstance(year, int):
            first_of_year[year] = i
    for i, entry in _indexed(document, "timeline"):
        _not_before(
            ck, f"timeline[{i}].ended_on", entry["started_on"], entry["ended_on"], "started_on"
        )
    for i, item in _indexed(document, "library"):
        _not_before(
            ck, f"library[{i}].finished_on", item["started_on"], item["finished_on"], "started_on"
        )
    return document, ck.finish()


# almanac.json: the fields the interchange format has no room for


ANSWERS = obj({prompt.key: (OPTIONAL, text()) for prompt in PROMPTS})


def clean_extensions(data: Any, document: dict) -> tuple[Any, list[Problem]]:
    """Check almanac.json against the (already clean) document it belongs to."""
    ck = Checker(prefix=f"{EXTENSIONS_FILE}:")
    if not isinstance(data, dict):
        ck.fail("$", _("the file is not a JSON object"))
        return INVALID, ck.finish()
    at = {
        key: integer(0, max(len(document[key]) - 1, 0)) for key in ("reviews", "library", "goals")
    }
    shape = obj(
        {
            "format": (REQUIRED, constant(EXTENSIONS_FORMAT, _("%(value)s is not %(expected)s"))),
            "version": (
                REQUIRED,
                constant(VERSION, _version_message()),
            ),
            "reviews": (
                OPTIONAL,
                listof(
                    obj(
                        {
                            "at": (REQUIRED, at["reviews"]),
                            "year": (REQUIRED, YEAR),
                            "author_name": (OPTIONAL, _field_text(Review, "author_name")),
                            "answers": (OPTIONAL, ANSWERS),
                            "show_answers": (OPTIONAL, boolean),
                            "prompts_hidden": (OPTIONAL, boolean),
                        }
                    )
                ),
            ),
            "library": (
                OPTIONAL,
                listof(
                    obj(
                        {
                            "at": (REQUIRED, at["library"]),
                            "title": (REQUIRED, text()),
                            "private_notes": (OPTIONAL, text()),
                            "goodreads_id": (OPTIONAL, _field_text(Item, "goodreads_id")),
                        }
                    )
                ),
            ),
            "goals": (
                OPTIONAL,
                listof(
                    obj(
                        {
                            "at": (REQUIRED, at["goals"]),
                            "title": (REQUIRED, text()),
                            "carried_from": (OPTIONAL, at["goals"]),
                        }
                    )
                ),
            ),
        }
    )
    ext = shape(data, "", ck)
    if ext is INVALID:
        return ext, ck.finish()
    for key, match in (("reviews", "year"), ("library", "title"), ("goals", "title")):
        rows = ext.get(key) if isinstance(ext.get(key), list) else []
        seen: set[int] = set()
        for i, row in enumerate(rows):
            if not isinstance(row, dict) or not isinstance(row.get("at"), int):
                continue
            index = row["at"]
            if not document[key]:
                ck.fail(f"{key}[{i}].at", _("data.json has no %(key)s") % {"key": key})
            elif index in seen:
                ck.fail(f"{key}[{i}].at", _("%(at)d appears twice") % {"at": index})
            elif row.get(match) is not INVALID and document[key][index][match] != row[match]:
                ck.fail(
                    f"{key}[{i}].{match}",
                    _("%(value)s does not match data.json %(key)s[%(at)d]")
                    % {"value": show(row[match]), "key": key, "at": index},
                )
            seen.add(index)
    carried: set[int] = set()
    goals = ext.get("goals") if isinstance(ext.get("goals"), list) else []
    for i, row in enumerate(goals):
        source = row.get("carried_from") if isinstance(row, dict) else None
        if not isinstance(source, int) or not document["goals"]:
            continue
        if source == row.get("at") or source in carried:
            ck.fail(
                f"goals[{i}].carried_from",
                _("goals[%(at)d] cannot be carried over here") % {"at": source},
            )
        carried.add(source)
    return ext, ck.finish()
