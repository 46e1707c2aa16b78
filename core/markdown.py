"""Markdown for everything a user writes: render, then sanitize.

Python-Markdown turns the text into HTML with raw HTML disabled (anything
typed as a tag comes out as visible text), then nh3 keeps only an allowlist
of tags and attributes and only http, https and mailto links. The result is
stored beside its source (see ``core.models.MarkdownFieldsMixin``) so a page
view never renders unchanged text.
"""

from __future__ import annotations

import re

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


def sanitize(html: str) -> str:
    """Reduce HTML to the allowlist; idempotent."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=LINK_REL,
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )


def _converter() -> markdown_lib.Markdown:
    md = markdown_lib.Markdown(extensions=EXTENSIONS, output_format="html")
    # Raw HTML in the source is shown as text, never passed through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def render(text: str) -> str:
    """Markdown source to sanitized HTML (the empty string for empty text)."""
    if not text or not text.strip():
        return ""
    html = _converter().convert(text)
    return sanitize(html)
