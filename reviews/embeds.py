"""What each embed of a document shows, fetched in a fixed number of queries.

The year page, the share page and the exports ask ``resolve`` for the rows
behind a document's embeds. Lists (a quarter's timeline, the year's moves,
reading, goals) come from the year's rows the page has already read; single
rows are found by their key with one query per kind of row, wherever their
year; comparisons use one count of each kind. A reader who is not the owner
gets public rows only: a private row, or one deleted since, resolves to
nothing, and the owner sees a marked placeholder instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from core import rows
from library.models import Item
from reviews import compare
from reviews.document import Embed, segments
from reviews.services import ReadingGroup, YearPage
from timeline.models import Entry, Photo


@dataclass
class Shown:
    """One embed with what it shows."""

    embed: Embed
    rows: list = field(default_factory=list)  # entries, moves, items, goals or one photo
    groups: list[ReadingGroup] = field(default_factory=list)  # [[library]] by kind
    change: compare.Change | None = None  # [[compare kind]]
    goals: tuple[tuple[int, int], tuple[int, int]] | None = None  # [[compare goals]]
    years: list[int] = field(default_factory=list)  # [[years]]
    missing: bool = False  # a row embed whose row is gone or not visible

    @property
    def kind(self) -> str:
        return self.embed.kind


@dataclass
class Document:
    """A document cut into stored HTML and shown embeds, and the rows left out."""

    parts: list  # str (stored, sanitized HTML) or Shown, in the document's order
    not_shown: list = field(default_factory=list)  # the year's rows no embed shows

    @property
    def shown(self) -> list[Shown]:
        return [part for part in self.parts if isinstance(part, Shown)]


def resolve(
    page: YearPage, reader, *, html: str, text: str, counts: dict | None = None
) -> Document:
    """The document of ``page`` with each embed resolved for ``reader``.

    ``counts`` may hold finished-item counts (``"reading"``) and goal counts
    (``"goals"``) for this year and the last that the caller has read already.
    """
    pieces = segments(html, text)
    found = [piece for piece in pieces if isinstance(piece, Embed)]
    owner = page.owner
    public_only = reader is None or getattr(reader, "pk", None) != getattr(owner, "pk", owner)
    by_key = _rows_by_key(owner, None if public_only else owner, found, page)
    counts = _counts(owner, page, found, public_only, counts or {})

    parts = [
        _show(piece, page, by_key, counts) if isinstance(piece, Embed) else piece
        for piece in pieces
    ]
    document = Document(parts)
    document.not_shown = _not_shown(page, document.shown)
    return document


def _page_rows(page: YearPage) -> dict[str, list]:
    """The rows the page has read already, by kind: most embeds name one of them."""
    entries = [entry for quarter in page.quarters for entry in quarter.entries]
    return {
        "entry": entries,
        "move": list(page.moves),
        "item": [item for group in page.reading for item in group.items],
        "goal": [*page.goals, *page.next_goals, *page.previous_goals],
        "photo": [*page.photos, *(photo for entry in entries for photo in entry.photos.all())],
    }


def _rows_by_key(
    owner, reader, found: list[Embed], page: YearPage
) -> dict[tuple[str, str], object]:
    keys: dict[str, set[str]] = {}
    for embed in found:
        if embed.is_row and not embed.problem:
            keys.setdefault(embed.kind, set()).add(embed.key)
    result = {}
    on_page = _page_rows(page)
    for kind_name, wanted in keys.items():
        for row in on_page.get(kind_name, ()):
            if row.key in wanted:
                result[(kind_name, row.key)] = row
        wanted = {key for key in wanted if (kind_name, key) not in result}
        if not wanted:
            continue  # every row it names is on the page: no query
        if kind_name == "photo":
            model = Photo
            queryset = Photo.objects.visible_to(owner, reader).select_related("entry")
        else:
            model = rows.get(kind_name).model
            queryset = model.objects.visible_to(owner, reader)
            if model is Entry:
                photos = Photo.objects.order_by("position", "id")
                queryset = queryset.prefetch_related(Prefetch("photos", queryset=photos))
        fetched = list(queryset.filter(key__in=wanted))
        for row in fetched:
            result[(kind_name, row.key)] = row
        prepare = None if model is Photo else rows.get(kind_name).prepare
        if prepare:
            prepare(fetched)
    return result


def _counts(owner, page: YearPage, found: list[Embed], public_only: bool, known: dict) -> dict:
    wanted = {embed.kind for embed in found}
    counts = {}
    if "compare" in wanted:
        years = (page.year, page.year - 1)
        if "reading" in known:
            counts["reading"] = known["reading"]
        else:
            counts["reading"] = compare.finished_counts(owner, years, public_only=public_only)
        if "goals" in known:
            counts["goals"] = known["goals"]
        else:
            # The page has read both years' goals as this reader may see them: no query.
            counts["goals"] = compare.count_goals([*page.goals, *page.previous_goals])
    return counts


def _show(embed: Embed, page: YearPage, by_key: dict, counts: dict) -> Shown:
    shown = Shown(embed)
    if embed.problem:
        shown.missing = True
    elif embed.is_row:
        row = by_key.get((embed.kind, embed.key))
        shown.rows = [row] if row is not None else []
        shown.missing = row is None
    elif embed.kind == "timeline":
        quarters = page.quarters if embed.quarter is None else [page.quarters[embed.quarter - 1]]
        shown.rows = [entry for quarter in quarters for entry in quarter.entries]
    elif embed.kind == "career":
        shown.rows = list(page.moves)
    elif embed.kind == "library":
        shown.groups, shown.rows = _library(embed, page)
    elif embed.kind == "goals":
        shown.rows = list(page.next_goals if embed.next_year else page.goals)
    elif embed.kind == "compare":
        _compare(shown, page.year, counts)
    elif embed.kind == "years":
        shown.years = [year for year in page.years if year != page.year]
    return shown


def _library(embed: Embed, page: YearPage) -> tuple[list[ReadingGroup], list[Item]]:
    """``[[library]]`` alone is the year's reading by kind; options filter a flat list."""
    items = [item for group in page.reading for item in group.items]
    options = embed.options
    if not options and "recommended" not in embed.args:
        return list(page.reading), items
    status = options.get("status", Item.Status.FINISHED)
    chosen = [
        item
        for item in items
        if item.status == status
        and ("kind" not in options or item.kind == options["kind"])
        and ("recommended" not in embed.args or item.recommended)
    ]
    return [], chosen


def _compare(shown: Shown, year: int, counts: dict) -> None:
    args = [arg for arg in shown.embed.args if "=" not in arg]
    what = args[0] if args else "goals"
    if what == "goals":
        goals = counts["goals"]
        shown.goals = (goals.get(year, (0, 0)), goals.get(year - 1, (0, 0)))
        return
    reading = counts["reading"]
    this, last = reading.get(year, {}), reading.get(year - 1, {})
    if what in Item.Kind.values:
        label = compare.kind_noun(what, 2)
        shown.change = compare.Change(label, this.get(what, 0), last.get(what, 0), what)
    else:
        shown.missing = True


def _not_shown(page: YearPage, shown: list[Shown]) -> list:
    """The year's rows that no embed shows, directly or through a list."""
    seen = {(type(row), row.pk) for part in shown for row in part.rows}
    for part in shown:
        for group in part.groups:
            seen |= {(type(item), item.pk) for item in group.items}
    year_rows = [
        *(entry for quarter in page.quarters for entry in quarter.entries),
        *page.moves,
        *(item for group in page.reading for item in group.items),
        *page.goals,
        *page.next_goals,
    ]
    return [row for row in year_rows if (type(row), row.pk) not in seen]
