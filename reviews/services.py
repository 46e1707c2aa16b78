"""The year page, composed from the timeline, the library and the goals.

Every function here runs a fixed number of queries whatever the size of
the account: one per section, never one per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import ExtractYear

from core import rows
from core.dates import is_valid_year, quarter_label
from library.counts import KindCount
from library.models import Item, Tally
from library.rows import ITEM, TALLY
from reviews.models import Goal, Review
from reviews.rows import GOAL
from timeline.models import CareerMove, Entry, Photo
from timeline.rows import ENTRY, MOVE

# A long year shows this many rows per quarter and per reading kind, then
# "Show all": it keeps the page light (see docs/performance.md).
ENTRIES_SHOWN = 25
ITEMS_SHOWN = 12


@dataclass
class Quarter:
    number: int
    label: str
    entries: list[Entry] = field(default_factory=list)
    limit: int | None = ENTRIES_SHOWN

    @property
    def part(self) -> str:
        return f"q{self.number}"

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
    def previous_year(self) -> int | None:
        earlier = [y for y in self.years if y < self.year]
        return max(earlier) if earlier else None

    @property
    def next_year(self) -> int | None:
        later = [y for y in self.years if y > self.year]
        return min(later) if later else None


def years_with_data(owner) -> list[int]:
    """Every year that has a review or a row of any kind (one query)."""

    def years_of(kind: rows.RowKind):
        owned = kind.model.objects.filter(owner=owner).order_by()
        if not kind.is_dated:
            return owned.values_list(kind.year_field, flat=True)
        dated = owned.filter(**{f"{kind.year_field}__isnull": False})
        return dated.annotate(y=ExtractYear(kind.year_field)).values_list("y", flat=True)

    reviews = Review.objects.filter(owner=owner).order_by().values_list("year", flat=True)
    union = reviews.union(*(years_of(kind) for kind in rows.all_kinds()))
    # A row stored before dates were kept in range has no year page: never link to one.
    return sorted({int(y) for y in union if is_valid_year(int(y))}, reverse=True)


def year_page(owner, year: int, *, public_only: bool = False, expand: bool = False) -> YearPage:
    """Everything the year page shows, for the owner (or, with public_only, a share link).

    Long quarters and reading kinds are cut to their first rows unless ``expand``.
    """
    reader = None if public_only else owner

    def of_year(kind: rows.RowKind, year: int = year):
        return kind.in_year(kind.model.objects.visible_to(owner, reader), year)

    review = Review.objects.filter(owner=owner, year=year).first()
    entries = list(of_year(ENTRY))
    photos = _photos(owner, reader, year, entries)
    quarters = [
        Quarter(n, quarter_label(n), limit=None if expand else ENTRIES_SHOWN) for n in (1, 2, 3, 4)
    ]
    for entry in entries:
        quarters[entry.quarter - 1].entries.append(entry)

    moves = list(of_year(MOVE))
    items = list(of_year(ITEM))
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
        years=years_with_data(owner),
        owner=owner,
        photos=photos,
        tallies=list(of_year(TALLY)),
    )


def _photos(owner, reader, year: int, entries: list[Entry]) -> list[Photo]:
    """The photos placed in the year's document; the entries get theirs (one query for both)."""
    by_entry: dict[int, list[Photo]] = {entry.pk: [] for entry in entries}
    placed = []
    in_document = Q(entry__isnull=True, year=year)
    visible = Photo.objects.visible_to(owner, reader).order_by("position", "id")
    for photo in visible.filter(Q(entry_id__in=list(by_entry)) | in_document):
        if photo.entry_id is None:
            placed.append(photo)
        else:
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
