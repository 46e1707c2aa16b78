"""Cached pages: byte-identical to a fresh render, never stale after a write, cheap to serve.

The route walk posts to every route of the URLconf that accepts a POST: a route
missing from WRITES or READS fails it, so a new write path cannot be added
without showing that it leaves no stale page behind. The import commands are
walked the same way.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from PIL import Image

from core import pagecache
from library.models import Item
from portability.views import PENDING
from reviews.models import Goal, Review, Trash
from sharing import services as sharing_services
from sharing.models import ShareLink
from tests import factories as f
from tests import test_access_matrix
from tests.portability.interchange_data import ENTRY, ITEM, minimal
from tests.portability.test_goodreads import BOOKS, LONG, write_csv
from tests.test_access_matrix import kwargs_for, routes, snapshot
from timeline.models import Entry

pytestmark = pytest.mark.django_db

world = test_access_matrix.world  # alice owns one of everything, with a live share link

HX = {"HTTP_HX_REQUEST": "true"}
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-Hans"}


def normalised(response) -> str:
    body = response.content.decode()
    return pagecache.CSRF_TOKEN.sub(lambda m: m.group(0).replace(m.group(1), "TOKEN"), body)


def pages(world) -> list[tuple[str, str, bool]]:
    """(name, URL, for the owner: else a visitor who is not logged in)."""
    token = world["token"]
    return [
        ("year", "/2020/", True),
        ("year-all", "/2020/?all=1", True),
        ("compare", "/2020/compare/", True),
        ("compare-with", "/2020/compare/?with=2018", True),
        ("export-md", "/2020/export.md", True),
        ("export-md-public", "/2020/export.md?public=1", True),
        ("share", f"/s/{token}/", False),
        ("share-owner", f"/s/{token}/", True),
    ]


def get(client, url: str, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    return response


def uncached(settings, client, url: str, **headers) -> str:
    settings.PAGE_CACHE = False
    try:
        return normalised(get(client, url, **headers))
    finally:
        settings.PAGE_CACHE = True


def clients(alice) -> tuple[Client, Client]:
    owner = Client()
    owner.force_login(alice)
    return owner, Client()


# Byte-identical


@pytest.mark.parametrize("language", [{}, ZH], ids=["en", "zh-hans"])
def test_a_cached_page_is_the_page_rendered_afresh(settings, world, alice, language):
    f.entry(alice, "2020-05-05", title="公开的条目", body="**粗体**")
    f.entry(alice, "2020-06-06", title="private entry", private=True)
    owner, visitor = clients(alice)
    for name, url, as_owner in pages(world):
        client = owner if as_owner else visitor
        first = get(client, url, **language)
        again = get(client, url, **language)
        assert again.wsgi_request.page_cache[0] == "hit", name
        fresh = uncached(settings, client, url, **language)
        assert normalised(first) == normalised(again) == fresh, name
        assert again["Content-Type"] == first["Content-Type"], name
        if name == "share":
            assert "private entry" not in again.content.decode()
            assert again["Cache-Control"] == "no-store"


def test_the_cached_page_carries_this_requests_csrf_token(world, alice):
    owner, _ = clients(alice)
    get(owner, "/2020/")
    hit = get(owner, "/2020/")
    tokens = set(pagecache.CSRF_TOKEN.findall(hit.content.decode()))
    assert len(tokens) == 1 and pagecache.CSRF_PLACEHOLDER not in hit.content.decode()
    # The token on the page passes the CSRF check of a POST.
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(alice)
    page = get(strict, "/2020/")
    page = get(strict, "/2020/")
    token = pagecache.CSRF_TOKEN.search(page.content.decode()).group(1)
    response = strict.post(
        reverse("reviews:start"), {"year": "2019", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_each_reader_language_and_date_has_its_own_copy(world, alice, bob):
    owner, visitor = clients(alice)
    english = get(owner, "/2020/").content.decode()
    chinese = get(owner, "/2020/", **ZH).content.decode()
    assert english != chinese
    bobs = Client()
    bobs.force_login(bob)
    assert "alice intro" not in get(bobs, "/2020/compare/").content.decode()


def test_a_page_with_a_message_or_an_undo_is_not_kept(world, alice):
    owner, _ = clients(alice)
    owner.post(f"/edit/entry/{world['entry'].pk}/delete/", {"year": "2020"})
    offered = get(owner, "/2020/")
    assert 'action="/undo/' in offered.content.decode()
    assert getattr(offered.wsgi_request, "page_cache", None) is None
    later = get(owner, "/2020/")
    assert 'action="/undo/' not in later.content.decode()


# Every write path makes the pages fresh


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(out, "JPEG")
    return out.getvalue()


def _import(client, world):
    document = minimal(timeline=[{**ENTRY, "title": "Imported entry"}], library=[ITEM])
    data = json.dumps(document).encode()
    client.post("/data/import/", {"file": SimpleUploadedFile("backup.json", data)})
    for _ in range(20):  # the import runs in steps, one request each
        name = (client.session.get(PENDING) or {}).get("name")
        if not name:
            return
        client.post("/data/import/confirm/", {"upload": name})


def _post_import(client, world):
    text = "---\ntitle: My 2020\n---\n\nA whole new document.\n"
    data = {"text": text, "year": 2020, "replace": "on"}
    client.post(reverse("portability:post-confirm"), data)


def _goodreads(client, world):
    upload = SimpleUploadedFile("goodreads_library_export.csv", write_csv(LONG, BOOKS))
    client.post("/data/goodreads/", {"file": upload})


def _form(data):
    return lambda client, world, url: client.post(url, data(world), **HX)


# route name -> how to post to it so that it writes; ``must_write`` False where
# the request is right to write nothing with this data (the page must be fresh anyway).
WRITES = {
    "timeline:photo-upload": (
        lambda c, w, url: c.post(url, {"photos": SimpleUploadedFile("a.jpg", _jpeg())}),
        True,
    ),
    "timeline:photo-reorder": (
        lambda c, w, url: c.post(url, {"photo": w["photo"].pk, "direction": "down"}),
        False,
    ),
    "timeline:document-photo": (
        lambda c, w, url: c.post(
            url, {"year": "2020", "photo": SimpleUploadedFile("b.jpg", _jpeg())}
        ),
        True,
    ),
    "timeline:photo-caption": (_form(lambda w: {"caption": "A new caption"}), True),
    "timeline:photo-delete": (_form(lambda w: {}), True),
    "portability:import-confirm": (lambda c, w, url: _import(c, w), True),
    "portability:goodreads": (lambda c, w, url: _goodreads(c, w), True),
    "portability:post-confirm": (lambda c, w, url: _post_import(c, w), True),
    "sharing:links": (_form(lambda w: {"action": "create"}), True),
    "reviews:start": (lambda c, w, url: c.post(url, {"year": "2019"}), True),
    "reviews:row-new": (
        _form(
            lambda w: {
                "entry-title": "A new entry",
                "entry-started_on": "2020-08-01",
                "entry-body": "*new*",
                "year": "2020",
            }
        ),
        True,
    ),
    "reviews:row-edit": (
        _form(
            lambda w: {
                "entry-title": "An edited entry",
                "entry-started_on": "2020-03-03",
                "entry-body": "edited",
                "year": "2020",
            }
        ),
        True,
    ),
    "reviews:row-delete": (_form(lambda w: {"year": "2020"}), True),
    "reviews:undo": (_form(lambda w: {"year": "2020"}), True),
    "reviews:text-save": (
        _form(
            lambda w: {
                "text": "A new opening",
                "version": Review.objects.get(pk=w["review"].pk).text_version("document"),
            }
        ),
        True,
    ),
    "reviews:text-restore": (_form(lambda w: {"year": "2020"}), True),
    "reviews:review-settings": (
        _form(lambda w: {"title": "A new title", "language": "en", "author_name": "Al"}),
        True,
    ),
    "reviews:document-insert": (
        _form(
            lambda w: {
                "line": f"[[item:{w['item'].key}]]",
                "version": Review.objects.get(pk=w["review"].pk).text_version("document"),
            }
        ),
        True,
    ),
    "reviews:goal-carry": (_form(lambda w: {}), True),
    "reviews:goal-confirm": (_form(lambda w: {}), False),
}
# Routes that take a POST and write none of the owner's rows (an upload waiting for its
# confirmation is a file, not a row; a preview renders; the rest is the user's session;
# invitations and sign-up make accounts, which start with no page).
READS = {
    "login", "logout", "password_change", "password_reset", "password_reset_confirm",
    "accounts:invitations", "accounts:invitation-revoke", "accounts:join", "accounts:signup",
    "set_language", "portability:import", "portability:import-cancel", "portability:post",
    "reviews:text-preview", "reviews:palette",
}  # fmt: skip


def test_every_route_that_takes_a_post_is_walked(world, alice):
    owner, _ = clients(alice)
    unlisted = []
    for _route, name, pattern in routes():
        if name in WRITES or name in READS:
            continue
        url = reverse(name, kwargs=kwargs_for(name, pattern, world))
        if owner.post(url).status_code != 405:
            unlisted.append(name)
        owner.force_login(alice)
    assert unlisted == [], "add these routes to WRITES (with a POST that writes) or READS"


def _warm(client, visitor, world) -> None:
    for _name, url, as_owner in pages(world):
        get(client if as_owner else visitor, url)


def _assert_fresh(settings, client, visitor, world, why: str) -> None:
    client.get(reverse("reviews:years"))  # shows (so uses up) any message the POST left
    for name, url, as_owner in pages(world):
        reader = client if as_owner else visitor
        response = reader.get(url)
        if response.status_code != 200:  # e.g. the link's year was deleted: nothing to compare
            continue
        assert normalised(response) == uncached(settings, reader, url), f"{name} after {why}"


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_write_route_leaves_every_page_fresh(settings, world, alice, name):
    owner, visitor = clients(alice)
    pattern = next(p for _r, n, p in routes() if n == name)
    url = reverse(name, kwargs=kwargs_for(name, pattern, world))
    _warm(owner, visitor, world)
    before, version = snapshot(alice), pagecache.version(alice.pk)

    post, must_write = WRITES[name]
    response = post(owner, world, url)
    assert response is None or response.status_code < 500

    if must_write:
        assert snapshot(alice) != before, f"{name}: the POST in WRITES wrote nothing"
    if snapshot(alice) != before:
        assert pagecache.version(alice.pk) != version, name
    owner.force_login(alice)
    _assert_fresh(settings, owner, visitor, world, name)


def _command(name: str, tmp_path, world) -> None:
    if name == "import_data":
        path = tmp_path / "backup.json"
        path.write_text(json.dumps(minimal(library=[{**ITEM, "title": "From the command"}])))
        call_command("import_data", "alice", str(path), stdout=io.StringIO())
    elif name == "import_goodreads":
        path = tmp_path / "goodreads.csv"
        path.write_bytes(write_csv(LONG, BOOKS))
        call_command("import_goodreads", "alice", str(path), stdout=io.StringIO())
    elif name == "import_post":
        path = tmp_path / "post.md"
        path.write_text("# My 2020\n\nWritten elsewhere.\n")
        call_command(
            "import_post", "alice", str(path), "--year", "2020", "--replace", stdout=io.StringIO()
        )


@pytest.mark.parametrize("name", ["import_data", "import_goodreads", "import_post"])
def test_the_import_commands_leave_every_page_fresh(settings, world, alice, tmp_path, name):
    owner, visitor = clients(alice)
    _warm(owner, visitor, world)
    before = snapshot(alice)

    _command(name, tmp_path, world)

    assert snapshot(alice) != before
    _assert_fresh(settings, owner, visitor, world, name)


# The central bump: every way of writing an Owned row


def test_every_orm_write_changes_the_owners_version(alice, bob):
    entry = f.entry(alice, "2020-01-01")
    item = f.item(alice, "2020-02-02")
    writes = [
        lambda: Entry.objects.filter(pk=entry.pk).update(title="Updated"),
        lambda: Entry.objects.bulk_create(
            [Entry(owner=alice, title="Bulk", started_on="2020-03-03")]
        ),
        lambda: Entry.objects.bulk_update([Entry(pk=entry.pk, title="Bulk update")], ["title"]),
        lambda: Item.objects.filter(pk=item.pk).delete(),
        lambda: f.goal(alice, 2020),
        lambda: Goal.objects.get(owner=alice).delete(),
        lambda: Entry.objects.get(pk=entry.pk).save(update_fields=["title"]),
        lambda: Review.objects.get_or_create(owner=alice, year=2021),
    ]
    bobs = pagecache.version(bob.pk)
    for write in writes:
        version = pagecache.version(alice.pk)
        write()
        assert pagecache.version(alice.pk) != version
    assert pagecache.version(bob.pk) == bobs


def test_writes_in_one_transaction_bump_once_but_never_leave_a_stale_version(alice):
    entry = f.entry(alice, "2020-01-01")
    version = pagecache.version(alice.pk)
    with transaction.atomic():
        for n in range(3):
            Entry.objects.filter(pk=entry.pk).update(title=f"n{n}")
        inside = pagecache.version(alice.pk)
        assert inside != version
        try:
            with transaction.atomic():
                Entry.objects.filter(pk=entry.pk).update(title="rolled back")
                raise RuntimeError
        except RuntimeError:
            pass
        Entry.objects.filter(pk=entry.pk).update(title="after the savepoint")
        assert pagecache.version(alice.pk) != inside


def test_a_view_counter_write_keeps_the_share_page_cached(world, alice):
    link = ShareLink.objects.get(owner=alice)
    version = pagecache.version(alice.pk)
    ShareLink.objects.filter(pk=link.pk).update(views=5)
    assert pagecache.version(alice.pk) == version
    ShareLink.objects.filter(pk=link.pk).update(revoked_at="2020-01-01T00:00:00Z")
    assert pagecache.version(alice.pk) != version


# Budgets


@pytest.mark.parametrize("name", ["year", "compare", "export-md", "share"])
def test_a_hit_costs_the_session_the_user_and_the_version(
    world, alice, name, django_assert_max_num_queries
):
    owner, visitor = clients(alice)
    url, as_owner = next((u, o) for n, u, o in pages(world) if n == name)
    client = owner if as_owner else visitor
    get(client, url)
    # Owner: session, user, version; share: the link, the counter, the version.
    with django_assert_max_num_queries(3):
        assert get(client, url).wsgi_request.page_cache[0] == "hit"


def test_share_views_are_written_in_batches(settings, world, alice):
    settings.SHARE_VIEWS_WRITE_SECONDS = 3600
    sharing_services.write_views()
    visitor = Client()
    url = f"/s/{world['token']}/"
    for _ in range(3):
        get(visitor, url)
    link = ShareLink.objects.get(owner=alice)
    assert link.views == 0
    sharing_services.write_views()
    link.refresh_from_db()
    assert link.views == 3 and link.last_viewed_at is not None


def test_server_timing_names_total_db_render_and_the_cache(settings, world, alice):
    settings.SERVER_TIMING = True
    owner, _ = clients(alice)
    miss = get(owner, "/2020/")["Server-Timing"]
    hit = get(owner, "/2020/")["Server-Timing"]
    assert re.match(r"total;dur=[\d.]+, db;dur=[\d.]+, render;dur=[\d.]+", miss)
    assert 'cache;desc="miss"' in miss and 'cache;desc="hit"' in hit
    settings.SERVER_TIMING = False
    assert not get(Client(), "/accounts/login/").has_header("Server-Timing")


def test_undo_restores_what_the_page_shows(world, alice):
    owner, _ = clients(alice)
    entry = world["entry"]
    owner.post(f"/edit/entry/{entry.pk}/delete/", {"year": "2020"}, **HX)
    assert "alice entry" not in get(owner, "/2020/").content.decode()
    owner.post(f"/undo/{Trash.objects.latest('id').pk}/", {"year": "2020"}, **HX)
    assert "alice entry" in get(owner, "/2020/").content.decode()


@transaction.atomic
def _write_in_a_decorated_transaction(entry_pk: int, title: str) -> None:
    Entry.objects.filter(pk=entry_pk).update(title=title)


def test_a_function_run_in_one_transaction_twice_bumps_each_time(alice):
    # ``@transaction.atomic`` reuses one Atomic object for every call.
    entry = f.entry(alice, "2020-01-01")
    first = pagecache.version(alice.pk)
    _write_in_a_decorated_transaction(entry.pk, "one")
    second = pagecache.version(alice.pk)
    _write_in_a_decorated_transaction(entry.pk, "two")
    assert first != second != pagecache.version(alice.pk)


def test_pages_can_be_shared_between_processes_through_another_cache(settings, world, alice):
    settings.PAGE_CACHE_SHARED = "default"
    owner, _ = clients(alice)
    first = get(owner, "/2020/")
    caches["pages-local"].clear()  # as another process would start: nothing of its own

    again = get(owner, "/2020/")

    assert again.wsgi_request.page_cache[0] == "hit"
    assert normalised(again) == normalised(first)


def test_the_admin_leaves_the_owners_pages_fresh(settings, world, alice, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "x")
    admin = Client()
    admin.force_login(root)
    owner, visitor = clients(alice)
    _warm(owner, visitor, world)
    entry = world["entry"]
    change = admin.get(reverse("admin:timeline_entry_change", args=[entry.pk]))
    assert change.status_code == 200

    # The change list's "delete selected" action: a queryset delete.
    admin.post(
        reverse("admin:timeline_entry_changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )

    assert not Entry.objects.filter(pk=entry.pk).exists()
    assert "alice entry" not in get(owner, "/2020/").content.decode()
    _assert_fresh(settings, owner, visitor, world, "the admin")
