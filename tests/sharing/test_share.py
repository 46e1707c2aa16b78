"""Share links: the public page, its photos and headers, the one 404, and the owner's links."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from library.models import Item
from reviews.models import Review
from sharing.models import ShareLink, hash_token
from tests import factories as f
from timeline.models import Photo

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
SHARE_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
# One in every model that can be private, the private notes of a public item, and who
# the owner is: none of these may ever reach a share page.
CANARIES = [
    "CANARY-ENTRY-TITLE",
    "canary-entry-body",
    "CANARY-MOVE-ORG",
    "CANARY-ITEM-TITLE",
    "canary-private-notes",
    "CANARY-GOAL-TITLE",
    "CANARY-NEXT-GOAL",
    "alice@example.com",
    "alice",
]


def tiny_jpeg(color: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), color).save(out, "JPEG")
    return out.getvalue()


def year_photo(owner, year: int = 2020, caption: str = "") -> Photo:
    """A photo placed straight into the year's document."""
    photo = Photo(owner=owner, year=year, caption=caption)
    photo.image.save("p.jpg", ContentFile(tiny_jpeg("navy")), save=False)
    photo.width, photo.height = 8, 6
    photo.save()
    return photo


def make_photo(entry, caption: str = "", color: str = "teal") -> Photo:
    photo = Photo(owner=entry.owner, entry=entry, caption=caption)
    photo.image.save("p.jpg", ContentFile(tiny_jpeg(color)), save=False)
    photo.width, photo.height = 8, 6
    photo.save()
    return photo


@pytest.fixture
def year_2020(alice):
    """Alice's 2020: public things to show and a private canary in every model."""
    review = f.review(
        alice,
        2020,
        title="Twenty twenty 二〇二〇",
        document="Opening *words* about a long year. 开场白。\n\n[[timeline]]\n\n[[career]]\n\n"
        "[[library]]\n\n[[goals]]\n\n[[goals next]]\n\nClosing words 再见\n",
        author_name="Li Wei 李伟",
        license="CC BY-NC-SA 4.0",
    )
    public_entry = f.entry(alice, "2020-07-02", "2020-11-20", title="Public hike 徒步", body="Up")
    f.entry(
        alice, "2020-02-01", title="CANARY-ENTRY-TITLE", body="canary-entry-body", private=True
    )
    f.move(alice, "2020-04-01", organization="Qinglan Data", role="Staff engineer")
    f.move(alice, "2020-09-01", organization="CANARY-MOVE-ORG", private=True)
    f.item(alice, "2020-03-01", title="Public book", private_notes="canary-private-notes")
    f.item(alice, "2020-05-01", title="CANARY-ITEM-TITLE", kind=Item.Kind.PAPER, private=True)
    f.goal(alice, 2020, title="Public goal", status="achieved")
    f.goal(alice, 2020, title="CANARY-GOAL-TITLE", private=True)
    f.goal(alice, 2021, title="CANARY-NEXT-GOAL", private=True)
    return review, public_entry


@pytest.fixture
def shared(year_2020):
    review, _entry = year_2020
    link, token = ShareLink.create_for(review)
    return link, token


def leaked(html: str) -> list[str]:
    """The canaries found in a page (the username in any case)."""
    return [c for c in CANARIES if c in html or (c == "alice" and c in html.lower())]


def share_url(token: str) -> str:
    return reverse("sharing:share", args=[token])


def photo_url(token: str, photo: Photo, size: str = "thumb") -> str:
    return reverse("sharing:photo", args=[token, photo.pk, size])


def assert_share_headers(response) -> None:
    for name, value in SHARE_HEADERS.items():
        assert response[name] == value, name


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


# The public page


def test_the_share_page_shows_the_review_and_nothing_private(client, shared):
    _link, token = shared

    response = client.get(share_url(token))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Twenty twenty 二〇二〇" in html
    assert "<em>words</em>" in html and "Closing words 再见" in html
    assert "Public hike 徒步" in html and "Jul – Nov" in html
    assert "Qinglan Data" in html and "Public book" in html and "Public goal" in html
    assert "Li Wei 李伟" in html
    assert "CC BY-NC-SA 4.0" in html
    assert leaked(html) == []


def test_the_canaries_are_on_the_owners_own_year_page(alice_client, shared):
    html = alice_client.get("/2020/").content.decode()

    assert {"CANARY-ENTRY-TITLE", "CANARY-MOVE-ORG", "CANARY-ITEM-TITLE"} <= set(leaked(html))
    assert {"CANARY-GOAL-TITLE", "CANARY-NEXT-GOAL", "canary-entry-body"} <= set(leaked(html))


def test_the_owner_sees_no_private_thing_either(alice_client, shared):
    _link, token = shared

    html = alice_client.get(share_url(token)).content.decode()

    assert "Public hike 徒步" in html
    assert leaked(html) == []


@pytest.mark.parametrize("who", ["anonymous", "owner"])
def test_the_share_page_has_no_form_csrf_token_script_or_edit_control(who, client, alice, shared):
    if who == "owner":
        client.force_login(alice)
    _link, token = shared

    html = client.get(share_url(token)).content.decode()

    assert "<form" not in html
    assert "csrfmiddlewaretoken" not in html and "X-CSRFToken" not in html
    assert "<script" not in html
    assert "row-actions" not in html and "hx-get" not in html and "hx-post" not in html
    # Nothing points back into the owner's (login-only) pages.
    assert 'href="/2020/' not in html and "/accounts/" not in html and "/edit/" not in html


def test_the_share_page_has_robots_referrer_and_preview_meta_tags(client, shared):
    _link, token = shared

    html = client.get(share_url(token)).content.decode()

    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert '<meta name="referrer" content="no-referrer">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Twenty twenty 二〇二〇">' in html
    description = re.search(r'<meta property="og:description" content="([^"]*)">', html)
    # The document's paragraphs, not its embeds.
    assert description.group(1) == "Opening words about a long year. 开场白。 Closing words 再见"


def test_a_long_opening_is_cut_for_the_preview(client, alice):
    review = f.review(alice, 2020, document="字" * 500)
    _link, token = ShareLink.create_for(review)

    html = client.get(share_url(token)).content.decode()

    description = re.search(r'<meta property="og:description" content="([^"]*)">', html)
    assert 100 < len(description.group(1)) <= 200
    assert description.group(1).endswith("…")


def test_without_an_author_name_the_page_names_nobody(client, alice):
    review = f.review(alice, 2020, title="Quiet year", document="[[timeline]]")
    f.entry(alice, "2020-01-05", title="Something")
    _link, token = ShareLink.create_for(review)

    html = client.get(share_url(token)).content.decode()

    assert "Quiet year" in html and "Something" in html
    assert "alice" not in html.lower()


def test_the_share_page_runs_a_fixed_number_of_queries(
    client, alice, django_assert_max_num_queries
):
    review = f.review(alice, 2020)
    for n in range(30):
        entry = f.entry(alice, f"2020-{n % 12 + 1:02d}-03", title=f"Entry {n}")
        if n % 10 == 0:
            make_photo(entry)
        f.item(alice, f"2020-{n % 12 + 1:02d}-05", title=f"Book {n}")
        f.goal(alice, 2020, title=f"Goal {n}")
        f.move(alice, f"2020-{n % 12 + 1:02d}-07")
    _link, token = ShareLink.create_for(review)

    with django_assert_max_num_queries(10):
        response = client.get(share_url(token))

    assert response.status_code == 200


# Headers and the one 404


def test_every_share_response_carries_the_three_headers(client, shared, year_2020):
    _review, entry = year_2020
    _link, token = shared
    photo = make_photo(entry)
    private_photo = make_photo(f.entry(entry.owner, "2020-06-01", private=True))

    responses = [
        client.get(share_url(token)),
        client.get(photo_url(token, photo)),
        client.get(photo_url(token, photo, "full")),
        client.get(photo_url(token, private_photo)),
        client.get(photo_url(token, photo, "huge")),
        client.get(share_url("unknown-token")),
        client.get(photo_url("unknown-token", photo)),
        client.post(share_url(token)),
    ]

    assert [r.status_code for r in responses] == [200, 200, 200, 404, 404, 404, 404, 405]
    for response in responses:
        assert_share_headers(response)


@pytest.mark.parametrize(
    "path",
    ["/s/{token}", "/s/{token}/2020", "/s/{token}/photos/{photo}/thumb"],
    ids=["page", "year", "photo"],
)
def test_an_address_without_its_last_slash_is_answered_with_the_share_headers(
    client, shared, year_2020, path
):
    _review, entry = year_2020
    _link, token = shared
    photo = make_photo(entry)
    answers = {}
    for name, each in (("live", token), ("unknown", "x" * 43)):
        response = client.get(path.format(token=each, photo=photo.pk) + "?all=1")
        assert response.status_code == 302, name
        assert response["Location"] == path.format(token=each, photo=photo.pk) + "/?all=1"
        assert_share_headers(response)
        answers[name] = (response.content, sorted(h for h in response.headers))
        assert client.post(path.format(token=each, photo=photo.pk)).status_code == 405
    # A live token and a dead one get the same answer: no lookup, nothing revealed.
    assert answers["live"] == answers["unknown"]
    assert client.get(path.format(token=token, photo=photo.pk) + "/").status_code == 200


def test_revoked_expired_and_unknown_tokens_give_the_same_404(client, alice_client, year_2020):
    review, _entry = year_2020
    revoked, revoked_token = ShareLink.create_for(review)
    revoked.revoked_at = timezone.now()
    revoked.save()
    _expired, expired_token = ShareLink.create_for(
        review, expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    _live, live_token = ShareLink.create_for(review)
    unknown_token = live_token[:-1] + ("A" if live_token[-1] != "A" else "B")

    responses = [
        client.get(share_url(revoked_token)),
        client.get(share_url(expired_token)),
        client.get(share_url(unknown_token)),
        client.get(share_url("x")),
        alice_client.get(share_url(revoked_token)),  # the owner is told no more
    ]

    assert {r.status_code for r in responses} == {404}
    bodies = {r.content for r in responses}
    assert len(bodies) == 1
    page = bodies.pop().decode()
    assert "This link does not work" in page
    for token in (revoked_token, expired_token, unknown_token):
        assert token not in page
    assert "<form" not in page and "csrfmiddlewaretoken" not in page


def test_a_link_dies_at_its_expiry(client, year_2020):
    review, _entry = year_2020
    link, token = ShareLink.create_for(
        review, expires_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert client.get(share_url(token)).status_code == 200

    ShareLink.objects.filter(pk=link.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert client.get(share_url(token)).status_code == 404


# Photos


def test_a_photo_url_dies_with_its_link(client, shared, year_2020):
    _review, entry = year_2020
    link, token = shared
    photo = make_photo(entry, caption="Summit 山顶")
    html = client.get(share_url(token)).content.decode()
    assert photo_url(token, photo) in html and photo_url(token, photo, "full") in html
    assert 'alt="Summit 山顶"' in html
    thumb = client.get(photo_url(token, photo))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert body(thumb) == photo.image.open("rb").read()

    link.revoked_at = timezone.now()
    link.save()

    for size in ("thumb", "full"):
        response = client.get(photo_url(token, photo, size))
        assert response.status_code == 404
        assert_share_headers(response)


def test_a_link_serves_only_photos_of_public_entries_of_its_year(client, alice, bob, shared):
    _link, token = shared
    private = make_photo(f.entry(alice, "2020-06-01", title="Hidden", private=True))
    other_year = make_photo(f.entry(alice, "2019-06-01", title="Last year"))
    bobs = make_photo(f.entry(bob, "2020-06-01", title="Bob's"))

    for photo in (private, other_year, bobs):
        assert client.get(photo_url(token, photo)).status_code == 404
        assert client.get(photo_url(token, photo, "full")).status_code == 404


def test_a_link_serves_the_photos_placed_in_its_years_document(client, alice, shared):
    _link, token = shared
    placed = year_photo(alice, 2020)
    placed_last_year = year_photo(alice, 2019)

    assert client.get(photo_url(token, placed, "full")).status_code == 200
    assert client.get(photo_url(token, placed_last_year, "full")).status_code == 404


# Tokens and views


@pytest.mark.slow  # ten thousand tokens
def test_ten_thousand_tokens_are_unique_and_43_url_safe_characters(alice):
    review = f.review(alice, 2020)
    tokens = [ShareLink.create_for(review)[1] for _ in range(10_000)]

    assert len(set(tokens)) == 10_000
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{43}", token) for token in tokens)
    stored = set(ShareLink.objects.values_list("token_hash", flat=True))
    assert stored == {hash_token(token) for token in tokens}
    assert not stored & set(tokens)


def test_owner_visits_are_not_counted_and_anonymous_ones_are(alice_client, shared):
    link, token = shared

    alice_client.get(share_url(token))
    link.refresh_from_db()
    assert (link.views, link.last_viewed_at) == (0, None)

    Client().get(share_url(token))
    Client().get(share_url(token))
    link.refresh_from_db()
    assert link.views == 2
    assert link.last_viewed_at is not None


def test_a_dead_link_counts_nothing(client, shared):
    link, token = shared
    link.revoked_at = timezone.now()
    link.save()

    client.get(share_url(token))

    link.refresh_from_db()
    assert link.views == 0


# The owner's share links page


def links_url(year: int = 2020) -> str:
    return reverse("sharing:links", args=[year])


def new_token(html: str) -> str:
    match = re.search(r'value="http://testserver/s/([A-Za-z0-9_-]{43})/"', html)
    assert match, "the new link's URL is shown"
    return match.group(1)


def test_the_year_page_offers_the_links_page_and_the_export(alice_client, year_2020):
    url = reverse("reviews:year", args=[2020])

    english = alice_client.get(url).content.decode()
    chinese = alice_client.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hans").content.decode()

    tools = r'<a href="/2020/share/">{}</a>\s+<a href="/2020/export.md">{}</a>\s+</p>'
    assert re.search(tools.format("Share", "Export as Markdown"), english)
    assert re.search(tools.format("分享", "导出为 Markdown"), chinese)


def test_the_links_page_lists_links_as_a_full_page_and_for_htmx(alice_client, shared):
    link, _token = shared
    ShareLink.objects.filter(pk=link.pk).update(
        views=7, last_viewed_at=timezone.make_aware(datetime.datetime(2021, 3, 4, 5, 6))
    )

    full = alice_client.get(links_url())
    partial = alice_client.get(links_url(), headers=HX)

    assert full.status_code == partial.status_code == 200
    assert "<html" in full.content.decode() and "<html" not in partial.content.decode()
    for html in (full.content.decode(), partial.content.decode()):
        assert 'id="share-panel"' in html
        assert f"#{link.token_hash[:6]}" in html
        assert link.created.strftime("%Y-%m-%d") in html
        assert ">7<" in html and "2021-03-04 05:06" in html and "never" in html
        assert "Revoke" in html and "Regenerate" in html
        assert 'action="/2020/share/"' in html
        assert 'href="/2020/export.md?public=1"' in html and 'href="/2020/export.md"' in html
        assert 'href="/2020/export.zip"' in html and 'href="/2020/export.zip?public=0"' in html


def test_creating_a_link_shows_its_url_once(alice_client, year_2020):
    response = alice_client.post(links_url(), {"action": "create"})

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    token = new_token(html)
    assert "will not be shown again" in html
    assert 'data-copy="share-url"' in html and "readonly" in html
    link = ShareLink.objects.get()
    assert link.token_hash == hash_token(token) and link.expires_at is None
    assert Client().get(share_url(token)).status_code == 200
    assert token not in alice_client.get(links_url()).content.decode()


def test_creating_a_link_with_htmx_answers_with_the_panel(alice_client, year_2020):
    response = alice_client.post(links_url(), {"action": "create"}, headers=HX)

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert Client().get(share_url(new_token(html))).status_code == 200


def test_a_link_can_expire_at_the_end_of_a_chosen_day(alice_client, year_2020):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    alice_client.post(links_url(), {"action": "create", "expires_on": tomorrow.isoformat()})

    link = ShareLink.objects.get()
    expected = datetime.datetime.combine(tomorrow + datetime.timedelta(days=1), datetime.time())
    assert link.expires_at == timezone.make_aware(expected)


@pytest.mark.parametrize("value", ["2001-01-01", "not a date", "2200-01-01"])
def test_a_bad_expiry_is_refused_with_a_reason(alice_client, year_2020, value):
    response = alice_client.post(links_url(), {"action": "create", "expires_on": value})

    assert response.status_code == 422
    assert 'class="field-errors"' in response.content.decode()
    assert not ShareLink.objects.exists()


def test_making_a_link_makes_the_missing_review(alice_client, alice):
    f.entry(alice, "2021-05-05", title="Only an entry")

    html = alice_client.post(links_url(2021), {"action": "create"}).content.decode()

    review = Review.objects.get(owner=alice, year=2021)
    assert ShareLink.objects.get().review == review
    assert "Only an entry" in Client().get(share_url(new_token(html))).content.decode()


def test_revoking_kills_the_link_at_once(alice_client, shared):
    link, token = shared

    response = alice_client.post(links_url(), {"action": "revoke", "link": link.pk})

    assert response.status_code == 302 and response["Location"] == links_url()
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert Client().get(share_url(token)).status_code == 404
    html = alice_client.get(links_url()).content.decode()
    assert "Link revoked" in html and "revoked</span>" in html


def test_revoking_with_htmx_answers_with_the_panel(alice_client, shared):
    link, token = shared

    response = alice_client.post(links_url(), {"action": "revoke", "link": link.pk}, headers=HX)

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "Link revoked" in html
    assert Client().get(share_url(token)).status_code == 404


def test_regenerating_replaces_the_link_at_once(alice_client, year_2020):
    review, _entry = year_2020
    expires_at = timezone.now() + datetime.timedelta(days=3)
    old, old_token = ShareLink.create_for(review, expires_at=expires_at)

    response = alice_client.post(links_url(), {"action": "regenerate", "link": old.pk})

    new = new_token(response.content.decode())
    assert Client().get(share_url(old_token)).status_code == 404
    assert Client().get(share_url(new)).status_code == 200
    assert ShareLink.objects.get(token_hash=hash_token(new)).expires_at == expires_at


def test_a_dead_link_cannot_be_regenerated(alice_client, shared):
    link, _token = shared
    link.revoked_at = timezone.now()
    link.save()

    response = alice_client.post(links_url(), {"action": "regenerate", "link": link.pk})

    assert response.status_code == 422
    assert ShareLink.objects.count() == 1


@pytest.mark.parametrize(
    "data, status",
    [({"action": "explode"}, 422), ({"action": "revoke", "link": "abc"}, 404), ({}, 422)],
)
def test_bad_posts_get_a_clear_answer(alice_client, shared, data, status):
    assert alice_client.post(links_url(), data).status_code == status


def test_bob_cannot_see_or_touch_alices_links(bob_client, bob, shared):
    link, token = shared

    assert bob_client.get(links_url()).status_code == 404
    f.entry(bob, "2020-01-01", title="Bob's own year")
    html = bob_client.get(links_url()).content.decode()
    assert link.token_hash[:6] not in html
    for action in ("revoke", "regenerate"):
        assert bob_client.post(links_url(), {"action": action, "link": link.pk}).status_code == 404
    link.refresh_from_db()
    assert link.is_live
    assert ShareLink.objects.count() == 1


def test_the_links_page_needs_a_login(client, shared):
    response = client.get(links_url())

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_empty_year_has_no_links_page(alice_client):
    assert alice_client.get(links_url(2030)).status_code == 404
    assert alice_client.get(links_url(1800)).status_code == 404
