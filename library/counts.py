"""How many of a kind someone read in a year: the one rule every page counts by.

Where the owner recorded a count (a ``Tally``) it is the number, whether or not
the items are listed; where none is recorded, the listed finished items are
counted. Compare, the charts, measured goals, the document's comparisons and
the share page all ask ``reading_counts``; a reader who is not the owner
counts public tallies and public items only.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import CharField, Count, F, Value
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from library.models import Item, Tally
from library.rows import ITEM


class KindCount(int):
    """A number of one kind in one year that knows where it comes from.

    It is an ``int`` so that sums, comparisons and charts use it unchanged;
    ``listed`` is how many finished items are listed, ``recorded`` whether the
    number is a count the owner recorded.
    """

    listed: int
    recorded: bool
    note: str

    def __new__(cls, listed: int, recorded: int | None = None, note: str = "") -> KindCount:
        value = super().__new__(cls, listed if recorded is None else recorded)
        value.listed = listed
        value.recorded = recorded is not None
        value.note = note
        return value

    def __reduce__(self):
        return (KindCount, (self.listed, int(self) if self.recorded else None, self.note))

    @property
    def qualifier(self) -> str:
        """What to write after the number itself: 'count only', '7 listed', or ''."""
        if not self.recorded:
            return ""
        if not self.listed:
            return _("count only")
        return _("%(listed)s listed") % {"listed": self.listed}

    @property
    def source(self) -> str:
        """'30, count only', '7 listed of 30', or '' for listed items alone."""
        if not self.recorded:
            return ""
        if not self.listed:
            return _("%(n)s, count only") % {"n": int(self)}
        return _("%(listed)s listed of %(n)s") % {"listed": self.listed, "n": int(self)}


# {year: {kind: KindCount}}
Counts = dict[int, dict[str, KindCount]]


def reading_counts(
    owner,
    reader,
    years: Iterable[int] | None = None,
    kinds: Iterable[str] | None = None,
    *,
    tallies_read: list[Tally] | None = None,
) -> Counts:
    """The count of each kind in each year as ``reader`` may see it (one query).

    All years when ``years`` is None. ``reader`` is the owner (private rows
    count), another user or None (a share link's visitor: public rows only).
    The same query reads the tallies whole: given a list as ``tallies_read``,
    they are added to it (the year page lists them without a query of its own).
    """
    items = Item.objects.visible_to(owner, reader).filter(
        status=Item.Status.FINISHED, finished_on__isnull=False
    )
    tallies = Tally.objects.visible_to(owner, reader)
    if years is not None:
        years = set(years)
        if not years:
            return {}
        items = ITEM.in_years(items, years)
        tallies = tallies.filter(year__in=years)
    if kinds is not None:
        kinds = set(kinds)
        items = items.filter(kind__in=kinds)
        tallies = tallies.filter(kind__in=kinds)
    listed = (
        items.annotate(src=Value("item"), y=ExtractYear("finished_on"))
        .values("src", "y", "kind")
        .annotate(
            n=Count("id"),
            text=Value("", output_field=CharField()),
            tally_id=Value(0),
            hidden=Value(False),
        )
        .order_by()
    )
    recorded = (
        tallies.annotate(
            src=Value("tally"),
            y=F("year"),
            n=F("count"),
            text=F("note"),
            tally_id=F("id"),
            hidden=F("private"),
        )
        .values("src", "y", "kind", "n", "text", "tally_id", "hidden")
        .order_by()
    )
    found: dict[tuple[int, str], list] = {}
    for row in listed.union(recorded, all=True).order_by():
        year, kind = int(row["y"]), row["kind"]
        entry = found.setdefault((year, kind), [0, None, ""])
        if row["src"] == "tally":
            entry[1], entry[2] = int(row["n"]), row["text"]
            if tallies_read is not None:
                tallies_read.append(
                    Tally(
                        pk=row["tally_id"],
                        owner_id=getattr(owner, "pk", owner),
                        year=year,
                        kind=kind,
                        count=int(row["n"]),
                        note=row["text"],
                        private=bool(row["hidden"]),
                    )
                )
        else:
            entry[0] = int(row["n"])
    counts: Counts = {}
    for (year, kind), (n_listed, n_recorded, note) in found.items():
        counts.setdefault(year, {})[kind] = KindCount(n_listed, n_recorded, note)
    return counts
