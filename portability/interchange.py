"""Everything out, everything back in: the interchange format, version 2.

``export_data`` writes a user's reviews (each one document), timeline (with
photo references), career, library and goals as the JSON object of
DESIGN.md: every key always present, each row with its ``key`` (what the
documents' embeds name it by), ``null`` for a missing optional value,
dates as ``YYYY``, ``YYYY-Qn``, ``YYYY-MM`` or ``YYYY-MM-DD`` as their
precision says, and lists in the order the pages show them (by date, a
year-only date after the known months of its year, or by year, then in the
order they were made), so that importing an
export into an empty account and exporting again gives the same JSON.
Version 1 files still import.

``validate`` lists every problem of a document with its JSON path: its
shape (``portability.interchange_schema``), then each row by the rules of
the form or model that holds it (``portability.interchange_rows``);
``import_data`` checks everything and
then adds what the account lacks, in one transaction, idempotent by natural
keys (``portability.interchange_import``).

``export_extensions`` holds what the format has no room for (private notes,
author names, carried-over goals, Goodreads ids, photos placed straight into
a document);
a zip backup carries it as ``almanac.json`` so that nothing is lost, while
``data.json`` stays exactly the format any other tool reads. See
docs/data-format.md.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch

from core.dates import PartialDate
from library.models import Item, Tally
from portability.interchange_import import ImportReport, import_data
from portability.interchange_rows import Rules
from portability.interchange_schema import (
    EXTENSIONS_FORMAT,
    FORMAT,
    VERSION,
    Problem,
    clean,
)
from reviews.models import Goal, Review
from timeline.models import CareerMove, Entry, Photo

__all__ = ["Problem", "ImportReport", "export_data", "export_extensions", "validate",
           "import_data", "photo_sources"]  # fmt: skip


def _date(date: PartialDate | None) -> str | None:
    """'2020-04-17', '2020-04', '2020-Q2' or '2020', as the row's precision says."""
    return date.iso if date else None


# Export


def _entries(user, public_only: bool) -> list[Entry]:
    qs = _scoped(Entry, user, public_only)
    photos = Prefetch("photos", queryset=Photo.objects.order_by("position", "id"))
    return sorted(qs.prefetch_related(photos), key=lambda e: (e.start.sort_key(), e.pk))


def _scoped(model, user, public_only: bool):
    """The user's rows as their own export sees them, or as anyone else would."""
    return model.objects.visible_to(user, None if public_only else user)


def _items(user, public_only: bool) -> list[Item]:
    # Finished items by date, then the others; made-order within a day (as the pages do).
    return sorted(
        _scoped(Item, user, public_only),
        key=lambda i: (i.finished is None, i.finished.sort_key() if i.finished else (), i.pk),
    )


def _goals(user, public_only: bool) -> list[Goal]:
    return sorted(_scoped(Goal, user, public_only), key=lambda g: (g.year, g.pk))


def photo_file_name(entry_number: int, photo_number: int, stored_name: str) -> str:
    """The name of a photo inside a backup: by position, so a round trip keeps it."""
    extension = stored_name.rsplit(".", 1)[-1].lower() if "." in stored_name else "jpg"
    return f"photos/{entry_number}-{photo_number}.{extension}"


def photo_sources(user, *, public_only: bool = False) -> list[tuple[str, Photo]]:
    """(file name in the backup, photo) for every photo the export names."""
    sources = []
    for number, entry in enumerate(_entries(user, public_only), start=1):
        sources += [(name, photo) for name, photo in _entry_photos(number, entry)]
    return sources + _document_photos(user, public_only)


def _stored(photos) -> list[Photo]:
    storage = Photo.image.field.storage
    return [p for p in photos if p.image.name and storage.exists(p.image.name)]


def _entry_photos(number: int, entry: Entry) -> list[tuple[str, Photo]]:
    return [
        (photo_file_name(number, position, photo.image.name), photo)
        for position, photo in enumerate(_stored(entry.photos.all()), start=1)
    ]


def _document_photos(user, public_only: bool) -> list[tuple[str, Photo]]:
    """Photos placed straight into a year's document: ``photos/year-2024-1.jpg`` and on."""
    photos = (
        _scoped(Photo, user, public_only).filter(entry=None).order_by("year", "position", "pk")
    )
    numbers: dict[int, int] = {}
    named = []
    for photo in _stored(photos):
        numbers[photo.year] = numbers.get(photo.year, 0) + 1
        extension = photo_file_name(0, 0, photo.image.name).rsplit(".", 1)[-1]
        named.append((f"photos/year-{photo.year}-{numbers[photo.year]}.{extension}", photo))
    return named


def export_data(user, *, public_only: bool = False) -> dict[str, Any]:
    """The user's data as the interchange format; with public_only, what a share link shows."""
    reviews = list(Review.objects.filter(owner=user).order_by("year"))
    moves = sorted(_scoped(CareerMove, user, public_only), key=lambda m: (m.when.sort_key(), m.pk))
    return {
        "format": FORMAT,
        "version": VERSION,
        "reviews": [
            {
                "year": r.year,
                "title": r.title,
                "document": r.document,
                "license": r.license,
                "language": r.language,
            }
            for r in reviews
        ],
        "timeline": [
            {
                "key": e.key,
                "title": e.title,
                "body": e.body,
                "started_on": _date(e.start),
                "ended_on": _date(e.end),
                "private": e.private,
                "photos": [
                    {"key": p.key, "file": name, "caption": p.caption} for name, p in photos
                ],
            }
            for number, e in enumerate(_entries(user, public_only), start=1)
            for photos in [_entry_photos(number, e)]
        ],
        "career": [
            {
                "key": m.key,
                "date": _date(m.when),
                "kind": m.kind,
                "organization": m.organization,
                "role": m.role,
                "note": m.note,
                "private": m.private,
            }
            for m in moves
        ],
        "library": [
            {
                "key": i.key,
                "kind": i.kind,
                "title": i.title,
                "authors": i.authors,
                "url": i.url,
                "status": i.status,
                "started_on": _date(i.started),
                "finished_on": _date(i.finished),
                "rating": i.rating,
                "recommended": i.recommended,
                "notes": i.notes,
                "private": i.private,
            }
            for i in _items(user, public_only)
        ],
        "goals": [
            {
                "key": g.key,
                "year": g.year,
                "title": g.title,
                "description": g.description,
                "status": g.status,
                "outcome": g.outcome,
                "metric": {"kind": g.metric_kind, "target": g.metric_target}
                if g.metric_kind
                else None,
                "private": g.private,
            }
            for g in _goals(user, public_only)
        ],
        "tallies": [
            {
                "year": t.year,
                "kind": t.kind,
                "count": t.count,
                "note": t.note,
                "private": t.private,
            }
            for t in _scoped(Tally, user, public_only).order_by("year", "kind")
        ],
    }


def export_extensions(user, *, public_only: bool = False) -> dict[str, Any] | None:
    """almanac.json: what data.json has no room for, by position in it; None when empty.

    A public export leaves out private notes and Goodreads ids. Photos placed
    straight into a document (no entry holds them) are listed with their key
    and year, their files in the zip beside the entries' photos.
    """
    reviews = [
        {"at": at, "year": review.year, "author_name": review.author_name}
        for at, review in enumerate(Review.objects.filter(owner=user).order_by("year"))
        if review.author_name
    ]
    library = []
    if not public_only:
        for at, item in enumerate(_items(user, public_only)):
            if item.private_notes or item.goodreads_id:
                library.append(
                    {
                        "at": at,
                        "title": item.title,
                        "private_notes": item.private_notes,
                        "goodreads_id": item.goodreads_id,
                    }
                )
    goals = _goals(user, public_only)
    position = {goal.pk: at for at, goal in enumerate(goals)}
    carried = [
        {"at": at, "title": goal.title, "carried_from": position[goal.carried_from_id]}
        for at, goal in enumerate(goals)
        if goal.carried_from_id in position
    ]
    photos = [
        {"key": photo.key, "year": photo.year, "file": name, "caption": photo.caption}
        for name, photo in _document_photos(user, public_only)
    ]
    if not (reviews or library or carried or photos):
        return None
    return {
        "format": EXTENSIONS_FORMAT,
        "version": VERSION,
        "reviews": reviews,
        "library": library,
        "goals": carried,
        "photos": photos,
    }


# Validation


def validate(data: Any) -> list[Problem]:
    """Every problem of a document, each with its JSON path; empty when it can be imported."""
    return clean(data, Rules().document())[1]
