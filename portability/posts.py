"""Importing a year-in-review post (Markdown, as a blog keeps it) as a year's document.

A post may start with front matter, YAML between ``---`` lines (Jekyll,
Hugo) or TOML between ``+++`` lines (Hugo). Only a few keys matter here —
``title``, ``date``, ``lang``/``language`` and ``license`` — and each is a
plain scalar, so they are read by hand rather than with a YAML library
(PyYAML is a development dependency only); any other key is ignored.

The year is the one asked for, else the year of the front matter's
``date``, else a four-digit year in the title. The rest of the post becomes
the document as written: images referenced by URL stay links, and nothing
in the text becomes an embed. An existing document that holds text is
replaced only when asked; the text it held stays in the document's
history, so a replacement can be undone from the editor.

A post exported by Almanac (export.md) comes back as the same text, except
that its embeds were written out as Markdown and stay that Markdown, and
its last line, the license, goes back to the review's license.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from core.dates import MAX_YEAR, MIN_YEAR
from reviews import texts
from reviews.models import Review

MAX_POST_CHARS = 200_000  # as the document editor takes at most
PREVIEW_LINES = 8
KEYS = {"title": "title", "date": "date", "lang": "language", "language": "language"}
KEYS |= {"license": "license", "licence": "license"}
_YAML_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*))?")
_TOML_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*=[ \t]*(.*)")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_CJK = re.compile(r"[\u3400-\u9fff]")


class PostError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Post:
    """A post read: its front matter's few keys and its Markdown."""

    text: str
    title: str = ""
    date: str = ""
    language: str = ""
    license: str = ""


@dataclass
class Plan:
    """What importing a post would do: the document of ``year``, and whether it replaces one."""

    year: int
    post: Post
    review: Review | None

    @property
    def replaces(self) -> bool:
        return self.review is not None and bool(self.review.document.strip())

    @property
    def first_lines(self) -> list[str]:
        return [line for line in self.post.text.splitlines() if line.strip()][:PREVIEW_LINES]


def _scalar(value: str, toml: bool) -> str:
    """One front matter value as text: quoted strings decoded, comments dropped."""
    value = value.strip()
    if value.startswith('"'):
        end = value.rfind('"')
        try:
            return str(json.loads(value[: end + 1]))  # YAML and TOML basic strings read as JSON
        except ValueError:
            return value[1:end] if end > 0 else value[1:]
    if value.startswith("'"):
        end = value.rfind("'")
        inner = value[1:end] if end > 0 else value[1:]
        return inner if toml else inner.replace("''", "'")
    return re.split(r"\s+#", value, maxsplit=1)[0].strip()


def parse(raw: str) -> Post:
    """The post's front matter keys and its Markdown."""
    raw = raw.replace("\r\n", "\n").removeprefix("\ufeff")
    lines = raw.split("\n")
    fence = lines[0].strip() if lines else ""
    if fence not in ("---", "+++"):
        return Post(text=raw.strip("\n"))
    closing = ("---", "...") if fence == "---" else ("+++",)
    end = next((at for at in range(1, len(lines)) if lines[at].strip() in closing), None)
    if end is None:
        return Post(text=raw.strip("\n"))  # a thematic break, not front matter
    post = Post(text="\n".join(lines[end + 1 :]).strip("\n"))
    pattern = _TOML_LINE if fence == "+++" else _YAML_LINE
    for line in lines[1:end]:
        if line[:1] in (" ", "\t"):
            continue  # nested values: not one of the keys read here
        match = pattern.fullmatch(line.rstrip())
        if match and match[1].lower() in KEYS and match[2]:
            setattr(post, KEYS[match[1].lower()], _scalar(match[2], fence == "+++"))
    return post


def _title_heading(post: Post) -> None:
    """Without a title in front matter, a post's first line ``# Title`` is its title."""
    first, _sep, rest = post.text.partition("\n")
    if not post.title and re.match(r"#[ \t]", first):
        post.title = first[1:].strip().rstrip("#").strip()
        post.text = rest.strip("\n")


def _drop_license_line(post: Post) -> None:
    """The license line export.md ends with goes back to the review's license."""
    if not post.license:
        return
    body, _sep, last = post.text.rpartition("\n")
    plain = re.sub(r"\\(.)", r"\1", last.strip().strip("*"))
    for language in ("en", "zh-hans"):
        with translation.override(language):
            if plain == _("License: %(license)s") % {"license": post.license}:
                post.text = body.rstrip("\n")
                return


def year_of(post: Post, year: int | None) -> int:
    if year is None:
        for source in (post.date, post.title):
            match = _YEAR.search(source or "")
            if match and MIN_YEAR <= int(match[1]) <= MAX_YEAR:
                year = int(match[1])
                break
    if year is None:
        raise PostError(
            _("The post says nothing of its year (no date, no year in its title): give the year.")
        )
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PostError(_("The year must be between 1900 and 2200."))
    return year


def plan(owner, raw: str, year: int | None = None) -> Plan:
    """What importing ``raw`` for ``owner`` would do (nothing is written)."""
    if len(raw) > MAX_POST_CHARS:
        raise PostError(
            _("This post is %(length)s characters long; the limit is %(limit)s.")
            % {"length": len(raw), "limit": MAX_POST_CHARS}
        )
    if "\x00" in raw:
        raise PostError(_("This is not a text file."))
    post = parse(raw)
    _title_heading(post)
    _drop_license_line(post)
    if not post.text.strip():
        raise PostError(_("The post has no text."))
    chosen = year_of(post, year)
    return Plan(chosen, post, Review.objects.filter(owner=owner, year=chosen).first())


def _language(post: Post) -> str:
    if post.language:
        return post.language
    return "zh-Hans" if _CJK.search(post.title + post.text) else "en"


def apply(owner, plan: Plan, *, replace: bool = False) -> Review:
    """Write the post as the document of ``plan.year``; refuses to replace unless asked."""
    if plan.replaces and not replace:
        raise PostError(
            _("%(year)s already has a document. Replace it to import this post.")
            % {"year": plan.year}
        )
    post = plan.post
    with transaction.atomic():
        review, _created = Review.objects.select_for_update().get_or_create(
            owner=owner, year=plan.year, defaults={"language": _language(post)}
        )
        review.title = post.title[:200] or review.title
        review.license = post.license[:200] or review.license
        if post.language:
            review.language = post.language[:35]
        try:
            review.full_clean(exclude=["document", "document_html", "owner", "text_versions"])
        except ValidationError as error:
            raise PostError(" ".join(error.messages)) from None
        review.save(update_fields=["title", "license", "language", "updated"])
        # Through the texts' one way in: the replaced text stays in the history.
        texts.save_text(review, "document", post.text + "\n", review.text_version("document"))
    review.refresh_from_db()
    return review
