"""User Markdown made safe to publish: a typed tag stays text, code stays as written.

Almanac renders Markdown with raw HTML disabled, so a tag typed in a text
shows as text on the page. A blog's renderer (kramdown for Jekyll, Goldmark
for Hugo, Python-Markdown, markdown-it) often passes raw HTML through
instead. ``escape_raw_html`` writes every ``<`` that a renderer could read
as the start of a tag, a comment or an HTML block as ``&lt;``, which every
renderer shows as ``<``: the published post reads as the page does.

Inside code a ``<`` is already text and ``&lt;`` would show as typed, so
code is left alone — where every renderer agrees that it is code:

- a fenced code block at the margin, outside any list, closed by the same
  fence before anything else could close it, and after no other line that
  a renderer could take for a fence; it is written between blank lines.
  One that holds a ``<`` is written as an indented code block instead: a
  renderer without fences would read a ``<`` at the start of one of its
  lines as an HTML block;
- an indented code block after a blank line, outside any list, footnote or
  definition;
- a code span on one line, unless something in its paragraph could make a
  renderer pair its backticks otherwise (a link destination or a bare URL
  before it, a table cell, a span over several lines, a run of backticks
  left unmatched).

Where renderers could disagree about what is code, the text is escaped: the
worst case is ``&lt;`` shown inside a code sample, never a tag that runs.
Autolinks (``<https://…>``, ``<mailto:…>``, ``<name@host>``) stay links, as
on the page.
"""

from __future__ import annotations

import re
from bisect import bisect

CODE_INDENT = "    "
_FENCE = re.compile(r"(`{3,}|~{3,})[ ]*[\w#.+-]*[ ]*")
# Any line a renderer could take for a fence: indented, in a quote or a list item too.
_FENCE_LIKE = re.compile(r"(?:[ ]*>)*[ ]*(?:(?:[-+*]|\d{1,9}[.)])[ ]+)*(?:`{3,}|~{3,})")
# A line that opens a list item, a footnote or a definition (inside quotes too):
# after it, indentation means "more of the item", not code.
_CONTAINER = re.compile(
    r"(?:[ ]{0,3}>[ ]?)*[ ]{0,3}(?:[-+*]|\d{1,9}[.)])(?:[ \t]|$)"  # a list item
    r"|[ ]{0,3}\[\^[^\]]*\]:"  # a footnote
    r"|[ ]{0,3}:[ \t]"  # a definition
)
# No space, quote, backtick or backslash: nothing that could make it a tag with attributes.
_AUTOLINK = re.compile(
    r"<(?:(?:https?|ftp)://|mailto:)[^\s<>\"'`\\]+>|<[\w.+-]+@[\w-]+(?:\.[\w-]+)+>"
)
_URL_START = re.compile(r"://|www\.")


def _spaced(line: str) -> str:
    """Leading tabs as spaces (stops of 4, as Python-Markdown reads them).

    A tab's width depends on its column, so once the text is indented into a
    list or a quote a tab could stop meaning "code"; spaces keep meaning it.
    """
    body = line.lstrip(" \t")
    return line[: len(line) - len(body)].expandtabs(4) + body


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _fence_end(lines: list[str], start: int, fence: str) -> int | None:
    """The line closing the fence opened at ``start``, if every renderer closes it there.

    CommonMark closes at the first line of at least as many fence characters
    (indented up to three spaces); Python-Markdown only at the same fence at
    the margin. The two must be the same line.
    """
    closing = re.compile(rf"[ ]{{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*")
    for at in range(start + 1, len(lines)):
        if closing.fullmatch(lines[at]):
            return at if lines[at].rstrip() == fence else None
    return None


def _spans(chunk: str) -> list[tuple[int, int]] | None:
    """Code spans of a paragraph as CommonMark pairs backtick runs: (start, end) of each.

    None when a run of backticks is left unmatched: CommonMark shows it as
    typed, but Python-Markdown may open a span at its last backtick instead,
    and then every span after it pairs differently.
    """
    spans = []
    at = 0
    while at < len(chunk):
        char = chunk[at]
        if char == "\\":
            at += 2  # an escaped backtick opens nothing
            continue
        if char != "`":
            at += 1
            continue
        end = at
        while end < len(chunk) and chunk[end] == "`":
            end += 1
        width = end - at
        closing = re.compile(rf"(?<!`)`{{{width}}}(?!`)").search(chunk, end)
        if closing is None:
            return None
        spans.append((at, closing.end()))
        at = closing.end()
    return spans


def _first_open_link(chunk: str) -> int:
    """Where the first ``](`` is that could take in a later backtick (the end when none is).

    A ``](`` is harmless once a ``)`` closes it with nothing between that
    could carry the link further: a backtick, a parenthesis, a quote (a
    title) or a backslash (an escaped parenthesis). Links are read in order
    and each only up to its ``)``, so the search is linear.
    """
    for link in re.finditer(r"\]\(", chunk):
        close = chunk.find(")", link.end())
        if close == -1 or any(char in "`()\"'\\" for char in chunk[link.end() : close]):
            return link.start()
    return len(chunk)


def _untrusted_from(chunk: str, spans: list[tuple[int, int]]) -> int:
    """The position from which no span is trusted: an open link, or a bare URL that runs
    into a backtick (a renderer that links bare URLs takes the backtick into the link,
    and every span after it pairs differently)."""
    inside = iter(spans)
    span = next(inside, None)
    for word in re.finditer(r"\S+", chunk):
        last_backtick = word.group().rfind("`")
        for url in _URL_START.finditer(chunk, word.start(), word.start() + max(last_backtick, 0)):
            while span is not None and span[1] <= url.start():
                span = next(inside, None)
            if span is None or not span[0] < url.start() < span[1]:  # in a span it is code
                return min(url.start(), _first_open_link(chunk))
    return _first_open_link(chunk)


def _escape_text(text: str) -> str:
    """``<`` as ``&lt;``, autolinks kept."""
    parts = []
    at = 0
    for link in _AUTOLINK.finditer(text):
        parts.append(text[at : link.start()].replace("<", "&lt;"))
        parts.append(link.group())
        at = link.end()
    parts.append(text[at:].replace("<", "&lt;"))
    return "".join(parts)


def _escape_paragraph(chunk: str) -> str:
    spans = _spans(chunk) or []
    if any("\n" in chunk[start:end] for start, end in spans):
        spans = []  # one span over lines can pair differently where a renderer splits them
    untrusted_from = _untrusted_from(chunk, spans)
    # A table splits its cells at every |, inside spans too: the pairing of a whole row
    # changes when one of its spans holds one.
    line_ends = [newline.start() for newline in re.finditer("\n", chunk)]
    piped = {bisect(line_ends, start) for start, end in spans if "|" in chunk[start:end]}
    parts = []
    at = 0
    for start, end in spans:
        if end <= untrusted_from and bisect(line_ends, start) not in piped:
            parts.append(_escape_text(chunk[at:start]))
            parts.append(chunk[start:end])
            at = end
    parts.append(_escape_text(chunk[at:]))
    return "".join(parts)


def escape_raw_html(text: str) -> str:
    """Markdown in which no renderer finds raw HTML, showing what Almanac's page shows."""
    lines = [_spaced(line) for line in text.split("\n")]
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.extend(_escape_paragraph("\n".join(paragraph)).split("\n"))
            paragraph.clear()

    container = False  # inside a list item, footnote or definition
    blank_before = True  # every text starts after a blank line where it is written
    in_code = False
    fences = True  # every fence so far is one every renderer reads the same way
    at = 0
    while at < len(lines):
        line = lines[at]
        at += 1
        if not line.strip():
            flush()
            out.append(line)
            blank_before = True
            continue
        width = _indent(line)
        if in_code and width >= 4:
            out.append(line)
            continue
        in_code = False
        if blank_before and not container and width >= 4:
            flush()
            out.append(line)
            in_code, blank_before = True, False
            continue
        fence = _FENCE.fullmatch(line.rstrip()) if fences and not container else None
        end = _fence_end(lines, at - 1, fence.group(1)) if fence else None
        if end is None and _FENCE_LIKE.match(line):
            # Renderers may pair the fences after this one differently from here on.
            fences = False
        if end is not None:
            flush()
            if not blank_before:  # a fence ends a paragraph; a renderer without fences needs
                out.append("")  # the blank line to see that
            body = lines[at:end]
            if any("<" in each for each in body):
                out.extend(CODE_INDENT + each if each.strip() else "" for each in body)
                out.append("")
                blank_before = True
            else:
                # The blank line keeps the closing fence out of the next paragraph
                # for a renderer without fences, which reads it as backticks.
                out.extend([*lines[at - 1 : end + 1], ""])
                blank_before = True
            at = end + 1
            continue
        if _CONTAINER.match(line):
            container = True
        elif blank_before and width == 0:
            container = False
        paragraph.append(line)
        blank_before = False
    flush()
    return "\n".join(out)
