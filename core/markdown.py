"""Markdown for everything a user writes: render, then sanitize.

Python-Markdown turns the text into HTML with raw HTML disabled (anything
typed as a tag comes out as visible text), then nh3 keeps only an allowlist
of tags and attributes and only http, https and mailto links. The result is
stored beside its source (see ``core.models.MarkdownFieldsMixin``) so a page
view never renders unchanged text.

Python-Markdown is slow on some hostile shapes: link brackets cost time
quadratic in their number and in the distance to an unmatched bracket, and
deeply nested lists exhaust Python's recursion. ``render`` therefore treats
brackets as plain text in a text with very many of them (or whose brackets
would cost too much to match), and shows a text that is nested too deeply
as escaped plain paragraphs. Ordinary texts never meet either limit.
"""

from __future__ import annotations

import re
from html import escape

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "div", "em", "h1",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre",
    "s", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "div": {"class"},
    "code": {"class"},
}
# Only these classes may come from the Markdown renderer (footnotes, code languages).
_SAFE_CLASS = re.compile(r"^(footnote|footnote-ref|footnote-backref|language-[\w+-]{1,30})$")
_SAFE_URL = re.compile(r"^(https?://|mailto:|#)", re.IGNORECASE)
LINK_REL = "noopener noreferrer nofollow ugc"

EXTENSIONS = ["fenced_code", "tables", "footnotes", "sane_lists"]


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute in {"href", "src"}:
        return value if _SAFE_URL.match(value.strip()) else None
    if attribute == "class":
        kept = [name for name in value.split() if _SAFE_CLASS.match(name)]
        return " ".join(kept) or None
    return value


def _clean(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )


def sanitize(html: str) -> str:
    """Reduce HTML to the allowlist; idempotent."""
    # One pass can leave attributes in an order that a second pass changes (a link
    # whose href was dropped gets rel first, then last): the second pass is the fixpoint.
    return _clean(_clean(html))


# Link syntax: more brackets than any real text has, or brackets costing more
# character steps than this to match, and brackets are shown as typed.
MAX_BRACKETS = 500
MAX_BRACKET_COST = 2_000_000
LINK_PATTERNS = ("reference", "link", "image_link", "image_reference", "short_reference",
                 "short_image_ref", "footnote")  # fmt: skip


def _bracket_cost(text: str) -> int:
    """About how many characters Python-Markdown scans to match brackets and parentheses.

    Each ``[`` is scanned to its ``]`` (or to the end when there is none) and
    each ``](`` to its ``)``; one linear pass with a stack finds both.
    """
    closing: dict[int, int] = {}
    stacks: dict[str, list[int]] = {"[": [], "(": []}
    for match in re.finditer(r"[\[\]()]", text):
        char, at = match.group(), match.start()
        if char in stacks:
            stacks[char].append(at)
        else:
            stack = stacks["[" if char == "]" else "("]
            if stack:
                closing[stack.pop()] = at
    end = len(text)
    cost = 0
    for at in re.finditer(r"\[|\]\(", text):
        start = at.start() if at.group() == "[" else at.start() + 1
        cost += closing.get(start, end) - start
        if cost > MAX_BRACKET_COST:
            break
    return cost


def _converter(links: bool = True) -> markdown_lib.Markdown:
    md = markdown_lib.Markdown(extensions=EXTENSIONS, output_format="html")
    # Raw HTML in the source is shown as text, never passed through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    if not links:
        for name in LINK_PATTERNS:
            md.inlinePatterns.deregister(name, strict=False)
    return md


def _plain(text: str) -> str:
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p.strip())


def render(text: str) -> str:
    """Markdown source to sanitized HTML (the empty string for empty text)."""
    if not text or not text.strip():
        return ""
    links = text.count("[") <= MAX_BRACKETS and _bracket_cost(text) <= MAX_BRACKET_COST
    try:
        html = _converter(links).convert(text)
    except RecursionError:  # nested deeper than the parser can follow
        html = _plain(text)
    return sanitize(html)
