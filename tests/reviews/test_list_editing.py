"""Rows edited where they are: on the all-years pages, and rows that leave a year's page.

/library/, /career/ and /goals/ edit, delete and restore a row in place; a
row saved on a year's page that no longer belongs there says where it went.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.messages import get_messages

from library.models import Item
from reviews.models import Goal
from tests import factories as f
from timeline.models import CareerMove

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def _rows(alice):
    """One row of each kind that has an all-years page, with its page and an edit."""
    item = f.item(alice, "2020-06-01", title="Designing Data-Intensive Applications")
    move = f.move(alice, "2020-05-01", organization="Qinglan", role="engineer")
    goal = f.goal(alice, 2020, title="读 12 篇论文")
    return [
        ("item", item, "/library/", {"item-kind": "book", "item-title": "DDIA 第二版",
                                     "item-status": "finished", "item-finished_on": "2020-06-01"}),
        ("move", move, "/career/", {"move-date": "2020-05-01", "move-kind": "joined",
                                    "move-organization": "青岚科技", "move-role": "engineer"}),
        ("goal", goal, "/goals/", {"goal-title": "读 24 篇论文", "goal-status": "achieved"}),
    ]  # fmt: skip


def _row_id(obj) -> str:
    return f"{type(obj).__name__.lower()}-{obj.pk}"


def test_each_list_page_offers_edit_and_delete_on_its_rows(alice_client, alice):
    for kind, obj, page, _data in _rows(alice):
        html = alice_client.get(page).content.decode()

        assert f'id="{_row_id(obj)}"' in html
        assert f'href="/edit/{kind}/{obj.pk}/?list=1&amp;year=2020"' in html
        assert f'action="/edit/{kind}/{obj.pk}/delete/"' in html
        assert '<input type="hidden" name="list" value="1">' in html


def test_the_edit_form_opened_from_a_list_stays_on_the_list(alice_client, alice):
    for kind, obj, page, _data in _rows(alice):
        html = alice_client.get(f"/edit/{kind}/{obj.pk}/?list=1&year=2020", **HX).content.decode()

        assert 'class="object-form"' in html
        assert '<input type="hidden" name="list" value="1">' in html
        assert f"/edit/{kind}/{obj.pk}/view/?year=2020&amp;list=1" in html  # Cancel
        assert f'href="{page}' in html  # Cancel without JavaScript


def test_saving_on_a_list_swaps_the_list_row_in_place(alice_client, alice):
    for kind, obj, page, data in _rows(alice):
        response = alice_client.post(
            f"/edit/{kind}/{obj.pk}/", {**data, "year": "2020", "list": "1"}, **HX
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert html.lstrip().startswith("<li") and f'id="{_row_id(obj)}"' in html
        assert "hx-swap-oob" not in html  # nothing to place on a year page
        assert "?list=1" in html  # the row keeps its list controls
        # The row as the list page shows it, not as the year page does.
        assert _same(html, _list_row(alice_client, page, _row_id(obj)))
    assert Item.objects.get().title == "DDIA 第二版"
    assert CareerMove.objects.get().organization == "青岚科技"
    assert Goal.objects.get().status == "achieved"


def _same(one: str, other: str) -> bool:
    """The same markup but for surrounding space and the per-request CSRF mask."""
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    return token.sub("", one.strip()) == token.sub("", other.strip())


def _list_row(client, page: str, element_id: str) -> str:
    """The ``<li>`` of one row as the list page renders it."""
    html = client.get(page).content.decode()
    start = html.rindex("<li", 0, html.index(f'id="{element_id}"'))
    depth, at = 0, start
    while True:
        opening, closing = html.find("<li", at), html.find("</li>", at)
        if opening != -1 and opening < closing:
            depth, at = depth + 1, opening + 3
        else:
            depth, at = depth - 1, closing + 5
            if depth == 0:
                return html[start:at]


def test_an_item_left_unfinished_on_the_list_stays_there(alice_client, alice):
    item = f.item(alice, "2020-06-01", title="SICP")
    data = {"item-kind": "book", "item-title": "SICP", "item-status": "reading", "list": "1"}

    html = alice_client.post(f"/edit/item/{item.pk}/", {**data, "year": "2020"}, **HX)
    html = html.content.decode()

    assert f'id="item-{item.pk}"' in html and "moved-row" not in html
    # Its controls no longer name a year: it has none.
    assert f"/edit/item/{item.pk}/?list=1&amp;year=" in html


def test_an_unfinished_item_on_the_list_opens_without_a_year(alice_client, alice):
    item = f.item(alice, None, title="SICP", status="want")

    html = alice_client.get(f"/edit/item/{item.pk}/?list=1&year=", **HX).content.decode()

    assert 'class="object-form"' in html


def test_cancel_on_a_list_shows_the_list_row(alice_client, alice):
    for kind, obj, page, _data in _rows(alice):
        html = alice_client.get(f"/edit/{kind}/{obj.pk}/view/?year=2020&list=1", **HX)

        assert _same(html.content.decode(), _list_row(alice_client, page, _row_id(obj)))


def test_delete_and_undo_on_a_list_stay_on_the_list(alice_client, alice):
    for kind, obj, page, _data in _rows(alice):
        before = _list_row(alice_client, page, _row_id(obj))
        response = alice_client.post(
            f"/edit/{kind}/{obj.pk}/delete/", {"year": "2020", "list": "1"}, **HX
        )

        html = response.content.decode()
        assert "deleted-row" in html and "Undo" in html
        assert '<input type="hidden" name="list" value="1">' in html
        assert f'id="{_row_id(obj)}"' not in alice_client.get(page).content.decode()

        undo_url = html.split('hx-post="')[1].split('"')[0]
        restored = alice_client.post(undo_url, {"year": "2020", "list": "1"}, **HX)

        assert _same(restored.content.decode(), before)


def test_without_javascript_a_list_save_returns_to_the_list(alice_client, alice):
    for kind, obj, page, data in _rows(alice):
        response = alice_client.post(
            f"/edit/{kind}/{obj.pk}/", {**data, "year": "2020", "list": "1"}
        )

        assert response.status_code == 302
        assert response["Location"].startswith(page) and response["Location"].endswith(
            f"#{_row_id(obj)}"
        )
        deleted = alice_client.post(f"/edit/{kind}/{obj.pk}/delete/", {"list": "1"})
        assert deleted["Location"] == page


def test_a_list_cannot_reach_another_users_row(alice_client, bob):
    item = f.item(bob, "2020-06-01", title="Bob's book")

    assert alice_client.get(f"/edit/item/{item.pk}/?list=1&year=", **HX).status_code == 404
    response = alice_client.post(f"/edit/item/{item.pk}/delete/", {"list": "1"}, **HX)
    assert response.status_code == 404
    assert Item.objects.filter(pk=item.pk).exists()


# Rows that leave the year page


def test_an_item_added_as_want_to_read_says_it_is_in_the_library(alice_client, alice):
    data = {"item-kind": "book", "item-title": "《三体》", "item-status": "want", "year": "2020"}

    html = alice_client.post("/edit/item/new/", data, **HX).content.decode()

    item = Item.objects.get(owner=alice)
    assert 'class="moved-row"' in html and "《三体》" in html
    assert f'href="/library/?year=none#item-{item.pk}"' in html
    assert 'name="item-title"' in html  # the add form is open for the next item, below it
    assert "hx-swap-oob" not in html  # nothing is inserted into the year's lists


def test_after_adding_an_item_no_add_link_names_goal_year_none(alice_client, alice):
    for status, finished in [("want", ""), ("finished", "2020-03-01")]:
        data = {"item-kind": "book", "item-title": "Raft", "item-status": status,
                "item-finished_on": finished, "year": "2020", "goal_year": "2020"}  # fmt: skip

        html = alice_client.post("/edit/item/new/", data, **HX).content.decode()

        assert "goal_year=None" not in html
        assert "goal_year=2020" in html


def test_an_item_finished_in_another_year_links_to_that_year(alice_client, alice):
    data = {"item-kind": "book", "item-title": "Raft", "item-status": "finished",
            "item-finished_on": "2019-12-30", "year": "2020"}  # fmt: skip

    html = alice_client.post("/edit/item/new/", data, **HX).content.decode()

    item = Item.objects.get(owner=alice)
    assert f'<a href="/2019/#item-{item.pk}">2019</a>' in html


def test_an_edited_entry_moved_to_another_year_leaves_a_notice_with_a_link(alice_client, alice):
    entry = f.entry(alice, "2020-03-01", title="搬家")
    data = {"entry-title": "搬家", "entry-started_on": "2021-01-05", "year": "2020"}

    html = alice_client.post(f"/edit/entry/{entry.pk}/", data, **HX).content.decode()

    assert html.lstrip().startswith('<li class="moved-row" role="status">')
    assert f'<a href="/2021/#entry-{entry.pk}">2021</a>' in html
    assert "搬家" in html


def test_an_item_edited_to_unfinished_on_the_year_page_points_to_the_library(alice_client, alice):
    item = f.item(alice, "2020-06-01", title="SICP")
    data = {"item-kind": "book", "item-title": "SICP", "item-status": "reading", "year": "2020"}

    html = alice_client.post(f"/edit/item/{item.pk}/", data, **HX).content.decode()

    assert 'class="moved-row"' in html
    assert f'href="/library/?year=none#item-{item.pk}"' in html


def test_without_javascript_a_row_that_left_the_year_says_where_it_went(alice_client, alice):
    data = {"item-kind": "book", "item-title": "《三体》", "item-status": "want", "year": "2020"}

    response = alice_client.post("/edit/item/new/", data)

    assert response["Location"] == "/2020/"
    [message] = list(get_messages(response.wsgi_request))
    assert "/library/?year=none#item-" in str(message) and "《三体》" in str(message)


def test_the_library_link_of_an_unfinished_item_finds_it(alice_client, alice):
    # More than a page of finished items: unfinished ones come last.
    for n in range(55):
        f.item(alice, "2020-06-01", title=f"Paper {n}")
    item = f.item(alice, None, title="Still reading", status="reading")
    data = {"item-kind": "book", "item-title": "Still reading", "item-status": "reading",
            "year": "2020"}  # fmt: skip

    html = alice_client.post(f"/edit/item/{item.pk}/", data, **HX).content.decode()
    link = html.split('href="')[1].split('"')[0]

    assert f'id="item-{item.pk}"' in alice_client.get(link).content.decode()
