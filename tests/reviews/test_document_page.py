"""The year page and the share page show the document: its prose, and its embeds with
current rows; private rows only for the owner; the tray of rows no embed shows."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from library.models import Item
from reviews import texts
from reviews.document import compose
from reviews.models import Review
from sharing.models import ShareLink
from tests import factories as f
from timeline.models import Photo

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def photo_in_document(owner, year: int = 2020, caption: str = "") -> Photo:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), "teal").save(out, "JPEG")
    photo = Photo(owner=owner, year=year, caption=caption)
    photo.image.save("p.jpg", ContentFile(out.getvalue()), save=False)
    photo.width, photo.height = 8, 6
    photo.save()
    return photo


def write(review: Review, text: str) -> Review:
    texts.save_text(review, "document", text, review.text_version("document"))
    review.refresh_from_db()
    return review


@pytest.fixture
def year_of_everything(alice):
    """One public and one private row of each kind, and a document embedding each."""
    public = {
        "entry": f.entry(alice, "2020-07-02", title="Public hike 徒步"),
        "move": f.move(alice, "2020-04-01", organization="Qinglan Data"),
        "item": f.item(alice, "2020-03-01", title="Public paper", kind=Item.Kind.PAPER),
        "goal": f.goal(alice, 2020, title="Public goal", status="achieved"),
        "photo": photo_in_document(alice, caption="Photo caption 照片"),
    }
    private = {
        "entry": f.entry(alice, "2020-02-01", title="CANARY-ENTRY", private=True),
        "move": f.move(alice, "2020-09-01", organization="CANARY-MOVE", private=True),
        "item": f.item(
            alice, "2020-05-01", title="CANARY-ITEM", kind=Item.Kind.PAPER, private=True
        ),
        "goal": f.goal(alice, 2020, title="CANARY-GOAL", private=True),
    }
    f.item(alice, "2019-05-01", title="Last year paper", kind=Item.Kind.PAPER)
    f.goal(alice, 2019, title="Last year goal", status="achieved")
    f.goal(alice, 2021, title="Next year goal")
    gone = f.entry(alice, "2020-03-03", title="Deleted since")
    lines = ["Opening prose 开场白。"]
    for kind, row in [*public.items(), *private.items(), ("entry", gone)]:
        lines.append(f"[[{kind}:{row.key}]]")
    lines += [
        "Between the rows.",
        "[[timeline Q2]]",
        "[[career]]",
        "[[library kind=paper]]",
        "[[goals]]",
        "[[goals next]]",
        "[[compare paper]]",
        "[[compare goals]]",
        "[[years]]",
        "[[entry]]",
        "Closing prose 再见。",
    ]
    review = f.review(alice, 2020, title="Twenty twenty", document="\n\n".join(lines))
    gone.delete()
    return review, public, private, gone


def test_every_kind_of_embed_shows_for_the_owner(alice_client, year_of_everything):
    review, public, private, _gone = year_of_everything

    html = alice_client.get("/2020/").content.decode()

    for title in ("Public hike 徒步", "Qinglan Data", "Public paper", "Public goal"):
        assert title in html
    for title in ("CANARY-ENTRY", "CANARY-MOVE", "CANARY-ITEM", "CANARY-GOAL"):
        assert title in html
    assert html.count('class="badge badge-private"') >= 4
    photo = public["photo"]
    assert reverse("timeline:photo", args=[photo.pk, "full"]) in html
    assert "Photo caption 照片" in html
    assert "Papers: 2, last year 1 (+1)" in html  # the private paper counts for its owner
    assert "Goals: 1 of 2 achieved (last year 1 of 1)" in html
    assert "Next year goal" in html
    assert 'href="/2019/"' in html and 'href="/2021/"' in html
    assert "This embed points at a row that no longer exists." in html
    assert "This embed needs a key" in html  # the bare [[entry]]
    # In the order written.
    order = ["Opening prose", "Public hike", "Qinglan Data", "Between the rows.", "Closing prose"]
    positions = [html.index(text) for text in order]
    assert positions == sorted(positions)


def test_the_share_page_shows_public_rows_only_and_nothing_for_a_missing_row(
    client, year_of_everything
):
    review, public, _private, _gone = year_of_everything
    _link, token = ShareLink.create_for(review)

    html = client.get(reverse("sharing:share", args=[token])).content.decode()

    assert "Opening prose 开场白。" in html and "Closing prose 再见。" in html
    for title in ("Public hike 徒步", "Qinglan Data", "Public paper", "Public goal"):
        assert title in html
    assert "CANARY" not in html
    assert "Deleted since" not in html and "no longer exists" not in html
    assert "needs a key" not in html and "[[" not in html
    assert "Papers: 1, last year 1 (0)" in html  # the private paper is not counted
    assert "Goals: 1 of 1 achieved" in html
    assert reverse("sharing:photo", args=[token, public["photo"].pk, "full"]) in html
    assert "Photo caption 照片" in html
    assert "badge-private" not in html
    assert 'href="/2019/"' not in html  # years not shared are named, never linked


def test_editing_an_embedded_row_changes_both_pages(alice_client, client, year_of_everything):
    review, public, _private, _gone = year_of_everything
    _link, token = ShareLink.create_for(review)
    entry = public["entry"]

    response = alice_client.post(
        reverse("reviews:row-edit", args=["entry", entry.pk]),
        {"entry-title": "Renamed hike 改名", "entry-started_on": "2020-07-02", "year": "2020"},
    )

    assert response.status_code == 302
    assert "Renamed hike 改名" in alice_client.get("/2020/").content.decode()
    shared = client.get(reverse("sharing:share", args=[token])).content.decode()
    assert "Renamed hike 改名" in shared and "Public hike" not in shared


def test_a_private_embed_made_public_shows_on_the_share_page(client, year_of_everything):
    review, _public, private, _gone = year_of_everything
    _link, token = ShareLink.create_for(review)
    private["item"].private = False
    private["item"].save(update_fields=["private"])

    html = client.get(reverse("sharing:share", args=[token])).content.decode()

    assert "CANARY-ITEM" in html and "CANARY-ENTRY" not in html


def test_lists_carry_the_ids_the_editing_code_inserts_into_once(alice_client, alice):
    f.review(alice, 2020, document=compose(2020, "en") + "\n[[career]]\n\n[[timeline]]\n")
    f.move(alice, "2020-04-01", organization="Twice shown")

    html = alice_client.get("/2020/").content.decode()

    for list_id in ("q1-entries", "q4-entries", "moves-list", "kind-book-items", "goals-list",
                    "next-goals-list", "reading-counts"):  # fmt: skip
        assert html.count(f'id="{list_id}"') == 1, list_id
    assert html.count('<li class="move"') == 2
    assert html.count("+ Add a career move") == 1  # after the last career list


# The tray


def test_rows_no_embed_shows_are_in_the_tray_with_an_insert(alice_client, alice):
    review = f.review(alice, 2020, document="Only prose.\n\n[[career]]\n")
    f.move(alice, "2020-04-01", organization="In a list")
    item = f.item(alice, "2020-03-01", title="Not embedded 未嵌入")
    goal = f.goal(alice, 2021, title="A goal for next year")

    html = alice_client.get("/2020/").content.decode()
    tray = html[html.index('id="tray"') :]

    assert "Not in the document yet" in tray
    assert "Not embedded 未嵌入" in tray and f"[[item:{item.key}]]" in tray
    assert "A goal for next year" in tray
    assert "In a list" not in tray

    version = review.text_version("document")
    response = alice_client.post(
        "/2020/document/insert/", {"line": f"[[item:{item.key}]]", "version": version}
    )

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.document.endswith(f"[[item:{item.key}]]\n")
    assert review.text_version("document") == version + 1
    html = alice_client.get("/2020/").content.decode()
    assert f"[[item:{item.key}]]" not in html[html.index('id="tray"') :]
    assert f"[[goal:{goal.key}]]" in html


def test_insert_from_the_tray_with_htmx_refreshes_and_a_stale_version_is_409(alice_client, alice):
    review = f.review(alice, 2020, document="Prose.")
    item = f.item(alice, "2020-03-01")
    line = f"[[item:{item.key}]]"

    fresh = alice_client.post(
        "/2020/document/insert/", {"line": line, "version": review.text_version("document")}, **HX
    )
    stale = alice_client.post("/2020/document/insert/", {"line": line, "version": 0}, **HX)

    assert fresh.status_code == 204 and fresh["HX-Refresh"] == "true"
    assert stale.status_code == 409 and "changed elsewhere" in stale.content.decode()
    assert Review.objects.get(pk=review.pk).document.count(line) == 1


@pytest.mark.parametrize("line", ["", "prose", "[[career]]", "[[item]]"])
def test_insert_takes_only_a_row_embed(alice_client, alice, line):
    review = f.review(alice, 2020, document="Prose.")

    response = alice_client.post("/2020/document/insert/", {"line": line, "version": 0})

    assert response.status_code == 422
    assert Review.objects.get(pk=review.pk).document == "Prose."


def test_rows_added_elsewhere_land_in_the_tray(alice_client, alice):
    f.review(alice, 2020, document="Prose only.")
    alice_client.post(
        reverse("reviews:row-new", args=["item"]),
        {"item-title": "Added from the library", "item-kind": "book", "item-status": "finished",
         "item-finished_on": "2020-05-05", "year": "2020"},
    )  # fmt: skip

    html = alice_client.get("/2020/").content.decode()

    assert "Added from the library" in html[html.index('id="tray"') :]


# A new year


def test_the_template_keeps_the_section_order_of_the_old_page():
    text = compose(2020, "en")
    headings = re.findall(r"^#+ (.+)$|^\[\[(.+)\]\]$", text, flags=re.M)
    sections = [heading or f"[[{embed}]]" for heading, embed in headings]
    old_order = [
        "Timeline",
        "Q1 · Jan – Mar", "[[timeline Q1]]",
        "Q2 · Apr – Jun", "[[timeline Q2]]",
        "Q3 · Jul – Sep", "[[timeline Q3]]",
        "Q4 · Oct – Dec", "[[timeline Q4]]",
        "During the year", "[[timeline year]]",
        "Career", "[[career]]",
        "Reading", "[[library]]",
        "Goals for 2020", "[[goals]]",
        "Goals for 2021", "[[goals next]]",
        "[[years]]",
    ]  # fmt: skip
    assert sections[-len(old_order) :] == old_order
    # Before them, the guided questions as headings to answer or delete.
    assert "One word for next year, and why that word?" in sections[: -len(old_order)]


def test_the_template_speaks_the_reviews_language():
    text = compose(2020, "zh-Hans")

    assert "## 时间线" in text and "Timeline" not in text


def test_settings_creating_a_review_start_it_from_the_template(alice_client, alice):
    data = {"title": "", "author_name": "", "language": "zh-Hans", "license": ""}

    assert alice_client.post("/2020/settings/", data).status_code == 302

    review = Review.objects.get(owner=alice, year=2020)
    assert review.document == compose(2020, "zh-Hans")
    assert "<!--embed:" in review.document_html


def test_a_year_with_rows_but_no_review_shows_them_in_the_template(alice_client, alice):
    f.entry(alice, "2020-05-05", title="Spring thing")
    f.item(alice, "2020-06-06", title="A book")

    html = alice_client.get("/2020/").content.decode()

    assert not Review.objects.exists()  # looking writes nothing
    assert html.index("Timeline") < html.index("Spring thing") < html.index("A book")
    assert 'id="tray"' not in html


# The editor and its preview


def test_the_document_editor_is_the_writing_surface(alice_client, alice):
    review = f.review(alice, 2020, document="Text")

    html = alice_client.get(f"/text/review/{review.pk}/document/?year=2020", **HX).content.decode()

    assert "editor-document" in html and "data-document-editor" in html
    assert "data-focus-toggle" in html and "data-preview-toggle" in html
    assert "<script" not in html and "style=" not in html


def test_the_preview_shows_embeds_as_cards(alice_client, alice):
    item = f.item(alice, "2020-03-01", title="Previewed paper", kind=Item.Kind.PAPER)
    f.review(alice, 2020)
    text = f"Here is a paper:\n\n[[item:{item.key}]]\n\n[[item:missing1]]"

    response = alice_client.post(
        "/text/preview/", {"text": text, "document": "1", "year": "2020"}, **HX
    )

    html = response.content.decode()
    assert "Here is a paper:" in html and "Previewed paper" in html
    assert "no longer exists" in html
    assert "row-action" not in html  # a preview edits nothing


# Queries


def _document_of(owner, year: int, per_kind: int) -> str:
    """A document embedding ``per_kind`` rows of every kind, of this year and the last."""
    lines = [compose(year, "en")]
    for n in range(per_kind):
        for y in (year, year - 1):
            day = f"{y}-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
            rows = [
                ("entry", f.entry(owner, day)),
                ("move", f.move(owner, day)),
                ("item", f.item(owner, day)),
                ("goal", f.goal(owner, y)),
                ("photo", photo_in_document(owner, y)),
            ]
            lines += [f"[[{kind}:{row.key}]]" for kind, row in rows]
        lines.append(f"[[entry:gone{n:04d}]]")
    lines += ["[[compare book]]", "[[compare goals]]", "[[library kind=book]]"]
    return "\n\n".join(lines)


@pytest.mark.slow  # a query budget
@pytest.mark.parametrize("page", ["year", "share"])
def test_the_pages_run_as_many_queries_for_1_embed_as_for_40(
    alice, page, django_assert_max_num_queries
):
    review = f.review(alice, 2020)
    _link, token = ShareLink.create_for(review)
    client = Client()
    client.force_login(alice)
    url = "/2020/" if page == "year" else reverse("sharing:share", args=[token])
    counts = []
    for per_kind in (1, 40):
        Review.objects.filter(pk=review.pk).update(document="")
        write(Review.objects.get(pk=review.pk), _document_of(alice, 2020, per_kind))
        client.get(url)  # warm-up
        with django_assert_max_num_queries(20) as queries:
            html = client.get(url).content.decode()
        counts.append(len(queries.captured_queries))
    assert html.count("[[") == 0 or page == "year"
    assert counts[0] == counts[1]


def test_a_row_embedded_by_itself_is_edited_in_place(alice_client, alice):
    entry = f.entry(alice, "2020-07-02", title="Hike")
    f.review(alice, 2020, document=f"Prose.\n\n[[entry:{entry.key}]]\n\n[[timeline]]")
    html = alice_client.get("/2020/").content.decode()
    assert """<ol class="entries embed embed-row" hx-vals='{"in_place": "1"}'>""" in html

    url = reverse("reviews:row-edit", args=["entry", entry.pk])
    data = {"entry-title": "Hike 改", "entry-started_on": "2020-07-02", "year": "2020"}
    in_place = alice_client.post(url, {**data, "in_place": "1"}, **HX).content.decode()
    in_list = alice_client.post(url, data, **HX).content.decode()

    assert in_place.strip().startswith("<li") and "Hike 改" in in_place
    assert "hx-swap-oob" not in in_place
    assert 'hx-swap-oob="afterbegin:#q3-entries"' in in_list
