"""/data/: downloads, upload → preview → confirm, Goodreads, limits, and nobody else's data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from library.models import Item
from portability.backup import json_bytes
from portability.interchange import export_data
from portability.views import PENDING
from tests.portability.interchange_data import (
    ITEM,
    REVIEW,
    counts,
    make_zip,
    minimal,
    populate,
    zip_bytes,
    zip_members,
)
from tests.portability.test_goodreads import BOOKS, LONG, write_csv

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def upload(client, data: bytes, name: str = "backup.json", htmx: bool = False, **fields):
    payload = {"file": SimpleUploadedFile(name, data), **fields}
    return client.post("/data/import/", payload, **(HTMX if htmx else {}))


def confirm(client, htmx: bool = False):
    name = client.session[PENDING]["name"]
    return client.post("/data/import/confirm/", {"upload": name}, **(HTMX if htmx else {}))


def pending_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    return sorted(folder.glob("*")) if folder.exists() else []


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# The page


def test_the_page_offers_downloads_and_both_imports(alice_client):
    response = alice_client.get("/data/")

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/data/export.zip"' in html and 'href="/data/export.json"' in html
    assert 'href="/data/export.json?public=1"' in html
    assert 'action="/data/import/"' in html and 'action="/data/goodreads/"' in html
    assert 'enctype="multipart/form-data"' in html
    assert '<a href="/data/">Data</a>' in html  # in the nav
    assert "<script>" not in html and "style=" not in html


def test_the_checkbox_comes_before_its_plain_label_on_one_line(alice_client):
    html = alice_client.get("/data/").content.decode()

    field = re.search(r'<div class="field field-check">(.*?)</div>', html, re.DOTALL)
    assert field, "the checkbox is not laid out as a checkbox field"
    checkbox, label = field.group(1).index('type="checkbox"'), field.group(1).index("<label")
    assert checkbox < label
    assert "Import without the photos the file mentions but does not include</label>" in html
    assert "does not carry" not in html


def test_the_page_answers_htmx_with_the_import_panel(alice_client):
    response = alice_client.get("/data/", **HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="import-panel"')
    assert "<html" not in html


def test_the_page_needs_a_login(client):
    response = client.get("/data/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/data/export.json").status_code == 302


# Downloads


def test_export_json_downloads_the_interchange_format(alice, alice_client):
    populate(alice)

    response = alice_client.get("/data/export.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="almanac-alice-')
    assert response["Cache-Control"] == "no-store"
    assert response.content == json_bytes(export_data(alice))


def test_public_export_json_leaves_out_private_rows(alice, alice_client):
    populate(alice)

    data = json.loads(alice_client.get("/data/export.json?public=1").content)

    assert data == export_data(alice, public_only=True)


def test_export_zip_downloads_the_backup(alice, alice_client):
    populate(alice)

    response = alice_client.get("/data/export.zip")

    body = b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].endswith('.zip"')
    assert body == zip_bytes(alice)
    assert int(response["Content-Length"]) == len(body)


def test_bob_cannot_see_alices_export(alice, bob):
    populate(alice)

    data = json.loads(client_for(bob).get("/data/export.json").content)
    members = zip_members(b"".join(client_for(bob).get("/data/export.zip").streaming_content))

    assert all(data[key] == [] for key in ("reviews", "timeline", "career", "library", "goals"))
    assert list(members) == ["data.json"]
    assert "搬到上海" not in members["data.json"].decode()


# Import


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_an_upload_is_previewed_then_imported_on_confirm(alice, alice_client, htmx):
    document = minimal(reviews=[REVIEW], library=[ITEM, {**ITEM, "title": "《三体》"}])
    Item.objects.create(owner=alice, title="A book", finished_on="2020-03-01", status="finished")

    preview = upload(alice_client, json_bytes(document), htmx=htmx)

    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Adds 1 review and 1 item. Skips 1 item already present." in html
    assert 'action="/data/import/confirm/"' in html
    assert ("<html" in html) is not htmx
    assert Item.objects.filter(owner=alice).count() == 1  # nothing written yet
    assert len(pending_files()) == 1

    done = confirm(alice_client, htmx=htmx)

    assert Item.objects.filter(owner=alice).count() == 2
    assert Item.objects.filter(owner=alice, title="《三体》").exists()
    assert pending_files() == []
    assert PENDING not in alice_client.session
    if htmx:
        assert "Added 1 review and 1 item." in done.content.decode()
    else:
        assert done.status_code == 302 and done["Location"] == "/data/"
        page = alice_client.get("/data/").content.decode()
        assert "Added 1 review and 1 item. Skipped 1 item already present." in page


def test_a_zip_backup_is_imported_with_its_photos(alice, bob):
    populate(alice)
    client = client_for(bob)

    preview = upload(client, zip_bytes(alice), name="backup.zip")
    confirm(client)

    assert "4 photos" in preview.content.decode()
    assert counts(bob) == counts(alice)
    assert json.loads(client.get("/data/export.json").content) == export_data(alice)


@pytest.mark.parametrize(("htmx", "status"), [(False, 422), (True, 422)], ids=["page", "htmx"])
def test_problems_are_listed_with_their_paths_and_nothing_is_kept(alice_client, htmx, status):
    document = minimal(library=[ITEM, ITEM, ITEM, {**ITEM, "status": "done"}], surprise=1)

    response = upload(alice_client, json_bytes(document), htmx=htmx)

    html = response.content.decode()
    assert response.status_code == status
    assert "Nothing was imported." in html
    assert (
        "<li><code>library[3].status</code>: Select a valid choice. done is not one of the"
        " available choices.</li>"
    ) in html
    assert "<li><code>surprise</code>: unknown key</li>" in html
    assert 'action="/data/import/confirm/"' not in html
    assert pending_files() == [] and PENDING not in alice_client.session


def test_a_json_naming_photos_can_be_imported_without_them(alice, bob):
    populate(alice)
    client = client_for(bob)
    data = json_bytes(export_data(alice))

    refused = upload(client, data)
    accepted = upload(client, data, without_photos="on")
    confirm(client)

    assert "timeline[0].photos[0].file" in refused.content.decode()
    assert "3 photos named in the file but not carried are left out." in (
        accepted.content.decode()
    )
    assert counts(bob)["timeline"] == 4 and counts(bob)["photos"] == 0


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\xff\x00\x01binary", "x.json", "the file is not UTF-8 text"),
        ("名字,年\n".encode("gb18030"), "x.json", "the file is not UTF-8 text"),
        (b"{not json", "x.json", "not valid JSON"),
        (b"PK\x03\x04garbage", "x.zip", "cannot be read as one"),
        (make_zip({"readme.txt": b"hi"}), "x.zip", "has no data.json"),
        (
            make_zip({"data.json": json_bytes(minimal()), "photos/a.jpg": bytes(30 * 1024**2)}),
            "bomb.zip",
            "zip bomb",
        ),
    ],
    ids=["binary", "gb18030", "broken-json", "broken-zip", "no-data-json", "zip-bomb"],
)
def test_a_bad_file_is_refused_with_a_message_never_a_server_error(
    alice_client, data, name, message
):
    response = upload(alice_client, data, name=name)

    assert response.status_code == 422
    assert message in response.content.decode()
    assert pending_files() == []


def test_a_photo_that_is_not_an_image_is_refused(alice_client, alice):
    document = minimal(
        timeline=[
            {
                "title": "With a fake photo",
                "body": "",
                "started_on": "2020-01-01",
                "ended_on": None,
                "private": False,
                "photos": [{"file": "photos/1-1.jpg", "caption": ""}],
            }
        ]
    )
    data = make_zip({"data.json": json_bytes(document), "photos/1-1.jpg": b"GIF89a not really"})

    response = upload(alice_client, data, name="backup.zip")

    assert response.status_code == 422
    assert "“photos/1-1.jpg” is not a JPEG, PNG or WebP image." in (response.content.decode())
    assert counts(alice)["timeline"] == 0


@pytest.mark.parametrize(
    ("setting", "data", "name", "message"),
    [
        ("ALMANAC_IMPORT_MAX_JSON_BYTES", json_bytes(minimal()), "a.json", "A JSON file can be"),
        ("ALMANAC_IMPORT_MAX_ZIP_BYTES", make_zip({"data.json": b"{}"}), "a.zip", "A zip backup"),
    ],
)
def test_files_over_the_size_limit_are_refused(
    alice_client, settings, setting, data, name, message
):
    setattr(settings, setting, 10)

    response = upload(alice_client, data, name=name)

    assert response.status_code == 422
    assert message in response.content.decode() and "MB" in response.content.decode()
    assert pending_files() == []


def test_confirm_without_an_upload_says_so(alice_client):
    response = alice_client.post("/data/import/confirm/")

    assert response.status_code == 422
    assert "There is no upload waiting to be imported." in response.content.decode()


def test_bob_cannot_confirm_alices_upload(alice, bob, alice_client):
    upload(alice_client, json_bytes(minimal(library=[ITEM])))
    bob_client = client_for(bob)
    session = bob_client.session
    session[PENDING] = alice_client.session[PENDING]  # even knowing the name
    session.save()

    response = confirm(bob_client)

    assert response.status_code == 422
    assert counts(bob)["library"] == 0 and counts(alice)["library"] == 0
    assert len(pending_files()) == 1


def test_a_preview_confirms_only_its_own_upload(alice, alice_client):
    upload(alice_client, json_bytes(minimal(library=[ITEM])))
    first = alice_client.session[PENDING]["name"]
    upload(alice_client, json_bytes(minimal(library=[{**ITEM, "title": "Second"}])))

    stale = alice_client.post("/data/import/confirm/", {"upload": first})

    assert stale.status_code == 422 and counts(alice)["library"] == 0
    confirm(alice_client)
    assert Item.objects.get(owner=alice).title == "Second"


def test_cancel_discards_the_upload(alice, alice_client):
    upload(alice_client, json_bytes(minimal(library=[ITEM])))

    response = alice_client.post("/data/import/cancel/")

    assert response.status_code == 302
    assert pending_files() == [] and counts(alice)["library"] == 0


def test_import_needs_post(alice_client):
    assert alice_client.get("/data/import/").status_code == 405
    assert alice_client.get("/data/import/confirm/").status_code == 405


# Goodreads


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_goodreads_upload_reports_imported_skipped_and_failed(alice, alice_client, htmx):
    data = write_csv(LONG, BOOKS)
    payload = {"file": SimpleUploadedFile("goodreads_library_export.csv", data)}

    response = alice_client.post("/data/goodreads/", payload, **(HTMX if htmx else {}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Imported 4 books." in html and "2 rows could not be imported." in html
    assert "Line 7 (“A row cut short”): it has 3 columns where the header has 24" in html
    assert ("<html" in html) is not htmx
    assert Item.objects.filter(owner=alice).count() == 4


def test_goodreads_upload_of_a_wrong_file(alice_client):
    payload = {"file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00x")}

    response = alice_client.post("/data/goodreads/", payload)

    assert response.status_code == 422
    assert "not UTF-8 text" in response.content.decode()


def test_goodreads_upload_over_the_size_limit(alice_client, settings):
    settings.ALMANAC_IMPORT_MAX_CSV_BYTES = 10
    payload = {"file": SimpleUploadedFile("x.csv", write_csv(LONG, BOOKS))}

    response = alice_client.post("/data/goodreads/", payload)

    assert response.status_code == 422
    assert "A Goodreads file can be at most" in response.content.decode()
