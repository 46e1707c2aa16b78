"""The document editor's palette: its search, and rows created in place."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from library.models import Item
from reviews import palette
from tests import factories as f
from tests.timeline import photo_files as pf
from timeline import photos
from timeline.models import Photo

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}
URL = reverse("reviews:palette")


def search(client, words: str, year: int = 2020) -> str:
    response = client.get(URL, {"q": words, "year": year}, **HX)
    assert response.status_code == 200
    return response.content.decode()


def document_photo(owner, caption: str) -> Photo:
    upload = SimpleUploadedFile("p.jpg", pf.jpeg(), content_type="image/jpeg")
    photo = photos.place_in_year(owner, 2020, photos.process_upload(upload))
    photos.set_caption(photo, caption)
    return photo


def test_it_finds_each_kind_of_row_by_its_words(alice_client, alice):
    entry = f.entry(alice, title="Moved to Hangzhou")
    move = f.move(alice, organization="Hangzhou Labs", role="Engineer")
    item = f.item(alice, title="Raft", authors="Ongaro, Ousterhout", kind=Item.Kind.PAPER)
    goal = f.goal(alice, title="Visit Hangzhou again")
    photo = document_photo(alice, "West Lake in Hangzhou")

    html = search(alice_client, "hangzhou")

    assert f"[[entry:{entry.key} | Moved to Hangzhou]]" in html
    assert f"[[move:{move.key} | Engineer, Hangzhou Labs]]" in html
    assert f"[[goal:{goal.key} | Visit Hangzhou again]]" in html
    assert f"[[photo:{photo.key} | West Lake in Hangzhou]]" in html
    assert item.key not in html
    assert f"[[item:{item.key} | Raft]]" in search(alice_client, "ousterhout")


def test_a_chinese_substring_finds_the_row(alice_client, alice):
    item = f.item(alice, title="深入理解计算机系统")
    f.item(alice, title="Designing Data-Intensive Applications")

    html = search(alice_client, "计算机")

    assert f"[[item:{item.key} | 深入理解计算机系统]]" in html
    assert "Designing" not in html


def test_bob_never_finds_alices_rows(client, alice, bob):
    f.entry(alice, title="Alice's secret trip")
    f.item(alice, title="Alice's secret book")
    document_photo(alice, "Alice's secret photo")
    client.force_login(bob)

    html = search(client, "secret")

    assert "Alice" not in html and "[[entry:" not in html and "[[photo:" not in html


def test_lists_are_offered_and_filtered_by_their_description(alice_client):
    everything = search(alice_client, "")
    assert "[[timeline Q3]]" in everything and "[[goals next]]" in everything
    assert "[[library kind=paper]]" in everything and "[[years]]" in everything
    # Creating in place: the add forms, told to answer the palette.
    assert f"{reverse('reviews:row-new', args=['item'])}?year=2020&amp;palette=1" in everything

    papers = search(alice_client, "papers")
    assert "[[library kind=paper]]" in papers and "[[compare paper]]" in papers
    assert "[[timeline Q3]]" not in papers


def test_results_are_bounded_and_take_turns_between_kinds(alice_client, alice):
    for number in range(30):
        f.entry(alice, title=f"Raft day {number}")
    item = f.item(alice, title="Raft paper")

    html = search(alice_client, "raft")

    assert html.count("[[entry:") + html.count("[[item:") == palette.LIMIT
    assert item.key in html  # thirty entries do not hide the one paper


def test_a_fixed_number_of_queries_whatever_matches(
    alice_client, alice, django_assert_num_queries
):
    search(alice_client, "x")  # session and user read once, like every later request
    with django_assert_num_queries(7) as few:
        search(alice_client, "night")
    for number in range(15):
        f.entry(alice, title=f"night {number}")
        f.item(alice, title=f"night {number}")
        f.goal(alice, title=f"night {number}")
        document_photo(alice, f"night {number}")
    with django_assert_num_queries(len(few.captured_queries)):
        search(alice_client, "night")


def test_labels_never_break_the_embed_line(alice_client, alice):
    item = f.item(alice, title="Arrays [[and]] lists\nsecond line")

    html = search(alice_client, "arrays")

    assert f"[[item:{item.key} | Arrays and lists second line]]" in html


@pytest.mark.parametrize("year", ["", "abc", "20200", "+2020"])
def test_a_bad_year_is_404(alice_client, year):
    assert alice_client.get(URL, {"q": "x", "year": year}).status_code == 404


def test_logged_out_is_sent_to_log_in(client):
    response = client.get(URL, {"q": "x", "year": 2020})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# Creating a row in place


def test_the_form_opened_from_the_palette_says_so_and_has_no_page_cancel(alice_client):
    url = reverse("reviews:row-new", args=["item"])
    html = alice_client.get(url, {"year": 2020, "palette": 1}, **HX).content.decode()

    assert 'name="palette" value="1"' in html
    assert "data-palette-back" in html and "data-cancel" not in html


@pytest.mark.parametrize(
    ("kind", "data", "label"),
    [
        ("entry", {"entry-title": "新的一天", "entry-started_on": "2020-08-01"}, "新的一天"),
        (
            "item",
            {
                "item-kind": "paper",
                "item-title": "Raft",
                "item-status": "finished",
                "item-finished_on": "2020-05-05",
            },
            "Raft",
        ),
        ("goal", {"goal-title": "Run", "goal-status": "open"}, "Run"),
        (
            "move",
            {"move-date": "2020-04-01", "move-kind": "joined", "move-organization": "Q"},
            "Q",
        ),
    ],
)
def test_a_row_saved_from_the_palette_comes_back_as_its_embed_line(
    alice_client, alice, kind, data, label
):
    url = reverse("reviews:row-new", args=[kind])
    payload = {**data, "year": "2020", "goal_year": "2020", "palette": "1"}

    response = alice_client.post(url, payload, **HX)

    assert response.status_code == 200 and response.content == b""
    events = json.loads(response["HX-Trigger"])
    from core import rows

    obj = rows.get(kind).model.objects.get(owner=alice)
    assert events["embed-created"] == {"line": f"[[{kind}:{obj.key} | {label}]]"}


def test_without_the_palette_the_year_page_answer_is_unchanged(alice_client, alice):
    url = reverse("reviews:row-new", args=["goal"])
    payload = {"goal-title": "Run", "goal-status": "open", "year": "2020"}

    response = alice_client.post(url, payload, **HX)

    assert "add-slot" in response.content.decode()
    assert "embed-created" not in response["HX-Trigger"]


def test_an_invalid_row_shows_the_form_again_in_the_palette(alice_client, alice):
    url = reverse("reviews:row-new", args=["entry"])
    payload = {"entry-title": "", "entry-started_on": "2020-08-01", "year": "2020", "palette": "1"}

    response = alice_client.post(url, payload, **HX)

    html = response.content.decode()
    assert 'name="palette" value="1"' in html and "field-invalid" in html
    assert not response.has_header("HX-Trigger")


def test_the_document_editor_carries_the_palette(alice_client, alice):
    review = f.review(alice, 2020)
    url = reverse("reviews:text-editor", args=["review", review.pk, "document"])

    html = alice_client.get(url, {"year": 2020}).content.decode()

    assert "data-document-editor" in html and "data-palette-open" in html
    assert f"{URL}?year=2020" in html and reverse("timeline:document-photo") in html


def test_the_lists_are_described_in_the_interface_language(alice_client):
    response = alice_client.get(URL, {"q": "", "year": 2020}, HTTP_ACCEPT_LANGUAGE="zh-Hans", **HX)

    html = response.content.decode()
    assert "今年读完的，按类别" in html and "新建目标" in html
    assert "[[library]]" in html  # the syntax itself is never translated


def test_private_rows_are_found_and_marked(alice_client, alice):
    f.item(alice, title="Diary of a private year", private=True)
    f.item(alice, title="Diary of a public year")

    html = search(alice_client, "diary")

    assert html.count("badge-private") == 1
