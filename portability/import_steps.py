"""An import from /data/ in bounded steps, so that a large one never outlasts a worker's timeout.

The browser drives the steps (htmx asks for the next one as soon as a step
answers; without JavaScript a Continue button does): no extra process runs.
Each step reads the kept upload again and checks the whole document — the
preview has already checked the photos' content too, so a step decodes only
the photos it writes — then plans against the account by natural keys, as
``import_data`` does. What earlier steps wrote is therefore already there
and skipped, so a step repeated after a crash or a closed tab adds nothing
twice. It then writes the next new rows, in the format's order, within a
budget (settings ALMANAC_IMPORT_STEP_ROWS, _STEP_PHOTOS and _STEP_SECONDS,
whichever ends first), in one transaction; a step always writes at least
one row, so every step moves on. Goals are written in one step, so that
carried-over goals (almanac.json) link to each other as in a one-shot import.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

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
    _LateProblem,
    _plan,
    _store,
    _StoredPhoto,
    _Writer,
    check,
)
from portability.interchange_schema import Problem

ORDER = ("reviews", "timeline", "career", "library", "goals")  # as _Writer writes them


@dataclass
class Budget:
    rows: int
    photos: int
    seconds: float


def budget() -> Budget:
    return Budget(
        rows=getattr(settings, "ALMANAC_IMPORT_STEP_ROWS", 2_000),
        photos=getattr(settings, "ALMANAC_IMPORT_STEP_PHOTOS", 25),
        seconds=getattr(settings, "ALMANAC_IMPORT_STEP_SECONDS", 2.0),
    )


@dataclass
class Progress:
    """How far an import has come; kept in the session between steps."""

    rows: int
    photos: int
    rows_done: int = 0
    photos_done: int = 0

    @property
    def done(self) -> int:
        return self.rows_done + self.photos_done

    @property
    def total(self) -> int:
        return self.rows + self.photos

    def text(self) -> str:
        if self.photos:
            return _(
                "Imported %(done)d of %(total)d photos and %(rows_done)d of %(rows)d rows…"
            ) % {
                "done": self.photos_done,
                "total": self.photos,
                "rows_done": self.rows_done,
                "rows": self.rows,
            }
        return _("Imported %(done)d of %(total)d rows…") % {
            "done": self.rows_done,
            "total": self.rows,
        }


@dataclass
class Step:
    """One step's outcome: what the import still had to add before it, and what is left after."""

    before: ImportReport = field(default_factory=ImportReport)
    rows_left: int = 0
    photos_left: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return not self.problems and self.rows_left == 0


def import_step(
    user, source: Path | IO[bytes], *, without_photos: bool = False, limit: Budget | None = None
) -> Step:
    """Write the next bounded part of a backup's new rows (see the module's docstring)."""
    with open_backup(source) as backup:
        if backup.problems:
            return Step(problems=backup.problems)
        return _step(
            user, backup.data, backup.photos, backup.extensions, without_photos, limit or budget()
        )


def _step(
    user, data: Any, photo_files: PhotoFiles, extensions: Any, without: bool, limit: Budget
) -> Step:
    document, ext, problems = check(data, photo_files, extensions, without)
    if problems:
        return Step(problems=problems)
    plan = _plan(user, document)
    step = Step()
    _count(step.before, document, plan, photo_files)
    chunk = _chunk(document, plan, photo_files, limit)
    stored: dict[tuple[int, int], _StoredPhoto] = {}
    try:
        step.problems = _prepare(document, chunk, photo_files, stored, limit)
        if step.problems:
            _delete_files(stored)
            return step
        with transaction.atomic():
            # Planned again inside the transaction, as import_data does: what another
            # request added meanwhile is skipped, not added twice.
            current = _plan(user, document)
            part = Plan(
                {
                    kind: [i for i in chunk.new[kind] if i in set(current.new[kind])]
                    for kind in ORDER
                },
                current.matched,
            )
            _Writer(user, document, ext, part, photo_files, stored).write()
    except _LateProblem as late:
        _delete_files(stored)
        step.problems = [late.problem]
        return step
    except BaseException:
        _delete_files(stored)
        raise
    _delete_files({k: v for k, v in stored.items() if not v.used})
    written = {kind: set(part.new[kind]) for kind in ORDER}
    left = Plan({k: [i for i in current.new[k] if i not in written[k]] for k in ORDER}, {})
    step.rows_left = sum(len(left.new[kind]) for kind in ORDER)
    step.photos_left = sum(_photo_count(document, i, photo_files) for i in left.new["timeline"])
    return step


def _photo_count(document: dict, index: int, photo_files: PhotoFiles) -> int:
    return sum(1 for photo in document["timeline"][index].photos if photo["file"] in photo_files)


def _chunk(document: dict, plan: Plan, photo_files: PhotoFiles, limit: Budget) -> Plan:
    """The first new rows that fit the budget of rows and photos (at least one row)."""
    new: dict[str, list[int]] = {kind: [] for kind in ORDER}
    rows, photos, taken = limit.rows, limit.photos, 0
    for kind in ORDER:
        if kind == "goals":
            wanted = plan.new["goals"]
            if not taken or len(wanted) <= rows:
                new["goals"] = list(wanted)
            break
        for index in plan.new[kind]:
            cost = _photo_count(document, index, photo_files) if kind == "timeline" else 0
            if taken and (rows < 1 or cost > photos):
                return Plan(new, plan.matched)
            new[kind].append(index)
            taken, rows, photos = taken + 1, rows - 1, photos - cost
    return Plan(new, plan.matched)


def _prepare(
    document: dict,
    chunk: Plan,
    photo_files: PhotoFiles,
    stored: dict[tuple[int, int], _StoredPhoto],
    limit: Budget,
) -> list[Problem]:
    """Check and store the chunk's photos, before the transaction (it must stay short).

    Past the time budget the entries left, and the kinds written after them,
    wait for the next step (the first entry is always done).
    """
    started = time.monotonic()
    entries = chunk.new["timeline"]
    for position, i in enumerate(entries):
        if position and time.monotonic() - started > limit.seconds:
            del entries[position:]
            for kind in ORDER[ORDER.index("timeline") + 1 :]:
                chunk.new[kind] = []
            break
        for j, photo in enumerate(document["timeline"][i].photos):
            if photo["file"] not in photo_files:
                continue  # left out (without_photos)
            prepared, problem = _check_photo(
                photo_files, photo["file"], f"timeline[{i}].photos[{j}].file"
            )
            if problem:
                return [problem]
            stored[(i, j)] = _store(prepared)
    return []


def progress_of(step: Step) -> dict:
    """What the session keeps at the first step: the summary to show at the end, and totals."""
    report = step.before
    return {
        "added": dict(report.added),
        "skipped": dict(report.skipped),
        "left_out": report.photos_left_out,
        "rows": sum(report.added[kind] for kind in KINDS if kind != "photos"),
        "photos": report.added["photos"],
    }


def report_of(kept: dict) -> ImportReport:
    """The finished import's report, as a one-shot import would have given it."""
    return ImportReport(
        added=Counter(kept["added"]),
        skipped=Counter(kept["skipped"]),
        photos_left_out=kept["left_out"],
    )


def progress(kept: dict, step: Step | None = None) -> Progress:
    shown = Progress(rows=kept["rows"], photos=kept["photos"])
    if step is not None:
        kept["rows_done"] = max(kept["rows"] - step.rows_left, 0)
        kept["photos_done"] = max(kept["photos"] - step.photos_left, 0)
    shown.rows_done = kept.get("rows_done", 0)
    shown.photos_done = kept.get("photos_done", 0)
    return shown
