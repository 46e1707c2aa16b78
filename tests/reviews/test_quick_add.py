"""Adding many library items from a year page: defaults, memory, paste of several lines."""

from __future__ import annotations

import re

import pytest

from library.models import Item

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def field_names(html: str) -> list[str]:
    return re.findall(r'name="item-(\w+)"', html)


def selected(html: str, name: str) -> str:
    select = re.search(rf'<select name="item-{name}".*?</select>', html, re.S)[0]
    return re.search(r'<option value="(\w*)" selected>', select)[1]


def test_a_new_item_from_a_year_page_is_finished_in_that_year(alice_client, alice):
    html = alice_client.get("/edit/item/new/?year=2020", **HX).content.decode()

    assert field_names(html)[:4] == ["title", "kind", "status", "finished_on"]
    assert re.search(r'name="item-finished_on" value="2020"', html)
    assert selected(html, "status") == "finished"
    # The rest waits under "More".
    more = html[html.index('<details class="form-more"') :]
    assert 'name="item-authors"' in more and 'name="item-notes"' in more

    response = alice_client.post(
        "/edit/item/new/",
        {"year": "2020", "item-title": "Raft", "item-kind": "paper", "item-status": "finished",
         "item-finished_on": "2020"},
        **HX,
    )  # fmt: skip

    assert response.status_code == 200
    item = Item.objects.get(owner=alice)
    assert (item.finished_on.year, item.finished_precision) == (2020, "year")


def test_the_form_remembers_the_last_kind_and_status(alice_client):
    alice_client.post(
        "/edit/item/new/",
        {"year": "2020", "item-title": "SICP", "item-kind": "course", "item-status": "reading"},
        **HX,
    )
    html = alice_client.get("/edit/item/new/?year=2020", **HX).content.decode()

    assert selected(html, "kind") == "course"
    assert selected(html, "status") == "reading"
    assert 'name="item-finished_on" value="2020"' not in html  # reading: not finished yet


def test_after_a_save_the_add_form_comes_back_empty_and_open(alice_client, alice):
    response = alice_client.post(
        "/edit/item/new/",
        {"year": "2020", "item-title": "Raft", "item-kind": "paper", "item-status": "finished",
         "item-finished_on": "2020"},
        **HX,
    )  # fmt: skip

    html = response.content.decode()
    form, _sep, rows = html.partition("<template>")
    assert 'class="object-form"' in form and "data-paste-title" in form
    assert 'value="Raft"' not in form
    assert selected(form, "kind") == "paper"
    item = Item.objects.get(owner=alice)
    assert f'id="item-{item.pk}"' in rows


def many(**fields) -> dict:
    data = {"year": "2020", "many": "1", "item-kind": "paper", "item-status": "finished",
            "item-finished_on": "2020", "item-title": ""}  # fmt: skip
    data.update(fields)
    return data


def test_pasted_lines_become_one_item_each_in_one_post(alice_client, alice):
    response = alice_client.post(
        "/edit/item/new/", many(lines="Raft\r\n\r\n  Paxos made simple \nZab\n"), **HX
    )

    assert response.status_code == 200
    items = list(Item.objects.filter(owner=alice).order_by("id"))
    assert [i.title for i in items] == ["Raft", "Paxos made simple", "Zab"]
    assert {(i.kind, i.status, i.finished_precision) for i in items} == {
        ("paper", "finished", "year")
    }
    html = response.content.decode()
    assert all(f'id="item-{i.pk}"' in html for i in items)
    assert html.count("hx-swap-oob") == 3
    assert response.headers["HX-Trigger"].startswith('{"reading-changed"')


def test_pasted_lines_without_javascript_redirect_to_the_year(alice_client, alice):
    response = alice_client.post("/edit/item/new/", many(lines="A\nB"))
    assert response.status_code == 302
    assert Item.objects.filter(owner=alice).count() == 2


def test_one_bad_line_adds_none_and_names_the_line(alice_client, alice):
    long = "x" * 301
    response = alice_client.post("/edit/item/new/", many(lines=f"Raft\n{long}"), **HX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "at most 300 characters" in html and f"“{long[:80]}”" in html
    assert not Item.objects.filter(owner=alice).exists()
    # The lines wait in the confirm box, shown.
    assert "data-paste-lines role" in html and "<li>Raft</li>" in html


def test_a_shared_field_wrong_for_all_lines_shows_beside_the_field(alice_client, alice):
    response = alice_client.post(
        "/edit/item/new/", many(lines="A\nB", **{"item-finished_on": "2020-Q5"}), **HX
    )
    html = response.content.decode()
    assert 'id="id_item-finished_on_errors"' in html
    assert not Item.objects.filter(owner=alice).exists()


def test_too_many_lines_are_refused(alice_client, alice):
    lines = "\n".join(f"Paper {n}" for n in range(101))
    html = alice_client.post("/edit/item/new/", many(lines=lines), **HX).content.decode()
    assert "At most 100 lines can be added at once." in html
    assert not Item.objects.filter(owner=alice).exists()


def test_no_lines_is_a_message_not_an_error(alice_client, alice):
    response = alice_client.post("/edit/item/new/", many(lines="\n \n"), **HX)
    assert response.status_code == 200
    assert "field-invalid" in response.content.decode()
    assert not Item.objects.filter(owner=alice).exists()
