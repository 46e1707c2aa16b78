"""The year page, composed from the timeline, the library and the goals.

Every function here runs a fixed number of queries whatever the size of
the account: one per section, never one per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from core import rows
from core.dates import DURING_THE_YEAR, is_valid_year, quarter_label
from library.counts import KindCount
from library.models import Item, Tally
from library.rows import ITEM, TALLY
from reviews.models import Goal, Review
from reviews.rows import GOAL
from timeline.models import CareerMove, Entry, Photo
from timeline.rows import ENTRY, MOVE, entries_list_id, quarter_part

# A long year shows this many rows per quarter and per reading kind, then
# "Show all": it keeps the page light (see docs/performance.md).
ENTRIES_SHOWN = 25
ITEMS_SHOWN = 12


@dataclass
class Quarter:
    """A quarter's entries (``number`` 1 to 4), or those known only by their year (0).

    The year's group comes after Q4: its rows happened sometime in the year, so they
    follow the ones whose time of year is known.
    """

    number: int
    label: str
    entries: list[Entry] = field(default_factory=list)
    limit: int | None = ENTRIES_SHOWN

    @property
    def part(self) -> str:
        return quarter_part(self.number or None)

    @property
    def list_id(self) -> str:
        return entries_list_id(self.number or None)

    @property
    def shown(self) -> list[Entry]:
        return self.entries if self.limit is None else self.entries[: self.limit]

    @property
    def more(self) -> int:
        return len(self.entries) - len(self.shown)


@dataclass
class ReadingGroup:
    kind: str
    label: str
    items: list[Item]
    limit: int | None = ITEMS_SHOWN

    @property
    def part(self) -> str:
        return f"kind-{self.kind}"

    @property
    def shown(self) -> list[Item]:
        return self.items if self.limit is None else self.items[: self.limit]

    @property
    def more(self) -> int:
        return len(self.items) - len(self.shown)

    @property
    def finished(self) -> int:
        return sum(1 for item in self.items if item.status == Item.Status.FINISHED)


@dataclass
class YearPage:
    year: int
    review: Review | None
    quarters: list[Quarter]
    moves: list[CareerMove]
    reading: list[ReadingGroup]
    goals: list[Goal]
    next_goals: list[Goal]
    years: list[int]
    # The years with more than goals set for them: the ones the year navigation offers.
    written_years: list[int] = field(default_factory=list)
    previous_goals: list[Goal] = field(default_factory=list)
    owner: object = None  # the user whose year it is (or their id)
    photos: list[Photo] = field(default_factory=list)  # placed in the document, not on an entry
    tallies: list[Tally] = field(default_factory=list)  # counts recorded for the year

    @property
    def reading_all(self) -> list[ReadingGroup]:
        """A group for every kind, empty ones too, so an added item has a place to go."""
        by_kind = {group.kind: group for group in self.reading}
        return [
            by_kind.get(kind) or ReadingGroup(kind, label, []) for kind, label in Item.Kind.choices
        ]

    @property
    def reading_finished(self) -> int:
        return sum(count for _label, count in self.reading_counts)

    @property
    def reading_counts(self) -> list[tuple[str, KindCount]]:
        """(kind label, count) of each kind with any: a recorded count, else the listed."""
        listed = {group.kind: group.finished for group in self.reading}
        recorded = {tally.kind: tally for tally in self.tallies}
        found = []
        for kind, label in Item.Kind.choices:
            tally = recorded.get(kind)
            if tally is not None:
                found.append((label, KindCount(listed.get(kind, 0), tally.count, tally.note)))
            elif listed.get(kind):
                found.append((label, KindCount(listed[kind])))
        return found

    @property
    def has_entries(self) -> bool:
        return any(q.entries for q in self.quarters)

    @property
    def is_empty(self) -> bool:
        return not (
            self.review or self.has_entries or self.moves or self.reading or self.goals
        ) and not (self.next_goals or self.tallies)

    @property
    def nav_years(self) -> list[int]:
        """The years the year navigation lists, earliest first, this one always among them."""
        return sorted({*self.written_years, self.year})

    @property
    def previous_year(self) -> int | None:
        earlier = [y for y in self.written_years if y < self.year]
        return max(earlier) if earlier else None

    @property
    def next_year(self) -> int | None:
        later = [y for y in self.written_years if y > self.year]
        return min(later) if later else None


def years_with_data(owner, *, goals: bool = True) -> list[int]:
    """Every year that has a review or a row of any kind (one query), latest first.

    Without ``goals``, a year that holds only goals set for it is left out: goals set for
    next year make no year to read or compare yet (they show on the year before).
    """
    every, written = year_lists(owner)
    return every if goals else written


def year_lists(owner) -> tuple[list[int], list[int]]:
    """(every year with data, those with more than goals set for them), latest first.

    One query, which walks each kind's ``(owner, date)`` index from year to
    year: for each year with rows it asks for the first date on or after the
    next New Year, so its cost follows the number of years with data, not of
    rows, and no function runs on a row (SQLite's year extraction is a Python
    function). Each year found is tagged with whether it comes from goals.
    """
    owner_id = getattr(owner, "pk", owner)
    columns = _year_columns()
    parts, params = [], []
    for n, (model, column, dated, _goal) in enumerate(columns):
        table = connection.ops.quote_name(model._meta.db_table)
        column = connection.ops.quote_name(column)
        owner_column = connection.ops.quote_name(model._meta.get_field("owner").column)
        following = _next_year_start("y.v") if dated else "y.v + 1"
        name = f"k{n}"
        parts.append(
            f"{name}(v) AS (SELECT MIN({column}) FROM {table} WHERE {owner_column} = %s"
            f" UNION SELECT (SELECT MIN({column}) FROM {table} WHERE {owner_column} = %s"
            f" AND {column} >= {following}) FROM {name} AS y WHERE y.v IS NOT NULL"
            f"{_stop_at_last_year('y.v') if dated else ''})"
        )
        params += [owner_id, owner_id]
    union = " UNION ALL ".join(
        f"SELECT {_year_of('v') if dated else 'CAST(v AS INTEGER)'}, {int(goal)} FROM k{n}"
        " WHERE v IS NOT NULL"
        for n, (_model, _column, dated, goal) in enumerate(columns)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"WITH RECURSIVE {', '.join(parts)} {union}", params)
        found = cursor.fetchall()
    years: dict[int, bool] = {}  # year -> only goals
    for value, from_goals in found:
        # A row stored before dates were kept in range has no year page: never link to one.
        if is_valid_year(int(value)):
            years[int(value)] = years.get(int(value), True) and bool(from_goals)
    every = sorted(years, reverse=True)
    return every, [y for y in every if not years[y]]


def latest_written_year(owner) -> int | None:
    """The latest year that holds a review or a row other than a goal (one query).

    Goals alone do not make a year worth opening: goals set ahead for next year
    would open home on a page that has nothing else in it.
    """
    years = years_with_data(owner, goals=False)
    return years[0] if years else None


def _year_columns() -> list[tuple[type, str, bool, bool]]:
    """(model, column, whether a date, whether goals) of the review's year and every row
    kind's year field."""
    columns = [(Review, Review._meta.get_field("year").column, False, False)]
    for kind in rows.all_kinds():
        column = kind.model._meta.get_field(kind.year_field).column
        columns.append((kind.model, column, kind.is_dated, kind is GOAL))
    return columns


def _next_year_start(value: str) -> str:
    """SQL for 1 January of the year after the date ``value``."""
    if connection.vendor == "sqlite":  # dates are ISO text there
        return f"printf('%%04d-01-01', CAST(substr({value}, 1, 4) AS INTEGER) + 1)"
    return f"make_date(CAST(EXTRACT(YEAR FROM {value}) AS INTEGER) + 1, 1, 1)"


def _year_of(value: str) -> str:
    """SQL for the year of the date ``value`` (run once per year found, not per row)."""
    if connection.vendor == "sqlite":
        return f"CAST(substr({value}, 1, 4) AS INTEGER)"
    return f"CAST(EXTRACT(YEAR FROM {value}) AS INTEGER)"


def _stop_at_last_year(value: str) -> str:
    """No year after 9999: SQLite would compare '10000-01-01' as text, before '9999'."""
    if connection.vendor == "sqlite":
        return f" AND substr({value}, 1, 4) < '9999'"
    return f" AND EXTRACT(YEAR FROM {value}) < 9999"


_UNREAD = object()


def year_page(
    owner,
    year: int,
    *,
    public_only: bool = False,
    expand: bool = False,
    review=_UNREAD,
    tallies=_UNREAD,
) -> YearPage:
    """Everything the year page shows, for the owner (or, with public_only, a share link).

    Long quarters and reading kinds are cut to their first rows unless ``expand``.
    A caller that has already read the year's review (or knows there is none)
    passes it as ``review``; one that has read the tallies the reader may see, for
    this year at least, passes them as ``tallies``.
    """
    reader = None if public_only else owner
    every_year, written_years = year_lists(owner)

    def of_year(kind: rows.RowKind, year: int = year):
        return kind.in_year(kind.model.objects.visible_to(owner, reader), year)

    if review is _UNREAD:
        review = Review.objects.filter(owner=owner, year=year).first()
    entries = list(of_year(ENTRY))
    photos = _photos(owner, reader, year, entries, of_year(ENTRY).values("pk"))
    limit = None if expand else ENTRIES_SHOWN
    quarters = [Quarter(n, quarter_label(n), limit=limit) for n in (1, 2, 3, 4)]
    quarters.append(Quarter(0, str(DURING_THE_YEAR), limit=limit))
    for entry in entries:
        quarters[(entry.quarter or 5) - 1].entries.append(entry)

    moves = sorted(of_year(MOVE), key=lambda move: move.when.sort_key())
    items = sorted(of_year(ITEM), key=lambda item: (item.finished.sort_key(), item.pk))
    by_kind: dict[str, list[Item]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    reading = [
        ReadingGroup(kind, label, by_kind[kind], limit=None if expand else ITEMS_SHOWN)
        for kind, label in Item.Kind.choices
        if kind in by_kind
    ]
    goals = list(
        GOAL.model.objects.visible_to(owner, reader)
        .filter(year__in=(year - 1, year, year + 1))
        .select_related("carried_from", "carried_to")
    )
    return YearPage(
        year=year,
        review=review,
        quarters=quarters,
        moves=moves,
        reading=reading,
        goals=[g for g in goals if g.year == year],
        next_goals=[g for g in goals if g.year == year + 1],
        previous_goals=[g for g in goals if g.year == year - 1],
        years=every_year,
        written_years=written_years,
        owner=owner,
        photos=photos,
        tallies=list(of_year(TALLY))
        if tallies is _UNREAD
        # In the model's order, as a query would give them.
        else sorted((tally for tally in tallies if tally.year == year), key=lambda t: t.kind),
    )


def _photos(owner, reader, year: int, entries: list[Entry], entry_pks) -> list[Photo]:
    """The photos placed in the year's document; the entries get theirs (one query for both).

    ``entry_pks`` is the query of the entries' ids: a subquery, where a list of
    1,600 ids would be 1,600 parameters.
    """
    by_entry: dict[int, list[Photo]] = {entry.pk: [] for entry in entries}
    placed = []
    in_document = Q(entry__isnull=True, year=year)
    visible = Photo.objects.visible_to(owner, reader).order_by("position", "id")
    for photo in visible.filter(Q(entry_id__in=entry_pks) | in_document):
        if photo.entry_id is None:
            placed.append(photo)
        elif photo.entry_id in by_entry:  # not an entry added since the entries were read
            by_entry[photo.entry_id].append(photo)
    owners = {entry.pk: entry for entry in entries}
    for entry_pk, photos in by_entry.items():
        for photo in photos:
            photo.entry = owners[entry_pk]  # a photo embed shows its entry's title: no query
    for entry in entries:
        # What prefetch_related("photos") would leave: entry.photos.all() runs no query.
        entry._prefetched_objects_cache = {"photos": by_entry[entry.pk]}
    return placed


@dataclass
class Welcome:
    """What a freshly started year offers: last year's open goals to carry over."""

    previous_year: int
    open_goals: list[Goal]


def new_year_welcome(page: YearPage) -> Welcome:
    """Last year's goals still open and not yet carried over (no query: from the page)."""
    unsettled = {Goal.Status.OPEN, Goal.Status.IN_PROGRESS}
    open_goals = [
        goal
        for goal in page.previous_goals
        if goal.status in unsettled and not hasattr(goal, "carried_to")
    ]
    return Welcome(previous_year=page.year - 1, open_goals=open_goals)


def new_review(owner, year: int, **fields) -> Review:
    """A review not saved yet, its document the new year's template in its language."""
    from reviews.document import compose

    language = fields.pop("language", None) or Review.language_for_interface()
    document = compose(year, language)
    return Review(owner=owner, year=year, language=language, document=document, **fields)
