"""Goodreads shelf import: the CSV of "Import and export" on goodreads.com, as library items.

Columns are found by their header name, so both the long export (with
"Bookshelves with positions") and the shorter one import alike; only
"Book Id" and "Title" must be there. Each row becomes a book:

- "Exclusive Shelf" read / currently-reading / to-read gives the status
  finished / reading / want; any other shelf gives want, and the shelf's
  name is kept as a line of the notes.
- "Date Read" (``YYYY/MM/DD``) is the finish date of a read book, a day. A
  read book without one was read by the year it was added to Goodreads
  ("Date Added"): it is finished in that year, at year precision, so it
  counts in that year without a day made up for it.
- "My Rating" 1–5 is the rating; 0 means unrated.
- "My Review" (Goodreads HTML) becomes Markdown notes; "Private Notes" go
  to the private notes, which only the owner ever sees.
- ISBNs come as spreadsheet formulas (``="0441172717"``) and are unwrapped;
  the link is the book's Goodreads page, by ISBN-13 or ISBN when there is one.

A row whose "Book Id" this account imported before is skipped, so the same
file can be imported again. A row that cannot be read is reported with its
line and reason, and never stops the others.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from core.dates import (  # a finish date must have a year page
    END,
    MAX_YEAR,
    MIN_YEAR,
    PartialDate,
    Precision,
)
from library.models import Item
from portability.interchange_rows import ItemCheck

STATUSES = {
    "read": Item.Status.FINISHED,
    "currently-reading": Item.Status.READING,
    "to-read": Item.Status.WANT,
}
FIELD_LIMIT = 16 * 1024 * 1024  # csv's default (128 KB) is less than a long review
BATCH = 500


class GoodreadsError(Exception):
    """The file as a whole cannot be read; ``message`` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Row:
    line: int
    title: str
    reason: str = ""


@dataclass
class GoodreadsReport:
    imported: list[Row] = field(default_factory=list)
    skipped: list[Row] = field(default_factory=list)
    failed: list[Row] = field(default_factory=list)


# Cells


def unwrap(value: str) -> str:
    """``="0441172717"`` (how Goodreads writes ISBNs) → ``0441172717``."""
    value = value.strip()
    match = re.fullmatch(r'=\s*"(.*)"', value, re.DOTALL)
    return (match.group(1) if match else value).strip()


def parse_date(value: str) -> datetime.date | None:
    """``2021/03/07`` (or ``2021-03-07``) → a date; empty → None; anything else → ValueError."""
    value = value.strip()
    if not value:
        return None
    match = re.fullmatch(r"([0-9]{4})[/-]([0-9]{1,2})[/-]([0-9]{1,2})", value, re.ASCII)
    if not match:
        raise ValueError(value)
    try:
        day = datetime.date(*map(int, match.groups()))
    except ValueError:
        raise ValueError(value) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValueError(value)
    return day


class _ReviewParser(HTMLParser):
    """Goodreads review HTML → Markdown: line breaks, bold, italics and links survive."""

    MARKERS = {"b": "**", "strong": "**", "i": "_", "em": "_"}
    BLOCKS = {"p", "div", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[tuple[int, str | None]] = []  # (where its "[" is, href)
        self.opened: int | None = None  # index of an emphasis marker with no text yet
        self.hidden = 0  # inside <script> or <style>: their text is not the review's

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag == "br":
            self.out.append("\n")
        elif tag in self.BLOCKS:
            self.out.append("\n\n")
        elif tag in self.MARKERS:
            self.out.append(self.MARKERS[tag])
            self.opened = len(self.out) - 1
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            safe = re.match(r"https?://\S+$", href, re.IGNORECASE)
            self.out.append("[" if safe else "")
            self.links.append((len(self.out) - 1, href if safe else None))

    def handle_startendtag(self, tag, attrs):
        if tag == "br":
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden = max(self.hidden - 1, 0)
        elif tag in self.BLOCKS:
            self.out.append("\n\n")
        elif tag in self.MARKERS:
            marker = self.MARKERS[tag]
            if self.opened == len(self.out) - 1 and self.out[-1] == marker:
                self.out.pop()  # <b></b>: nothing to emphasise
            else:
                # "** bold **" is not bold in Markdown: the spaces go outside the markers.
                trailing = self.out[-1][len(self.out[-1].rstrip(" ")) :] if self.out else ""
                if trailing:
                    self.out[-1] = self.out[-1].rstrip(" ")
                self.out.append(marker + trailing)
            self.opened = None
        elif tag == "a" and self.links:
            _at, href = self.links.pop()
            if href:
                self.out.append(f"]({href.replace('(', '%28').replace(')', '%29')})")

    def handle_data(self, data):
        if self.hidden:
            return
        text = re.sub(r"[ \t\r\n]+", " ", data)
        if self.opened == len(self.out) - 1 and text.startswith(" "):
            self.out[-1] = " " + self.out[-1]
            text = text.lstrip(" ")
        if text:
            self.out.append(text)
            self.opened = None

    def markdown(self) -> str:
        for at, _href in self.links:  # a link never closed keeps its text, unlinked
            self.out[at] = ""
        lines = "".join(self.out).split("\n")
        text = "\n".join(re.sub(r" {2,}", " ", line).strip() for line in lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip()


def review_markdown(html: str) -> str:
    """The text of a Goodreads review as Markdown (tags other than the simple ones dropped)."""
    if not html.strip():
        return ""
    parser = _ReviewParser()
    parser.feed(html)
    parser.close()
    return parser.markdown()


# Rows


def _header(names: list[str]) -> dict[str, int]:
    return {name.strip().lower(): i for i, name in enumerate(names)}


def read_rows(raw: bytes) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """The header (lower-cased name → column) and (line, cells) of every row."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise GoodreadsError(
            _("The file is not UTF-8 text: export it again from Goodreads.")
        ) from None
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        names = next(reader, None)
        header = _header(names or [])
        if "book id" not in header or "title" not in header:
            raise GoodreadsError(
                _("This is not a Goodreads export: it has no “Book Id” and “Title” columns.")
            )
        rows = []
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise GoodreadsError(
            _("The file is not a readable CSV file (line %(line)d: %(error)s).")
            % {"line": reader.line_num, "error": error}
        ) from None
    return header, rows


def _cell(header: dict[str, int], cells: list[str], name: str) -> str:
    index = header.get(name)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _item(user, header: dict[str, int], cells: list[str]) -> Item:
    """The item of one row, or ValueError with the reason it cannot be one."""
    if len(cells) != len(header):
        raise ValueError(
            _("it has %(count)d columns where the header has %(expected)d")
            % {"count": len(cells), "expected": len(header)}
        )

    def cell(name: str) -> str:
        return _cell(header, cells, name)

    title = " ".join(cell("title").split())
    if not title:
        raise ValueError(_("it has no title"))
    rating_text = cell("my rating") or "0"
    if rating_text not in {"0", "1", "2", "3", "4", "5"}:
        raise ValueError(_("“My Rating” %(value)s is not 0 to 5") % {"value": rating_text[:20]})
    shelf = cell("exclusive shelf")
    status = STATUSES.get(shelf.lower(), Item.Status.WANT)
    dates = {}
    for column in ("Date Read", "Date Started"):
        try:
            dates[column] = parse_date(cell(column.lower()))
        except ValueError:
            raise ValueError(
                _("“%(column)s” %(value)s is not a date (YYYY/MM/DD, 1900–2200)")
                % {"column": column, "value": cell(column.lower())[:20]}
            ) from None
    read_on, started_on = dates["Date Read"], dates["Date Started"]
    finished = None
    if status == Item.Status.FINISHED:
        finished = PartialDate.of(read_on, Precision.DAY) or _year_added(cell("date added"))
    finished_on = finished.stored(END) if finished else None
    if started_on and finished_on and started_on > finished_on:
        started_on = None
    notes = review_markdown(cell("my review"))
    if shelf and shelf.lower() not in STATUSES:
        line = _("Goodreads shelf: %(shelf)s") % {"shelf": shelf}
        notes = f"{notes}\n\n{line}" if notes else line
    authors = [cell("author"), *cell("additional authors").split(",")]
    isbn = unwrap(cell("isbn13")) or unwrap(cell("isbn"))
    book_id = cell("book id")
    link = (
        f"https://www.goodreads.com/book/isbn/{isbn}"
        if re.fullmatch(r"[0-9Xx]{10,13}", isbn)
        else f"https://www.goodreads.com/book/show/{book_id}"
    )
    return Item(
        owner=user,
        kind=Item.Kind.BOOK,
        title=_shorten(title, Item._meta.get_field("title").max_length),
        authors=_shorten(
            ", ".join(a.strip() for a in authors if a.strip()),
            Item._meta.get_field("authors").max_length,
        ),
        url=link,
        status=status,
        started_on=started_on,
        finished_on=finished_on,
        finished_precision=finished.precision if finished else Precision.DAY,
        rating=int(rating_text) or None,
        notes=notes,
        private_notes=cell("private notes"),
        goodreads_id=book_id,
    )


def _year_added(value: str) -> PartialDate | None:
    """The year a book was added to Goodreads; nothing when the cell cannot be read (it is
    only a stand-in for a missing read date, not worth refusing the row for)."""
    try:
        added = parse_date(value)
    except ValueError:
        return None
    return PartialDate(added.year, Precision.YEAR) if added else None


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# The Goodreads column each item field comes from, to say where a row went wrong.
COLUMNS = {
    "title": "Title",
    "authors": "Author",
    "started_on": "Date Started",
    "finished_on": "Date Read",
    "rating": "My Rating",
    "notes": "My Review",
    "private_notes": "Private Notes",
    "goodreads_id": "Book Id",
}


def _problems(check: ItemCheck, item: Item) -> str:
    """Why the item cannot be stored as a backup would restore it (empty when it can)."""
    return "; ".join(_column_problem(name, message) for name, message in check.check(item))


def _column_problem(name: str, message: str) -> str:
    if name not in COLUMNS:
        return message
    return _("“%(column)s”: %(message)s") % {"column": COLUMNS[name], "message": message}


def import_csv(user, raw: bytes) -> GoodreadsReport:
    """Add the rows of a Goodreads export the account lacks; GoodreadsError if unreadable.

    Each item is checked by the rules a backup's item is checked by
    (``ItemCheck``), so that what this imports, the owner's backup restores.
    """
    header, rows = read_rows(raw)
    report = GoodreadsReport()
    known = set(
        Item.objects.filter(owner=user)
        .exclude(goodreads_id="")
        .values_list("goodreads_id", flat=True)
    )
    seen: set[str] = set()
    new: list[tuple[Row, Item]] = []
    check = ItemCheck()
    for line, cells in rows:
        book_id = _cell(header, cells, "book id")
        # Shown in the report: without what the page could not show anyway.
        title = " ".join(_cell(header, cells, "title").replace("\x00", "").split())[:200]
        if not book_id:
            report.failed.append(Row(line, title, _("it has no usable “Book Id”")))
            continue
        try:
            Item._meta.get_field("goodreads_id").clean(book_id, None)
        except ValidationError as error:
            reason = " ".join(error.messages)
            report.failed.append(Row(line, title, _column_problem("goodreads_id", reason)))
            continue
        if book_id in known:
            report.skipped.append(Row(line, title, _("imported before")))
            continue
        if book_id in seen:
            report.skipped.append(Row(line, title, _("the same book appears earlier in the file")))
            continue
        try:
            item = _item(user, header, cells)
        except ValueError as error:
            report.failed.append(Row(line, title, str(error)))
            continue
        problems = _problems(check, item)
        if problems:
            report.failed.append(Row(line, title, problems))
            continue
        seen.add(book_id)
        item.render_markdown()  # bulk_create skips save(), which fills notes_html
        new.append((Row(line, item.title), item))
    _save(new, report)
    return report


def _save(new: list[tuple[Row, Item]], report: GoodreadsReport) -> None:
    """All rows at once; should the database refuse that, row by row so one cannot stop all."""
    try:
        with transaction.atomic():
            Item.objects.bulk_create([item for _row, item in new], batch_size=BATCH)
        report.imported += [row for row, _item in new]
        return
    except DatabaseError:
        pass
    for row, item in new:
        item.pk = None
        try:
            with transaction.atomic():
                item.save()
            report.imported.append(row)
        except DatabaseError as error:
            report.failed.append(Row(row.line, row.title, str(error)[:200]))
