"""An import from /data/ in bounded steps, so that a large one never outlasts a worker's timeout.

The browser drives the steps (htmx asks for the next one as soon as a step
answers; without JavaScript a Continue button does): no extra process runs.
Each step reads the kept upload again, checks the whole document and plans
against the account by natural keys, as ``import_data`` does. Then:

1. While photos are left to check, it decodes the next ones (the preview
   read only their headers) and writes nothing: the whole file, photos
   included, is checked before any row is written.
2. Then it writes the next new rows, in the format's order, in one
   transaction. What earlier steps wrote is already there and skipped, so
   a step repeated after a crash or a closed tab adds nothing twice.

A request's work is bounded by the settings ALMANAC_IMPORT_STEP_PHOTOS
(photos decoded), _STEP_ROWS and _STEP_SECONDS, whichever ends first; a
write step always writes at least one row, so every step moves on. Goals
are written in one step, so that carried-over goals (almanac.json) link to
each other as in a one-shot import. Where the import has come to is kept in
``state``, a dict the view keeps in the session.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from portability.backup import open_backup
from portability.interchange_import import (
    KINDS,
    ImportReport,
    PhotoFiles,
    Plan,
    _check_photo,
    _count,
    _delete_files,
    _document_photos,
    _LateProblem,
    _photo_jobs,
    _plan,
    _store,
    _StoredPhoto,
    _Writer,
    check,
)
from portability.interchange_schema import Problem

# As _Writer writes them ("photos": the photos placed straight into a document).
ORDER = ("reviews", "photos", "timeline", "career", "library", "tallies", "goals")


@dataclass
class Budget:
    """What one request may still do; ``decoded`` counts the photos it has decoded."""

    rows: int
    photos: int
    seconds: float
    started: float = field(default_factory=time.monotonic)
    decoded: int = 0

    def out_of_time(self) -> bool:
        return time.monotonic() - self.started > self.seconds


def budget() -> Budget:
    return Budget(
        rows=max(getattr(settings, "ALMANAC_IMPORT_STEP_ROWS", 2_000), 1),
        photos=max(getattr(settings, "ALMANAC_IMPORT_STEP_PHOTOS", 25), 1),
        seconds=getattr(settings, "ALMANAC_IMPORT_STEP_SECONDS", 2.0),
    )


@dataclass
class Progress:
    """How far an import has come, from its ``state``."""

    state: dict

    @property
    def done(self) -> int:
        return sum(self.state[key] for key in ("checks_done", "rows_done", "photos_done"))

    @property
    def total(self) -> int:
        return sum(self.state[key] for key in ("checks", "rows", "photos"))

    def text(self) -> str:
        state = self.state
        if not state["checked_all"]:
            return _("Checked %(done)d of %(total)d photos…") % {
                "done": state["checks_done"],
                "total": state["checks"],
            }
        if state["photos"]:
            return _(
                "Imported %(done)d of %(total)d photos and %(rows_done)d of %(rows)d rows…"
            ) % {
                "done": state["photos_done"],
                "total": state["photos"],
                "rows_done": state["rows_done"],
                "rows": state["rows"],
            }
        return _("Imported %(done)d of %(total)d rows…") % {
            "done": state["rows_done"],
            "total": state["rows"],
        }


def under_way(state: dict | None) -> bool:
    return bool(state) and "added" in state


def report_of(state: dict) -> ImportReport:
    """The finished import's report, as a one-shot import would have given it."""
    return ImportReport(
        added=Counter(state["added"]),
        skipped=Counter(state["skipped"]),
        photos_left_out=state["left_out"],
    )


@dataclass
class Step:
    problems: list[Problem] = field(default_factory=list)
    done: bool = False
    stopped: bool = False  # problems found after earlier steps had written rows


def import_step(
    user,
    source: Path | IO[bytes],
    *,
    state: dict,
    without_photos: bool = False,
    limit: Budget | None = None,
) -> Step:
    """Do the next bounded part of importing a backup (see the module's docstring)."""
    limit = limit or budget()
    with open_backup(source) as backup:
        if backup.problems:
            return Step(problems=backup.problems)
        data, photo_files = backup.data, backup.photos
        document, ext, problems = check(data, photo_files, backup.extensions, without_photos)
        if problems:
            return Step(problems=problems, stopped=_wrote(state))
        plan = _plan(user, document, ext)
        if not under_way(state):
            _start(state, document, ext, plan, photo_files)
        min_one = True  # a write step always moves on
        if not state["checked_all"]:
            problems = _check_next(document, ext, plan, photo_files, state, limit)
            if problems or not state["checked_all"]:
                return Step(problems=problems)
            min_one = False  # only what is left of this request's budget goes to writing
        try:
            _write_next(user, document, ext, plan, photo_files, state, limit, min_one)
        except _LateProblem as late:
            return Step(problems=[late.problem], stopped=_wrote(state))
        return Step(done=state["left"] == 0)


def _wrote(state: dict) -> bool:
    return under_way(state) and bool(state["rows_done"])


def _names(document: dict, ext: dict | None, photo_files: PhotoFiles) -> list[str]:
    """Every photo the file names and the upload carries, once, in the file's order."""
    named = [photo["file"] for entry in document["timeline"] for photo in entry.photos]
    named += [photo["file"] for photo in _document_photos(ext)]
    return list(dict.fromkeys(name for name in named if name in photo_files))


def _uses(document: dict, ext: dict | None, plan: Plan, photo_files) -> dict[str, list[str]]:
    """The photos of the rows to add, each with the paths that name it."""
    uses: dict[str, list[str]] = defaultdict(list)
    for job in _photo_jobs(document, ext, plan):
        if job.name in photo_files:
            uses[job.name].append(job.path)
    return uses


def _photo_count(document: dict, index: int, photo_files: PhotoFiles) -> int:
    return sum(1 for photo in document["timeline"][index].photos if photo["file"] in photo_files)


def _start(state: dict, document: dict, ext, plan: Plan, photo_files: PhotoFiles) -> None:
    """The summary to show at the end (what the import adds, counted before it starts)."""
    report = ImportReport()
    _count(report, document, plan, _photo_jobs(document, ext, plan), photo_files)
    rows = sum(report.added[kind] for kind in KINDS if kind != "photos")
    state.update(
        added=dict(report.added),
        skipped=dict(report.skipped),
        left_out=report.photos_left_out,
        checks=len(_uses(document, ext, plan, photo_files)),
        checks_done=0,
        checked=0,  # how far along _names the check has come
        checked_all=False,
        rows=rows,
        photos=report.added["photos"],
        rows_done=0,
        photos_done=0,
        left=rows,
    )


def _check_next(
    document: dict, ext, plan: Plan, photo_files: PhotoFiles, state: dict, limit: Budget
) -> list[Problem]:
    """Decode the next photos to add, writing nothing; every path naming a bad one is listed."""
    names = _names(document, ext, photo_files)
    uses = _uses(document, ext, plan, photo_files)
    position, problems = state["checked"], []
    while position < len(names):
        name = names[position]
        if name in uses:
            if limit.decoded >= limit.photos or (limit.decoded and limit.out_of_time()):
                break
            limit.decoded += 1
            _prepared, problem = _check_photo(photo_files, name, uses[name][0])
            if problem:
                problems += [Problem(path, problem.message) for path in uses[name]]
            state["checks_done"] += 1
        position += 1
    state["checked"] = position
    state["checked_all"] = position >= len(names)
    return problems


def _write_next(
    user, document, ext, plan: Plan, photo_files, state: dict, limit: Budget, min_one: bool
) -> None:
    chunk = _chunk(document, ext, plan, photo_files, limit, min_one)
    stored: dict[tuple, _StoredPhoto] = {}
    try:
        problems = _prepare(document, chunk, photo_files, stored, limit, min_one)
        if problems:
            # Checked in an earlier step, so only a file changed since could fail here.
            raise _LateProblem(problems[0])
        with transaction.atomic():
            # Planned again inside the transaction, as import_data does: what another
            # request added meanwhile is skipped, not added twice.
            current = _plan(user, document, ext)
            part = Plan(
                {kind: sorted(set(chunk.new[kind]) & set(current.new[kind])) for kind in ORDER},
                current.matched,
                current.keys,
            )
            _Writer(user, document, ext, part, photo_files, stored).write()
    except BaseException:
        _delete_files(stored)
        raise
    _delete_files({k: v for k, v in stored.items() if not v.used})
    left = {kind: set(current.new[kind]) - set(part.new[kind]) for kind in ORDER}
    state["left"] = sum(len(indexes) for indexes in left.values())
    photos_left = sum(_photo_count(document, i, photo_files) for i in left["timeline"])
    photos_left += len(left["photos"])
    state["rows_done"] = max(state["rows"] - state["left"], 0)
    state["photos_done"] = max(state["photos"] - photos_left, 0)


def _chunk(
    document: dict, ext, plan: Plan, photo_files: PhotoFiles, limit: Budget, min_one: bool
) -> Plan:
    """The first new rows within the budget of rows and photos (with ``min_one``, one at least)."""
    new: dict[str, list[int]] = {kind: [] for kind in ORDER}
    rows, photos, taken = limit.rows, limit.photos - limit.decoded, 0
    for kind in ORDER:
        if kind == "goals":
            wanted = plan.new["goals"]
            if len(wanted) <= rows or (min_one and not taken):
                new["goals"] = list(wanted)
            break
        for index in plan.new[kind]:
            cost = _photo_count(document, index, photo_files) if kind == "timeline" else 0
            if kind == "photos":  # a placed photo is decoded as it is written
                cost = int(_document_photos(ext)[index]["file"] in photo_files)
            if (taken or not min_one) and (rows < 1 or cost > photos):
                return Plan(new, plan.matched, plan.keys)
            new[kind].append(index)
            taken, rows, photos = taken + 1, rows - 1, photos - cost
    return Plan(new, plan.matched, plan.keys)


def _prepare(
    document: dict,
    chunk: Plan,
    photo_files: PhotoFiles,
    stored: dict[tuple, _StoredPhoto],
    limit: Budget,
    min_one: bool,
) -> list[Problem]:
    """Decode and store the chunk's photos, before the transaction (it must stay short).

    Past the time budget the entries left, and the kinds written after them,
    wait for the next step.
    """
    entries = chunk.new["timeline"]
    for position, i in enumerate(entries):
        if (position or not min_one) and limit.out_of_time():
            del entries[position:]
            for kind in ORDER[ORDER.index("timeline") + 1 :]:
                chunk.new[kind] = []
            break
        for j, photo in enumerate(document["timeline"][i].photos):
            if photo["file"] not in photo_files:
                continue  # left out (without_photos)
            limit.decoded += 1
            prepared, problem = _check_photo(
                photo_files, photo["file"], f"timeline[{i}].photos[{j}].file"
            )
            if problem:
                return [problem]
            stored[("entry", i, j)] = _store(prepared)
    return []
