"""The interchange format (versions 1 and 2) as a checker of its shape: every problem, by path.

``clean(data, rules)`` walks the whole document and returns it with dates
parsed, plus every problem found — never only the first — each with the
JSON path of the value (``library[3].status``). This module knows only the
file's shape: the format and version header, which keys an object has
(required, optional, unknown), the JSON type of each value, dates written
``YYYY-MM-DD`` and the photo files a row names. What a value may be — its
length, its choices, a URL's scheme, a year's range, an end after its start
— is the models' and forms' business: ``rules`` (``interchange_rows``)
checks each row whose shape is sound, in document order, so the problems
come out as they appear in the file. Import writes nothing unless the list
is empty. The format is described for users in docs/data-format.md.

``clean_extensions(ext, data, rules)`` does the same for ``almanac.json``,
the Almanac-only fields a zip backup carries beside ``data.json``.

Version 2 is what export writes: a review holds one ``document`` (the
essay with its embeds) instead of version 1's opening, closing and notes,
every row and photo may carry the ``key`` embeds name it by, and a
``tallies`` list sits at the top. Version 1 files still import (their texts
become the document, see ``interchange_import``). Version 2 also allows the
dates ``YYYY``, ``YYYY-Qn`` and ``YYYY-MM`` (a year, quarter or month:
see core.dates); a version 1 date is a day. A tally (a count of a kind for
a year, recorded whether or not the items are listed) has ``year``,
``kind`` and ``count``, and may have ``note`` and ``private``.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.dates import PartialDate, Precision, parse_partial
from reviews.prompts import PROMPTS

FORMAT = "annual-review"
VERSION = 2  # what export writes
VERSIONS = (1, 2)  # what import reads
EXTENSIONS_FORMAT = "almanac-extensions"
EXTENSIONS_FILE = "almanac.json"
DATA_FILE = "data.json"
SECTIONS = ("reviews", "timeline", "career", "library", "goals")
KEY_LENGTH = 16  # core.models.Keyed.key
MAX_PROBLEMS = 1000

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


_SURROGATE = re.compile("[\ud800-\udfff]")


def show(value: Any) -> str:
    """A value as it appears in the file, shortened, for a message."""
    if isinstance(value, dict):
        return _("an object")
    if isinstance(value, list):
        return _("a list")
    text = json.dumps(value, ensure_ascii=False)
    # A lone surrogate stays escaped as JSON wrote it: it cannot be printed or sent as UTF-8.
    text = _SURROGATE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)
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
# A row's own rules: (the row, shape-checked; its path; the checker; its index) -> what it becomes.
RowRule = Callable[[dict, str, Checker, int], Any]


# JSON types


def unstorable(text: str) -> str | None:
    """Why ``text`` cannot be stored, or None: a NUL (PostgreSQL refuses it) or a lone
    surrogate (half of a UTF-16 pair, which is no character and has no UTF-8)."""
    if "\x00" in text:
        return _("contains a NUL character, which cannot be stored")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code = f"U+{ord(text[error.start]):04X}"
        return _("contains a lone surrogate (%(code)s), which is not a character") % {"code": code}
    return None


def text(value: Any, path: str, ck: Checker) -> Any:
    if not isinstance(value, str):
        return ck.fail(path, _("%(value)s is not a string") % {"value": show(value)})
    reason = unstorable(value)
    if reason:
        return ck.fail(path, reason)
    return value


def boolean(value: Any, path: str, ck: Checker) -> Any:
    if not isinstance(value, bool):
        return ck.fail(path, _("%(value)s is not true or false") % {"value": show(value)})
    return value


def whole_number(value: Any, path: str, ck: Checker) -> Any:
    if isinstance(value, bool) or not isinstance(value, int):
        return ck.fail(path, _("%(value)s is not a whole number") % {"value": show(value)})
    return value


def position(count: int) -> Check:
    """An index into a list of ``count`` rows of data.json."""

    def check(value: Any, path: str, ck: Checker) -> Any:
        value = whole_number(value, path, ck)
        high = max(count - 1, 0)
        if value is not INVALID and not 0 <= value <= high:
            return ck.fail(
                path,
                _("%(value)s is not between %(low)d and %(high)d")
                % {"value": show(value), "low": 0, "high": high},
            )
        return value

    return check


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
# What version 2 allows besides a day: a year, a quarter, a month.
_PARTIAL_DATE = re.compile(r"[0-9]{4}(-Q[0-9]|-[0-9]{2})?", re.ASCII)


def date(value: Any, path: str, ck: Checker) -> Any:
    """Version 1's date: ``YYYY-MM-DD``, and only so, whatever the interface language."""
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, str) and _PARTIAL_DATE.fullmatch(value):
        return ck.fail(
            path,
            _("%(value)s is a year, quarter or month; version 1 has only whole days"
              " (YYYY-MM-DD)") % {"value": show(value)},
        )  # fmt: skip
    return ck.fail(path, _("%(value)s is not a date") % {"value": show(value)})


def partial_date(value: Any, path: str, ck: Checker) -> Any:
    """Version 2's date: ``YYYY``, ``YYYY-Qn``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    Only these spellings: the forms also read 2020年4月, a file does not. Whether the
    month, quarter or day exists is ``parse_partial``'s message, as the forms give it.
    """
    if isinstance(value, str) and _DATE.fullmatch(value):
        day = date(value, path, ck)
        return day if day is INVALID else PartialDate.of(day, Precision.DAY)
    if not (isinstance(value, str) and _PARTIAL_DATE.fullmatch(value)):
        return ck.fail(path, _("%(value)s is not a date") % {"value": show(value)})
    try:
        return parse_partial(value)
    except ValidationError as error:
        return ck.fail(path, " ".join(error.messages))


_KEY = re.compile(r"[A-Za-z0-9]+", re.ASCII)


def row_key(value: Any, path: str, ck: Checker) -> Any:
    """A row's key: letters and digits only, as an embed line can name it."""
    value = text(value, path, ck)
    if value is not INVALID and not (_KEY.fullmatch(value) and len(value) <= KEY_LENGTH):
        return ck.fail(
            path,
            _("%(value)s is not a key (1 to %(limit)d letters and digits)")
            % {"value": show(value), "limit": KEY_LENGTH},
        )
    return value


def photo_file(value: Any, path: str, ck: Checker) -> Any:
    value = text(value, path, ck)
    if value is INVALID:
        return value
    parts = value.split("/")
    if (
        not value
        or len(value) > 255
        or "\\" in value
        or any(part in ("", ".", "..") for part in parts)
        or value in (DATA_FILE, EXTENSIONS_FILE)
        or any(ord(c) < 32 for c in value)
    ):
        return ck.fail(
            path, _("%(value)s is not a file name inside a backup") % {"value": show(value)}
        )
    return value


# Structure


def _intact(value: Any) -> bool:
    """True when no value of this object (or of an object inside it) failed its check."""
    if value is INVALID:
        return False
    if isinstance(value, dict):
        return all(_intact(v) for v in value.values())
    return True


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


def listof(sub: Check, rule: RowRule | None = None) -> Check:
    """A list of ``sub``; each element whose shape is sound then goes through ``rule``."""

    def check(value: Any, path: str, ck: Checker) -> Any:
        if not isinstance(value, list):
            return ck.fail(path, _("%(value)s is not a list") % {"value": show(value)})
        out = []
        for i, element in enumerate(value):
            here = f"{path}[{i}]"
            row = sub(element, here, ck)
            if rule is not None and isinstance(row, dict) and _intact(row):
                row = rule(row, here, ck, i)
            out.append(row)
        return out

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


def version(value: Any, path: str, ck: Checker) -> Any:
    if isinstance(value, bool) or value not in VERSIONS:
        expected = _("%(versions)s or %(last)s") % {
            "versions": ", ".join(map(str, VERSIONS[:-1])),
            "last": VERSIONS[-1],
        }
        return ck.fail(path, _version_message() % {"value": show(value), "expected": expected})
    return value


def version_of(data: Any) -> int:
    """The version a document says it is, or the newest when it says nothing readable."""
    found = data.get("version") if isinstance(data, dict) else None
    return found if not isinstance(found, bool) and found in VERSIONS else VERSION


def _keyed(fields: dict[str, tuple[bool, Check]]) -> dict[str, tuple[bool, Check]]:
    """Version 2's row: version 1's with an optional ``key`` first, and dates that may be
    a year, a quarter or a month as well as a day."""
    v2 = {
        name: (required, partial_date if check is date else check)
        for name, (required, check) in fields.items()
    }
    return {"key": (OPTIONAL, row_key), **v2}


REVIEW_V1 = obj(
    {
        "year": (REQUIRED, whole_number),
        "title": (REQUIRED, text),
        "intro": (REQUIRED, text),
        "closing": (REQUIRED, text),
        "notes": (
            REQUIRED,
            obj({name: (OPTIONAL, text) for name in ("timeline", "career", "reading", "goals")}),
        ),
        "license": (REQUIRED, text),
        "language": (REQUIRED, text),
    }
)
REVIEW = obj(
    {
        "year": (REQUIRED, whole_number),
        "title": (REQUIRED, text),
        "document": (REQUIRED, text),
        "license": (REQUIRED, text),
        "language": (REQUIRED, text),
    }
)
PHOTO_FIELDS = {
    "file": (REQUIRED, photo_file),
    "caption": (REQUIRED, text),
}
ENTRY_FIELDS = {
    "title": (REQUIRED, text),
    "body": (REQUIRED, text),
    "started_on": (REQUIRED, date),
    "ended_on": (OPTIONAL, date),
    "private": (REQUIRED, boolean),
}
MOVE_FIELDS = {
    "date": (REQUIRED, date),
    "kind": (REQUIRED, text),
    "organization": (REQUIRED, text),
    "role": (REQUIRED, text),
    "note": (REQUIRED, text),
    "private": (REQUIRED, boolean),
}
ITEM_FIELDS = {
    "kind": (REQUIRED, text),
    "title": (REQUIRED, text),
    "authors": (REQUIRED, text),
    "url": (REQUIRED, text),
    "status": (REQUIRED, text),
    "started_on": (OPTIONAL, date),
    "finished_on": (OPTIONAL, date),
    "rating": (OPTIONAL, whole_number),
    "recommended": (REQUIRED, boolean),
    "notes": (REQUIRED, text),
    "private": (REQUIRED, boolean),
}
METRIC = obj(
    {
        "kind": (REQUIRED, text),
        "target": (REQUIRED, whole_number),
    }
)
GOAL_FIELDS = {
    "year": (REQUIRED, whole_number),
    "title": (REQUIRED, text),
    "description": (REQUIRED, text),
    "status": (REQUIRED, text),
    "outcome": (REQUIRED, text),
    "metric": (OPTIONAL, METRIC),
    "private": (REQUIRED, boolean),
}
TALLY_FIELDS = {
    "year": (REQUIRED, whole_number),
    "kind": (REQUIRED, text),
    "count": (REQUIRED, whole_number),
    "note": (OPTIONAL, text),
    "private": (OPTIONAL, boolean),
}
ROWS_V1 = {
    "reviews": REVIEW_V1,
    "timeline": obj({**ENTRY_FIELDS, "photos": (REQUIRED, listof(obj(PHOTO_FIELDS)))}),
    "career": obj(MOVE_FIELDS),
    "library": obj(ITEM_FIELDS),
    "goals": obj(GOAL_FIELDS),
}
ROWS = {
    "reviews": REVIEW,
    "timeline": obj(
        _keyed({**ENTRY_FIELDS, "photos": (REQUIRED, listof(obj(_keyed(PHOTO_FIELDS))))})
    ),
    "career": obj(_keyed(MOVE_FIELDS)),
    "library": obj(_keyed(ITEM_FIELDS)),
    "goals": obj(_keyed(GOAL_FIELDS)),
}


def clean(data: Any, rules: Mapping[str, RowRule] | None = None) -> tuple[Any, list[Problem]]:
    """The document with dates parsed, each row as its rule made it, and every problem.

    A missing optional value is None. Without ``rules`` only the shape is checked.
    """
    ck = Checker()
    if not isinstance(data, dict):
        ck.fail("$", _("the file is not a JSON object"))
        return INVALID, ck.finish()
    rules = rules or {}
    number = version_of(data)
    rows = ROWS if number == 2 else ROWS_V1
    fields = {
        "format": (REQUIRED, constant(FORMAT, _("%(value)s is not %(expected)s"))),
        "version": (REQUIRED, version),
        **{key: (REQUIRED, listof(rows[key], rules.get(key))) for key in SECTIONS},
    }
    if number == 2:
        fields["tallies"] = (REQUIRED, listof(obj(TALLY_FIELDS), rules.get("tallies")))
    document = obj(fields)(data, "", ck)
    return document, ck.finish()


# almanac.json: the fields the interchange format has no room for


ANSWERS = obj({prompt.key: (OPTIONAL, text) for prompt in PROMPTS})


def clean_extensions(
    data: Any, document: dict, rules: Mapping[str, RowRule] | None = None
) -> tuple[Any, list[Problem]]:
    """Check almanac.json against the data.json it belongs to (as read, its shape sound)."""
    ck = Checker(prefix=f"{EXTENSIONS_FILE}:")
    if not isinstance(data, dict):
        ck.fail("$", _("the file is not a JSON object"))
        return INVALID, ck.finish()
    rules = rules or {}
    number = version_of(document)
    at = {key: position(len(document[key])) for key in ("reviews", "library", "goals")}
    if number == 1:
        review = {
            "author_name": (OPTIONAL, text),
            "answers": (OPTIONAL, ANSWERS),
            "show_answers": (OPTIONAL, boolean),
            "prompts_hidden": (OPTIONAL, boolean),
        }
    else:
        review = {"author_name": (OPTIONAL, text)}
    fields = {
        "format": (REQUIRED, constant(EXTENSIONS_FORMAT, _("%(value)s is not %(expected)s"))),
        "version": (
            REQUIRED,
            constant(number, _("%(value)s is not the version of data.json (%(expected)s)")),
        ),
        "reviews": (
            OPTIONAL,
            listof(
                obj({"at": (REQUIRED, at["reviews"]), "year": (REQUIRED, whole_number), **review}),
                rules.get("reviews"),
            ),
        ),
        "library": (
            OPTIONAL,
            listof(
                obj(
                    {
                        "at": (REQUIRED, at["library"]),
                        "title": (REQUIRED, text),
                        "private_notes": (OPTIONAL, text),
                        "goodreads_id": (OPTIONAL, text),
                    }
                ),
                rules.get("library"),
            ),
        ),
        "goals": (
            OPTIONAL,
            listof(
                obj(
                    {
                        "at": (REQUIRED, at["goals"]),
                        "title": (REQUIRED, text),
                        "carried_from": (OPTIONAL, at["goals"]),
                    }
                )
            ),
        ),
    }
    if number == 2:
        # Photos placed straight into a year's document (no entry): the format has no
        # place for them, so they travel here, with their files in the zip.
        fields["photos"] = (
            OPTIONAL,
            listof(
                obj(
                    {
                        "key": (REQUIRED, row_key),
                        "year": (REQUIRED, whole_number),
                        **PHOTO_FIELDS,
                    }
                ),
                rules.get("photos"),
            ),
        )
    shape = obj(fields)
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
    _refuse_circles(goals, ck)
    return ext, ck.finish()


def _refuse_circles(goals: list, ck: Checker) -> None:
    """Goals carried over from each other in a circle (A from B, B from A) are refused.

    Each goal is carried from at most one, so following ``carried_from`` from a
    goal either ends or comes back round; a circle is reported once, at the
    first of its rows in the file.
    """
    source_of: dict[int, int] = {}
    row_of: dict[int, int] = {}
    for i, row in enumerate(goals):
        if isinstance(row, dict) and isinstance(row.get("at"), int):
            row_of.setdefault(row["at"], i)
            if isinstance(row.get("carried_from"), int) and row["carried_from"] != row["at"]:
                source_of.setdefault(row["at"], row["carried_from"])
    reported: set[int] = set()
    for start in source_of:
        path, at = [], start
        while at in source_of and at not in path and at not in reported:
            path.append(at)
            at = source_of[at]
        if at in path:
            circle = path[path.index(at) :]
            reported.update(circle)
            first = min(row_of[goal] for goal in circle)
            names = " ← ".join(f"goals[{goal}]" for goal in [*circle, circle[0]])
            ck.fail(
                f"goals[{first}].carried_from",
                _("goals would be carried over from each other in a circle: %(circle)s")
                % {"circle": names},
            )
        reported.update(path)
