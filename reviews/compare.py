"""Comparing one year with another, goals measured by the library, carrying goals over.

Everything here reads a fixed number of queries whatever the size of the
account: counts are aggregated by the database (``values().annotate(Count)``)
and lists are fetched once for both years. Only the owner's rows count, and
private rows count for the owner.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Value
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import rows
from core.dates import DURING_THE_YEAR, MAX_YEAR, MIN_YEAR, Precision, quarter_label
from library.counts import KindCount, reading_counts
from library.models import Item
from reviews.models import Goal
from timeline.models import CareerMove, Entry
from timeline.rows import ENTRY, MOVE

MINUS = "\u2212"  # a real minus sign: "−23", not a hyphen

# A year's counts of each kind: {year: {kind: count}} (library.counts).
ReadingCounts = dict[int, dict[str, KindCount]]
# A year's goals: {year: (achieved, set)}.
GoalCounts = dict[int, tuple[int, int]]


def signed(number: int) -> str:
    """'+5', '−23' (U+2212), '0'."""
    if number > 0:
        return f"+{number}"
    if number < 0:
        return f"{MINUS}{-number}"
    return "0"


def kind_noun(kind: str, count: int) -> str:
    """The kind as a counted noun: 'paper' / 'papers' (lower case, for running text)."""
    nouns = {
        Item.Kind.BOOK: ngettext("book", "books", count),
        Item.Kind.PAPER: ngettext("paper", "papers", count),
        Item.Kind.CODE: ngettext("codebase", "codebases", count),
        Item.Kind.ARTICLE: ngettext("article", "articles", count),
        Item.Kind.COURSE: ngettext("course", "courses", count),
        Item.Kind.TALK: ngettext("talk", "talks", count),
        Item.Kind.OTHER: ngettext("other item", "other items", count),
    }
    return nouns.get(kind, kind)


# Counting (one query each)


def finished_counts(
    owner,
    years: Iterable[int] | None = None,
    kinds: Iterable[str] | None = None,
    *,
    public_only: bool = False,
    tallies_read: list | None = None,
) -> ReadingCounts:
    """The count of each kind per year: a recorded count, else the listed finished items.

    All years when ``years`` is None (one query). ``public_only`` counts what a
    share link's reader may see. The numbers are ``KindCount``: they say which they are.
    ``tallies_read`` collects the tallies the query read (see ``reading_counts``).
    """
    reader = None if public_only else owner
    return reading_counts(owner, reader, years, kinds, tallies_read=tallies_read)


def goal_counts(
    owner,
    years: Iterable[int] | None = None,
    *,
    public_only: bool = False,
    decided_only: bool = False,
) -> GoalCounts:
    """(achieved, set) per year of the owner's goals; all years when ``years`` is None.

    ``decided_only`` leaves out the years none of whose goals has an outcome yet (all
    open or in progress, as next year's are): their share achieved means nothing yet.
    """
    qs = Goal.objects.visible_to(owner, None if public_only else owner)
    if years is not None:
        qs = qs.filter(year__in=set(years))
    undecided = Q(status__in=[Goal.Status.OPEN, Goal.Status.IN_PROGRESS])
    rows = (
        qs.values("year")
        .annotate(
            total=Count("id"),
            achieved=Count("id", filter=Q(status=Goal.Status.ACHIEVED)),
            decided=Count("id", filter=~undecided),
        )
        .order_by()
    )
    return {
        row["year"]: (row["achieved"], row["total"])
        for row in rows
        if row["decided"] or not decided_only
    }


def count_goals(goals: Iterable[Goal]) -> GoalCounts:
    """What ``goal_counts`` answers, from goals already read (every goal of their years)."""
    counts: dict[int, tuple[int, int]] = {}
    for goal in goals:
        achieved, total = counts.get(goal.year, (0, 0))
        counts[goal.year] = (achieved + (goal.status == Goal.Status.ACHIEVED), total + 1)
    return counts


# Measured goals


@dataclass(frozen=True)
class MetricProgress:
    """A measured goal's progress: '7 / 30 papers', and a suggestion once its year is over."""

    done: int
    target: int
    noun: str
    suggestion: str | None

    @property
    def capped(self) -> int:
        return min(self.done, self.target)


def progress_from_counts(goals: Iterable[Goal], counts: ReadingCounts) -> dict[int, int]:
    """Progress of each measured goal from counts already fetched (no query)."""
    return {
        goal.pk: counts.get(goal.year, {}).get(goal.metric_kind, 0)
        for goal in goals
        if goal.metric_kind
    }


def metric_progress(owner, goals: Iterable[Goal]) -> dict[int, int]:
    """{goal id: finished items of its metric kind in its year}, in one query for all goals.

    Goals without a metric are left out; no goal with a metric, no query.
    """
    measured = [goal for goal in goals if goal.metric_kind]
    if not measured:
        return {}
    counts = finished_counts(
        owner, {goal.year for goal in measured}, {goal.metric_kind for goal in measured}
    )
    return progress_from_counts(measured, counts)


def suggested_status(goal: Goal, progress: int, today: datetime.date) -> str | None:
    """'achieved' or 'missed' for an unsettled measured goal whose year is over, else None."""
    if not goal.metric_kind or not goal.metric_target or goal.is_settled:
        return None
    if today.year <= goal.year:
        return None
    return Goal.Status.ACHIEVED if progress >= goal.metric_target else Goal.Status.MISSED


def attach_progress(goals: Iterable[Goal], progress: dict[int, int], today: datetime.date) -> None:
    """Set ``goal.progress`` (a MetricProgress, or None) for ``_goal_progress.html``."""
    for goal in goals:
        if not goal.metric_kind or not goal.metric_target:
            goal.progress = None
            continue
        done = progress.get(goal.pk, 0)
        goal.progress = MetricProgress(
            done=done,
            target=goal.metric_target,
            noun=kind_noun(goal.metric_kind, goal.metric_target),
            suggestion=suggested_status(goal, done, today),
        )


# Carrying a goal over


class CarryRefused(Exception):
    """The goal cannot be carried over; the message says why, for the user."""


def carry_over(goal: Goal) -> tuple[Goal, bool]:
    """The goal's copy in the next year, made unless it exists: (copy, created).

    Raises CarryRefused for a settled goal or a goal of the last possible year.
    """
    existing = Goal.objects.filter(carried_from=goal).first()
    if existing is not None:
        return existing, False
    if goal.is_settled:
        raise CarryRefused(
            _(
                "“%(title)s” is settled (%(status)s): only open or in-progress goals "
                "can be carried over."
            )
            % {"title": goal.title, "status": goal.get_status_display()}
        )
    if goal.year >= MAX_YEAR:
        raise CarryRefused(_("There is no year after %(year)s.") % {"year": goal.year})
    try:
        # The one-to-one link is unique: a double click creates one copy, not two.
        with transaction.atomic():
            copy = Goal.objects.create(
                owner=goal.owner,
                year=goal.year + 1,
                title=goal.title,
                description=goal.description,
                metric_kind=goal.metric_kind,
                metric_target=goal.metric_target,
                private=goal.private,
                carried_from=goal,
            )
    except IntegrityError:
        return Goal.objects.get(carried_from=goal), False
    return copy, True


# The compare page


@dataclass(frozen=True)
class Change:
    """One number in both years: 'papers 7 vs 30, −23'."""

    label: str
    this: int
    other: int
    kind: str = ""

    @property
    def change(self) -> int:
        return self.this - self.other

    @property
    def change_label(self) -> str:
        return signed(self.change)

    @property
    def direction(self) -> str:
        return "up" if self.change > 0 else "down" if self.change < 0 else "same"


@dataclass
class YearColumn:
    """One year's side of the comparison."""

    year: int
    goals: list[Goal] = field(default_factory=list)
    moves: list[CareerMove] = field(default_factory=list)
    # Q1 to Q4, then the entries known only by their year.
    quarters: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])
    reading: dict[str, int] = field(default_factory=dict)

    @property
    def goals_set(self) -> int:
        return len(self.goals)

    @property
    def goals_achieved(self) -> int:
        return sum(1 for goal in self.goals if goal.status == Goal.Status.ACHIEVED)

    @property
    def finished(self) -> int:
        return sum(self.reading.values())

    @property
    def entries(self) -> int:
        return sum(self.quarters)

    @property
    def has_data(self) -> bool:
        return bool(self.goals or self.moves or self.entries or self.finished)


@dataclass
class Comparison:
    this: YearColumn
    other: YearColumn
    reading: list[Change]
    quarters: list[Change]
    summary: list[str]
    reading_by_year: ReadingCounts
    goals_by_year: GoalCounts

    @property
    def columns(self) -> tuple[YearColumn, YearColumn]:
        return self.this, self.other

    @property
    def reading_total(self) -> Change:
        return Change(_("All"), self.this.finished, self.other.finished)

    @property
    def entries_total(self) -> Change:
        return Change(_("All"), self.this.entries, self.other.entries)


def default_other_year(year: int) -> int:
    """The year compared with when none is asked for: the previous one."""
    return year - 1 if year > MIN_YEAR else year + 1


def compare_years(owner, year: int, other: int) -> Comparison:
    """Both years side by side, plus the counts of every year for the charts (5 queries)."""
    years = (year, other)
    columns = {y: YearColumn(y) for y in years}

    goals = Goal.objects.filter(owner=owner, year__in=years).select_related(
        "carried_from", "carried_to"
    )
    for goal in goals:
        columns[goal.year].goals.append(goal)
    moves = MOVE.in_years(CareerMove.objects.filter(owner=owner), years)
    for move in sorted(moves, key=lambda move: move.when.sort_key()):
        columns[MOVE.year_of(move)].moves.append(move)
    per_quarter = (
        ENTRY.in_years(Entry.objects.filter(owner=owner), years)
        .annotate(y=ExtractYear("started_on"), q=ExtractQuarter("started_on"))
        .values("y", "q", "started_precision")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in per_quarter:
        # A year-only start is stored as 1 January, but it belongs to no quarter.
        slot = 4 if row["started_precision"] == Precision.YEAR else int(row["q"]) - 1
        columns[int(row["y"])].quarters[slot] += row["n"]

    reading_by_year = finished_counts(owner)
    goals_by_year = goal_counts(owner, decided_only=True)
    for y in years:
        columns[y].reading = reading_by_year.get(y, {})

    this, that = columns[year], columns[other]
    all_goals = this.goals + that.goals
    attach_progress(
        all_goals, progress_from_counts(all_goals, reading_by_year), timezone.localdate()
    )

    reading = [
        Change(kind_noun(kind, 2), this.reading.get(kind, 0), that.reading.get(kind, 0), kind)
        for kind in Item.Kind.values
        if this.reading.get(kind) or that.reading.get(kind)
    ]
    quarters = [
        Change(quarter_label(n), this.quarters[n - 1], that.quarters[n - 1]) for n in (1, 2, 3, 4)
    ]
    if this.quarters[4] or that.quarters[4]:
        quarters.append(Change(str(DURING_THE_YEAR), this.quarters[4], that.quarters[4]))
    return Comparison(
        this=this,
        other=that,
        reading=reading,
        quarters=quarters,
        summary=summary(this, that, reading),
        reading_by_year=reading_by_year,
        goals_by_year=goals_by_year,
    )


def summary(this: YearColumn, other: YearColumn, reading: list[Change]) -> list[str]:
    """A few sentences written from the numbers, for the top of the compare page."""
    sentences: list[str] = []
    for column in (this, other):
        if not column.has_data:
            sentences.append(_("Nothing recorded for %(year)s.") % {"year": column.year})

    if this.finished or other.finished:
        sentences.append(
            ngettext(
                "In %(year)s you finished %(n)s item, against %(m)s in %(other)s (%(change)s).",
                "In %(year)s you finished %(n)s items, against %(m)s in %(other)s (%(change)s).",
                this.finished,
            )
            % {
                "year": this.year,
                "n": this.finished,
                "m": other.finished,
                "other": other.year,
                "change": signed(this.finished - other.finished),
            }
        )
        biggest = max(reading, key=lambda row: abs(row.change))
        if biggest.change:
            sentences.append(
                _("The largest change: %(kind)s %(n)s vs %(m)s, %(change)s.")
                % {
                    "kind": biggest.label,
                    "n": biggest.this,
                    "m": biggest.other,
                    "change": biggest.change_label,
                }
            )

    for column in (this, other):
        if column.goals_set:
            sentences.append(
                ngettext(
                    "Goals for %(year)s: %(a)s of %(n)s achieved.",
                    "Goals for %(year)s: %(a)s of %(n)s achieved.",
                    column.goals_set,
                )
                % {"year": column.year, "a": column.goals_achieved, "n": column.goals_set}
            )
        elif column.has_data:
            sentences.append(_("No goals were set for %(year)s.") % {"year": column.year})

    if this.moves or other.moves:
        sentences.append(
            ngettext(
                "%(n)s career move in %(year)s, %(m)s in %(other)s.",
                "%(n)s career moves in %(year)s, %(m)s in %(other)s.",
                len(this.moves),
            )
            % {"n": len(this.moves), "year": this.year, "m": len(other.moves), "other": other.year}
        )
    if this.entries or other.entries:
        sentences.append(
            ngettext(
                "%(n)s timeline entry in %(year)s, %(m)s in %(other)s.",
                "%(n)s timeline entries in %(year)s, %(m)s in %(other)s.",
                this.entries,
            )
            % {"n": this.entries, "year": this.year, "m": other.entries, "other": other.year}
        )
    return sentences


# The strip on the year page


@dataclass
class YearStrip:
    """This year's key numbers beside the previous year's."""

    year: int
    previous: int
    finished: Change
    kinds: list[Change]
    goals: tuple[tuple[int, int], tuple[int, int]]  # (achieved, set) this year, previous
    moves: Change
    entries: Change

    @property
    def goals_this(self) -> tuple[int, int]:
        return self.goals[0]

    @property
    def goals_previous(self) -> tuple[int, int]:
        return self.goals[1]

    @property
    def is_empty(self) -> bool:
        numbers = (self.finished, self.moves, self.entries)
        return not any(c.this or c.other for c in numbers) and not (
            self.goals[0][1] or self.goals[1][1]
        )


STRIP_KINDS = 3


def strip_numbers(
    owner, year: int, reading: ReadingCounts | None = None, goals: GoalCounts | None = None
) -> YearStrip:
    """Key numbers of the year and the previous one (three queries, one given both counts).

    ``reading`` may hold finished counts already fetched for at least these two
    years, ``goals`` the goal counts of both (see ``count_goals``).
    """
    previous = year - 1
    years = (year, previous) if previous >= MIN_YEAR else (year,)

    if reading is None:
        reading = finished_counts(owner, years)
    if goals is None:
        goals = goal_counts(owner, years)

    def yearly(kind: rows.RowKind):
        return (
            kind.in_years(kind.model.objects.filter(owner=owner), years)
            .annotate(src=Value(kind.name), y=ExtractYear(kind.year_field))
            .values("src", "y")
            .annotate(n=Count("id"))
            .order_by()
        )

    counted: dict[tuple[str, int], int] = {}
    moves_and_entries = yearly(MOVE).union(yearly(ENTRY), all=True).order_by()
    for row in moves_and_entries:
        counted[(row["src"], int(row["y"]))] = row["n"]

    this_reading, previous_reading = reading.get(year, {}), reading.get(previous, {})
    kinds = [
        Change(kind_noun(kind, 2), this_reading.get(kind, 0), previous_reading.get(kind, 0), kind)
        for kind in Item.Kind.values
        if this_reading.get(kind) or previous_reading.get(kind)
    ]
    kinds.sort(key=lambda c: (-(c.this + c.other), Item.Kind.values.index(c.kind)))
    return YearStrip(
        year=year,
        previous=previous,
        finished=Change(_("Finished"), sum(this_reading.values()), sum(previous_reading.values())),
        kinds=kinds[:STRIP_KINDS],
        goals=(goals.get(year, (0, 0)), goals.get(previous, (0, 0))),
        moves=Change(
            _("Career moves"), counted.get(("move", year), 0), counted.get(("move", previous), 0)
        ),
        entries=Change(
            _("Timeline entries"),
            counted.get(("entry", year), 0),
            counted.get(("entry", previous), 0),
        ),
    )
