"""Markdown is rendered, then sanitized: nothing live survives."""

from __future__ import annotations

import pytest

from core.markdown import render, sanitize

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](data:image/svg+xml,<svg onload=alert(1)>)",
    "<iframe src=https://example.com></iframe>",
    "<style>body{display:none}</style>",
    "<form action=https://evil.example><input name=x></form>",
    '<div hx-get="/delete" hx-trigger="load">x</div>',
    '<p data-hx-post="/x" id="csrf" style="color:red" onclick="x()">x</p>',
    "[ref][1]\n\n[1]: javascript:alert(1)",
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
]

FORBIDDEN = [
    "<script",
    "onerror",
    "onclick",
    "onload",
    "javascript:",
    "data:",
    "<iframe",
    "<style",
    "<form",
    "<input",
    "hx-",
    "style=",
    "id=",
    "<svg",
    "<math",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_nothing_live_survives(text):
    html = render(text).lower()

    live = html.replace("&lt;", "").replace("&gt;", "")
    for needle in FORBIDDEN:
        if needle.startswith("<"):
            assert needle not in live, needle
        else:
            # Attribute names and URL schemes may appear only as escaped text, never inside a tag.
            for tag in live.split("<")[1:]:
                assert needle not in tag.split(">")[0], (needle, html)


@pytest.mark.parametrize("text", HOSTILE)
def test_sanitizing_twice_changes_nothing(text):
    html = render(text)
    assert sanitize(html) == html


def test_raw_html_is_shown_as_text():
    assert "&lt;script&gt;" in render("<script>alert(1)</script>")


def test_links_get_safe_rel():
    html = render("[site](https://example.com/a)")
    assert 'href="https://example.com/a"' in html
    assert 'rel="noopener noreferrer nofollow ugc"' in html


def test_mailto_is_kept():
    assert 'href="mailto:a@example.com"' in render("[mail](mailto:a@example.com)")


def test_chinese_text_renders():
    html = render("今年读了**七篇**论文，写了一些笔记。")
    assert "今年读了<strong>七篇</strong>论文，写了一些笔记。" in html


def test_tables_render():
    html = render("| 书 | 评分 |\n| --- | --- |\n| 数据库 | 5 |\n")
    assert "<table>" in html and "<td>数据库</td>" in html


def test_fenced_code_renders_and_escapes():
    html = render("```python\nprint('<b>')\n```")
    assert "<pre><code" in html and "&lt;b&gt;" in html


def test_footnotes_render():
    html = render("Text[^1]\n\n[^1]: A note.")
    assert "A note." in html and "<sup>" in html


def test_empty_text_renders_empty():
    assert render("") == "" and render("  \n") == ""
