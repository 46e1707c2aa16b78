"""Inline editing of rows: add, edit, move, delete and undo, with and without htmx."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from PIL import Image as PILImage

from library.models import Item
from reviews.models import Goal, Trash
from tests import factories as f
from timeline.models import CareerMove, Entry, Photo

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}

NEW_ROWS = {
    "entry": {"entry-title": "新的一天", "entry-started_on": "2020-08-01", "entry-body": "*hi*"},
    "move": {"move-date": "2020-04-01", "move-kind": "joined", "move-organization": "Qinglan"},
    "item": {
        "item-kind": "paper",
        "item-title": "Raft",
        "item-status": "finished",
        "item-finished_on": "2020-05-05",
        "item-rating": "5",
    },
    "goal": {"goal-title": "Read 12 papers", "goal-status": "open"},
}
MODELS = {"entry": Entry, "move": CareerMove, "item": Item, "goal": Goal}


@pytest.mark.parametrize("kind", NEW_ROWS)
def test_add_form_full_page_and_fragment(alice_client, kind):
    full = alice_client.get(f"/edit/{kind}/new/?year=2020").content.decode()
    fragment = alice_client.get(f"/edit/{kind}/new/?year=2020", **HX).content.decode()

    assert "<html" in full and "<form" in full
    assert "<html" not in fragment and 'class="object-form"' in fragment


@pytest.mark.parametrize("kind", NEW_ROWS)
def test_adding_with_htmx_inserts_the_row_in_place(alice_client, alice, kind):
    data = {**NEW_ROWS[kind], "year": "2020", "goal_year": "2020"}

    response = alice_client.post(f"/edit/{kind}/new/", data, **HX)

    assert response.status_code == 200
    obj = MODELS[kind].objects.get(owner=alice)
    html = response.content.decode()
    assert "hx-swap-oob" in html and f'id="{type(obj).__name__.lower()}-{obj.pk}"' in html
    if kind == "item":  # items come several in a row: the add form stays open, empty
        assert 'class="object-form"' in html and 'value="Raft"' not in html
    else:
        assert "add-slot" in html  # the add button comes back
    assert response.has_header("HX-Trigger")


@pytest.mark.parametrize("kind", NEW_ROWS)
def test_adding_without_javascript_redirects_to_the_year(alice_client, alice, kind):
    data = {**NEW_ROWS[kind], "year": "2020", "goal_year": "2021"}

    response = alice_client.post(f"/edit/{kind}/new/", data)

    assert response.status_code == 302 and response["Location"].startswith("/2020/#")
    assert MODELS[kind].objects.filter(owner=alice).count() == 1


def test_a_new_goal_for_next_year_belongs_to_next_year(alice_client, alice):
    data = {**NEW_ROWS["goal"], "year": "2020", "goal_year": "2021"}

    html = alice_client.post("/edit/goal/new/", data, **HX).content.decode()

    assert Goal.objects.get(owner=alice).year == 2021
    assert "afterbegin:#next-goals-list" in html


def test_validation_errors_show_beside_the_field_and_keep_what_was_typed(alice_client, alice):
    data = {
        "entry-title": "Trip 旅行",
        "entry-started_on": "2020-09-10",
        "entry-ended_on": "2020-09-01",
        "entry-body": "a long text I typed",
        "year": "2020",
    }

    response = alice_client.post("/edit/entry/new/", data, **HX)

    html = response.content.decode()
    assert response.status_code == 422
    assert "cannot be before the start date" in html
    assert 'value="Trip 旅行"' in html and "a long text I typed" in html
    assert not Entry.objects.exists()


def test_moving_an_entry_to_another_quarter_moves_its_row(alice_client, alice):
    before = f.entry(alice, "2020-10-01", title="Before")
    moving = f.entry(alice, "2020-07-01", title="Moving")
    data = {"entry-title": "Moving", "entry-started_on": "2020-10-05", "year": "2020"}

    html = alice_client.post(f"/edit/entry/{moving.pk}/", data, **HX).content.decode()

    assert f'hx-swap-oob="afterend:#entry-{before.pk}"' in html
    assert "Oct 5" in html


def test_an_item_leaving_the_year_leaves_the_page(alice_client, alice):
    item = f.item(alice, "2020-03-01", title="Leaving")
    data = {
        "item-kind": "book",
        "item-title": "Leaving",
        "item-status": "finished",
        "item-finished_on": "2021-01-02",
        "year": "2020",
    }

    response = alice_client.post(f"/edit/item/{item.pk}/", data, **HX)

    html = response.content.decode()
    # The notice names the year it went to and links to it there.
    assert "hx-swap-oob" not in html and f'<a href="/2021/#item-{item.pk}">2021</a>' in html
    assert "reading-changed" in response["HX-Trigger"]
    assert "Leaving" not in alice_client.get("/2020/").content.decode()


def test_edit_form_leaves_long_texts_to_their_editors(alice_client, alice):
    entry = f.entry(alice, "2020-02-02", body="Body text")

    html = alice_client.get(f"/edit/entry/{entry.pk}/?year=2020", **HX).content.decode()

    assert 'name="entry-body"' not in html
    assert f"/text/entry/{entry.pk}/body/save/" in html


def test_reading_counts_follow_changes(alice_client, alice):
    f.item(alice, "2020-01-01", kind="paper")

    html = alice_client.get("/2020/part/reading-counts/", **HX).content.decode()

    assert "1 finished" in html and 'hx-trigger="reading-changed from:body"' in html


def test_delete_then_undo_restores_the_entry_and_its_photos_exactly(alice_client, alice):
    entry = f.entry(alice, "2020-05-05", title="With photo", body="**b**", private=True)
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 6), "red").save(buffer, "JPEG")
    photo = Photo(owner=alice, entry=entry, caption="猫")
    photo.image.save("x.jpg", ContentFile(buffer.getvalue()), save=False)
    photo.width, photo.height = 8, 6
    photo.save()
    before = (Entry.objects.filter(pk=entry.pk).values().get(), Photo.objects.values().get())

    deleted = alice_client.post(f"/edit/entry/{entry.pk}/delete/", {"year": "2020"}, **HX)

    assert deleted.status_code == 200 and "Undo" in deleted.content.decode()
    assert not Entry.objects.exists() and not Photo.objects.exists()
    trash = Trash.objects.get(owner=alice)
    restored = alice_client.post(f"/undo/{trash.pk}/", {"year": "2020"}, **HX)
    assert restored.status_code == 200 and "With photo" in restored.content.decode()
    after = (Entry.objects.filter(pk=entry.pk).values().get(), Photo.objects.values().get())
    assert after == before and Photo.objects.get().pk == photo.pk
    assert not Trash.objects.exists()
    assert Photo.objects.get().image.read()[:2] == b"\xff\xd8"  # the file is still there


def test_undo_of_a_goal_relinks_the_goal_carried_from_it(alice_client, alice):
    origin = f.goal(alice, 2019, title="Origin")
    carried = f.goal(alice, 2020, title="Carried", carried_from=origin)

    alice_client.post(f"/edit/goal/{origin.pk}/delete/", {"year": "2019"}, **HX)
    carried.refresh_from_db()
    assert carried.carried_from is None
    alice_client.post(f"/undo/{Trash.objects.get().pk}/", {"year": "2019"}, **HX)

    carried.refresh_from_db()
    assert carried.carried_from_id == origin.pk


def test_delete_without_javascript_offers_undo_on_the_year_page(alice_client, alice):
    item = f.item(alice, "2020-05-05", title="Gone book")

    response = alice_client.post(f"/edit/item/{item.pk}/delete/", {"year": "2020"})

    assert response.status_code == 302
    html = alice_client.get("/2020/").content.decode()
    assert "Deleted “Gone book”" in html and "/undo/" in html


@pytest.mark.parametrize("kind", NEW_ROWS)
def test_bob_gets_404_for_alices_rows_and_changes_nothing(bob_client, alice, kind):
    makers = {"entry": f.entry, "move": f.move, "item": f.item, "goal": f.goal}
    obj = makers[kind](alice)
    data = {**NEW_ROWS[kind], "year": "2020"}

    for method, url in [
        ("get", f"/edit/{kind}/{obj.pk}/?year=2020"),
        ("post", f"/edit/{kind}/{obj.pk}/"),
        ("get", f"/edit/{kind}/{obj.pk}/view/?year=2020"),
        ("post", f"/edit/{kind}/{obj.pk}/delete/"),
    ]:
        for headers in ({}, HX):
            response = getattr(bob_client, method)(url, data, **headers)
            assert response.status_code == 404, url
    assert MODELS[kind].objects.filter(pk=obj.pk).exists()


def test_bob_cannot_undo_alices_delete(client, alice, bob):
    item = f.item(alice)
    client.force_login(alice)
    client.post(f"/edit/item/{item.pk}/delete/", {"year": "2020"}, **HX)
    client.force_login(bob)

    response = client.post(f"/undo/{Trash.objects.get().pk}/", {"year": "2020"}, **HX)

    assert response.status_code == 404 and not Item.objects.exists()


@pytest.mark.parametrize("url", ["/edit/nope/new/?year=2020", "/edit/entry/new/?year=abc"])
def test_bad_kinds_and_years_are_404(alice_client, url):
    assert alice_client.get(url).status_code == 404


def test_review_settings_full_page_fragment_and_save(alice_client, alice):
    assert "<html" in alice_client.get("/2020/settings/").content.decode()
    assert "<html" not in alice_client.get("/2020/settings/", **HX).content.decode()

    response = alice_client.post(
        "/2020/settings/",
        {"title": "我的二〇二〇", "author_name": "Lin", "language": "zh-Hans", "license": "CC BY"},
    )

    assert response.status_code == 302
    assert "我的二〇二〇" in alice_client.get("/2020/").content.decode()


def test_deleting_clears_trash_older_than_a_week_and_its_photo_files(alice_client, alice):
    import datetime

    from django.utils import timezone

    entry = f.entry(alice, "2020-05-05", title="Old entry")
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 6), "red").save(buffer, "JPEG")
    photo = Photo(owner=alice, entry=entry)
    photo.image.save("old.jpg", ContentFile(buffer.getvalue()), save=False)
    photo.width, photo.height = 8, 6
    photo.save()
    storage, name = photo.image.storage, photo.image.name
    alice_client.post(f"/edit/entry/{entry.pk}/delete/", {"year": "2020"}, **HX)
    Trash.objects.update(created=timezone.now() - datetime.timedelta(days=8))
    assert storage.exists(name)

    item = f.item(alice, "2020-06-06")
    alice_client.post(f"/edit/item/{item.pk}/delete/", {"year": "2020"}, **HX)

    assert list(Trash.objects.values_list("label", flat=True)) == [str(item)]
    assert not storage.exists(name)


@pytest.mark.parametrize("kind", NEW_ROWS)
def test_the_add_link_that_comes_back_names_a_year(alice_client, alice, kind):
    data = {**NEW_ROWS[kind], "year": "2020", "goal_year": "2020"}
    if kind == "item":  # not finished: an item without a year of its own
        data = {**data, "item-status": "want", "item-finished_on": ""}

    html = alice_client.post(f"/edit/{kind}/new/", data, **HX).content.decode()

    assert "goal_year=None" not in html
    assert f"/edit/{kind}/new/?year=2020&amp;goal_year=2020" in html
