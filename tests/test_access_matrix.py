"""Every route, classified; bob never reaches alice's data; anonymous is sent to log in.

The test walks the URL resolver: a route missing from ACCESS fails it, so a
new view cannot be added without deciding who may reach it.
"""

from __future__ import annotations

import io

import pytest
from django.core import serializers
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from library.models import Item
from reviews import texts, trash
from reviews.models import Goal, Review, Revision, Trash
from sharing.models import ShareLink
from tests import factories as f
from timeline.models import CareerMove, Entry, Photo

pytestmark = pytest.mark.django_db

PUBLIC, OWNER, SHARE, ADMIN = "public", "owner", "share", "admin"

# route name -> who may reach it. Owner routes that name an object (pk, entry_pk,
# rev) must answer bob with 404; the others show bob only his own data.
ACCESS = {
    "login": PUBLIC,
    "logout": OWNER,
    "password_change": OWNER,
    "password_change_done": OWNER,
    "password_reset": PUBLIC,
    "password_reset_done": PUBLIC,
    "password_reset_confirm": PUBLIC,
    "password_reset_complete": PUBLIC,
    "set_language": PUBLIC,
    # Staff only: anyone else gets a 404, like another owner's rows.
    "accounts:invitations": OWNER,
    "accounts:invitation-revoke": OWNER,
    "accounts:join": PUBLIC,
    "accounts:signup": PUBLIC,
    "library:list": OWNER,
    "career:list": OWNER,
    "timeline:photo-upload": OWNER,
    "timeline:photo-reorder": OWNER,
    "timeline:photo-caption": OWNER,
    "timeline:photo-delete": OWNER,
    "timeline:photo": OWNER,
    "timeline:document-photo": OWNER,
    "reviews:home": OWNER,
    "reviews:start": OWNER,
    "reviews:years": OWNER,
    "reviews:goals": OWNER,
    "sharing:share": SHARE,
    "sharing:share-year": SHARE,
    "sharing:photo": SHARE,
    "sharing:links": OWNER,
    "sharing:export-md": OWNER,
    "sharing:export-zip": OWNER,
    "reviews:year": OWNER,
    "reviews:row-new": OWNER,
    "reviews:row-edit": OWNER,
    "reviews:row-view": OWNER,
    "reviews:row-delete": OWNER,
    "reviews:undo": OWNER,
    "reviews:text-preview": OWNER,
    "reviews:palette": OWNER,
    "reviews:text-editor": OWNER,
    "reviews:text-save": OWNER,
    "reviews:text-history": OWNER,
    "reviews:text-revision": OWNER,
    "reviews:text-restore": OWNER,
    "reviews:review-settings": OWNER,
    "reviews:year-part": OWNER,
    "reviews:document-insert": OWNER,
    "reviews:compare": OWNER,
    "reviews:goal-carry": OWNER,
    "reviews:goal-confirm": OWNER,
    "portability:data": OWNER,
    "portability:export-json": OWNER,
    "portability:export-zip": OWNER,
    "portability:import": OWNER,
    "portability:import-confirm": OWNER,
    "portability:goodreads": OWNER,
    "portability:import-cancel": OWNER,
    "portability:post": OWNER,
    "portability:post-confirm": OWNER,
}
OBJECT_PARAMS = {"pk", "entry_pk", "rev"}
METHODS = ["get", "post", "put", "patch", "delete"]
HX = {"HTTP_HX_REQUEST": "true"}


def walk(patterns, prefix="", namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield prefix + str(pattern.pattern), name, pattern


def routes():
    return [
        (route, name, pattern)
        for route, name, pattern in walk(get_resolver().url_patterns)
        if not route.startswith("admin/")
    ]


def test_every_route_is_classified():
    unclassified = [f"{name} ({route})" for route, name, _ in routes() if name not in ACCESS]
    assert unclassified == [], "classify these routes in ACCESS"


@pytest.fixture
def world(alice, bob):
    """Alice owns one of everything; the URLs below point at her objects."""
    review = f.review(alice, 2020, document="alice intro")
    entry = f.entry(alice, "2020-03-03", title="alice entry", body="alice body")
    move = f.move(alice, "2020-04-04")
    item = f.item(alice, "2020-05-05")
    goal = f.goal(alice, 2020, status="open", metric_kind="book", metric_target=3)
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, "JPEG")
    photo = Photo(owner=alice, entry=entry)
    photo.image.save("a.jpg", ContentFile(buffer.getvalue()), save=False)
    photo.thumbnail.save("t.jpg", ContentFile(buffer.getvalue()), save=False)
    photo.width = photo.height = 8
    photo.save()
    texts.save_text(review, "document", "alice intro v1", 0)
    revision = texts.history(review, "document")[0]
    gone = f.item(alice, "2020-06-06", title="deleted item")
    kept = trash.delete(gone)
    link, token = ShareLink.create_for(review)
    return {
        "review": review, "entry": entry, "move": move, "item": item, "goal": goal,
        "photo": photo, "revision": revision, "trash": kept, "token": token,
    }  # fmt: skip


def kwargs_for(name: str, pattern, world) -> dict:
    params = set(pattern.pattern.converters)
    values: dict = {}
    if "year" in params:
        values["year"] = 2020
    if "token" in params:
        values["token"] = world["token"]
    if "size" in params:
        values["size"] = "thumb"
    if "part" in params:
        values["part"] = "reading-counts"
    if "entry_pk" in params:
        values["entry_pk"] = world["entry"].pk
    if name.startswith("reviews:text-"):
        values.update(kind="review", field="document")
        if "pk" in params:
            values["pk"] = world["review"].pk
        if "rev" in params:
            values["rev"] = world["revision"].pk
    elif name.startswith("reviews:row-"):
        values["kind"] = "entry"
        if "pk" in params:
            values["pk"] = world["entry"].pk
    elif "pk" in params:
        owner_of = {"reviews:undo": "trash", "reviews:goal-carry": "goal",
                    "reviews:goal-confirm": "goal"}  # fmt: skip
        values["pk"] = world[owner_of.get(name, "photo")].pk
    for key in ("uidb64", "token"):
        if key in params and key not in values:
            values[key] = "x"
    return {k: v for k, v in values.items() if k in params}


def snapshot(user, *, links: bool = True) -> str:
    models = [Review, Entry, CareerMove, Item, Goal, Photo, Revision, Trash]
    rows = []
    for model in [*models, ShareLink] if links else models:
        rows.extend(model.objects.filter(owner=user).order_by("pk"))
    return serializers.serialize("json", rows)


def owner_routes():
    return [(r, n, p) for r, n, p in routes() if ACCESS.get(n) == OWNER and n != "logout"]


def test_bob_gets_404_for_alices_objects_and_changes_nothing(client, world, alice, bob):
    client.force_login(bob)
    before = snapshot(alice)
    checked = 0
    for _, name, pattern in owner_routes():
        params = set(pattern.pattern.converters)
        url = reverse(name, kwargs=kwargs_for(name, pattern, world))
        for method in METHODS:
            for headers in ({}, HX):
                response = getattr(client, method)(url, **headers)
                assert response.status_code < 500, (name, method)
                if params & OBJECT_PARAMS:
                    assert response.status_code in (404, 405), (name, method, headers)
                else:
                    raw = (
                        b"".join(response.streaming_content)
                        if response.streaming
                        else response.content
                    )
                    body = raw.decode(errors="replace")
                    assert "alice" not in body, (name, method)
                checked += 1
        client.force_login(bob)  # a route may have logged bob out; stay bob
    assert snapshot(alice) == before
    assert checked >= len(owner_routes()) * len(METHODS) * 2


def test_anonymous_is_sent_to_log_in_and_changes_nothing(client, world, alice):
    before = snapshot(alice)
    login = reverse("login")
    for _, name, pattern in owner_routes():
        url = reverse(name, kwargs=kwargs_for(name, pattern, world))
        for method in METHODS:
            response = getattr(client, method)(url)
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(login), (name, method)
            # Background (htmx) requests get 401 so an editor can keep its text.
            assert getattr(client, method)(url, **HX).status_code == 401, (name, method)
    assert snapshot(alice) == before


def test_share_routes_accept_only_live_tokens_and_never_write(client, world, alice):
    share_routes = [(r, n, p) for r, n, p in routes() if ACCESS.get(n) == SHARE]
    assert share_routes
    before = snapshot(alice, links=False)
    for _, name, pattern in share_routes:
        good = kwargs_for(name, pattern, world)
        if "pk" in good:
            good["pk"] = world["photo"].pk
        assert client.get(reverse(name, kwargs=good)).status_code == 200, name
        for method in ("post", "put", "patch", "delete"):
            status = getattr(client, method)(reverse(name, kwargs=good)).status_code
            assert status in (404, 405), (name, method)
        bad = {**good, "token": "x" * 43}
        assert client.get(reverse(name, kwargs=bad)).status_code == 404, name
    ShareLink.objects.filter(owner=alice).update(revoked_at="2020-01-01T00:00:00Z")
    for _, name, pattern in share_routes:
        good = kwargs_for(name, pattern, world)
        if "pk" in good:
            good["pk"] = world["photo"].pk
        assert client.get(reverse(name, kwargs=good)).status_code == 404, name
    # Only the link's view counter moved; nothing of alice's review changed.
    assert snapshot(alice, links=False) == before
