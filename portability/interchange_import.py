"""Importing the interchange format: check everything, then add what the account lacks.

``import_data`` (re-exported by ``portability.interchange``) checks the whole
document, the photos it names, and only then writes, in one transaction.
It adds to what the account holds and is idempotent by natural keys — a
review's year; an entry's title and start; an item's kind, title and
finish; a goal's year and title; a move's date, kind and organization; a
tally's year and kind (a count already recorded is kept, not replaced).
Natural keys are counted, not only looked up: a file with two entries of
the same title and day adds both to an empty account, and adds nothing the
second time.

Keys: a row (or photo) keeps the ``key`` the file gives it, so the
documents' embeds still find it; a key the account already uses for
another row is a problem at its path. A version 1 review's texts (and the
guided answers from its almanac.json) become its document in page order,
exactly as the database migration converted reviews: answers kept off shared
pages go to the document's history, not into the document.

Photos of the rows to be added go through the one photo sanitizer
(``timeline.photos.process_upload``: the checks and re-encoding of an
upload) and are stored before the transaction (their files are deleted
again if it fails); rows are written
with ``save()``, or in batches with their Markdown rendered first, since
``bulk_create`` skips the ``save()`` that fills the ``*_html`` fields.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from library.models import Item, Tally
from portability.interchange_rows import Row, Rules
from portability.interchange_schema import (
    EXTENSIONS_FILE,
    Problem,
    clean,
    clean_extensions,
    show,
)
from reviews import document as documents
from reviews.models import Goal, Review, Revision
from reviews.prompts import PROMPTS
from timeline.models import CareerMove, Entry, Photo, photo_path
from timeline.photos import PhotoError, ProcessedPhoto, pixel_count, process_upload

KINDS = ("reviews", "timeline", "photos", "career", "library", "goals", "tallies")
SECTIONS = ("reviews", "timeline", "career", "library", "goals", "tallies")
BATCH = 500


def limits() -> dict[str, int]:
    """What one import may hold, so that it ends within a worker's timeout and memory.

    Each is checked before the work it bounds starts: rows and photos as soon as
    the file is read, pixels from the photos' headers before any is decoded.
    """
    return {
        "rows": getattr(settings, "ALMANAC_IMPORT_MAX_ROWS", 50_000),
        "photos": getattr(settings, "ALMANAC_IMPORT_MAX_PHOTOS", 2_000),
        "pixels": getattr(settings, "ALMANAC_IMPORT_MAX_TOTAL_PIXELS", 500_000_000),
    }


@dataclass
class ImportReport:
    """What an import added and left out, per kind (KINDS), or the problems that stopped it."""

    added: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)  # already present
    photos_left_out: int = 0  # named but not carried (--without-photos)
    converted: int = 0  # version 1 reviews added, their texts made into documents
    problems: list[Problem] = field(default_factory=list)
    preview: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    @property
    def total_skipped(self) -> int:
        return sum(self.skipped.values())

    def describe(self, counts: Counter) -> str:
        """'2 reviews, 12 entries and 30 items' (nothing when all are zero)."""
        words = {
            "reviews": lambda n: ngettext("%(n)d review", "%(n)d reviews", n),
            "timeline": lambda n: ngettext("%(n)d entry", "%(n)d entries", n),
            "photos": lambda n: ngettext("%(n)d photo", "%(n)d photos", n),
            "career": lambda n: ngettext("%(n)d career move", "%(n)d career moves", n),
            "library": lambda n: ngettext("%(n)d item", "%(n)d items", n),
            "goals": lambda n: ngettext("%(n)d goal", "%(n)d goals", n),
            "tallies": lambda n: ngettext("%(n)d count", "%(n)d counts", n),
        }
        parts = [words[kind](counts[kind]) % {"n": counts[kind]} for kind in KINDS if counts[kind]]
        if len(parts) > 1:
            return _("%(list)s and %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}
        return parts[0] if parts else ""

    def summary(self) -> str:
        """One sentence: what was (or, in a preview, would be) added and skipped."""
        added = self.describe(self.added) or _("nothing")
        skipped = self.describe(self.skipped)
        if self.preview:
            text = _("Adds %(added)s.") % {"added": added}
            if skipped:
                text += " " + _("Skips %(skipped)s already present.") % {"skipped": skipped}
        else:
            text = _("Added %(added)s.") % {"added": added}
            if skipped:
                text += " " + _("Skipped %(skipped)s already present.") % {"skipped": skipped}
        if self.photos_left_out:
            text += " " + ngettext(
                "%(n)d photo named in the file but not carried is left out.",
                "%(n)d photos named in the file but not carried are left out.",
                self.photos_left_out,
            ) % {"n": self.photos_left_out}
        if self.converted:
            text += " " + ngettext(
                "The file is in version 1: the texts of %(n)d review become its document.",
                "The file is in version 1: the texts of %(n)d reviews become their documents.",
                self.converted,
            ) % {"n": self.converted}
        return text

    def lines(self) -> list[tuple[str, int, int]]:
        """(kind, added, skipped) for every kind, in the format's order."""
        return [(kind, self.added[kind], self.skipped[kind]) for kind in KINDS]


NATURAL_KEYS = {
    "reviews": (Review, ("year",)),
    "timeline": (Entry, ("title", "started_on")),
    "career": (CareerMove, ("date", "kind", "organization")),
    "library": (Item, ("kind", "title", "finished_on")),
    "goals": (Goal, ("year", "title")),
    # A count the account already has for that year and kind is kept as it is.
    "tallies": (Tally, ("year", "kind")),
}


def _natural_keys(document: dict) -> dict[str, list[tuple]]:
    return {
        # A version 1 file has no tallies.
        kind: [
            tuple(getattr(row.object, name) for name in names) for row in document.get(kind, [])
        ]
        for kind, (_model, names) in NATURAL_KEYS.items()
    }


def _existing(user) -> dict[str, dict[tuple, list[int]]]:
    """The account's natural keys, each with the ids that have it (one query per kind)."""
    existing: dict[str, dict[tuple, list[int]]] = {}
    for kind, (model, names) in NATURAL_KEYS.items():
        by_key: dict[tuple, list[int]] = defaultdict(list)
        rows = model.objects.filter(owner=user).values_list("pk", *names).order_by("pk")
        for pk, *key in rows:
            by_key[tuple(key)].append(pk)
        existing[kind] = by_key
    return existing


# The models whose rows an embed names by key; an entry's photos share Photo's keys.
KEYED = {"timeline": Entry, "career": CareerMove, "library": Item, "goals": Goal, "photos": Photo}


@dataclass
class Plan:
    """Which rows of each list are new (indexes) and which match rows already present.

    ``photos`` are the photos placed straight into documents (almanac.json):
    one is already present when the account has its key on a photo of the
    same year's document. ``keys`` are the account's keys per kind, with
    the id that has each.
    """

    new: dict[str, list[int]]
    matched: dict[str, dict[int, int]]  # kind -> {index in the file: id in the account}
    keys: dict[str, dict[str, int]] = field(default_factory=dict)


def _plan(user, document: dict, ext: dict | None = None) -> Plan:
    existing = _existing(user)
    new: dict[str, list[int]] = {}
    matched: dict[str, dict[int, int]] = {}
    for kind, keys in _natural_keys(document).items():
        left = {key: list(ids) for key, ids in existing[kind].items()}
        new[kind], matched[kind] = [], {}
        for index, key in enumerate(keys):
            if left.get(key):
                matched[kind][index] = left[key].pop(0)
            else:
                new[kind].append(index)
    keys = {
        kind: dict(model.objects.filter(owner=user).values_list("key", "pk"))
        for kind, model in KEYED.items()
    }
    placed = set(Photo.objects.filter(owner=user, entry=None).values_list("key", "year", "pk"))
    places = {(key, year): pk for key, year, pk in placed}
    new["photos"], matched["photos"] = [], {}
    for index, photo in enumerate(_document_photos(ext)):
        pk = places.get((photo["key"], photo["year"]))
        if pk is None:
            new["photos"].append(index)
        else:
            matched["photos"][index] = pk
    return Plan(new, matched, keys)


def _document_photos(ext: dict | None) -> list[dict]:
    return (ext or {}).get("photos") or []


def _key_problems(document: dict, ext: dict | None, plan: Plan) -> list[Problem]:
    """Keys the file gives that the account already uses for another row."""
    problems = []

    def taken(kind: str, key: str, path: str, same: int | None = None) -> None:
        other = plan.keys[kind].get(key)
        if other is not None and other != same:
            problems.append(
                Problem(
                    path,
                    _("%(value)s is already the key of another row in this account")
                    % {"value": show(key)},
                )
            )

    for kind in ("timeline", "career", "library", "goals"):
        for index, row in enumerate(document[kind]):
            if row.key_given:
                taken(kind, row.object.key, f"{kind}[{index}].key", plan.matched[kind].get(index))
    for index in plan.new["timeline"]:
        for j, photo in enumerate(document["timeline"][index].photos):
            if photo.get("key") is not None:
                taken("photos", photo["key"], f"timeline[{index}].photos[{j}].key")
    photos = _document_photos(ext)
    for index in plan.new["photos"]:
        taken("photos", photos[index]["key"], f"{EXTENSIONS_FILE}:photos[{index}].key")
    return problems


PhotoFiles = Mapping[str, bytes]


class PhotoRejected(Exception):
    """A photo a PhotoFiles mapping cannot even read (from a zip); ``message`` follows its name."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def import_data(
    user,
    data: Any,
    photo_files: PhotoFiles | None = None,
    *,
    extensions: Any = None,
    without_photos: bool = False,
    preview: bool = False,
    decode_photos: bool = True,
) -> ImportReport:
    """Check everything, then add what the account lacks, in one transaction.

    ``photo_files`` maps a photo's ``file`` to its bytes (a zip's members; reading
    one may raise PhotoRejected). A photo it lacks is a problem, or with
    ``without_photos`` is left out. With ``preview`` nothing is written and
    the report says what an import would do; without ``decode_photos`` too,
    the preview reads only the photos' headers (the steps of /data/ decode them).
    """
    photo_files = photo_files if photo_files is not None else {}
    report = ImportReport(preview=preview)
    document, ext, report.problems = check(data, photo_files, extensions, without_photos)
    if report.problems:
        return report
    plan = _plan(user, document, ext)
    report.problems = _key_problems(document, ext, plan)
    if report.problems:
        return report
    stored: dict[tuple, _StoredPhoto] = {}
    try:
        jobs = _photo_jobs(document, ext, plan)
        if preview and not decode_photos:
            report.problems = _count_pixels(jobs, photo_files)
        else:
            report.problems = _prepare_photos(jobs, photo_files, stored, write=not preview)
        if report.problems or preview:
            _count(report, document, plan, jobs, photo_files)
            _delete_files(stored)
            return report
        with transaction.atomic():
            # Counted again inside the transaction: what another request added meanwhile
            # is skipped too, so the same file imported twice at once still adds it once.
            plan = _plan(user, document, ext)
            late = _key_problems(document, ext, plan)
            if late:
                raise _LateProblem(late[0])
            _Writer(user, document, ext, plan, photo_files, stored).write()
            _count(report, document, plan, _photo_jobs(document, ext, plan), photo_files)
    except _LateProblem as late:
        _delete_files(stored)
        report.problems = [late.problem]
        return report
    except BaseException:
        _delete_files(stored)
        raise
    _delete_files({k: v for k, v in stored.items() if not v.used})
    return report


def check(
    data: Any, photo_files: PhotoFiles, extensions: Any, without_photos: bool
) -> tuple[dict | None, Any, list[Problem]]:
    """The cleaned document and extensions, or the problems: all but the photos' content."""
    problems = _over_limits(data, extensions)
    if problems:
        return None, None, problems
    rules = Rules()
    document, problems = clean(data, rules.document())
    ext = None
    if not problems and extensions is not None:
        ext, problems = clean_extensions(extensions, data, rules.extensions())
    if not problems:
        problems = _missing_photos(document, ext, photo_files, without_photos)
    return document, ext, problems


def _over_limits(data: Any, extensions: Any = None) -> list[Problem]:
    """Too many rows or photos, counted in the file as read (its shape unchecked yet)."""
    if not isinstance(data, dict):
        return []
    sections = [data.get(key) for key in SECTIONS]
    rows = sum(len(rows) for rows in sections if isinstance(rows, list))
    entries = data.get("timeline") if isinstance(data.get("timeline"), list) else []
    photos = sum(
        len(entry["photos"])
        for entry in entries
        if isinstance(entry, dict) and isinstance(entry.get("photos"), list)
    )
    placed = extensions.get("photos") if isinstance(extensions, dict) else None
    photos += len(placed) if isinstance(placed, list) else 0
    limit = limits()
    problems = []
    if rows > limit["rows"]:
        problems.append(
            Problem(
                "$",
                _("The file holds %(count)s rows; an import can add at most %(limit)s.")
                % {"count": f"{rows:,}", "limit": f"{limit['rows']:,}"},
            )
        )
    if photos > limit["photos"]:
        problems.append(
            Problem(
                "$",
                _("The file names %(count)s photos; an import can add at most %(limit)s.")
                % {"count": f"{photos:,}", "limit": f"{limit['photos']:,}"},
            )
        )
    if problems:
        problems.append(Problem("$", _("Split it into smaller files and import each.")))
    return problems


def _named_photos(document: dict, ext: dict | None) -> list[tuple[str, str]]:
    """(file, path of its name) of every photo the file names."""
    named = [
        (photo["file"], f"timeline[{i}].photos[{j}].file")
        for i, entry in enumerate(document["timeline"])
        for j, photo in enumerate(entry.photos)
    ]
    named += [
        (photo["file"], f"{EXTENSIONS_FILE}:photos[{i}].file")
        for i, photo in enumerate(_document_photos(ext))
    ]
    return named


def _missing_photos(
    document: dict, ext: dict | None, photo_files: PhotoFiles, without: bool
) -> list[Problem]:
    if without:
        return []
    return [
        Problem(path, _("%(file)s is not in the upload") % {"file": show(name)})
        for name, path in _named_photos(document, ext)
        if name not in photo_files
    ]


@dataclass(frozen=True)
class _PhotoJob:
    """A photo to add: ``at`` is ("entry", i, j) or ("document", i); its file; its path."""

    at: tuple
    name: str
    path: str


def _photo_jobs(document: dict, ext: dict | None, plan: Plan) -> list[_PhotoJob]:
    """The photos of the entries to add, then the document photos to add."""
    jobs = [
        _PhotoJob(("entry", i, j), photo["file"], f"timeline[{i}].photos[{j}].file")
        for i in plan.new["timeline"]
        for j, photo in enumerate(document["timeline"][i].photos)
    ]
    photos = _document_photos(ext)
    jobs += [
        _PhotoJob(("document", i), photos[i]["file"], f"{EXTENSIONS_FILE}:photos[{i}].file")
        for i in plan.new["photos"]
    ]
    return jobs


@dataclass
class _StoredPhoto:
    """A photo's files, written; only names and size are kept (not the bytes)."""

    width: int
    height: int
    image_name: str = ""
    thumbnail_name: str = ""
    used: bool = False


class _LateProblem(Exception):
    """A photo found wrong inside the transaction (its entry became new meanwhile)."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _check_photo(
    photo_files: PhotoFiles, name: str, path: str
) -> tuple[ProcessedPhoto | None, Problem | None]:
    try:
        return process_upload(ContentFile(photo_files[name], name=name)), None
    except PhotoRejected as error:  # not even read from the zip
        return None, Problem(path, f"{show(name)} {error.message}")
    except PhotoError as error:
        return None, Problem(path, error.message)


def _store(processed: ProcessedPhoto) -> _StoredPhoto:
    storage = Photo.image.field.storage
    item = _StoredPhoto(processed.width, processed.height)
    item.image_name = storage.save(
        photo_path(None, f"photo.{processed.extension}"), ContentFile(processed.display)
    )
    try:
        item.thumbnail_name = storage.save(
            photo_path(None, f"thumb.{processed.extension}"), ContentFile(processed.thumbnail)
        )
    except BaseException:
        storage.delete(item.image_name)
        raise
    return item


def _prepare_photos(
    jobs: list[_PhotoJob],
    photo_files: PhotoFiles,
    stored: dict[tuple, _StoredPhoto],
    *,
    write: bool,
) -> list[Problem]:
    """Check (and with ``write``, store) the photos of the rows that will be added.

    Their headers first: a photo refused from its header, or too many pixels in
    all, stops the import before any photo is decoded.
    """
    problems = _count_pixels(jobs, photo_files)
    if problems:
        return problems
    for job in jobs:
        if job.name not in photo_files:
            continue  # left out (without_photos)
        prepared, problem = _check_photo(photo_files, job.name, job.path)
        if problem:
            problems.append(problem)
        elif write and not problems:
            stored[job.at] = _store(prepared)
    return problems


def _count_pixels(jobs: list[_PhotoJob], photo_files: PhotoFiles) -> list[Problem]:
    problems, total = [], 0
    # A file named many times is read once here (and counted each time: each is decoded).
    counted: dict[str, int | str] = {}
    for job in jobs:
        name = job.name
        if name not in photo_files:
            continue
        if name not in counted:
            try:
                counted[name] = pixel_count(ContentFile(photo_files[name], name=name))
            except PhotoRejected as error:
                counted[name] = f"{show(name)} {error.message}"
            except PhotoError as error:
                counted[name] = error.message
        if isinstance(counted[name], str):
            problems.append(Problem(job.path, counted[name]))
        else:
            total += counted[name]
    limit = limits()["pixels"]
    if not problems and total > limit:
        problems.append(
            Problem(
                "$",
                _(
                    "The photos to add have %(count)s megapixels in all; an import can add"
                    " at most %(limit)s. Split it into smaller files and import each."
                )
                % {"count": f"{total // 1_000_000:,}", "limit": f"{limit // 1_000_000:,}"},
            )
        )
    return problems


def _delete_files(stored: Mapping[tuple, _StoredPhoto]) -> None:
    storage = Photo.image.field.storage
    for item in stored.values():
        for name in (item.image_name, item.thumbnail_name):
            if name:
                storage.delete(name)


def _count(
    report: ImportReport,
    document: dict,
    plan: Plan,
    jobs: list[_PhotoJob],
    photo_files: PhotoFiles,
) -> None:
    for kind in ("reviews", "timeline", "career", "library", "goals"):
        report.added[kind] = len(plan.new[kind])
        report.skipped[kind] = len(plan.matched[kind])
    if plan.new["tallies"]:
        report.added["tallies"] = len(plan.new["tallies"])
    if plan.matched["tallies"]:
        report.skipped["tallies"] = len(plan.matched["tallies"])
    if plan.matched["photos"]:
        report.skipped["photos"] = len(plan.matched["photos"])
    report.converted = sum(document["reviews"][i].texts is not None for i in plan.new["reviews"])
    for job in jobs:
        if job.name in photo_files:
            report.added["photos"] += 1
        else:
            report.photos_left_out += 1


class _Writer:
    """Saves the new rows of a clean document; runs inside the import's transaction."""

    def __init__(self, user, document, ext, plan: Plan, photo_files, stored):
        self.user, self.document, self.plan = user, document, plan
        self.photo_files, self.stored = photo_files, stored
        ext = ext or {}
        self.ext = {
            key: {row["at"]: row for row in (ext.get(key) or [])}
            for key in ("reviews", "library", "goals")
        }
        self.placed = _document_photos(ext)

    def write(self) -> None:
        self.reviews()
        self.document_photos()
        self.timeline()
        self.bulk("career", CareerMove)
        self.bulk("library", Item, self.item_extras)
        Tally.objects.bulk_create(row.object for _index, row in self.rows("tallies"))
        self.goals()

    def rows(self, kind: str) -> list[tuple[int, Row]]:
        """The new rows of a kind, each owned by the user."""
        rows = [(i, self.document[kind][i]) for i in self.plan.new[kind]]
        for _index, row in rows:
            row.object.owner = self.user
        return rows

    def bulk(self, kind: str, model, extras: Callable[[int, Any], None] | None = None) -> None:
        objects = []
        for index, row in self.rows(kind):
            if extras is not None:
                extras(index, row.object)
            row.object.render_markdown()  # bulk_create skips save(), which renders *_html
            objects.append(row.object)
        model.objects.bulk_create(objects, batch_size=BATCH)

    def reviews(self) -> None:
        for index, row in self.rows("reviews"):
            review = row.object
            extra = self.ext["reviews"].get(index) or {}
            review.author_name = extra.get("author_name") or ""
            hidden = ""
            if row.texts is not None:
                review.document, hidden = version_1_document(review, row.texts, extra)
            review.save()
            if hidden:
                _keep_in_history(review, hidden)

    def document_photos(self) -> None:
        """Photos placed straight into a document, in file order within each year."""
        new = set(self.plan.new["photos"])
        positions: Counter = Counter()
        photos = []
        for index, placed in enumerate(self.placed):
            year = placed["year"]
            positions[year] += 1
            if index not in new:
                continue
            job = _PhotoJob(
                ("document", index), placed["file"], f"{EXTENSIONS_FILE}:photos[{index}].file"
            )
            photo = self._photo(job, placed, positions[year] - 1)
            if photo is not None:
                photo.year = year
                photos.append(photo)
        Photo.objects.bulk_create(photos)

    def timeline(self) -> None:
        for index, row in self.rows("timeline"):
            entry = row.object
            entry.save()
            photos = []
            for j, photo in enumerate(row.photos):
                job = _PhotoJob(
                    ("entry", index, j), photo["file"], f"timeline[{index}].photos[{j}].file"
                )
                new = self._photo(job, photo, len(photos))
                if new is not None:
                    new.entry = entry
                    photos.append(new)
            Photo.objects.bulk_create(photos)

    def _photo(self, job: _PhotoJob, photo: dict, position: int) -> Photo | None:
        """The unsaved photo of a stored file, or None when the file was left out."""
        item = self.stored.get(job.at)
        if item is None:
            item = self._store_late(job)
        if item is None:
            return None
        item.used = True
        new = Photo(owner=self.user, caption=photo["caption"], position=position)
        if photo.get("key") is not None:
            new.key = photo["key"]
        new.image.name = item.image_name
        new.thumbnail.name = item.thumbnail_name
        new.width, new.height = item.width, item.height
        return new

    def _store_late(self, job: _PhotoJob) -> _StoredPhoto | None:
        """A photo whose row became new after the check (deleted meanwhile elsewhere)."""
        if job.name not in self.photo_files:
            return None
        prepared, problem = _check_photo(self.photo_files, job.name, job.path)
        if problem:
            raise _LateProblem(problem)
        self.stored[job.at] = _store(prepared)
        return self.stored[job.at]

    def item_extras(self, index: int, item: Item) -> None:
        extra = self.ext["library"].get(index) or {}
        item.private_notes = extra.get("private_notes") or ""
        item.goodreads_id = extra.get("goodreads_id") or ""

    def goals(self) -> None:
        ids = dict(self.plan.matched["goals"])
        for index, row in self.rows("goals"):
            row.object.save()
            ids[index] = row.object.pk
        self._carry(ids)

    def _carry(self, ids: dict[int, int]) -> None:
        """Link carried-over goals (almanac.json) among the goals this import added."""
        new = set(self.plan.new["goals"])
        links = {
            ids[index]: ids[row["carried_from"]]
            for index, row in self.ext["goals"].items()
            if row.get("carried_from") is not None and index in new and row["carried_from"] in ids
        }
        if not links:
            return
        taken = set(
            Goal.objects.filter(owner=self.user, carried_from__in=links.values()).values_list(
                "carried_from", flat=True
            )
        )
        for goal in Goal.objects.filter(owner=self.user, pk__in=links):
            source = links[goal.pk]
            if source not in taken:
                goal.carried_from_id = source
                goal.save(update_fields=["carried_from", "updated"])
                taken.add(source)


# Version 1


def version_1_document(review: Review, texts: dict[str, str], extra: dict) -> tuple[str, str]:
    """A version 1 review's document, and the fuller text its history keeps (or "").

    As the database migration converted reviews (reviews/migrations/0005):
    the texts where they stood on the page, the guided answers under their
    questions; answers their author kept off shared pages (``show_answers``
    false) stay out of the document and go to its history, so nothing is lost
    and nothing private is published. A review with no text at all gets a new
    year's template.
    """
    with documents.language_of(review.language):
        given = extra.get("answers") or {}
        answers = [
            (str(prompt.question), given.get(prompt.key) or "")
            for prompt in PROMPTS
            if (given.get(prompt.key) or "").strip()
        ]
    if not any(texts.values()) and not answers:
        return documents.compose(review.year, review.language), ""
    full = documents.compose(review.year, review.language, {**texts, "answers": answers})
    if extra.get("show_answers") is False and answers:
        shown = documents.compose(review.year, review.language, {**texts, "answers": []})
        return shown, full
    return full, ""


def _keep_in_history(review: Review, full: str) -> None:
    """The fuller text as the document's first version, the document as its second."""
    content_type = ContentType.objects.get_for_model(Review)
    for version, text in ((0, full), (1, review.document)):
        Revision.objects.create(
            owner=review.owner,
            content_type=content_type,
            object_id=review.pk,
            field="document",
            text=text,
            version=version,
        )
    review.text_versions = {"document": 1}
    review.save(update_fields=["text_versions"])
