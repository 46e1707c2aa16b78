"""export.md keeps text as text: raw HTML a user typed is written so that it shows as
text, as on Almanac's page, even on a blog whose renderer passes raw HTML through;
code samples stay exactly as written."""

from __future__ import annotations

import re
import time
from html.parser import HTMLParser

import markdown
import pytest
from django.urls import reverse

from core.markdown import render
from sharing.markdown_export import inline
from sharing.markdown_text import escape_raw_html
from tests import factories as f
from tests.sharing.test_share import make_photo

pytestmark = pytest.mark.django_db

# Typed HTML and the shapes that make renderers disagree about what is code: none of
# it is code, all of it must be escaped.
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<!-- hidden --><svg onload=alert(1)>",
    "a <b onmouseover=alert(1)>bold</b> word",
    "<style>body{display:none}</style>",
    "<div>\n<script>alert(1)</script>\n</div>",
    "- item\n\n    <script>alert(1)</script>",  # indented, but inside a list: not code
    "- item\n```\n<script>alert(1)</script>\n```",  # a fence a list could take in
    "```\n<script>alert(1)</script>\n````\n<img src=x onerror=alert(1)>\n```",  # closes early
    "`a\n`<img src=x onerror=alert(1)>`",  # a span over lines
    "a ``` b `<script>alert(1)</script>`",  # an unmatched run of backticks
    "[x](`)<img src=x onerror=alert(1)>`",  # a link destination takes the backtick
    "https://a.co/`<img src=x onerror=alert(1)>`",  # a bare URL takes it
    "| `a|<img src=x onerror=alert(1)>` |\n|---|\n| b |",  # a table cell splits the span
    "\\`<img src=x onerror=alert(1)>`",
    "<http://x onmouseover=alert(1)>",
    "<!DOCTYPE html><?php x ?><![CDATA[ <img src=x onerror=alert(1)> ]]>",
]
# Code, where a tag is already text: kept as written.
CODE = "Write `<b>bold</b>` for bold."
FENCED = "Before\n```html\n<script>fenced()</script>\n```"
INDENTED = "\t<script>indented()</script>"
# Every row of the year, placed before the text: a fence in HOSTILE may stay open to the end.
EMBEDS = "[[timeline]]\n\n[[career]]\n\n[[library]]\n\n[[goals]]\n\n[[goals next]]"


class Elements(HTMLParser):
    """What a browser would run or hide: elements, event handlers, comments."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in {"script", "iframe", "svg", "style", "b", "div", "object", "embed"}:
            self.found.append(tag)
        self.found.extend(f"{tag}[{name}]" for name, _ in attrs if name.startswith("on"))

    def handle_comment(self, data) -> None:
        if not data.strip().startswith("photo:"):  # the public export's own photo markers
            self.found.append("comment")


def dangerous(html: str) -> list[str]:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser.found


@pytest.fixture
def hostile_year(alice):
    """Every Markdown field and every one-line field of 2020 holds the whole corpus."""
    # The code samples come first: after a fence that renderers could pair differently
    # (there are some in HOSTILE) no later fence is trusted, and its code is escaped.
    text = "\n\n".join([FENCED, INDENTED, CODE, *HOSTILE])
    first, *more = one_line_chunks(200)  # every one-line field holds the corpus, in parts
    f.review(alice, 2020, title=first, document=f"{EMBEDS}\n\n{text}")
    entry = f.entry(alice, "2020-03-01", title=first, body=text)
    f.move(alice, "2020-04-01", organization=first, role=first, note=text)
    f.item(alice, "2020-05-01", title=first, authors=first, notes=text)
    f.goal(alice, 2020, title=first, description=text, outcome=text, status="missed")
    f.goal(alice, 2021, title=first, description=text)
    for line in [first, *more]:
        make_photo(entry, caption=line)
    for line in more:  # the rest of the corpus, in rows without long texts
        f.entry(alice, "2020-03-02", title=line)
        f.move(alice, "2020-04-02", organization=line, role=line)
        f.item(alice, "2020-05-02", title=line, authors=line)
        f.goal(alice, 2020, title=line, status="missed")


def one_line_chunks(limit: int) -> list[str]:
    """The corpus on single lines of at most ``limit`` characters (the shortest field's)."""
    chunks, current = [], ""
    for hostile in (h.replace("\n", " ") for h in HOSTILE):
        if current and len(current) + 1 + len(hostile) > limit:
            chunks.append(current)
            current = ""
        current = f"{current} {hostile}" if current else hostile
    return [*chunks, current]


def export_body(client, query: str) -> str:
    text = client.get(reverse("sharing:export-md", args=[2020]) + query).content.decode()
    # The front matter is data, not Markdown: YAML strings hold the text exactly.
    return text.split("\n---\n", 1)[1]


@pytest.mark.parametrize("query", ["", "?public=1"])
def test_the_export_holds_no_raw_html_but_the_code_as_written(alice_client, hostile_year, query):
    body = export_body(alice_client, query)

    # Seven Markdown fields: the document, an entry, a move, an item, two goals and a next.
    assert body.count(CODE) == 7
    # The fenced and the indented sample, both written as indented code (in lists and
    # quotes where their field is).
    code_line = re.compile(r"(?m)^[ >]* {4}<script>(fenced|indented)\(\)</script>$")
    assert len(code_line.findall(body)) == 2 * 7
    outside_code = code_line.sub("", body.replace(CODE, ""))
    raw = re.findall(r"<[A-Za-z/!?][^\n]{0,20}", outside_code)
    assert [tag for tag in raw if not tag.startswith("<!-- photo:")] == []


@pytest.mark.parametrize("query", ["", "?public=1"])
@pytest.mark.parametrize("extensions", [[], ["extra"]], ids=["default", "extra"])
def test_a_renderer_with_raw_html_finds_nothing_to_run(
    alice_client, hostile_year, query, extensions
):
    body = export_body(alice_client, query)

    html = markdown.markdown(body, extensions=extensions)  # raw HTML passed through

    assert dangerous(html) == []
    assert html.count("<code>&lt;b&gt;bold&lt;/b&gt;</code>") == 7
    code = "".join(re.findall(r"<pre><code>(.*?)</code></pre>", html, re.DOTALL))
    for sample in ("fenced", "indented"):
        assert code.count(f"&lt;script&gt;{sample}()&lt;/script&gt;") == 7


@pytest.mark.parametrize("text", [*HOSTILE, CODE, FENCED, INDENTED])
def test_no_text_runs_in_a_renderer_with_raw_html(text):
    escaped = escape_raw_html(text)

    assert dangerous(markdown.markdown(escaped)) == []
    assert dangerous(markdown.markdown(escaped, extensions=["extra"])) == []


def visible(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize(
    "text",
    [
        "A <script>alert(1)</script> and <b>bold</b>, 1 < 2 & 3 > 2, <3 中文 <i>斜</i>",
        "Use `<div>` and ``a `<b>` c``; see [docs](https://x.org) and `<template>`.",
        "```html\n<p>code</p>\n```\n\n    <pre>indented</pre>\n\nafter <!-- note -->",
        "- item <b>x</b>\n\n    more <i>y</i>\n\n> quote <q>z</q>",
        "<https://example.com/a> and <a@b.co>; &amp; &lt;tag&gt; stay entities",
        "| a | `<b>` |\n|---|---|\n| <td> | 2 |",
    ],
)
def test_almanac_reads_the_escaped_text_as_it_reads_the_typed_one(text):
    assert visible(render(escape_raw_html(text))) == visible(render(text))


@pytest.mark.parametrize(
    "text, written",
    [
        ("Use `<div>` here", "Use `<div>` here"),
        ("``a `<b>` c``", "``a `<b>` c``"),
        ("    <indented>\n    code", "    <indented>\n    code"),
        ("\t<tab>", "    <tab>"),
        ("```\nplain\n```\nafter", "```\nplain\n```\n\nafter"),
        ("```python\nif a < b:\n    pass\n```", "    if a < b:\n        pass\n"),
        ("<https://example.com/a> and <a@b.co>", "<https://example.com/a> and <a@b.co>"),
        ("See [docs](https://x.org) and `<b>`", "See [docs](https://x.org) and `<b>`"),
        ("1 < 2, AT&T, &lt;", "1 &lt; 2, AT&T, &lt;"),
        ("- item\n\n    <x>", "- item\n\n    &lt;x>"),
        ("`a` `` ` ``<b>", "`a` `` ` ``&lt;b>"),
        ("a ``` b `<x>`", "a ``` b `&lt;x>`"),  # an unmatched run: no span can be trusted
    ],
)
def test_code_is_kept_and_everything_else_escaped(text, written):
    assert escape_raw_html(text) == written


def test_a_one_line_field_is_plain_text_in_every_renderer():
    written = inline("<b>not bold</b> & &amp; *not em*")

    assert written == "&lt;b\\>not bold&lt;/b\\> &amp; &amp;amp; \\*not em\\*"
    assert (
        markdown.markdown(written) == "<p>&lt;b&gt;not bold&lt;/b&gt; &amp; &amp;amp; *not em*</p>"
    )


def test_escaping_takes_time_in_proportion_to_the_text():
    """Each costly shape at a quarter of the size limit: a multiple of prose, not its square."""
    size = 50_000
    shapes = [
        "Lorem ipsum <b>dolor</b> sit amet. ",  # the yardstick
        "- a\n\n    <x>\n\n",
        "`<c>` ",
        "[a](b) `c` http://x.co/`d` | e\n",
        "```\n<x>\n",
        "://`",
        "](",
        "`" * 7 + "x",
    ]

    def seconds(unit: str) -> float:
        text = (unit * (size // len(unit) + 1))[:size]
        started = time.perf_counter()
        escape_raw_html(text)
        return time.perf_counter() - started

    prose = min(seconds(shapes[0]) for _ in range(3))
    for shape in shapes[1:]:
        assert min(seconds(shape) for _ in range(2)) < 50 * prose + 0.05, shape
