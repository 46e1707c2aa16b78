"""How the year page lays out a resolved document: list ids and Add slots.

The editing code inserts an edited or added row into the list its kind
names (``q2-entries``, ``moves-list``, ``kind-paper-items``, ``goals-list``,
``next-goals-list``; see core.rows and reviews.placement). A document may
show a list twice, or not at all: the first embed showing a list gets its
id, so an id is never on the page twice, and the Add button of a kind sits
after the last list of that kind, where the author reads on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.text import capfirst

from core import rows
from reviews.document import render_html
from reviews.embeds import Document, Shown
from reviews.services import Quarter, ReadingGroup, YearPage


@dataclass
class ListPart:
    """One list an embed shows: a quarter or a reading kind, with the id it may carry."""

    group: Quarter | ReadingGroup
    list_id: str = ""

    @property
    def rows(self) -> list:
        # A list with an id may be cut to its first rows: "Show all" fills it in.
        if self.list_id:
            return self.group.shown
        return self.group.entries if isinstance(self.group, Quarter) else self.group.items

    @property
    def more(self) -> int:
        return self.group.more if self.list_id else 0


def lay_out(document: Document, page: YearPage, year_url=None) -> Document:
    """Give each list embed its ids and mark where the Add buttons go.

    ``year_url(year)`` is where ``[[years]]`` links a year (None: no link);
    the owner's pages by default. A share page links the years its link shares.
    """
    year_url = year_url or rows.year_url
    used: set[str] = set()
    last: dict[tuple, Shown] = {}

    def claim(list_id: str) -> str:
        if list_id in used:
            return ""
        used.add(list_id)
        return list_id

    for shown in document.shown:
        embed = shown.embed
        shown.list_id, shown.counts_id, shown.lists, shown.add = "", "", [], None
        if embed.problem or shown.missing:
            continue
        if embed.kind == "timeline":
            # A whole timeline ends with the rows known only by their year.
            numbers = [embed.quarter] if embed.quarter else [1, 2, 3, 4, 5]
            for number in numbers:
                quarter = page.quarters[number - 1]
                shown.lists.append(ListPart(quarter, claim(quarter.list_id)))
            last[("entry", page.year)] = shown
        elif embed.kind == "career":
            shown.list_id = claim("moves-list")
            last[("move", page.year)] = shown
        elif embed.kind == "library" and not _filtered(shown):
            shown.counts_id = claim("reading-counts")
            for group in page.reading_all:
                shown.lists.append(ListPart(group, claim(f"kind-{group.kind}-items")))
            last[("item", page.year)] = shown
        elif embed.kind == "library":
            last[("item", page.year)] = shown
        elif embed.kind == "years":
            # Only years there is a page for: a share page names no year its link
            # does not open (their very existence is the owner's to tell).
            links = [(year, year_url(year)) for year in shown.years]
            shown.year_links = [(year, url) for year, url in links if url]
        elif embed.kind == "goals":
            shown.list_id = claim("next-goals-list" if embed.next_year else "goals-list")
            last[("goal", page.year + 1 if embed.next_year else page.year)] = shown
    for key, shown in last.items():
        shown.add = key
    return document


def _filtered(shown: Shown) -> bool:
    return bool(shown.embed.options) or "recommended" in shown.embed.args


@dataclass
class TrayRow:
    """A row of the year no embed shows, with the line that would show it."""

    row: object
    kind_label: str
    line: str


def tray(document: Document) -> list[TrayRow]:
    return [
        TrayRow(row, capfirst(row._meta.verbose_name), embed_line(row))
        for row in document.not_shown
    ]


def embed_line(row) -> str:
    return f"[[{rows.of(row).name}:{row.key}]]"


def template_html(text: str) -> str:
    """A new year's template as stored HTML, without the Markdown renderer.

    A year with rows but no review yet shows its rows in the template's
    order; the template is headings and embeds only, and a page view never
    renders Markdown (the stored HTML is made on save).
    """
    return render_html(text, prose=_headings_and_lines)


def _headings_and_lines(part: str) -> str:
    html = []
    for line in part.splitlines():
        heading = re.match(r"^(#{1,6})\s+(.*)$", line)
        if heading:
            level = len(heading[1])
            html.append(f"<h{level}>{escape(heading[2].strip())}</h{level}>")
        elif line.strip():
            html.append(f"<p>{escape(line.strip())}</p>")
    return "\n".join(html)
