"""A year as one Markdown document with YAML front matter, ready for a Hugo or Jekyll blog.

The sections follow the year page: opening, timeline by quarter, career,
reading by kind, goals for the year, goals for the next, closing, license.
Empty sections are left out, as a blog post would. What the user wrote as
Markdown (bodies, notes, outcomes) goes in as written, except that raw HTML
is written so that it shows as text, as it does on Almanac's page
(``sharing.markdown_text``); single-line fields (titles, organizations,
captions) are escaped so they stay plain text.

Front matter strings are written as JSON strings, which YAML reads as
double-quoted scalars, so a title with a colon, a quote or a ``#`` cannot
break the header.

Photos: the owner's export links each photo (its owner-only URL) with its
caption as the alt text. A public export cannot do that — a photo is served
only to its owner or through a live share link, whose token is not stored —
so it leaves each photo as an HTML comment naming its caption: invisible
when published, a marker for where to put the image once it is hosted.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from core.dates import day_label
from reviews.services import YearPage
from sharing.markdown_text import escape_raw_html
from sharing.services import plain_text
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


class _Writer:
    def __init__(self, page: YearPage, *, public: bool, photo_url: Callable[[Photo], str] | None):
        self.page = page
        self.public = public
        self.photo_url = photo_url

    def private_mark(self, obj) -> str:
        return f" *({_('private')})*" if getattr(obj, "private", False) and not self.public else ""

    def note(self, field: str) -> str:
        review = self.page.review
        return block(getattr(review, field)) if review is not None else ""

    def photos(self, entry) -> str:
        lines = []
        for photo in entry.photos.all():
            caption = photo.caption or entry.title
            if self.photo_url is None:
                # Comment text must not close the comment early.
                safe = re.sub(r"-{2,}|[<>]", " ", " ".join(caption.split()))
                lines.append(f"<!-- {_('photo')}: {safe} -->")
            else:
                lines.append(f"![{inline(caption)}]({_link_target(self.photo_url(photo))})")
        return "\n\n".join(lines)

    def timeline(self) -> str:
        parts = []
        for quarter in self.page.quarters:
            if not quarter.entries:
                continue
            rows = []
            for entry in quarter.entries:
                line = f"**{inline(entry.span)}** — {inline(entry.title)}"
                line += self.private_mark(entry)
                extra = "\n\n".join(x for x in (block(entry.body), self.photos(entry)) if x)
                rows.append((line, extra))
            parts.append(f"### {inline(quarter.label)}\n\n{_list(rows)}")
        return "\n\n".join(parts)

    def career(self) -> str:
        rows = []
        for move in self.page.moves:
            line = (
                f"**{inline(day_label(move.date))}** — {inline(move.get_kind_display())}"
                f" **{inline(move.organization)}**"
            )
            if move.role:
                line += f" · {inline(move.role)}"
            rows.append((line + self.private_mark(move), block(move.note)))
        return _list(rows) if rows else ""

    def reading(self) -> str:
        if not self.page.reading:
            return ""
        finished = self.page.reading_finished
        counts = " · ".join(
            f"{g.label} {g.finished}" for g in self.page.reading if g.finished
        )  # e.g. "Book 3 · Paper 2"
        parts = []
        if finished:
            summary = ngettext(
                "%(count)d finished: %(kinds)s", "%(count)d finished: %(kinds)s", finished
            ) % {"count": finished, "kinds": counts}
            parts.append(summary)
        for group in self.page.reading:
            rows = [self.item_row(item) for item in group.items]
            parts.append(f"### {inline(group.label)} ({len(group.items)})\n\n{_list(rows)}")
        return "\n\n".join(parts)

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

    def goals(self, goals, *, show_open: bool) -> str:
        rows = []
        for goal in goals:
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
            rows.append((line + self.private_mark(goal), "\n\n".join(extra)))
        return _list(rows) if rows else ""

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
        description = plain_text(review.intro_html) if review else ""
        if description:
            lines.append(f"description: {yaml_string(description)}")
        lines.append(f"tags: [{yaml_string('annual-review')}, {yaml_string(str(page.year))}]")
        lines.append("---")
        return "\n".join(lines)

    def document(self, today: datetime.date) -> str:
        page, review = self.page, self.page.review
        year = page.year
        sections: list[str] = [self.front_matter(today)]
        if review and review.intro:
            sections.append(block(review.intro))

        def section(heading: str, *parts: str) -> None:
            body = [p for p in parts if p]
            if body:
                sections.append(f"## {inline(heading)}\n\n" + "\n\n".join(body))

        section(_("Timeline"), self.note("note_timeline"), self.timeline())
        section(_("Career"), self.note("note_career"), self.career())
        section(
            pgettext("section of the year", "Reading"), self.note("note_reading"), self.reading()
        )
        section(
            _("Goals for %(year)s") % {"year": year},
            self.note("note_goals"),
            self.goals(page.goals, show_open=True),
        )
        section(
            _("Goals for %(year)s") % {"year": year + 1},
            self.goals(page.next_goals, show_open=False),
        )
        if review and review.closing:
            sections.append("* * *\n\n" + block(review.closing))
        if review and review.license:
            license_line = _("License: %(license)s") % {"license": review.license}
            sections.append(f"*{inline(license_line)}*")
        return "\n\n".join(sections) + "\n"


def render(
    page: YearPage,
    *,
    public: bool,
    photo_url: Callable[[Photo], str] | None = None,
    today: datetime.date | None = None,
) -> str:
    """The year as Markdown. ``page`` must already be public-only when ``public`` is set."""
    writer = _Writer(page, public=public, photo_url=None if public else photo_url)
    return writer.document(today or datetime.date.today())
