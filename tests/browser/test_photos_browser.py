"""Photos in a real browser: file picker, drag and drop, refusals, caption, order, delete."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.timeline import photo_files as pf
from timeline.models import Photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def settled(page: Page) -> None:
    """Wait until htmx has processed swapped-in content (it does so ~20 ms after the swap)."""
    expect(page.locator(".htmx-added, .htmx-request")).to_have_count(0)


@pytest.fixture
def photos_page(live_server, page: Page, alice):
    return photos_page_for(live_server, page, alice)


def photos_page_for(live_server, page: Page, alice) -> Page:
    """Alice logged in (her session cookie in the browser), on an entry's photos page."""
    entry = f.entry(alice, "2020-03-01", title="Trip to 杭州")
    client = Client()
    client.force_login(alice)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto(live_server.url + reverse("timeline:photo-upload", args=[entry.pk]))
    expect(page.locator("h1")).to_contain_text("Trip to 杭州")
    page.entry = entry
    return page


def test_photo_gps_stripped(photos_page: Page, live_server):
    page = photos_page
    page.get_by_label("Add photos").set_input_files(
        {"name": "gps.jpg", "mimeType": "image/jpeg", "buffer": pf.gps_jpeg((64, 48))}
    )
    # Choosing the files sends them: no Upload button to press.

    # Swapped in place by htmx: the notice is the partial's, not a redirect's message.
    expect(page.locator(".photo-notice")).to_have_text("1 photo added.")
    expect(page.locator(".photo-list img")).to_have_count(1)
    full = page.locator(".photo-list a").first.get_attribute("href")
    thumb = page.locator(".photo-list img").first.get_attribute("src")
    for url in (full, thumb):
        response = page.request.get(live_server.url + url)
        assert response.ok
        assert response.headers["content-type"] == "image/jpeg"
        assert not pf.has_gps(response.body())
        assert pf.metadata_left(response.body()) == []
    photo = Photo.objects.get()
    assert not pf.has_gps(Path(settings.MEDIA_ROOT, photo.image.name).read_bytes())


def test_photo_drop_uploads(photos_page: Page):
    page = photos_page
    page.evaluate(
        """(b64) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const data = new DataTransfer();
            data.items.add(new File([bytes], "dropped.jpg", {type: "image/jpeg"}));
            const zone = document.querySelector("[data-photo-drop]");
            for (const type of ["dragenter", "dragover", "drop"]) {
                zone.dispatchEvent(new DragEvent(type, {dataTransfer: data, bubbles: true,
                                                         cancelable: true}));
            }
        }""",
        base64.b64encode(pf.jpeg((30, 20))).decode(),
    )

    expect(page.locator(".photo-notice")).to_have_text("1 photo added.")
    expect(page.locator(".photo-list img")).to_have_count(1)
    assert Photo.objects.get().entry == page.entry


@pytest.mark.parametrize("debug", [False, True])
def test_a_refused_upload_shows_why_in_place(settings, live_server, page: Page, alice, debug):
    # DEBUG on adds django-htmx's error overlay, which would take over a 400 answer.
    settings.DEBUG = debug
    page = photos_page_for(live_server, page, alice)
    assert ('data-debug="True"' in page.content()) is debug
    page.get_by_label("Add photos").set_input_files(
        {"name": "drawing.svg", "mimeType": "image/svg+xml", "buffer": pf.SVG}
    )
    # Choosing the files sends them: no Upload button to press.

    expect(page.get_by_role("alert")).to_contain_text(
        "“drawing.svg” is not a JPEG, PNG or WebP image."
    )
    expect(page.locator("h1")).to_contain_text("Trip to 杭州")  # still the whole page
    assert not Photo.objects.exists()


def test_caption_order_and_delete_in_place(photos_page: Page):
    page = photos_page
    page.get_by_label("Add photos").set_input_files(
        [
            {"name": "one.jpg", "mimeType": "image/jpeg", "buffer": pf.jpeg(color="red")},
            {"name": "two.jpg", "mimeType": "image/jpeg", "buffer": pf.jpeg(color="blue")},
        ]
    )
    # Choosing the files sends them: no Upload button to press.
    expect(page.locator(".photo-notice")).to_have_text("2 photos added.")
    first, second = Photo.objects.all()
    settled(page)

    # Captions save as they are typed, like the long texts; Enter saves at once.
    page.get_by_label("Caption of photo 2").fill("西湖 at dawn")
    page.get_by_label("Caption of photo 2").press("Enter")
    expect(page.locator(f"#photo-{second.pk}-caption-state")).to_contain_text("Saved")
    assert Photo.objects.get(pk=second.pk).caption == "西湖 at dawn"

    page.get_by_role("button", name="Move photo 2 earlier").press("Enter")
    expect(page.locator(".photo-notice")).to_have_text("Photo order saved.")
    expect(page.locator(".photo-card").first).to_have_id(f"photo-{second.pk}")
    expect(page.get_by_label("Caption of photo 1")).to_have_value("西湖 at dawn")
    assert list(Photo.objects.values_list("pk", flat=True)) == [second.pk, first.pk]
    # Keyboard users keep their place: the moved photo's button still has the focus.
    expect(page.locator(f"#photo-{second.pk}-up")).to_be_focused()
    settled(page)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete photo 1").click()
    expect(page.locator(".photo-notice")).to_have_text("Photo deleted.")
    expect(page.locator(".photo-card")).to_have_count(1)
    assert list(Photo.objects.values_list("pk", flat=True)) == [first.pk]
