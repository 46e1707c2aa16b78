"""Markdown for everything a user writes: render, then sanitize.

Python-Markdown turns the text into HTML with raw HTML disabled (anything
typed as a tag comes out as visible text), then nh3 keeps only an allowlist
of tags and attributes and only http, https and mailto links. The result is
stored beside its source (see ``core.models.MarkdownFieldsMixin``) so a page
view never renders unchanged text.

Python-Markdown is slow on some hostile shapes, and any text within the
size limit must render in well under a second (the corpus in
``tests/core/test_markdown_speed.py`` holds the shapes found so far):

- link brackets cost time quadratic in their number and in the distance to
  an unmatched bracket: a text with very many of them (or whose brackets
  would cost too much to match) shows brackets as typed;
- a line that ends a block (a rule, a setext underline, a ``#`` heading)
  makes the parser copy and search the rest of its block, so a long block
  of such lines is quadratic: where that would cost too much, each of those
  lines is followed by a blank line (at the top level the parser splits
  there anyway; inside a list it makes the list loose);
- every element costs tens of microseconds, and deep nesting costs time
  per level (and, deeper still, Python's recursion): a text with more
  emphasis marks, code spans, escapes or entities than any real text has
  shows those marks as typed, and a text with more block lines (list items,
  quotes, headings, table rows, blank lines), deeper nesting or bigger
  tables than any real text is shown as escaped plain paragraphs;
- the fenced-code search starts again from the top after each block and
  scans to the end for a fence that never closes: a text where that adds
  up to too much is shown as plain paragraphs too.

Ordinary texts never meet these limits and render exactly as before.
"""

from __future__ import annotations

import re
from html import escape

import markdown as markdown_lib
import nh3
from markdown.preprocessors import Preprocessor

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


# Inline marks: beyond this many of one sort in a text, that sort is shown as typed.
# A 200,000-character essay with bold on every tenth word has about 6,000.
MAX_INLINE_MARKS = 10_000
# The marks of each sort -> the inline patterns that read them.
INLINE_MARKS = {
    ("*", "_"): ("em_strong", "em_strong2", "not_strong", "strong_em"),
    ("`",): ("backtick",),
    ("\\",): ("escape",),
    ("&",): ("entity",),
    ("<",): ("autolink", "automail"),
    ("  \n",): ("linebreak",),
}
# Beyond any of these (counted after fenced code is set aside) the text is shown
# as plain paragraphs: lines that start or end a block (list items, quotes,
# headings, rules, table rows) and blank lines together, nesting depth, table
# cells. A 200,000-character essay of short paragraphs and lists has a few thousand.
MAX_BLOCK_LINES = 12_000
MAX_DEPTH = 32
MAX_TABLE_CELLS = 50_000
# Characters the parser copies and searches for lines that end a block; beyond
# this, a blank line follows each such line.
MAX_SPLIT_COST = 10_000_000
# Characters the fenced-code search copies (or scans, see ``_fence_cost``).
MAX_FENCE_COST = 500_000_000

# Possessive quantifiers (``*+``) throughout: no pattern here may backtrack.
# A line that starts a block: a list item, a quote, a heading, a table row.
_BLOCK_LINE = re.compile(r"[ \t]*+(?:[-*+][ \t]|\d{1,9}[.)][ \t]|>|#|\|)")
# A line that ends the block it is in: a rule or setext underline, or a # heading,
# possibly inside quotes and list items.
_SPLIT_LINE = re.compile(r"[ \t>]*+(?:(?:[-*+]|\d{1,9}[.)])[ \t]++)*+(?:[-=*_ \t]++$|#)")
# The containers a line opens: quote marks, list markers, four-space indents.
_PREFIX = re.compile(r"[ \t>*+\-.)0-9]*+")
_MARKER = re.compile(r">|(?:^|(?<=[ \t>]))(?:[-*+]|\d{1,9}[.)])(?=[ \t])")
_RULE = re.compile(r"[ ]{0,3}(?:(?:-[ ]*+){3,}+|(?:\*[ ]*+){3,}+|(?:_[ ]*+){3,}+)$")
_TABLE_RULE = re.compile(r"[ \t|:-]*+$")
_FENCE = re.compile(r"(?:`{3,}+|~{3,}+)")


class _TooComplex(Exception):
    """The text has more structure than the parser can handle in time."""


def _depth(line: str) -> int:
    """About how deep ``line`` nests: quote marks, list markers and indents before its text."""
    if _RULE.match(line):  # ``- - - - -`` is a rule, not five lists
        return 0
    prefix = _PREFIX.match(line).group()
    indent = len(prefix) - len(prefix.lstrip(" \t"))
    return len(_MARKER.findall(prefix)) + indent // 4


def _table_cells(lines: list[str]) -> int:
    """About how many cells the tables in ``lines`` have (each row has the header's columns)."""
    cells = columns = 0
    for line in lines:
        if not line.strip():
            columns = 0
        elif "|" in line and "-" in line and _TABLE_RULE.match(line):
            columns = line.count("|") + 1
        cells += columns
    return cells


class _Shape(Preprocessor):
    """Refuses texts with more structure than any real text; splits costly blocks.

    Runs after fenced code is set aside, so code is never changed or counted.
    """

    def run(self, lines: list[str]) -> list[str]:
        block_lines = 0
        for line in lines:
            if not line.strip():
                block_lines += 1
            elif _BLOCK_LINE.match(line) or _SPLIT_LINE.match(line):
                block_lines += 1
                if _depth(line) > MAX_DEPTH:
                    raise _TooComplex
        if block_lines > MAX_BLOCK_LINES:
            raise _TooComplex
        if _table_cells(lines) > MAX_TABLE_CELLS:
            raise _TooComplex
        if _split_cost(lines) <= MAX_SPLIT_COST:
            return lines
        split: list[str] = []
        for line in lines:
            split.append(line)
            if line.strip() and _SPLIT_LINE.match(line):
                split.append("")
        return split


def _split_cost(lines: list[str]) -> int:
    """About how many characters the parser copies splitting blocks at their rules and headings."""
    cost = block_chars = splits = 0
    for line in [*lines, ""]:
        if line.strip():
            block_chars += len(line) + 1
            splits += bool(_SPLIT_LINE.match(line))
            continue
        cost += splits * block_chars
        if cost > MAX_SPLIT_COST:
            break
        block_chars = splits = 0
    return cost


def _fence_cost(text: str) -> int:
    """About how much work the fenced-code search does, in characters copied.

    Each code block found copies the text once; each fence that never closes
    is scanned to the end of the text by every search after it (a regular
    expression scan, dearer than a copy), and every fence line inside it is
    then tried as an opener too.
    """
    closed = inner = 0
    open_fence = ""
    for line in text.split("\n"):
        fence = _FENCE.match(line)
        if not fence:
            continue
        if not open_fence:
            open_fence = fence.group()
        elif line.rstrip() == open_fence:
            open_fence, inner, closed = "", 0, closed + 1
        else:
            inner += 1
    unclosed = 1 + inner if open_fence else 0
    return (closed + 50 * (closed + 1) * unclosed) * len(text)


def _converter(links: bool = True, plain_marks: tuple = ()) -> markdown_lib.Markdown:
    md = markdown_lib.Markdown(extensions=EXTENSIONS, output_format="html")
    # Raw HTML in the source is shown as text, never passed through.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    # After fenced code (25) has been set aside.
    md.preprocessors.register(_Shape(md), "shape", 20)
    if not links:
        for name in LINK_PATTERNS:
            md.inlinePatterns.deregister(name, strict=False)
    for marks, names in INLINE_MARKS.items():
        if marks in plain_marks:
            for name in names:
                md.inlinePatterns.deregister(name, strict=False)
    return md


def _plain(text: str) -> str:
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs if p.strip())


def _too_many(text: str) -> tuple:
    """The sorts of inline marks of which ``text`` has more than any real text."""
    return tuple(
        marks
        for marks in INLINE_MARKS
        if sum(text.count(mark) for mark in marks) > MAX_INLINE_MARKS
    )


def render(text: str) -> str:
    """Markdown source to sanitized HTML (the empty string for empty text)."""
    if not text or not text.strip():
        return ""
    links = text.count("[") <= MAX_BRACKETS and _bracket_cost(text) <= MAX_BRACKET_COST
    try:
        if _fence_cost(text) > MAX_FENCE_COST:
            raise _TooComplex
        html = _converter(links, _too_many(text)).convert(text)
    except (_TooComplex, RecursionError):  # more structure than the parser follows in time
        html = _plain(text)
    return sanitize(html)
