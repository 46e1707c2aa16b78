"""An import is bounded before its work starts: rows, photos, pixels and the JSON's size.

Each limit is a setting; the tests lower it rather than build huge files. A
refusal comes with a message saying the limit, and nothing is decoded or
written: the photo sanitizer's decoding step must not even be reached.
"""

from __future__ import annotations

import io
import json

import pytest

from portability import backup, interchange_import
from portability.backup import import_backup, json_bytes
from portability.interchange import import_data
from tests.portability.interchange_data import ENTRY, GOAL, ITEM, counts, jpeg, make_zip, minimal
from tests.timeline.photo_files import png_claiming

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if any photo is decoded."""

    def decode(*args, **kwargs):
        raise AssertionError("a photo was decoded")

    monkeypatch.setattr(interchange_import, "process_upload", decode)


def _with_photos(names: list[str]) -> dict:
    entries = [
        {**ENTRY, "title": f"Entry {i}", "photos": [{"file": name, "caption": ""}]}
        for i, name in enumerate(names)
    ]
    return minimal(timeline=entries)


def test_too_many_rows_are_refused_before_any_row_is_checked(bob, settings):
    settings.ALMANAC_IMPORT_MAX_ROWS = 3
    document = minimal(
        library=[ITEM, {**ITEM, "title": "B"}],
        goals=[GOAL, {**GOAL, "status": "not a status"}],  # never checked
    )

    report = import_data(bob, document)

    assert [str(p) for p in report.problems] == [
        "$: The file holds 4 rows; an import can add at most 3.",
        "$: Split it into smaller files and import each.",
    ]
    assert all(n == 0 for n in counts(bob).values())


def test_rows_at_the_limit_are_imported(bob, settings):
    settings.ALMANAC_IMPORT_MAX_ROWS = 3
    document = minimal(library=[ITEM, {**ITEM, "title": "B"}], goals=[GOAL])

    assert import_data(bob, document).ok


def test_too_many_photos_are_refused_before_any_is_read(bob, settings, no_decoding):
    settings.ALMANAC_IMPORT_MAX_PHOTOS = 2
    document = _with_photos(["photos/1.jpg", "photos/2.jpg", "photos/3.jpg"])

    report = import_data(bob, document)  # not even carried: the count comes first

    assert [str(p) for p in report.problems] == [
        "$: The file names 3 photos; an import can add at most 2.",
        "$: Split it into smaller files and import each.",
    ]


def test_photos_placed_in_documents_count_too(bob, settings, no_decoding):
    settings.ALMANAC_IMPORT_MAX_PHOTOS = 2
    document = _with_photos(["photos/1.jpg", "photos/2.jpg"])
    placed = {"key": "placed", "year": 2020, "file": "photos/3.jpg", "caption": ""}
    extensions = {"format": "almanac-extensions", "version": 2, "photos": [placed]}

    report = import_data(bob, document, extensions=extensions)

    assert str(report.problems[0]) == "$: The file names 3 photos; an import can add at most 2."


def test_too_many_pixels_in_all_are_refused_before_any_photo_is_decoded(
    bob, settings, no_decoding
):
    settings.ALMANAC_IMPORT_MAX_TOTAL_PIXELS = 5_000_000
    big = png_claiming(2000, 1500)  # 3 MP each, from the header
    files = {"photos/1.png": big, "photos/2.png": big}

    report = import_data(bob, _with_photos(list(files)), files)

    assert [str(p) for p in report.problems] == [
        "$: The photos to add have 6 megapixels in all; an import can add at most 5."
        " Split it into smaller files and import each."
    ]
    assert all(n == 0 for n in counts(bob).values())


def test_one_photo_over_the_pixel_limit_stops_the_import_before_any_is_decoded(bob, no_decoding):
    files = {"photos/1.jpg": jpeg(), "photos/2.png": png_claiming(8000, 6000)}

    report = import_data(bob, _with_photos(list(files)), files)

    assert [str(p) for p in report.problems] == [
        "timeline[1].photos[0].file: “photos/2.png” has too many pixels: photos can have at"
        " most 40 megapixels."
    ]


def test_a_zip_naming_one_large_image_200_times_is_refused_unread(bob, no_decoding, monkeypatch):
    # 39 MP each, under the limit for one photo; 7,800 MP in all.
    reads = []
    read = backup.ZipPhotos.__getitem__
    monkeypatch.setattr(
        backup.ZipPhotos, "__getitem__", lambda self, name: reads.append(name) or read(self, name)
    )
    name = "photos/big.png"
    members = {
        "data.json": json_bytes(_with_photos([name] * 200)),
        name: png_claiming(6000, 6500),
    }

    report = import_backup(bob, io.BytesIO(make_zip(members)), preview=True)

    assert [str(p) for p in report.problems] == [
        "$: The photos to add have 7,800 megapixels in all; an import can add at most 500."
        " Split it into smaller files and import each."
    ]
    assert reads == [name]  # its header read once


def test_photos_within_the_limits_are_imported(bob, settings):
    settings.ALMANAC_IMPORT_MAX_PHOTOS = 2
    settings.ALMANAC_IMPORT_MAX_TOTAL_PIXELS = 2 * 64 * 48
    files = {"photos/1.jpg": jpeg(), "photos/2.jpg": jpeg()}

    report = import_data(bob, _with_photos(list(files)), files)

    assert report.ok, report.problems
    assert counts(bob)["photos"] == 2


def _big_document(size: int) -> bytes:
    data = json_bytes(minimal(timeline=[{**ENTRY, "body": "x" * size}]))
    assert len(data) > size
    return data


def test_a_json_file_over_the_size_limit_is_refused_unparsed(bob, settings, monkeypatch):
    settings.ALMANAC_IMPORT_MAX_DOCUMENT_BYTES = 1024 * 1024
    monkeypatch.setattr(json, "loads", None)  # parsing it would fail the test

    report = import_backup(bob, io.BytesIO(_big_document(1024 * 1024)))

    assert [str(p) for p in report.problems] == ["$: The file is larger than 1 MB."]


def test_a_data_json_in_a_zip_over_the_size_limit_is_refused_unread(bob, settings, monkeypatch):
    settings.ALMANAC_IMPORT_MAX_DOCUMENT_BYTES = 1024 * 1024
    monkeypatch.setattr(json, "loads", None)
    backup_zip = make_zip({"data.json": _big_document(1024 * 1024)})

    report = import_backup(bob, io.BytesIO(backup_zip))

    assert [str(p) for p in report.problems] == ["$: data.json is larger than 1 MB."]
