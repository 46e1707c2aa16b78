"""Every text within the size limit renders in well under a second.

Python-Markdown is quadratic or merely slow on some shapes of text; this
corpus holds the shapes found so far, each at the size limit of a long
text. The budget is a ratio to rendering the same size of plain prose, so a
slower or busier machine moves both sides; prose is timed as its best of a
few runs, and a text over budget gets a second run, so that a moment of
load elsewhere does not count.
"""

from __future__ import annotations

import time

import pytest

from core import markdown
from reviews.text_views import MAX_TEXT

pytestmark = pytest.mark.slow  # about 20 s of rendering at the size limit

# Rendering a pathological text may take this many times as long as prose.
# Measured on the development machine: the worst shape takes about 3 times prose.
BUDGET_RATIO = 10


def _fill(unit: str, size: int = MAX_TEXT) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def _lines(make, size: int = MAX_TEXT) -> str:
    """Lines ``make(0)``, ``make(1)``, … up to ``size`` characters."""
    text, i = [], 0
    total = 0
    while total < size:
        line = make(i)
        text.append(line)
        total += len(line)
        i += 1
    return "".join(text)[:size]


PROSE = _fill(
    "It was a long year: I read seven papers with notes and wrote a little every week, "
    "then rested in the sun.\n今年读了七篇论文，写了一些笔记，也学会了慢慢来。\n\n"
)

_WIDE_HEADER = "|" + "a|" * 5000 + "\n|" + "-|" * 5000 + "\n"

PATHOLOGICAL = {
    # Lines that end a block, thousands in one block: quadratic in Python-Markdown.
    "rules": _fill("---\n"),
    "star rules": _fill("***\n"),
    "underscore rules": _fill("___\n"),
    "spaced rules": _fill("- - -\n"),
    "setext headings": _fill("a\n===\n"),
    "setext h2 headings": _fill("a\n---\n"),
    "paragraph then rule": _fill("a\nb\n---\n"),
    "hash headings": _fill("# h\n"),
    "empty hash headings": _fill("#\n"),
    "lone equals": _fill("=\n"),
    "lone dashes": _fill("-\n"),
    "lone stars": _fill("*\n"),
    "empty list items": _fill("- \n"),
    "rules in a quote": _fill("> ---\n"),
    "rules in list items": _fill("- ---\n"),
    # Emphasis and other inline marks, dense.
    "emphasis words": _fill("_a_ "),
    "strong words": _fill("**a** "),
    "emphasis runs": _fill("*a "),
    "mixed emphasis marks": _fill("*_"),
    "emphasis beside CJK": _fill("*中"),
    "nested emphasis": "*" * (MAX_TEXT // 2 - 1) + "a" + "*" * (MAX_TEXT // 2),
    "code spans": _fill("``a` "),
    "backslashes": _fill("\\"),
    "entities": _fill("&#"),
    "angle brackets": _fill("<"),
    "hard line breaks": _fill("a  \n"),
    # Nesting, deep and wide.
    "nested list markers": _fill("- ", MAX_TEXT - 1) + "x",
    "nested quote marks": _fill(">", MAX_TEXT - 1) + "x",
    "quotes in lists": _fill("> - ", MAX_TEXT - 1) + "x",
    "lists in quotes": _fill("- > ", MAX_TEXT - 1) + "x",
    "indented lists": _lines(lambda i: "    " * i + "- a\n"),
    "indented numbered lists": _lines(lambda i: "   " * i + "1. a\n"),
    "ever deeper quotes": _lines(lambda i: ">" * (i + 1) + " a\n"),
    # Many blocks.
    "flat list": _fill("- a\n"),
    "loose list": _fill("- a\n\n"),
    "one-word paragraphs": _fill("a\n\n"),
    "blank lines": "x" + _fill("\n", MAX_TEXT - 1),
    "long table": "| a | b |\n| --- | --- |\n" + _fill("| x | y |\n", MAX_TEXT - 24),
    "wide table": _WIDE_HEADER + _fill("|x|\n", MAX_TEXT - len(_WIDE_HEADER)),
    # Fenced code that closes, and that never does.
    "code blocks": _fill("```\na\n```\n"),
    "fence lines": _fill("```\n"),
    "tilde fence lines": _fill("~~~\n"),
    "fences that never close": _fill("```a\n"),
    "a hundred open fences": "```a\n" * 100 + _fill("word ", MAX_TEXT - 500),
    # Whitespace.
    "spaces then a letter": _fill(" ", MAX_TEXT - 1) + "x",
    "tabs then a letter": _fill("\t", MAX_TEXT - 1) + "x",
    # Brackets (limited before; kept here so they stay fast).
    "open brackets": _fill("["),
    "links": _fill("[a](https://example.com) "),
}
# Just under each limit, where the parser still does all the work.
_UNDER = markdown.MAX_BLOCK_LINES - 5
PATHOLOGICAL |= {
    f"{name}, just under the limit": text + _fill("word ", MAX_TEXT - len(text))
    for name, text in {
        "list items": "- a\n" * _UNDER,
        "paragraphs": "a\n\n" * _UNDER,
        "headings": "# a\n" * _UNDER,
        "setext headings": "a\n=\n" * (_UNDER // 2),
        "nested lists": "".join("    " * (i % 30) + "- a\n" for i in range(1500)),
        "nested quotes": ("> " * 30 + "a\n") * 3000,
        "emphasis marks": "*_" * (markdown.MAX_INLINE_MARKS // 2 - 2),
        "entities": "&amp; " * (markdown.MAX_INLINE_MARKS - 2),
        "table cells": "|a|b|\n|-|-|\n" + "|x|y|\n" * (markdown.MAX_TABLE_CELLS // 3 - 5),
        "open fences": "```a\n" * 49,
        "links": "[a](https://example.com) " * (markdown.MAX_BRACKETS - 1),
    }.items()
}


def _best_time(text: str, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        markdown.render(text)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.fixture(scope="module")
def prose_time() -> float:
    return _best_time(PROSE, runs=3)


def test_the_corpus_is_at_the_size_limit():
    assert len(PROSE) == MAX_TEXT
    for name, text in PATHOLOGICAL.items():
        assert MAX_TEXT - 10 <= len(text) <= MAX_TEXT, name


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_a_pathological_text_renders_within_budget(name, prose_time):
    taken = _best_time(PATHOLOGICAL[name], runs=1)
    if taken > BUDGET_RATIO * prose_time:  # perhaps a moment of load elsewhere
        taken = min(taken, _best_time(PATHOLOGICAL[name], runs=1))

    assert taken <= BUDGET_RATIO * prose_time, f"{name}: {taken:.3f}s, prose {prose_time:.3f}s"


def test_an_ordinary_long_text_keeps_its_markdown():
    # The limits are far from what a real text has: an essay at the size limit with
    # headings, rules, lists, emphasis, quotes, tables and code keeps all of it.
    section = (
        "## A quarter\n\nSome **bold** and *emphasis* and `code`.\n\n- one\n- two\n\n"
        + PROSE[:600].replace("\n\n", " ")
        + "\n\n"
        "> a quote\n\n| a | b |\n| --- | --- |\n| 1 | 2 |\n\n"
        "```python\nprint('x')\n```\n\n---\n\n"
    )
    count = MAX_TEXT // len(section)

    html = markdown.render(section * count)

    for tag in ("<h2>", "<hr>", "<strong>", "<em>", "<ul>", "<blockquote>", "<table>", "<pre>"):
        assert html.count(tag) == count, tag
