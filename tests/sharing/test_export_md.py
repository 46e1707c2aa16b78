"""export.md: the year's document as a Markdown blog post with YAML front matter."""

from __future__ import annotations

import datetime

import pytest
import yaml
from django.urls import reverse

from core.markdown import render
from library.models import Item
from reviews.models import Review
from sharing import markdown_export
from tests import factories as f
from tests.sharing.test_share import make_photo, year_photo
from timeline.models import Photo

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
    """Alice's 2020 written as a document with an embed of every kind, and private
    rows embedded both one by one and through lists."""
    hike = f.entry(
        alice, "2020-07-02", "2020-11-20", title="Hike *up* 徒步", body="Para one.\n\n- a\n- b"
    )
    make_photo(hike, caption="Summit 山顶")
    f.entry(alice, "2020-02-01", title="Winter start")
    hidden = f.entry(
        alice, "2020-03-01", title="CANARY-ENTRY-TITLE", body="canary-entry-body", private=True
    )
    hidden_photo = make_photo(hidden, caption="private-photo-caption")
    move = f.move(
        alice, "2020-04-01", organization="Qinglan Data", role="Staff engineer", note="Big."
    )
    hidden_move = f.move(
        alice, "2020-09-01", organization="CANARY-MOVE-ORG", note="canary-move-note", private=True
    )
    ddia = f.item(
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
    raft = f.item(alice, "2020-05-01", title="Raft", kind=Item.Kind.PAPER)
    f.item(alice, "2019-05-01", title="Old paper", kind=Item.Kind.PAPER)
    f.item(alice, "2019-06-01", title="Older paper", kind=Item.Kind.PAPER)
    hidden_item = f.item(
        alice, "2020-06-01", title="CANARY-ITEM-TITLE", kind=Item.Kind.PAPER, private=True
    )
    goal = f.goal(
        alice, 2020, title="Read 12 papers", status="missed", outcome="Only *one*.\n\nNext year."
    )
    secret_goal = f.goal(alice, 2020, title="CANARY-GOAL-TITLE", private=True)
    f.goal(alice, 2021, title="Run a marathon")
    f.goal(alice, 2021, title="CANARY-NEXT-GOAL", private=True)
    f.review(alice, 2019, title="2019")
    gone = f.entry(alice, "2020-05-05", title="Deleted since")
    gone_key = gone.key
    gone.delete()
    lake = year_photo(alice, caption="The lake 湖")
    document = "\n\n".join(
        [
            "Opening *words*.\n\n第二段。",
            "## Timeline",
            "A busy year.",
            "[[timeline]]",
            "The hike, again:",
            f"[[entry:{hike.key}]]",
            f"[[entry:{hidden.key}]]",
            f"[[entry:{gone_key}]]",
            "The picture below:",
            f"[[photo:{lake.key}]]",
            f"[[photo:{hidden_photo.key}]]",
            "## Career",
            f"[[move:{move.key}]]",
            f"[[move:{hidden_move.key}]]",
            "[[career]]",
            "## Reading",
            "Mostly papers.",
            "[[library]]",
            "Two papers worth reading:",
            "[[library kind=paper]]",
            f"[[item:{ddia.key}]]",
            f"[[item:{hidden_item.key}]]",
            "[[compare paper]]",
            "## Goals for 2020",
            "Honest accounting.",
            f"[[goal:{goal.key}]]",
            f"[[goal:{secret_goal.key}]]",
            "[[goals]]",
            "[[compare goals]]",
            "## Goals for 2021",
            "[[goals next]]",
            "Closing words 再见",
            "[[years]]",
        ]
    )
    review = f.review(
        alice,
        2020,
        title=TRICKY_TITLE,
        document=document,
        license="CC BY-NC-SA 4.0",
        language="en",
        author_name="Li Wei 李伟",
    )
    review.keys = {"raft": raft.key, "lake": lake.key, "gone": gone_key}
    return review


def export(client, year: int = 2020, query: str = ""):
    return client.get(reverse("sharing:export-md", args=[year]) + query)


def split(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    header, body = text[4:].split("\n---\n", 1)
    return yaml.safe_load(header), body


def in_order(body: str, expected: list[str]) -> None:
    """Each of ``expected`` is in ``body``, after the one before it."""
    at = 0
    for part in expected:
        found = body.find(part, at)
        assert found >= 0, (part, body[at:])
        at = found + len(part)


def test_it_downloads_markdown_never_cached(alice_client, year_2020):
    response = export(alice_client)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="2020-review.md"'
    assert response["Cache-Control"] == "no-store"
    assert export(alice_client, query="?public=1")["Cache-Control"] == "no-store"


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
        "language": "en",
        "author": "Li Wei 李伟",
        "license": "CC BY-NC-SA 4.0",
        # The document's paragraphs, not its headings or embeds.
        "description": "Opening words. 第二段。 A busy year. The hike, again: The picture below:"
        " Mostly papers. Two papers worth reading: Honest accounting. Closing words 再见",
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


def test_the_post_follows_the_document_with_every_embed_written_out(alice_client, year_2020):
    _meta, body = split(export(alice_client).content.decode())
    keys = year_2020.keys

    in_order(
        body,
        [
            "Opening *words*.\n\n第二段。",
            "## Timeline",
            "A busy year.",
            "### Q1 · Jan – Mar",  # [[timeline]]: the year, a heading per quarter
            "- **Feb 1** — Winter start",
            "- **Mar 1** — CANARY-ENTRY-TITLE *(private)*",
            "### Q3 · Jul – Sep",
            "- **Jul – Nov** — Hike \\*up\\* 徒步",
            "    Para one.",
            "    ![Summit 山顶](",
            "    *Summit 山顶*",
            "The hike, again:",
            "- **Jul – Nov** — Hike \\*up\\* 徒步",  # [[entry:…]]
            "- **Mar 1** — CANARY-ENTRY-TITLE *(private)*",
            f"*Missing: \\[\\[entry:{keys['gone']}\\]\\]*",
            "The picture below:",
            "![The lake 湖](",
            "*The lake 湖*",
            "*private-photo-caption* *(private)*",  # [[photo:…]] of a private entry
            "## Career",
            "- **Apr 1** — Joined **Qinglan Data** · Staff engineer",  # [[move:…]]
            "- **Sep 1** — Joined **CANARY-MOVE-ORG** *(private)*",
            "- **Apr 1** — Joined **Qinglan Data** · Staff engineer",  # [[career]]
            "- **Sep 1** — Joined **CANARY-MOVE-ORG** *(private)*",
            "## Reading",
            "Mostly papers.",
            "### Book",  # [[library]]: a heading per kind
            "- [DDIA](https://dataintensive.net/) — Martin Kleppmann · ★ Recommended · 5/5",
            "    Read it **twice**.",
            "### Paper",
            "- *Raft*",
            "Two papers worth reading:",
            "- *Raft*",  # [[library kind=paper]]
            "- *CANARY-ITEM-TITLE* *(private)*",
            "- [DDIA](https://dataintensive.net/)",  # [[item:…]]
            "- *CANARY-ITEM-TITLE* *(private)*",
            "Papers: 2, last year 2 (0).",  # [[compare paper]], the private paper counted
            "## Goals for 2020",
            "Honest accounting.",
            "- **Missed** — Read 12 papers",  # [[goal:…]]
            "    > Only *one*.",
            "- **Open** — CANARY-GOAL-TITLE *(private)*",
            "- **Missed** — Read 12 papers",  # [[goals]]
            "Goals: 0 of 2 achieved.",
            "## Goals for 2021",
            "- Run a marathon",
            "Closing words 再见",
            "Other years: [2021](http://testserver/2021/) · [2019](http://testserver/2019/)",
            "*License: CC BY-NC-SA 4.0*",
        ],
    )
    assert "canary-private-notes" not in body  # the owner's note to self is not part of a post
    assert "[[" not in body.replace("\\[\\[", "")


def test_it_reads_as_a_blog_post_when_rendered(alice_client, year_2020):
    _meta, body = split(export(alice_client, query="?public=1").content.decode())

    html = render(body)

    assert "<h2>Timeline</h2>" in html and "<h3>Q3 · Jul – Sep</h3>" in html
    assert "<strong>Jul – Nov</strong> — Hike *up* 徒步" in html
    assert "<li>a</li>" in html  # the entry's own list, inside its item
    assert '<a href="https://dataintensive.net/"' in html and ">DDIA</a>" in html
    assert "<blockquote>" in html and "<em>one</em>" in html
    assert '<img alt="The lake 湖"' in html and "<em>The lake 湖</em>" in html
    assert "<em>License: CC BY-NC-SA 4.0</em>" in html


def test_the_owners_export_links_photos_at_their_address(alice_client, year_2020):
    text = export(alice_client).content.decode()

    assert "![Summit 山顶](http://testserver/timeline/photos/" in text
    assert "![private-photo-caption](http://testserver/timeline/photos/" in text


def test_the_public_export_has_nothing_private(alice_client, year_2020):
    text = export(alice_client, query="?public=1").content.decode()

    assert [canary for canary in PRIVATE_CANARIES if canary in text] == []
    assert "(private)" not in text
    assert "Hike \\*up\\* 徒步" in text and "Raft" in text and "Run a marathon" in text
    # A deleted row is not there, and neither are links only the owner can open.
    assert "Missing" not in text and year_2020.keys["gone"] not in text
    assert "Other years" not in text and "/2019/" not in text
    # The private paper is not counted either.
    assert "Papers: 1, last year 2 (\u22121)." in text
    assert "Goals: 0 of 1 achieved." in text
    # Photos are linked where the page bundle puts them.
    lake = Photo.objects.get(key=year_2020.keys["lake"])
    assert f"![The lake 湖](photos/{lake.key}.jpg)" in text
    assert "/timeline/photos/" not in text
    meta, _body = split(text)
    assert meta["title"] == TRICKY_TITLE


def test_editing_an_embedded_row_changes_the_export(alice_client, alice, year_2020):
    Item.objects.filter(key=year_2020.keys["raft"]).update(title="Paxos made simple")

    text = export(alice_client, query="?public=1").content.decode()

    assert "Paxos made simple" in text and "*Raft*" not in text


def test_a_chinese_review_has_no_english_headings(alice_client, alice):
    f.entry(alice, "2020-02-01", title="冬天")
    f.item(alice, "2020-03-01", title="数据密集型应用系统设计")
    f.item(alice, "2020-03-01", title="一篇论文", kind=Item.Kind.PAPER)
    f.goal(alice, 2020, title="读十二篇论文", status="achieved")
    from reviews.document import compose

    document = compose(2020, "zh-Hans") + "\n[[compare paper]]\n\n[[compare goals]]\n"
    f.review(alice, 2020, language="zh-Hans", document=document)
    f.review(alice, 2019, language="zh-Hans")

    _meta, body = split(export(alice_client).content.decode())

    # Template headings that have nothing under them are left out, as in a blog post.
    assert "### Q1" not in body and "第一季度" in body
    assert "## 时间线" in body and "## 在读" in body and "### 论文" in body
    for english in ("Timeline", "Career", "Reading", "Goals for", "Book", "Paper", "Other years"):
        assert english not in body, english
    assert "**已达成** — 读十二篇论文" in body
    assert "：1，去年 0（+1）。" in body and "目标：1 个中达成 1 个。" in body
    assert "其他年份：[2019](http://testserver/2019/)" in body


def test_a_year_with_rows_but_nothing_written_exports_the_template(alice_client, alice):
    f.entry(alice, "2020-03-01", title="Lonely entry")

    meta, body = split(export(alice_client).content.decode())

    assert meta["title"] == "My 2020 in review" and meta["language"] == "en"
    assert "## Timeline" in body and "### Q1 · Jan – Mar" in body and "Lonely entry" in body
    # Nothing under them: no other heading, no unanswered question.
    assert "## Career" not in body and "## Reading" not in body and "?" not in body


def test_headings_with_nothing_under_them_are_left_out():
    text = "# A\n\n## B\n\n### C\n\n## D\n\ntext\n\n```\n# code\n```\n\n## E\n"

    assert markdown_export.without_empty_headings(text) == (
        "# A\n\n## D\n\ntext\n\n```\n# code\n```"
    )


def test_the_export_runs_a_fixed_number_of_queries(
    alice_client, alice, year_2020, django_assert_max_num_queries
):
    for n in range(20):
        make_photo(f.entry(alice, f"2020-{n % 12 + 1:02d}-09", title=f"Entry {n}"))
        f.item(alice, f"2020-{n % 12 + 1:02d}-09", title=f"Book {n}")

    with django_assert_max_num_queries(20):
        assert export(alice_client).status_code == 200


def test_bob_gets_404_for_alices_export(bob_client, year_2020):
    assert export(bob_client).status_code == 404
    assert export(bob_client, query="?public=1").status_code == 404


def test_the_export_needs_a_login(client, year_2020):
    response = export(client)

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_review_without_a_document_still_has_its_license(alice_client, alice):
    Review.objects.create(owner=alice, year=2020, license="CC0")

    _meta, body = split(export(alice_client).content.decode())

    assert body.strip().endswith("*License: CC0*")


def test_an_export_renders_no_markdown(alice_client, alice, year_2020, monkeypatch):
    """Like a page view, a download writes from stored texts and HTML only."""
    import markdown as markdown_lib

    from core import markdown

    f.entry(alice, "2021-03-01", title="Nothing written for 2021")

    def refuse(*args, **kwargs):
        raise AssertionError("Markdown was rendered during an export")

    monkeypatch.setattr(markdown, "render", refuse)
    monkeypatch.setattr(markdown_lib.Markdown, "convert", refuse)

    assert export(alice_client).status_code == 200
    assert "Nothing written for 2021" in export(alice_client, 2021).content.decode()
