"""The palette: what the document editor can insert at its cursor.

The owner types a few words; the palette answers with the list embeds whose
description matches and with the owner's rows whose title, organization,
authors or caption contain them (any script: a Chinese substring matches as
a Latin one does). One query per kind of row, whatever the words.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, zip_longest

from django.db.models import Q
from django.utils.translation import gettext as _

from core.dates import DURING_THE_YEAR, partial_label, quarter_label
from library.models import Item
from reviews import compare
from reviews.models import Goal
from timeline.models import CareerMove, Entry, Photo

LIMIT = 20  # rows shown at most; more words narrow the search


@dataclass(frozen=True)
class Choice:
    """One thing the palette can insert: its embed line and how it is described."""

    line: str
    label: str
    kind: str  # what it is, for the reader of the list ("Book", "List")
    detail: str = ""
    thumb: object = None  # a photo, shown small beside its caption
    private: bool = False  # shown to the owner only: public pages leave it out


def row_line(kind: str, key: str, label: str = "") -> str:
    """``[[item:KEY | label]]``: the label keeps the source readable, never breaks the line."""
    label = " ".join(label.replace("[", "").replace("]", "").split())
    return f"[[{kind}:{key} | {label}]]" if label else f"[[{kind}:{key}]]"


def label_of(row) -> str:
    """The words after ``|`` in a row's embed line."""
    if isinstance(row, CareerMove):
        return ", ".join(part for part in (row.role, row.organization) if part)
    if isinstance(row, Photo):
        return row.caption
    return row.title


def lists() -> list[Choice]:
    """Every list embed, in the page's order, described in the interface's language."""
    kind = _("List")
    found = [Choice("[[timeline]]", _("The year's timeline"), kind)]
    found += [
        Choice(f"[[timeline Q{quarter}]]", _("Timeline: %(quarter)s") % {"quarter": label}, kind)
        for quarter, label in ((q, quarter_label(q)) for q in range(1, 5))
    ]
    found.append(
        Choice(
            "[[timeline year]]",
            _("Timeline: %(quarter)s") % {"quarter": DURING_THE_YEAR},
            kind,
        )
    )
    found.append(Choice("[[career]]", _("The year's career moves"), kind))
    found.append(Choice("[[library]]", _("Finished this year, by kind"), kind))
    for value in Item.Kind.values:
        noun = compare.kind_noun(value, 2)
        found.append(
            Choice(
                f"[[library kind={value}]]",
                _("Finished this year: %(what)s") % {"what": noun},
                kind,
            )
        )
    found += [
        Choice("[[library recommended]]", _("Recommended this year"), kind),
        Choice("[[library status=reading]]", _("Still reading"), kind),
        Choice("[[library status=abandoned]]", _("Abandoned this year"), kind),
        Choice("[[goals]]", _("This year's goals and their outcomes"), kind),
        Choice("[[goals next]]", _("The goals set for next year"), kind),
        Choice("[[compare goals]]", _("Goals achieved, beside last year"), kind),
    ]
    for value in Item.Kind.values:
        noun = compare.kind_noun(value, 2)
        found.append(
            Choice(
                f"[[compare {value}]]",
                _("Count of %(what)s, beside last year") % {"what": noun},
                kind,
            )
        )
    found.append(Choice("[[years]]", _("Links to your other years"), kind))
    return found


def new_rows() -> list[tuple[str, str]]:
    """The kinds of row the palette can create in place (with the year page's add form)."""
    return [
        ("entry", _("New entry")),
        ("move", _("New career move")),
        ("item", _("New library item")),
        ("goal", _("New goal")),
    ]


def search(owner, words: str) -> list[Choice]:
    """The lists and up to ``LIMIT`` of ``owner``'s rows that match ``words``."""
    words = " ".join(words.split())
    if not words:
        return lists()
    needle = words.casefold()
    found = [c for c in lists() if needle in c.label.casefold() or needle in c.line]
    return found + _rows(owner, words)


def _rows(owner, words: str) -> list[Choice]:
    entries = Entry.objects.filter(owner=owner, title__icontains=words).order_by("-started_on")
    moves = CareerMove.objects.filter(
        Q(organization__icontains=words) | Q(role__icontains=words), owner=owner
    ).order_by("-date")
    items = Item.objects.filter(
        Q(title__icontains=words) | Q(authors__icontains=words), owner=owner
    ).order_by("-id")
    goals = Goal.objects.filter(owner=owner, title__icontains=words).order_by("-year", "id")
    photos = Photo.objects.filter(owner=owner, caption__icontains=words)
    photos = photos.select_related("entry").order_by("-id")
    per_kind = [
        [_entry(row) for row in entries[:LIMIT]],
        [_move(row) for row in moves[:LIMIT]],
        [_item(row) for row in items[:LIMIT]],
        [_goal(row) for row in goals[:LIMIT]],
        [_photo(row) for row in photos[:LIMIT]],
    ]
    # Taken in turn from each kind, so many matching entries do not hide the one book.
    merged = [c for c in chain.from_iterable(zip_longest(*per_kind)) if c is not None]
    return merged[:LIMIT]


def _entry(entry: Entry) -> Choice:
    detail = partial_label(entry.start)
    line = row_line("entry", entry.key, entry.title)
    return Choice(line, entry.title, _("Entry"), detail, private=entry.private)


def _move(move: CareerMove) -> Choice:
    label = label_of(move)
    detail = f"{partial_label(move.when)} · {move.get_kind_display()}"
    line = row_line("move", move.key, label)
    return Choice(line, label, _("Career move"), detail, private=move.private)


def _item(item: Item) -> Choice:
    detail = " · ".join(part for part in (item.authors, item.get_status_display()) if part)
    line = row_line("item", item.key, item.title)
    return Choice(line, item.title, item.get_kind_display(), detail, private=item.private)


def _goal(goal: Goal) -> Choice:
    detail = f"{goal.year} · {goal.get_status_display()}"
    line = row_line("goal", goal.key, goal.title)
    return Choice(line, goal.title, _("Goal"), detail, private=goal.private)


def _photo(photo: Photo) -> Choice:
    detail = photo.entry.title if photo.entry else str(photo.year)
    line = row_line("photo", photo.key, photo.caption)
    private = photo.entry is not None and photo.entry.private
    return Choice(line, photo.caption, _("Photo"), detail, thumb=photo, private=private)
