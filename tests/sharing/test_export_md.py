"""export.md: a year as a Markdown blog post with YAML front matter; ?public=1 for publishing."""

from __future__ import annotations

import datetime

import pytest
import yaml
from django.urls import reverse

from core.markdown import render
from library.models import Item
from sharing import markdown_export
from tests import factories as f
from tests.sharing.test_share import make_photo

pytestmark = pytest.mark.django_db

TRICKY_TITLE = 'My 2020: "hard" — #年度总结 & a [link] 🚀'
PRIVATE_CANARIES = [
    "CANARY-ENTRY-TITLE",
    "canary-entry-body",
    "CANARY-MOVE-ORG",
    "canary-move-note",
    "CANARY-ITEM-TITLE",
    "canary-private-notes",
    "CANARY-GOAL-TITLE",
    "CANARY-NEXT-GOAL",
    "private-photo-caption",
]


@pytest.fixture
def year_2020(alice):
    review = f.review(
        alice,
        2020,
        title=TRICKY_TITLE,
        intro="Opening *words*.\n\n第二段。",
        closing="Closing words 再见",
        note_timeline="A busy year.",
        note_reading="Mostly papers.",
        note_goals="Honest accounting.",
        license="CC BY-NC-SA 4.0",
        language="zh-Hans",
        author_name="Li Wei 李伟",
    )
    hike = f.entry(
        alice, "2020-07-02", "2020-11-20", title="Hike *up* 徒步", body="Para one.\n\n- a\n- b"
    )
    make_photo(hike, caption="Summit 山顶")
    f.entry(alice, "2020-02-01", title="Winter start")
    hidden = f.entry(
        alice, "2020-03-01", title="CANARY-ENTRY-TITLE", body="canary-entry-body", private=True
    )
    make_photo(hidden, caption="private-photo-caption")
    f.move(alice, "2020-04-01", organization="Qinglan Data", role="Staff engineer", note="Big.")
    f.move(
        alice, "2020-09-01", organization="CANARY-MOVE-ORG", note="canary-move-note", private=True
    )
    f.item(
        alice,
        "2020-03-01",
        title="DDIA",
        authors="Martin Kleppmann",
        url="https://dataintensive.net/",
        recommended=True,
        rating=5,
        notes="Read it **twice**.",
        private_notes="canary-private-notes",
    )
    f.item(alice, "2020-05-01", title="Raft", kind=Item.Kind.PAPER)
    f.item(alice, "2020-06-01", title="CANARY-ITEM-TITLE", kind=Item.Kind.PAPER, private=True)
    f.goal(
        alice, 2020, title="Read 12 papers", status="missed", outcome="Only *one*.\n\nNext year."
    )
    f.goal(alice, 2020, title="CANARY-GOAL-TITLE", private=True)
    f.goal(alice, 2021, title="Run a marathon")
    f.goal(alice, 2021, title="CANARY-NEXT-GOAL", private=True)
    return review


def export(client, year: int = 2020, query: str = ""):
    return client.get(reverse("sharing:export-md", args=[year]) + query)


def split(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    header, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(header), body


def test_it_downloads_markdown(alice_client, year_2020):
    response = export(alice_client)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="2020-review.md"'


@pytest.mark.parametrize("query", ["", "?public=1"])
def test_no_cache_keeps_an_export(alice_client, year_2020, query):
    response = alice_client.get(reverse("sharing:export-md", args=[2020]) + query)

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_the_front_matter_is_yaml(alice_client, year_2020):
    meta, _body = split(export(alice_client).content.decode())

    assert meta == {
        "title": TRICKY_TITLE,
        "date": datetime.date(2020, 12, 31),
        "language": "zh-Hans",
        "author": "Li Wei 李伟",
        "license": "CC BY-NC-SA 4.0",
        "description": "Opening words. 第二段。",
        "tags": ["annual-review", "2020"],
    }


def test_the_current_year_is_dated_today(alice_client, alice):
    year = datetime.date.today().year
    f.review(alice, year)

    meta, _body = split(export(alice_client, year).content.decode())

    assert meta["date"] == datetime.date.today()
    assert meta["title"] == f"My {year} in review"


@pytest.mark.parametrize(
    "value", ["a: b", "line\nbreak", "tab\there", 'quote " and \\ back', "\u2028sep", "nul\x00"]
)
def test_any_title_survives_the_front_matter(value):
    assert yaml.safe_load(f"title: {markdown_export.yaml_string(value)}") == {"title": value}


def test_every_section_is_present_in_the_order_of_the_year_page(alice_client, year_2020):
    _meta, body = split(export(alice_client).content.decode())

    expected = [
        "Opening *words*.",
        "## Timeline",
        "A busy year.",
        "### Q1 · Jan – Mar",
        "- **Feb 1** — Winter start",
        "### Q3 · Jul – Sep",
        "- **Jul – Nov** — Hike \\*up\\* 徒步",
        "    Para one.",
        "## Career",
        "- **Apr 1** — Joined **Qinglan Data** · Staff engineer",
        "## Reading",
        "Mostly papers.",
        "3 finished: Book 1 · Paper 2",
        "### Book (1)",
        "- [DDIA](https://dataintensive.net/) — Martin Kleppmann · ★ Recommended · 5/5",
        "    Read it **twice**.",
        "### Paper (2)",
        "- *Raft*",
        "## Goals for 2020",
        "Honest accounting.",
        "- **Missed** — Read 12 papers",
        "    > Only *one*.",
        "## Goals for 2021",
        "- Run a marathon",
        "Closing words 再见",
        "*License: CC BY-NC-SA 4.0*",
    ]
    positions = [body.find(part) for part in expected]
    assert -1 not in positions, [p for p, at in zip(expected, positions, strict=True) if at < 0]
    assert positions == sorted(positions)


def test_it_reads_as_a_blog_post_when_rendered(alice_client, year_2020):
    _meta, body = split(export(alice_client, query="?public=1").content.decode())

    html = render(body)

    assert "<h2>Timeline</h2>" in html and "<h3>Q3 · Jul – Sep</h3>" in html
    assert "<strong>Jul – Nov</strong> — Hike *up* 徒步" in html
    assert "<li>a</li>" in html  # the entry's own list, inside its item
    assert '<a href="https://dataintensive.net/"' in html and ">DDIA</a>" in html
    assert "<blockquote>" in html and "<em>one</em>" in html
    assert "<em>License: CC BY-NC-SA 4.0</em>" in html


def test_the_owners_export_links_photos_and_marks_private_things(alice_client, year_2020):
    text = export(alice_client).content.decode()

    assert "![Summit 山顶](http://testserver/timeline/photos/" in text
    assert "- **Mar 1** — CANARY-ENTRY-TITLE *(private)*" in text
    assert "canary-private-notes" not in text  # the owner's note to self is not part of a post


def test_the_public_export_has_nothing_private(alice_client, year_2020):
    text = export(alice_client, query="?public=1").content.decode()

    assert [canary for canary in PRIVATE_CANARIES if canary in text] == []
    assert "(private)" not in text
    assert "Hike \\*up\\* 徒步" in text and "Raft" in text and "Run a marathon" in text
    # Photos are served only to their owner, so a public post names them in comments instead.
    assert "/timeline/photos/" not in text and "![" not in text
    assert "<!-- photo: Summit 山顶 -->" in text
    meta, _body = split(text)
    assert meta["title"] == TRICKY_TITLE


def test_a_caption_cannot_break_out_of_its_comment(alice, alice_client):
    make_photo(f.entry(alice, "2020-01-01"), caption="x --> <script>alert(1)</script>")

    text = export(alice_client, query="?public=1").content.decode()

    assert "<script>" not in text and "-->" not in text.replace(" -->", "", 1)


def test_an_empty_section_is_left_out(alice_client, alice):
    f.review(alice, 2020, intro="Just an opening.")
    f.item(alice, "2020-03-01", title="One book")

    _meta, body = split(export(alice_client).content.decode())

    assert "## Reading" in body
    assert "## Timeline" not in body and "## Career" not in body and "## Goals" not in body


def test_a_year_with_data_but_no_review_exports(alice_client, alice):
    f.entry(alice, "2020-03-01", title="Lonely entry")

    meta, body = split(export(alice_client).content.decode())

    assert meta["title"] == "My 2020 in review" and meta["language"] == "en"
    assert "Lonely entry" in body


def test_the_export_runs_a_fixed_number_of_queries(
    alice_client, alice, year_2020, django_assert_max_num_queries
):
    for n in range(20):
        make_photo(f.entry(alice, f"2020-{n % 12 + 1:02d}-09", title=f"Entry {n}"))
        f.item(alice, f"2020-{n % 12 + 1:02d}-09", title=f"Book {n}")

    with django_assert_max_num_queries(12):
        assert export(alice_client).status_code == 200


def test_bob_gets_404_for_alices_export(bob_client, year_2020):
    assert export(bob_client).status_code == 404
    assert export(bob_client, query="?public=1").status_code == 404


def test_the_export_needs_a_login(client, year_2020):
    response = export(client)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
