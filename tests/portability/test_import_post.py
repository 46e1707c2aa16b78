"""import_post: a year-in-review post (Markdown, front matter optional) as a year's document."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from portability import posts
from reviews.models import Review, Revision
from tests import factories as f

pytestmark = pytest.mark.django_db

CHINESE_POST = """---
title: "我的 2020：不平凡的一年"
date: 2020-12-31T10:00:00+08:00
lang: zh-Hans
license: CC BY-NC-SA 4.0
tags: [年度总结]
---

这一年过得很快。开头的第一段。

下面这张照片是在山顶拍的：

![山顶的云](https://example.com/img/summit.jpg)

*山顶的云*

今年读完的八本书：

- 《数据密集型应用系统设计》
- 《深入理解计算机系统》

两本书之间还有一段话，说说为什么。

1. 读论文
2. 写博客

最后一段：明年再见。
"""
PARAGRAPHS = [
    "这一年过得很快。开头的第一段。",
    "下面这张照片是在山顶拍的：",
    'src="https://example.com/img/summit.jpg"',
    "<em>山顶的云</em>",
    "今年读完的八本书：",
    "《数据密集型应用系统设计》",
    "《深入理解计算机系统》",
    "两本书之间还有一段话，说说为什么。",
    "读论文",
    "写博客",
    "最后一段：明年再见。",
]


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_post", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def post_file(tmp_path):
    def write(text: str, name: str = "post.md"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def in_order(html: str, expected: list[str]) -> None:
    at = 0
    for part in expected:
        found = html.find(part, at)
        assert found >= 0, (part, html[at:])
        at = found + len(part)


def test_a_chinese_post_becomes_the_years_document(alice, alice_client, post_file):
    output = run("alice", post_file(CHINESE_POST))

    review = Review.objects.get(owner=alice, year=2020)  # from the front matter's date
    assert "Imported the document of 2020" in output
    assert review.title == "我的 2020：不平凡的一年"
    assert review.language == "zh-Hans" and review.license == "CC BY-NC-SA 4.0"
    assert review.document.startswith("这一年过得很快。")
    # Every paragraph on the page, in the post's order; the image stays a link.
    page = alice_client.get(reverse("reviews:year", args=[2020])).content.decode()
    in_order(page, PARAGRAPHS)


def test_an_existing_document_is_not_replaced_without_asking(alice, post_file):
    f.review(alice, 2020, document="What I wrote before.")
    path = post_file(CHINESE_POST)

    with pytest.raises(CommandError, match="2020 already has a document") as refused:
        run("alice", path)

    assert refused.value.returncode == 1
    assert Review.objects.get(owner=alice, year=2020).document == "What I wrote before."
    assert "Replaced the document of 2020" in run("alice", path, "--replace")
    review = Review.objects.get(owner=alice, year=2020)
    assert review.document.startswith("这一年过得很快。")
    # The replaced text stays in the document's history.
    history = Revision.objects.filter(object_id=review.pk, field="document")
    assert "What I wrote before." in [revision.text for revision in history]


def test_an_empty_document_is_filled_without_asking(alice, post_file):
    f.review(alice, 2020, title="Kept", author_name="Li")

    run("alice", post_file("Just prose.\n"), "--year", "2020")

    review = Review.objects.get(owner=alice, year=2020)
    assert review.document == "Just prose.\n" and review.title == "Kept"


def test_toml_front_matter(alice, post_file):
    text = "+++\ntitle = \"A year, in TOML\"\ndate = 2019-12-30\nlicense = 'CC0'\n+++\n\nHello.\n"

    run("alice", post_file(text))

    review = Review.objects.get(owner=alice, year=2019)
    assert review.title == "A year, in TOML" and review.license == "CC0"
    assert review.document == "Hello.\n" and review.language == "en"


def test_the_year_from_the_title(alice, post_file):
    run("alice", post_file("# Looking back at 2018\n\nA good year.\n"))

    review = Review.objects.get(owner=alice, year=2018)
    assert review.title == "Looking back at 2018" and review.document == "A good year.\n"


def test_the_year_asked_for_wins(alice, post_file):
    run("alice", post_file(CHINESE_POST), "--year", "2017")

    assert Review.objects.get(owner=alice).year == 2017


def test_a_post_without_a_year_is_refused(alice, post_file):
    with pytest.raises(CommandError, match="give the year"):
        run("alice", post_file("No date anywhere.\n"))

    assert not Review.objects.exists()


def test_yaml_values_are_read_as_yaml_reads_them():
    post = posts.parse(
        "---\ntitle: 'It''s mine' # a comment\nlanguage: en\nnested:\n  title: no\n"
        'license: "a \\"quoted\\" one"\n---\nBody\n'
    )

    assert (post.title, post.language, post.license) == ("It's mine", "en", 'a "quoted" one')
    assert post.text == "Body"


def test_a_thematic_break_is_not_front_matter():
    assert posts.parse("---\n\nText\n").text == "---\n\nText"


def test_export_then_import_gives_the_same_rendered_text(alice, bob, alice_client, tmp_path):
    """Prose comes back as it was; embeds come back as the Markdown they were written as."""
    f.item(alice, "2020-03-01", title="DDIA", authors="Martin Kleppmann")
    document = (
        "Opening *words*, with a [link](https://example.com/) and `code <b>`.\n\n"
        "## 阅读\n\nMostly papers:\n\n[[library]]\n\nA list:\n\n- a list\n- of two\n\n"
        "> a quote\n\n```\nfenced\n```\n\nThe end.\n"
    )
    review = f.review(alice, 2020, document=document, title="Twenty", license="CC0")
    exported = alice_client.get(reverse("sharing:export-md", args=[2020])).content.decode()
    path = tmp_path / "2020.md"
    path.write_text(exported, encoding="utf-8")

    run("bob", str(path))

    imported = Review.objects.get(owner=bob, year=2020)
    assert (imported.title, imported.license) == ("Twenty", "CC0")
    # The embed is gone from both sides: the original's marker, the copy's written-out list.
    original = re.sub(r"<!--embed:\d+-->", "", review.document_html).split()
    written_out = r"<h3>Book</h3>\s*<ul>\s*<li><em>DDIA</em> — Martin Kleppmann</li>\s*</ul>"
    assert re.search(written_out, imported.document_html)
    assert re.sub(written_out, "", imported.document_html).split() == original


# The same in /data/


def upload(client, text: str, year: str = "", **headers):
    post = SimpleUploadedFile("post.md", text.encode(), content_type="text/markdown")
    return client.post(reverse("portability:post"), {"file": post, "year": year}, **headers)


def confirm(client, text: str, year: int, replace: bool = False, **headers):
    data = {"text": text, "year": year} | ({"replace": "on"} if replace else {})
    return client.post(reverse("portability:post-confirm"), data, **headers)


def test_the_data_page_previews_a_post_before_importing_it(alice, alice_client):
    page = upload(alice_client, CHINESE_POST).content.decode()

    assert "Ready to import as the document of 2020" in page
    assert "我的 2020：不平凡的一年" in page and "这一年过得很快。开头的第一段。" in page
    assert "already has a document" not in page and 'name="replace"' not in page
    assert not Review.objects.exists()  # nothing written by a preview

    response = confirm(alice_client, CHINESE_POST, 2020)

    assert response.status_code == 302 and response["Location"] == "/2020/"
    assert Review.objects.get(owner=alice, year=2020).document.startswith("这一年过得很快。")


def test_the_data_page_replaces_a_document_only_when_ticked(alice, alice_client):
    f.review(alice, 2020, document="Mine.")

    page = upload(alice_client, CHINESE_POST, HTTP_HX_REQUEST="true").content.decode()
    assert "2020 already has a document" in page and 'name="replace"' in page
    assert 'id="post-panel"' in page and "<html" not in page  # the panel alone, for htmx

    refused = confirm(alice_client, CHINESE_POST, 2020)
    assert refused.status_code == 422 and "already has a document" in refused.content.decode()
    assert Review.objects.get(owner=alice, year=2020).document == "Mine."

    done = confirm(alice_client, CHINESE_POST, 2020, replace=True, HTTP_HX_REQUEST="true")
    assert done.status_code == 200 and "The post is now the document of 2020." in done.text
    assert Review.objects.get(owner=alice, year=2020).document.startswith("这一年过得很快。")


def test_the_data_page_asks_for_the_year_when_the_post_has_none(alice_client):
    response = upload(alice_client, "No year here.\n")

    assert response.status_code == 422 and "give the year" in response.content.decode()
    assert (
        "Ready to import as the document of 1999"
        in upload(alice_client, "No year here.\n", year="1999").content.decode()
    )


def test_the_data_page_refuses_what_is_not_text(alice_client):
    binary = SimpleUploadedFile("post.md", b"\xff\xfe\x00bad", content_type="text/markdown")
    response = alice_client.post(reverse("portability:post"), {"file": binary})

    assert response.status_code == 422 and "not a UTF-8 text file" in response.content.decode()


def test_the_post_form_has_ids_of_its_own(alice_client):
    html = alice_client.get(reverse("portability:data")).content.decode()

    ids = re.findall(r' id="([^"]+)"', html)
    assert 'id="post_file"' in html and 'id="post_year"' in html
    assert ids.count("post_file") == 1
