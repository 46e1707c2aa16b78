"""The year's document: one Markdown essay with embeds, one line each.

An embed is a line of its own, outside code blocks, between double square
brackets (the syntax is explained for users in docs/writing.md):

    [[entry:k3Xa9bQz]]            one row, by its key; ``| a label`` may follow
    [[timeline]] [[timeline Q2]]  the year's (or a quarter's) timeline
    [[timeline year]]             the entries known only by their year
    [[career]]                    the year's career moves
    [[library]]                   what was finished this year, by kind
    [[library kind=paper status=reading recommended]]
    [[goals]] [[goals next]]      this year's goals, the goals set for next year
    [[compare paper]] [[compare goals]]   a count or the goals beside last year
    [[years]]                     links to the author's other years

Stored, the document is rendered once (on save): its prose through the one
Markdown renderer, each embed replaced by an ``<!--embed:N-->`` marker.
The sanitizer removes every comment from rendered text, so a marker in the
stored HTML can only be one this module wrote. A page splits the stored
HTML at the markers and shows each embed with current data, so editing a
row changes every document that embeds it without rendering any Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from core import markdown
from core.dates import DURING_THE_YEAR, quarter_label

ROW_KINDS = ("entry", "move", "item", "goal", "photo")
LIST_KINDS = ("timeline", "career", "library", "goals", "compare", "years")
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
# ``[[timeline year]]``: the entries known only by their year, the page's fifth group.
WHOLE_YEAR = "year"
LIBRARY_KINDS = ("book", "paper", "code", "article", "course", "talk", "other")
LIBRARY_STATUSES = ("want", "reading", "finished", "abandoned")

EMBED_LINE = re.compile(
    r"^ {0,3}\[\[\s*(?P<kind>[a-z]+)(?::(?P<key>[A-Za-z0-9]+))?(?P<args>[^\]\n]*)\]\]\s*$"
)
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
MARKER = re.compile(r"<!--embed:(\d+)-->")


@dataclass(frozen=True)
class Embed:
    """One embed line, parsed. ``problem`` says why a line is not a usable embed."""

    kind: str
    key: str = ""
    args: tuple[str, ...] = ()
    options: dict = field(default_factory=dict, hash=False, compare=False)
    line: str = ""
    problem: str = ""

    @property
    def is_row(self) -> bool:
        return self.kind in ROW_KINDS

    @property
    def quarter(self) -> int | None:
        """1 to 4 for a quarter, 5 for the entries known only by their year, None for all."""
        for arg in self.args:
            if arg.upper() in QUARTERS:
                return QUARTERS.index(arg.upper()) + 1
            if arg.lower() == WHOLE_YEAR:
                return len(QUARTERS) + 1
        return None

    @property
    def next_year(self) -> bool:
        return "next" in self.args


def parse_embed(line: str) -> Embed | None:
    """The embed a line holds, or None if it is prose."""
    match = EMBED_LINE.match(line)
    if not match or match["kind"] not in ROW_KINDS + LIST_KINDS:
        return None
    kind, key = match["kind"], match["key"] or ""
    rest = match["args"].split("|", 1)[0]  # "| a label" is for the reader of the source
    args = tuple(rest.split())
    options = dict(arg.split("=", 1) for arg in args if "=" in arg)
    problem = ""
    if kind in ROW_KINDS and not key:
        problem = _("This embed needs a key, e.g. [[%(kind)s:abc123]].") % {"kind": kind}
    elif kind not in ROW_KINDS and key:
        problem = _("[[%(kind)s]] takes no key.") % {"kind": kind}
    elif kind == "library" and (
        options.get("kind", "book") not in LIBRARY_KINDS
        or options.get("status", "finished") not in LIBRARY_STATUSES
    ):
        problem = _("Unknown kind or status in this embed.")
    return Embed(kind, key, args, options, line.strip(), problem)


def fenced_lines(lines: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """Each line, and whether it belongs to a fenced code block (its fences included)."""
    fence = ""
    for line in lines:
        opening = FENCE.match(line)
        if fence:
            if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence):
                fence = ""
            yield line, True
        elif opening:
            fence = opening[1]
            yield line, True
        else:
            yield line, False


def split(text: str) -> list[str | Embed]:
    """The document as prose chunks and embeds, in order (fenced code is prose)."""
    parts: list[str | Embed] = []
    chunk: list[str] = []
    for line, code in fenced_lines(text.splitlines()):
        if code:
            chunk.append(line)
            continue
        embed = parse_embed(line)
        if embed is None:
            chunk.append(line)
            continue
        parts.append("\n".join(chunk))
        parts.append(embed)
        chunk = []
    parts.append("\n".join(chunk))
    return [part for part in parts if not isinstance(part, str) or part.strip()]


def embeds(text: str) -> list[Embed]:
    return [part for part in split(text) if isinstance(part, Embed)]


def render_html(text: str, prose: Callable[[str], str] | None = None) -> str:
    """The stored HTML: prose rendered and sanitized, each embed a numbered marker.

    ``prose`` renders the text between embeds (the Markdown renderer by default).
    """
    prose = prose or markdown.render
    html = []
    count = 0
    for part in split(text):
        if isinstance(part, Embed):
            html.append(f"<!--embed:{count}-->")
            count += 1
        else:
            html.append(prose(part))
    return "\n".join(html)


def segments(stored_html: str, text: str) -> list[str | Embed]:
    """The stored HTML cut at its markers: HTML strings and the embeds between them."""
    found = embeds(text)
    result: list[str | Embed] = []
    for index, piece in enumerate(MARKER.split(stored_html or "")):
        if index % 2 == 0:
            if piece.strip():
                result.append(piece)
        elif int(piece) < len(found):
            result.append(found[int(piece)])
    return result


# Writing documents: a new year's template and the conversion of the old sections.


def language_of(review_language: str):
    """Speak the review's language (for headings and the words of embeds)."""
    return translation.override("zh-hans" if review_language.lower().startswith("zh") else "en")


def compose(year: int, language: str, texts: dict[str, str] | None = None) -> str:
    """A document in today's page order, holding ``texts`` where their sections stood.

    ``texts`` may hold ``intro``, ``note_timeline``, ``note_career``,
    ``note_reading``, ``note_goals``, ``closing`` and ``answers`` (a list of
    (question, answer) pairs). Without texts it is a new year's template:
    the guided questions become headings the author can answer or delete.
    Headings are in the review's language.
    """
    texts = texts or {}
    with language_of(language):
        from reviews.prompts import PROMPTS

        answers = texts.get("answers")
        if answers is None and not any(texts.values()):
            answers = [(str(prompt.question), "") for prompt in PROMPTS]
        blocks = [texts.get("intro", "")]
        for question, answer in answers or []:
            blocks.append(f"### {question}\n\n{answer}".strip())
        blocks += [f"## {_('Timeline')}", texts.get("note_timeline", "")]
        for number, quarter in enumerate(QUARTERS, start=1):
            blocks += [f"### {quarter_label(number)}", f"[[timeline {quarter}]]"]
        blocks += [f"### {DURING_THE_YEAR}", f"[[timeline {WHOLE_YEAR}]]"]
        blocks += [f"## {_('Career')}", texts.get("note_career", ""), "[[career]]"]
        blocks += [f"## {_('Reading')}", texts.get("note_reading", ""), "[[library]]"]
        blocks += [
            f"## {_('Goals for %(year)s') % {'year': year}}",
            texts.get("note_goals", ""),
            "[[goals]]",
            f"## {_('Goals for %(year)s') % {'year': year + 1}}",
            "[[goals next]]",
            texts.get("closing", ""),
            "[[years]]",
        ]
    return "\n\n".join(block.strip() for block in blocks if block and block.strip()) + "\n"
