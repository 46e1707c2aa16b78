"""Photos: what an upload becomes (clean, upright, bounded), and the views around it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageCms

from tests import factories as f
from tests.timeline import photo_files as pf
from timeline import photos
from timeline.models import Photo
from timeline.photos import PhotoError, process_upload

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def add_photo(entry, data: bytes | None = None, caption: str = "") -> Photo:
    [photo] = photos.add_photos(entry, [process_upload(upload("p.jpg", data or pf.jpeg()))])
    if caption:
        photos.set_caption(photo, caption)
    return photo


def served(client, photo: Photo, size: str = "full"):
    return client.get(reverse("timeline:photo", args=[photo.pk, size]))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# process_upload: what an upload becomes


def test_it_strips_gps_exif_xmp_and_comments():
    result = process_upload(upload("holiday.jpg", pf.gps_jpeg()))

    assert result.extension == "jpg"
    assert pf.metadata_left(result.display) == []
    assert pf.metadata_left(result.thumbnail) == []
    assert not pf.has_gps(result.display)


def test_it_applies_exif_orientation():
    result = process_upload(upload("sideways.jpg", pf.gps_jpeg((20, 10), orientation=6)))

    assert (result.width, result.height) == (10, 20)
    assert decoded(result.display).size == (10, 20)
    assert decoded(result.thumbnail).size == (10, 20)


def test_it_keeps_a_display_size_and_a_thumbnail():
    result = process_upload(upload("wide.jpg", pf.jpeg((3000, 1000))))

    assert decoded(result.display).size == (photos.DISPLAY_SIZE, 683)
    assert (result.width, result.height) == (photos.DISPLAY_SIZE, 683)
    assert decoded(result.thumbnail).size == (photos.THUMB_SIZE, 160)
    assert decoded(result.display).format == "JPEG"


def test_it_converts_the_colour_profile_and_drops_it():
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    result = process_upload(upload("p.png", pf.png(icc_profile=srgb), "image/png"))

    assert "icc_profile" not in decoded(result.display).info


def test_it_keeps_real_transparency_as_webp_and_flattens_opaque_alpha_to_jpeg():
    clear = process_upload(upload("logo.png", pf.png(mode="RGBA", color=(0, 0, 0, 0))))
    opaque = process_upload(upload("shot.png", pf.png(mode="RGBA", color=(9, 9, 9, 255))))

    assert clear.extension == "webp" and decoded(clear.display).mode == "RGBA"
    assert decoded(clear.display).getpixel((0, 0))[3] == 0
    assert opaque.extension == "jpg" and decoded(opaque.display).format == "JPEG"


def test_it_accepts_webp_and_16_bit_greyscale_png():
    out = io.BytesIO()
    Image.new("RGB", (12, 8), "navy").save(out, "WEBP")
    assert process_upload(upload("p.webp", out.getvalue())).width == 12

    grey = process_upload(upload("g.png", pf.png(mode="I;16", color=40000)))
    assert decoded(grey.display).convert("L").getpixel((0, 0)) < 200  # scaled, not clipped


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("drawing.svg", pf.SVG, "is not a JPEG, PNG or WebP image"),
        ("anim.gif", pf.gif(), "is not a JPEG, PNG or WebP image"),
        ("notes.jpg", "不是图片".encode(), "is not a JPEG, PNG or WebP image"),
        ("cut.jpg", pf.truncated_jpeg(), "damaged or incomplete"),
        ("huge.png", pf.png_claiming(10_000, 5_000), "at most 40 megapixels"),
        ("big.jpg", pf.jpeg() + b"\0" * (12 * 1024 * 1024), "larger than 10 MB"),
        ("empty.jpg", b"", "is empty"),
    ],
)
def test_it_refuses_with_a_clear_message(name, data, message):
    with pytest.raises(PhotoError) as refused:
        process_upload(upload(name, data))

    assert message in refused.value.message
    assert f"“{name}”" in refused.value.message


def test_it_checks_the_byte_size_before_reading():
    class Huge:
        name = "huge.jpg"
        size = photos.MAX_BYTES + 1

        def read(self, *args):
            raise AssertionError("read a file that is too big")

    with pytest.raises(PhotoError, match="larger than 10 MB"):
        process_upload(Huge())


def test_it_never_reads_more_than_the_limit_from_a_file_without_a_size():
    stream = io.BytesIO(b"\0" * (photos.MAX_BYTES + 100))
    stream.name = "stream.jpg"

    with pytest.raises(PhotoError, match="larger than 10 MB"):
        process_upload(stream)
    assert stream.tell() == photos.MAX_BYTES + 1


def test_it_checks_the_pixel_count_before_decoding(monkeypatch):
    def no_decoding(self):
        raise AssertionError("decoded the pixels of an image that is too large")

    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", no_decoding)

    with pytest.raises(PhotoError, match="at most 40 megapixels"):
        process_upload(upload("huge.png", pf.png_claiming(10_000, 5_000)))


def test_pillows_bomb_warning_refuses_even_when_our_limit_is_raised(monkeypatch):
    monkeypatch.setattr(photos, "MAX_PIXELS", 10**12)
    pixels = Image.MAX_IMAGE_PIXELS + 1_000_000  # warns (does not refuse) in plain Pillow

    with pytest.raises(PhotoError, match="too many pixels"):
        process_upload(upload("bomb.png", pf.png_claiming(10_000, pixels // 10_000 + 1)))


def test_it_decides_by_content_not_by_name():
    result = process_upload(upload("photo.svg", pf.jpeg(), content_type="image/svg+xml"))

    assert result.extension == "jpg"


# Upload view


def test_it_uploads_without_js_and_redirects_to_the_entry(alice_client, alice):
    entry = f.entry(alice, "2020-03-01")
    url = reverse("timeline:photo-upload", args=[entry.pk])

    response = alice_client.post(url, {"photos": [upload("holiday.jpg", pf.gps_jpeg())]})

    assert response.status_code == 302
    assert response["Location"] == f"/2020/#entry-{entry.pk}"
    photo = Photo.objects.get()
    assert (photo.owner, photo.entry) == (alice, entry)
    assert re.fullmatch(r"photos/[0-9a-f]{32}\.jpg", photo.image.name)
    assert re.fullmatch(r"photos/[0-9a-f]{32}\.jpg", photo.thumbnail.name)
    assert "holiday" not in photo.image.name
    stored = Path(settings.MEDIA_ROOT, photo.image.name).read_bytes()
    assert pf.metadata_left(stored) == []
    assert "1 photo added." in alice_client.get("/2020/").content.decode()


def test_it_uploads_several_with_htmx_and_returns_the_partial(alice_client, alice):
    entry = f.entry(alice)
    url = reverse("timeline:photo-upload", args=[entry.pk])
    files = [upload("a.jpg", pf.jpeg()), upload("b.png", pf.png(), "image/png")]

    response = alice_client.post(url, {"photos": files}, headers=HX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="photos-{entry.pk}"' in html
    assert "2 photos added." in html
    first, second = Photo.objects.all()
    assert (first.position, second.position) == (0, 1)
    assert reverse("timeline:photo", args=[second.pk, "thumb"]) in html


def test_new_photos_go_after_existing_ones(alice_client, alice):
    entry = f.entry(alice)
    old = add_photo(entry)
    url = reverse("timeline:photo-upload", args=[entry.pk])

    alice_client.post(url, {"photos": [upload("a.jpg", pf.jpeg())]}, headers=HX)

    assert list(entry.photos.all())[0] == old


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("drawing.svg", pf.SVG, "is not a JPEG, PNG or WebP image"),
        ("cut.jpg", pf.truncated_jpeg(), "damaged or incomplete"),
        ("huge.png", pf.png_claiming(10_000, 5_000), "at most 40 megapixels"),
        ("anim.gif", pf.gif(), "is not a JPEG, PNG or WebP image"),
        ("big.jpg", b"\xff\xd8" + b"\0" * (12 * 1024 * 1024), "larger than 10 MB"),
    ],
)
@pytest.mark.parametrize("htmx", [True, False])
def test_a_bad_file_is_refused_with_a_message_and_nothing_stored(
    alice_client, alice, name, data, message, htmx
):
    entry = f.entry(alice)
    url = reverse("timeline:photo-upload", args=[entry.pk])
    good = upload("good.jpg", pf.jpeg())

    response = alice_client.post(
        url, {"photos": [good, upload(name, data)]}, headers=HX if htmx else {}
    )

    html = response.content.decode()
    assert response.status_code == 422
    assert message in html and name in html
    assert ("<html" in html) is not htmx
    assert not Photo.objects.exists()
    assert stored_files() == []


def test_an_upload_without_files_is_refused(alice_client, alice):
    entry = f.entry(alice)

    response = alice_client.post(reverse("timeline:photo-upload", args=[entry.pk]), headers=HX)

    assert response.status_code == 422
    assert "Choose at least one photo" in response.content.decode()


def test_the_upload_help_text_matches_the_limits(alice_client, alice):
    entry = f.entry(alice)

    html = alice_client.get(reverse("timeline:photo-upload", args=[entry.pk])).content.decode()

    assert f"up to {photos.MAX_BYTES // 2**20} MB and {photos.MAX_PIXELS // 10**6} megapixels" in (
        html
    )
    assert 'accept="image/jpeg,image/png,image/webp"' in html and " multiple " in html


# The photos page


def test_the_photos_page_as_a_full_page_and_as_a_fragment(alice_client, alice):
    entry = f.entry(alice, title="Trip to 杭州")
    photo = add_photo(entry, caption="西湖 at dawn")
    url = reverse("timeline:photo-upload", args=[entry.pk])

    page = alice_client.get(url).content.decode()
    fragment = alice_client.get(url, headers=HX).content.decode()

    assert "<html" in page and "Photos of “Trip to 杭州”" in page
    assert "<html" not in fragment
    for html in (page, fragment):
        assert 'value="西湖 at dawn"' in html
        assert reverse("timeline:photo", args=[photo.pk, "full"]) in html
        assert 'enctype="multipart/form-data"' in html
        assert 'hx-encoding="multipart/form-data"' in html
        assert "data-photo-drop" in html
    assert 'name="next" value="' + url + '"' in page
    assert "js/photos.js" in page


def test_the_photos_page_runs_a_fixed_number_of_queries(
    alice_client, alice, django_assert_max_num_queries
):
    entry = f.entry(alice)
    for _ in range(5):
        add_photo(entry)

    with django_assert_max_num_queries(5):
        alice_client.get(reverse("timeline:photo-upload", args=[entry.pk]))


def test_the_partial_without_editing_shows_captions_only(alice):
    from django.template.loader import render_to_string

    entry = f.entry(alice)
    add_photo(entry, caption="Harbour 港口")

    html = render_to_string("timeline/photos.html#photos", {"entry": entry})

    assert "<figcaption>Harbour 港口</figcaption>" in html
    assert "<form" not in html
    assert render_to_string("timeline/photos.html#photos", {"entry": f.entry(alice)}).strip() == ""


# Serving


def test_the_owner_gets_the_clean_image_with_private_headers(alice_client, alice):
    entry = f.entry(alice)
    alice_client.post(
        reverse("timeline:photo-upload", args=[entry.pk]),
        {"photos": [upload("gps.jpg", pf.gps_jpeg())]},
    )
    photo = Photo.objects.get()

    for size in ("full", "thumb"):
        response = served(alice_client, photo, size)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"].startswith("private")
        assert response["X-Content-Type-Options"] == "nosniff"
        data = body(response)
        assert not pf.has_gps(data)
        assert pf.metadata_left(data) == []


def test_a_transparent_photo_is_served_as_webp(alice_client, alice):
    photo = add_photo(f.entry(alice), pf.png(mode="RGBA", color=(0, 0, 0, 0)))

    assert served(alice_client, photo)["Content-Type"] == "image/webp"


def test_an_unknown_size_is_404(alice_client, alice):
    photo = add_photo(f.entry(alice))

    assert served(alice_client, photo, "original").status_code == 404


# Owner scoping


def test_another_user_gets_404_everywhere(bob_client, alice):
    entry = f.entry(alice)
    photo = add_photo(entry, caption="Alice's")
    other = add_photo(entry)
    posts = [
        (
            reverse("timeline:photo-upload", args=[entry.pk]),
            {"photos": [upload("x.jpg", pf.jpeg())]},
        ),
        (reverse("timeline:photo-caption", args=[photo.pk]), {"caption": "Bob was here"}),
        (reverse("timeline:photo-reorder", args=[entry.pk]), {"order": [other.pk, photo.pk]}),
        (
            reverse("timeline:photo-reorder", args=[entry.pk]),
            {"photo": photo.pk, "direction": "down"},
        ),
        (reverse("timeline:photo-delete", args=[photo.pk]), {}),
    ]

    assert served(bob_client, photo).status_code == 404
    assert served(bob_client, photo, "thumb").status_code == 404
    assert bob_client.get(reverse("timeline:photo-upload", args=[entry.pk])).status_code == 404
    for url, data in posts:
        assert bob_client.post(url, data).status_code == 404
        assert bob_client.post(url, data, headers=HX).status_code == 404
    assert [(p.pk, p.caption) for p in entry.photos.all()] == [
        (photo.pk, "Alice's"),
        (other.pk, ""),
    ]


def test_bob_cannot_move_alices_photo_through_his_own_entry(bob_client, alice, bob):
    photo = add_photo(f.entry(alice))
    bobs = f.entry(bob)
    url = reverse("timeline:photo-reorder", args=[bobs.pk])

    assert bob_client.post(url, {"photo": photo.pk, "direction": "up"}).status_code == 404


def test_anonymous_is_sent_to_log_in(client, alice):
    entry = f.entry(alice)
    photo = add_photo(entry)
    urls = [
        reverse("timeline:photo", args=[photo.pk, "full"]),
        reverse("timeline:photo-upload", args=[entry.pk]),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(reverse("timeline:photo-delete", args=[photo.pk]))
    assert response["Location"].startswith(reverse("login"))
    assert Photo.objects.filter(pk=photo.pk).exists()


# Caption, order, delete


@pytest.mark.parametrize("htmx", [True, False])
def test_a_caption_is_saved(alice_client, alice, htmx):
    entry = f.entry(alice, "2021-06-01")
    photo = add_photo(entry)
    url = reverse("timeline:photo-caption", args=[photo.pk])

    response = alice_client.post(url, {"caption": "  山顶   at noon "}, headers=HX if htmx else {})

    photo.refresh_from_db()
    assert photo.caption == "山顶 at noon"
    if htmx:
        html = response.content.decode()
        assert "<html" not in html and 'value="山顶 at noon"' in html and "Caption saved." in html
    else:
        assert response.status_code == 302
        assert response["Location"] == f"/2021/#entry-{entry.pk}"


def test_a_caption_that_is_too_long_is_refused(alice_client, alice):
    photo = add_photo(f.entry(alice), caption="kept")
    url = reverse("timeline:photo-caption", args=[photo.pk])

    response = alice_client.post(url, {"caption": "长" * 301}, headers=HX)

    assert response.status_code == 422
    assert "at most 300 characters" in response.content.decode()
    photo.refresh_from_db()
    assert photo.caption == "kept"


def test_a_caption_with_a_nul_character_is_refused(alice_client, alice):
    photo = add_photo(f.entry(alice), caption="kept")
    url = reverse("timeline:photo-caption", args=[photo.pk])

    response = alice_client.post(url, {"caption": "a\x00b"}, headers=HX)

    assert response.status_code == 422
    assert "Null characters are not allowed." in response.content.decode()
    photo.refresh_from_db()
    assert photo.caption == "kept"


@pytest.mark.parametrize("htmx", [True, False])
def test_reorder_with_a_list_of_ids(alice_client, alice, htmx):
    entry = f.entry(alice)
    a, b, c = (add_photo(entry) for _ in range(3))
    url = reverse("timeline:photo-reorder", args=[entry.pk])

    response = alice_client.post(url, {"order": [c.pk, a.pk, b.pk]}, headers=HX if htmx else {})

    assert response.status_code == (200 if htmx else 302)
    assert list(entry.photos.all()) == [c, a, b]
    if htmx:
        html = response.content.decode()
        assert "<html" not in html
        assert html.index(f'id="photo-{c.pk}"') < html.index(f'id="photo-{a.pk}"')


def test_move_up_and_down(alice_client, alice):
    entry = f.entry(alice)
    a, b, c = (add_photo(entry) for _ in range(3))
    url = reverse("timeline:photo-reorder", args=[entry.pk])

    alice_client.post(url, {"photo": c.pk, "direction": "up"}, headers=HX)
    assert list(entry.photos.all()) == [a, c, b]
    alice_client.post(url, {"photo": a.pk, "direction": "down"})
    assert list(entry.photos.all()) == [c, a, b]
    alice_client.post(url, {"photo": c.pk, "direction": "up"})  # already first: no change
    assert list(entry.photos.all()) == [c, a, b]


@pytest.mark.parametrize(
    "data",
    [{"order": ["1", "x"]}, {"order": []}, {"photo": "", "direction": "up"}, {}],
)
def test_a_bad_order_is_refused(alice_client, alice, data):
    entry = f.entry(alice)
    a, b = add_photo(entry), add_photo(entry)
    if data.get("order") == []:
        data = {"order": [a.pk]}  # not every photo

    response = alice_client.post(reverse("timeline:photo-reorder", args=[entry.pk]), data)

    assert response.status_code in (422, 404)
    assert list(entry.photos.all()) == [a, b]


def test_a_bad_direction_is_refused(alice_client, alice):
    entry = f.entry(alice)
    a, b = add_photo(entry), add_photo(entry)
    url = reverse("timeline:photo-reorder", args=[entry.pk])

    response = alice_client.post(url, {"photo": a.pk, "direction": "sideways"}, headers=HX)

    assert response.status_code == 422
    assert "only move up or down" in response.content.decode()
    assert list(entry.photos.all()) == [a, b]


@pytest.mark.parametrize("htmx", [True, False])
def test_delete_removes_the_row_and_its_files(
    alice_client, alice, htmx, django_capture_on_commit_callbacks
):
    entry = f.entry(alice)
    photo, kept = add_photo(entry), add_photo(entry)
    files = [
        Path(settings.MEDIA_ROOT, photo.image.name),
        Path(settings.MEDIA_ROOT, photo.thumbnail.name),
    ]
    assert all(path.exists() for path in files)

    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            reverse("timeline:photo-delete", args=[photo.pk]), headers=HX if htmx else {}
        )

    assert list(entry.photos.all()) == [kept]
    assert not any(path.exists() for path in files)
    if htmx:
        assert "<html" not in response.content.decode()
        assert f'id="photo-{photo.pk}"' not in response.content.decode()
    else:
        assert response.status_code == 302


def test_next_is_honoured_when_local_and_ignored_otherwise(alice_client, alice):
    entry = f.entry(alice, "2020-03-01")
    photo = add_photo(entry)
    url = reverse("timeline:photo-caption", args=[photo.pk])
    page = reverse("timeline:photo-upload", args=[entry.pk])

    local = alice_client.post(url, {"caption": "a", "next": page})
    evil = alice_client.post(url, {"caption": "b", "next": "https://evil.example/"})
    sneaky = alice_client.post(url, {"caption": "c", "next": "//evil.example/"})

    assert local["Location"] == page
    assert evil["Location"] == sneaky["Location"] == f"/2020/#entry-{entry.pk}"


def test_get_is_not_allowed_on_changes(alice_client, alice):
    photo = add_photo(f.entry(alice))

    assert alice_client.get(reverse("timeline:photo-delete", args=[photo.pk])).status_code == 405
    assert Photo.objects.filter(pk=photo.pk).exists()


def test_a_jpeg_html_polyglot_is_refused_and_nothing_is_stored(alice_client, alice):
    entry = f.entry(alice, "2020-05-05")
    polyglot = pf.jpeg() + b"<html><script>alert(1)</script></html>"
    url = reverse("timeline:photo-upload", args=[entry.pk])

    response = alice_client.post(url, {"photos": [upload("poly.jpg", polyglot)]})

    assert response.status_code == 422
    assert "web page code" in response.content.decode()
    assert not Photo.objects.exists()
