"""Photos placed straight into a year's document: upload, caption, serve, delete."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories as f
from tests.timeline import photo_files as pf
from timeline.models import Photo

pytestmark = pytest.mark.django_db

URL = reverse("timeline:document-photo")
HX = {"HTTP_HX_REQUEST": "true"}


def send(client, data: bytes | None = None, year="2020", name="pasted.jpg"):
    upload = SimpleUploadedFile(name, data or pf.gps_jpeg(), content_type="image/jpeg")
    return client.post(URL, {"year": year, "photo": upload})


def test_it_stores_a_clean_photo_in_the_year_and_answers_its_line(alice_client, alice):
    response = send(alice_client)

    assert response.status_code == 201
    photo = Photo.objects.get(owner=alice)
    assert photo.entry is None and photo.year == 2020
    answer = response.json()
    assert answer["line"] == f"[[photo:{photo.key}]]"
    assert answer["caption_url"] == reverse("timeline:photo-caption", args=[photo.pk])
    served = alice_client.get(answer["thumb"])
    assert served.status_code == 200
    # The one sanitizer: no GPS, camera or comment left in what is stored.
    with photo.image.open("rb") as handle:
        assert pf.metadata_left(handle.read()) == []


def test_what_is_not_an_image_is_refused_and_nothing_stored(alice_client, alice):
    response = send(alice_client, b"<svg onload=alert(1)>", name="x.jpg")

    assert response.status_code == 400 and response.json()["error"]
    assert not Photo.objects.exists()


def test_a_missing_file_is_refused(alice_client):
    response = alice_client.post(URL, {"year": "2020"})
    assert response.status_code == 400 and not Photo.objects.exists()


@pytest.mark.parametrize("year", ["", "abc", "+2020", "２０２０", "20200", "0"])
def test_a_bad_year_is_404(alice_client, year):
    assert send(alice_client, year=year).status_code == 404
    assert not Photo.objects.exists()


def test_only_a_post(alice_client):
    assert alice_client.get(URL).status_code == 405


def test_logged_out_stores_nothing(client):
    response = send(client)
    assert response.status_code == 302 and not Photo.objects.exists()


def test_its_owner_captions_it_others_get_404(client, alice, bob):
    client.force_login(alice)
    photo = Photo.objects.get(pk=_uploaded_pk(client))
    caption_url = reverse("timeline:photo-caption", args=[photo.pk])

    assert client.post(caption_url, {"caption": "西湖 at dusk"}, **HX).status_code == 204
    photo.refresh_from_db()
    assert photo.caption == "西湖 at dusk"

    client.force_login(bob)
    assert client.post(caption_url, {"caption": "mine now"}, **HX).status_code == 404
    assert client.get(reverse("timeline:photo", args=[photo.pk, "full"])).status_code == 404
    delete_url = reverse("timeline:photo-delete", args=[photo.pk])
    assert client.post(delete_url, **HX).status_code == 404
    photo.refresh_from_db()
    assert photo.caption == "西湖 at dusk"


def test_a_refused_caption_says_why(alice_client):
    photo_pk = _uploaded_pk(alice_client)
    url = reverse("timeline:photo-caption", args=[photo_pk])

    response = alice_client.post(url, {"caption": "x" * 301}, **HX)

    assert response.status_code == 400 and "300" in response.content.decode()


def test_caption_and_delete_without_javascript_return_to_the_year(alice_client, alice):
    f.review(alice, 2020)
    photo_pk = _uploaded_pk(alice_client)

    captioned = alice_client.post(
        reverse("timeline:photo-caption", args=[photo_pk]), {"caption": "a"}
    )
    deleted = alice_client.post(reverse("timeline:photo-delete", args=[photo_pk]))

    assert captioned.status_code == 302 and captioned["Location"] == "/2020/"
    assert deleted.status_code == 302 and deleted["Location"] == "/2020/"
    assert not Photo.objects.exists()


def _uploaded_pk(client) -> int:
    response = send(client, pf.jpeg())
    assert response.status_code == 201
    return Photo.objects.latest("id").pk
