"""A year's document as a Markdown blog post with YAML front matter (Hugo, Jekyll).

The post is the document as written, with each embed written out as
Markdown a blog accepts: a row as a list item, a list of rows as a list
(the year's timeline with a heading per quarter, reading with a heading
per kind), a photo as an image followed by its caption in italics, a
comparison as a sentence. Headings left with nothing under them (a
quarter with no entries, a guided question never answered) are left out,
as a blog post would. The template's words and the embeds' words are in
the review's language. What the user wrote as Markdown (the document,
bodies, notes, outcomes) goes in as written; single-line fields (titles,
organizations, captions) are escaped so they stay plain text.
Raw HTML in what the user wrote is written so that it shows as text, as
it does on Almanac's page (``sharing.markdown_text``).

Front matter strings are written as JSON strings, which YAML reads as
double-quoted scalars, so a title with a colon, a quote or a ``#`` cannot
break the header.

A public export (``public=True``, from a public-only page) has nothing
private: private rows and embeds of missing rows are left out, and so are
the links to the owner's other years, which only the owner can open. The
owner's export marks private rows and missing embeds.

Photos are linked by ``photo_url``; by default relatively, as
``photos/<key>.<ext>``, which is where the page bundle (export.zip) puts
them next to ``index.md``.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from core.dates import partial_label
from reviews import document as documents
from reviews.compare import signed
from reviews.embeds import Shown, resolve
from reviews.services import YearPage
from sharing.markdown_text import escape_raw_html
from sharing.services import description
from timeline.models import Photo

INDENT = "    "  # list item continuation: read the same by CommonMark and Python-Markdown
_ESCAPED = re.compile(r"([\\`*_\[\]>])")
# Characters YAML will not take raw inside a double-quoted scalar: C0/C1 controls
# (JSON escapes most C0 ones already), line and paragraph separators, BOM, surrogates.
_YAML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff]")


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar holding ``value`` exactly."""
    text = json.dumps(value, ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def inline(text: str) -> str:
    """Plain text as Markdown inline text: one line, Markdown characters escaped.

    ``&`` and ``<`` become entities, which every renderer shows as typed (a
    backslash before ``<`` is not an escape for Python-Markdown).
    """
    text = " ".join(str(text).split()).replace("&", "&amp;").replace("<", "&lt;")
    return _ESCAPED.sub(r"\\\1", text)


def block(text: str) -> str:
    """User Markdown, its raw HTML shown as text, without Windows line ends or trailing spaces."""
    lines = str(text).replace("\r\n", "\n").split("\n")
    return escape_raw_html("\n".join(line.rstrip() for line in lines).strip("\n")).strip("\n")


def indented(text: str) -> str:
    return "\n".join(INDENT + line if line.strip() else "" for line in text.split("\n"))


def quoted(text: str) -> str:
    return "\n".join("> " + line if line.strip() else ">" for line in text.split("\n"))


_URL_UNSAFE = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "`": "%60", '"': "%22"}


def _link_target(url: str) -> str:
    """A URL that no renderer can end early: nothing after it can become a tag."""
    return "".join(_URL_UNSAFE.get(char, char) for char in url)


def _list(rows: list[tuple[str, str]]) -> str:
    """A bullet list; loose (blank lines between items) when any item has more than its line."""
    loose = any(extra for _line, extra in rows)
    parts = []
    for line, extra in rows:
        parts.append(f"- {line}" + (f"\n\n{indented(extra)}" if extra else ""))
    return ("\n\n" if loose else "\n").join(parts)


def bundle_path(photo: Photo) -> str:
    """Where the page bundle keeps a photo, relative to its ``index.md``."""
    name = photo.image.name
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else "jpg"
    return f"photos/{photo.key}.{extension}"


_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")


def without_empty_headings(text: str) -> str:
    """``text`` without the ATX headings that have nothing under them before the next
    heading of the same or a higher level (fenced code is left alone)."""
    lines = text.split("\n")
    levels: list[int | None] = []  # each line's heading level, None for other lines
    for line, code in documents.fenced_lines(lines):
        heading = None if code else _HEADING.match(line)
        levels.append(len(heading[1]) if heading else None)
    keep = [True] * len(lines)
    # From the end: seen[n] says whether text stands between this line and the next
    # heading of level n or higher, which is where a heading of level n ends.
    seen = [False] * 7
    for at in range(len(lines) - 1, -1, -1):
        level = levels[at]
        if level is None:
            if lines[at].strip():
                seen = [True] * 7
            continue
        keep[at] = seen[level]
        seen[level:] = [False] * (7 - level)
    kept_lines = [line for line, kept in zip(lines, keep, strict=True) if kept]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept_lines)).strip("\n")


class _Writer:
    def __init__(
        self,
        page: YearPage,
        *,
        public: bool,
        photo_url: Callable[[Photo], str],
        year_url: Callable[[int], str] | None,
    ):
        self.page = page
        self.public = public
        self.photo_url = photo_url
        self.year_url = year_url
        self.photos_used: list[Photo] = []

    def private_mark(self, obj) -> str:
        private = getattr(obj, "private", False)
        if isinstance(obj, Photo):
            private = obj.entry_id is not None and obj.entry.private
        return f" *({_('private')})*" if private and not self.public else ""

    # One row

    def photo(self, photo: Photo) -> str:
        if photo not in self.photos_used:
            self.photos_used.append(photo)
        caption = " ".join(photo.caption.split())
        image = f"![{inline(caption)}]({_link_target(self.photo_url(photo))})"
        mark = self.private_mark(photo)
        if caption:
            return f"{image}\n\n*{inline(caption)}*{mark}"
        return image + (f"\n\n{mark.strip()}" if mark else "")

    def entry_row(self, entry) -> tuple[str, str]:
        line = f"**{inline(entry.span)}** — {inline(entry.title)}" + self.private_mark(entry)
        photos = [self.photo(photo) for photo in entry.photos.all()]
        return line, "\n\n".join(x for x in (block(entry.body), *photos) if x)

    def move_row(self, move) -> tuple[str, str]:
        when = partial_label(move.when, with_year=False)
        line = (
            f"**{inline(when)}** — {inline(move.get_kind_display())}"
            f" **{inline(move.organization)}**"
        )
        if move.role:
            line += f" · {inline(move.role)}"
        return line + self.private_mark(move), block(move.note)

    def item_row(self, item) -> tuple[str, str]:
        title = inline(item.title)
        line = f"[{title}]({_link_target(item.url)})" if item.url else f"*{title}*"
        if item.authors:
            line += f" — {inline(item.authors)}"
        extras = []
        if item.recommended:
            extras.append(f"★ {_('Recommended')}")
        if item.rating:
            extras.append(f"{item.rating}/5")
        if item.status != item.Status.FINISHED:
            extras.append(inline(item.get_status_display()))
        if extras:
            line += " · " + " · ".join(extras)
        return line + self.private_mark(item), block(item.notes)

    def goal_row(self, goal, *, show_open: bool = True) -> tuple[str, str]:
        line = inline(goal.title)
        if show_open or goal.status != goal.Status.OPEN:
            line = f"**{inline(goal.get_status_display())}** — {line}"
        if goal.metric_kind and goal.metric_target:
            target = _("target: %(target)s × %(kind)s") % {
                "target": goal.metric_target,
                "kind": goal.get_metric_kind_display(),
            }
            line += f" · {inline(target)}"
        extra = []
        if goal.carried_from_id and goal.carried_from:
            carried = _("carried over from %(year)s") % {"year": goal.carried_from.year}
            extra.append(f"*{inline(carried)}*")
        if goal.description:
            extra.append(block(goal.description))
        if goal.outcome:
            extra.append(quoted(block(goal.outcome)))
        return line + self.private_mark(goal), "\n\n".join(extra)

    # Embeds

    def shown(self, part: Shown) -> str:
        embed, kind = part.embed, part.kind
        if part.missing:
            if self.public:
                return ""
            return f"*{inline(_('Missing: %(embed)s') % {'embed': embed.line})}*"
        if kind == "photo":
            return self.photo(part.rows[0])
        if kind == "timeline" and embed.quarter is None:
            return self.timeline()
        if kind in ("entry", "timeline"):
            return _list([self.entry_row(entry) for entry in part.rows])
        if kind in ("move", "career"):
            return _list([self.move_row(move) for move in part.rows])
        if kind == "library" and part.groups:
            groups = [
                f"### {inline(group.label)}\n\n{_list([self.item_row(i) for i in group.items])}"
                for group in part.groups
            ]
            return "\n\n".join([*groups, self.recorded_counts()])
        if kind in ("item", "library"):
            return _list([self.item_row(item) for item in part.rows])
        if kind in ("goal", "goals"):
            show_open = not embed.next_year
            return _list([self.goal_row(goal, show_open=show_open) for goal in part.rows])
        if kind == "compare":
            return self.compare(part)
        if kind == "years":
            return self.years(part.years)
        return ""

    def recorded_counts(self) -> str:
        """The counts recorded for the year, one line each (the page holds only public ones
        when the export is public)."""
        counts = {str(label): count for label, count in self.page.reading_counts}
        lines = []
        for tally in self.page.tallies:
            label = tally.get_kind_display()
            line = f"{label}: {counts[str(label)].source}"
            if tally.note:
                line += f" — {tally.note}"
            lines.append((inline(line) + self.private_mark(tally), ""))
        return _list(lines) if lines else ""

    def timeline(self) -> str:
        return "\n\n".join(
            f"### {inline(quarter.label)}\n\n{_list([self.entry_row(e) for e in quarter.entries])}"
            for quarter in self.page.quarters
            if quarter.entries
        )

    def compare(self, part: Shown) -> str:
        if part.goals is not None:
            (achieved, total), (last_achieved, last_total) = part.goals
            text = _("Goals: %(achieved)s of %(total)s achieved.") % {
                "achieved": achieved,
                "total": total,
            }
            if last_total:
                text += " " + _("Last year: %(achieved)s of %(total)s.") % {
                    "achieved": last_achieved,
                    "total": last_total,
                }
            return inline(text)
        change = part.change
        text = _("%(label)s: %(this)s, last year %(other)s (%(change)s).") % {
            "label": change.label[:1].upper() + change.label[1:],
            "this": getattr(change.this, "source", "") or change.this,
            "other": getattr(change.other, "source", "") or change.other,
            "change": signed(change.change),
        }
        return inline(text)

    def years(self, years: list[int]) -> str:
        # Only the owner can open the other years' pages: a public post links none.
        if self.public or self.year_url is None or not years:
            return ""
        links = " · ".join(f"[{year}]({_link_target(self.year_url(year))})" for year in years)
        # The label is escaped alone: the links are Markdown already.
        label, _sep, rest = _("Other years: %(links)s").partition("%(links)s")
        return f"{inline(label)}{' ' if label.endswith(' ') else ''}{links}{inline(rest)}"

    # The post

    def front_matter(self, today: datetime.date) -> str:
        page, review = self.page, self.page.review
        if review is not None:
            title = review.display_title
        else:
            title = _("My %(year)s in review") % {"year": page.year}
        lines = [
            "---",
            f"title: {yaml_string(title)}",
            f"date: {min(datetime.date(page.year, 12, 31), today).isoformat()}",
            f"language: {yaml_string(review.language if review else 'en')}",
        ]
        if review and review.author_name:
            lines.append(f"author: {yaml_string(review.author_name)}")
        if review and review.license:
            lines.append(f"license: {yaml_string(review.license)}")
        summary = description(review)
        if summary:
            lines.append(f"description: {yaml_string(summary)}")
        lines.append(f"tags: [{yaml_string('annual-review')}, {yaml_string(str(page.year))}]")
        lines.append("---")
        return "\n".join(lines)

    def body(self) -> str:
        page, review = self.page, self.page.review
        if review is not None and review.document.strip():
            text, html = review.document, review.document_html
        else:
            # A year with rows but nothing written yet reads as a new year's template would.
            text = documents.compose(page.year, review.language if review else "en")
            # Only the embeds' markers: the prose is written from the text, and a
            # download renders no Markdown, as no page view does.
            html = "".join(f"<!--embed:{n}-->" for n in range(len(documents.embeds(text))))
        resolved = resolve(page, None if self.public else page.owner, html=html, text=text)
        shown = iter(resolved.shown)
        blocks = []
        for part in documents.split(text):
            if isinstance(part, documents.Embed):
                # The stored HTML has a marker for each embed of the text it was rendered from.
                resolved_part = next(shown, None)
                blocks.append(self.shown(resolved_part) if resolved_part else "")
            else:
                blocks.append(block(part))
        if review and review.license and review.license not in review.document:
            license_line = _("License: %(license)s") % {"license": review.license}
            blocks.append(f"*{inline(license_line)}*")
        return without_empty_headings("\n\n".join(b for b in blocks if b.strip()))

    def document(self, today: datetime.date) -> str:
        return f"{self.front_matter(today)}\n\n{self.body()}\n"


def export(
    page: YearPage,
    *,
    public: bool,
    photo_url: Callable[[Photo], str] = bundle_path,
    year_url: Callable[[int], str] | None = None,
    today: datetime.date | None = None,
) -> tuple[str, list[Photo]]:
    """The year as Markdown, and the photos it links, in order.

    ``page`` must already be public-only when ``public`` is set.
    """
    review = page.review
    writer = _Writer(page, public=public, photo_url=photo_url, year_url=year_url)
    with documents.language_of(review.language if review else "en"):
        text = writer.document(today or datetime.date.today())
    return text, writer.photos_used


def render(page: YearPage, *, public: bool, **options) -> str:
    """The year as Markdown (see ``export``)."""
    return export(page, public=public, **options)[0]
