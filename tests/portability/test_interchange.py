"""The interchange format: export, validation with paths, idempotent import, zip backups."""

from __future__ import annotations

import copy
import io
import json
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from PIL import ExifTags, Image, ImageChops, ImageStat

from library.models import Item
from portability import backup
from portability.backup import json_bytes, open_backup
from portability.interchange import export_data, export_extensions, import_data, validate
from reviews import document as documents
from reviews.models import Goal, Review, Revision
from reviews.prompts import PROMPTS
from tests import factories as f
from tests.portability.interchange_data import (
    ENTRY,
    GOAL,
    ITEM,
    MOVE,
    REVIEW,
    REVIEW_V1,
    TALLY,
    add_document_photo,
    counts,
    jpeg,
    make_zip,
    minimal,
    minimal_v1,
    populate,
    version_1_backup,
    zip_bytes,
    zip_members,
)
from timeline.models import CareerMove, Entry, Photo

pytestmark = pytest.mark.django_db

KEYS = {
    "reviews": {"year", "title", "document", "license", "language"},
    "timeline": {"key", "title", "body", "started_on", "ended_on", "private", "photos"},
    "career": {"key", "date", "kind", "organization", "role", "note", "private"},
    "library": {
        "key", "kind", "title", "authors", "url", "status", "started_on", "finished_on",
        "rating", "recommended", "notes", "private",
    },
    "goals": {"key", "year", "title", "description", "status", "outcome", "metric", "private"},
}  # fmt: skip


def import_zip(user, data: bytes, **options):
    with open_backup(io.BytesIO(data)) as upload:
        if upload.problems:
            return upload.problems
        report = import_data(
            user, upload.data, upload.photos, extensions=upload.extensions, **options
        )
    return report


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


# Export


def test_export_writes_every_key_of_the_format(alice):
    populate(alice)

    data = export_data(alice)

    assert list(data) == [
        "format", "version", "reviews", "timeline", "career", "library", "goals", "tallies",
    ]  # fmt: skip
    assert (data["format"], data["version"]) == ("annual-review", 2)
    assert data["tallies"] == [
        {"year": 2022, "kind": "paper", "count": 30, "note": "论文，有读书笔记", "private": False},
        {"year": 2023, "kind": "paper", "count": 12, "note": "with notes", "private": True},
        {"year": 2023, "kind": "talk", "count": 0, "note": "", "private": False},
    ]
    for section, keys in KEYS.items():
        assert data[section], section
        for row in data[section]:
            assert set(row) == keys, section
    for entry in data["timeline"]:
        for photo in entry["photos"]:
            assert list(photo) == ["key", "file", "caption"]
    keys = [row["key"] for section in KEYS if section != "reviews" for row in data[section]]
    assert all(keys) and len(set(keys)) == len(keys)
    item = Item.objects.get(owner=alice, title="Title 0")
    assert f"[[item:{item.key}]]" in data["reviews"][0]["document"]
    metrics = [goal["metric"] for goal in data["goals"]]
    assert None in metrics and {"kind": "book", "target": 10} in metrics
    assert {e["ended_on"] for e in data["timeline"]} >= {None, "2023-03-01"}
    assert {i["rating"] for i in data["library"]} >= {None, 1, 5}
    assert {i["finished_on"] for i in data["library"]} >= {None, "2023-04-20"}


def test_export_covers_every_enumeration_value(alice):
    populate(alice)

    data = export_data(alice)

    assert {m["kind"] for m in data["career"]} == set(
        ["joined", "left", "promoted", "role_change", "acquired", "founded", "other"]
    )
    assert {i["kind"] for i in data["library"]} == set(Item.Kind.values)
    assert {i["status"] for i in data["library"]} == set(Item.Status.values)
    assert {g["status"] for g in data["goals"]} == set(Goal.Status.values)


def test_export_is_sorted_the_way_the_pages_are(alice):
    f.entry(alice, "2021-05-01", title="B later")
    f.entry(alice, "2021-01-01", title="Z earlier")
    f.entry(alice, "2021-05-01", title="A made last, same day")
    f.item(alice, None, title="Unfinished")
    f.item(alice, "2021-02-01", title="Finished")
    f.review(alice, 2022)
    f.review(alice, 2021)

    data = export_data(alice)

    assert [e["title"] for e in data["timeline"]] == [
        "Z earlier",
        "B later",
        "A made last, same day",
    ]
    assert [i["title"] for i in data["library"]] == ["Finished", "Unfinished"]
    assert [r["year"] for r in data["reviews"]] == [2021, 2022]


def test_export_runs_a_fixed_number_of_queries(alice, django_assert_max_num_queries):
    populate(alice)
    for day in range(1, 29):
        f.entry(alice, f"2022-02-{day:02d}")
        f.item(alice, f"2022-02-{day:02d}")

    with django_assert_max_num_queries(8):
        export_data(alice)
    with django_assert_max_num_queries(8):
        export_extensions(alice)


def test_public_export_leaves_out_everything_private(alice):
    populate(alice)

    data = export_data(alice, public_only=True)
    extensions = export_extensions(alice, public_only=True)

    for section in ("timeline", "career", "library", "goals"):
        assert data[section] and not any(row["private"] for row in data[section])
    assert "Private trip" not in json.dumps(data)
    assert extensions["library"] == []  # private notes and Goodreads ids stay home
    assert extensions["reviews"] == [{"at": 0, "year": 2023, "author_name": "小明"}]
    # A photo placed in the document is published with it.
    assert [p["caption"] for p in extensions["photos"]] == ["年末的合影"]
    assert "只给自己看" not in json.dumps([data, extensions], ensure_ascii=False)


def test_bob_never_sees_alices_data(alice, bob):
    populate(alice)

    data = export_data(bob)

    assert all(data[section] == [] for section in KEYS)
    assert export_extensions(bob) is None


# Round trip


def same_picture(a: bytes, b: bytes) -> bool:
    """Same size and, pixel by pixel, nearly the same colours (a re-encoding loses a little)."""
    first, second = Image.open(io.BytesIO(a)), Image.open(io.BytesIO(b))
    if first.size != second.size or first.mode != second.mode:
        return False
    difference = ImageStat.Stat(ImageChops.difference(first, second))
    return max(difference.mean) < 4


def test_zip_round_trip_gives_identical_json_and_the_same_photos(alice, bob):
    populate(alice)
    original = zip_members(zip_bytes(alice))

    report = import_zip(bob, zip_bytes(alice))

    assert report.ok, report.problems
    assert counts(bob) == counts(alice)
    again = zip_members(zip_bytes(bob))
    assert json_bytes(export_data(bob)) == json_bytes(export_data(alice))
    assert again["data.json"] == original["data.json"]  # captions and photo names too
    assert again["almanac.json"] == original["almanac.json"]
    assert list(again) == list(original)
    # Imported photos are re-encoded like uploads: the same pictures, other bytes.
    photos = [name for name in original if name.startswith("photos/")]
    assert photos == [
        "photos/1-1.jpg", "photos/1-2.webp", "photos/4-1.webp", "photos/year-2023-1.jpg",
    ]  # fmt: skip
    for name in photos:
        assert same_picture(again[name], original[name]), name
    # What only almanac.json carries came back as well.
    review = Review.objects.get(owner=bob, year=2023)
    assert review.author_name == "小明"
    placed = Photo.objects.get(owner=bob, entry=None)
    assert (placed.year, placed.caption) == (2023, "年末的合影")
    assert Item.objects.get(owner=bob, private_notes="只给自己看")
    assert Item.objects.get(owner=bob, goodreads_id="12345").title == "Goodreads book"
    carried = Goal.objects.get(owner=bob, title="Goal 0 again")
    assert carried.carried_from.title == "Goal 0" and carried.carried_from.owner == bob


def test_json_round_trip_gives_identical_json(alice, bob):
    populate(alice, photos=False)
    original = json_bytes(export_data(alice))

    report = import_data(bob, json.loads(original))

    assert report.ok
    assert json_bytes(export_data(bob)) == original


def test_import_renders_the_markdown_it_writes(alice, bob):
    populate(alice)
    import_zip(bob, zip_bytes(alice))

    for model, fields in (
        (Entry, ["title", "body", "body_html"]),
        (Item, ["title", "notes", "notes_html"]),
        (Goal, ["title", "description_html", "outcome_html"]),
        (Review, ["year", "document", "document_html"]),
        (CareerMove, ["organization", "note_html"]),
    ):
        mine = sorted(model.objects.filter(owner=alice).values_list(*fields))
        theirs = sorted(model.objects.filter(owner=bob).values_list(*fields))
        assert mine == theirs and any(row[-1] for row in theirs), model


def test_photos_keep_their_order_captions_and_thumbnails(alice, bob):
    populate(alice)
    import_zip(bob, zip_bytes(alice))

    entry = Entry.objects.get(owner=bob, title="搬到上海", body__startswith="新的")
    photos = list(entry.photos.all())
    assert [p.caption for p in photos] == ["外滩的夜景", ""]
    assert [p.image.name.rsplit(".", 1)[1] for p in photos] == ["jpg", "webp"]
    for photo in photos:
        assert photo.image.name.startswith("photos/") and len(photo.image.name) > 30
        assert (photo.width, photo.height) == Image.open(photo.image.path).size
        assert max(Image.open(photo.thumbnail.path).size) <= 480


# Idempotence


def test_a_second_import_adds_nothing(alice, bob):
    populate(alice)
    data = zip_bytes(alice)
    import_zip(bob, data)
    before = counts(bob)
    files = stored_files()

    report = import_zip(bob, data)

    assert report.ok and report.total_added == 0
    assert report.skipped["timeline"] == 4 and report.skipped["library"] == 10
    assert counts(bob) == before
    assert stored_files() == files  # no photo left behind either


def test_import_adds_to_what_the_account_holds(alice, bob):
    f.entry(alice, "2020-02-01", title="Shared")
    f.entry(alice, "2020-03-01", title="Only in the file")
    f.review(alice, 2020, title="From the file")
    mine = f.entry(bob, "2020-02-01", title="Shared", body="bob's own text")
    f.entry(bob, "2019-01-01", title="Bob's older entry")
    f.review(bob, 2020, title="Bob's review")

    report = import_data(bob, export_data(alice))

    assert (report.added["timeline"], report.skipped["timeline"]) == (1, 1)
    assert (report.added["reviews"], report.skipped["reviews"]) == (0, 1)
    titles = sorted(Entry.objects.filter(owner=bob).values_list("title", flat=True))
    assert titles == ["Bob's older entry", "Only in the file", "Shared"]
    mine.refresh_from_db()
    assert mine.body == "bob's own text"  # present rows are never overwritten
    assert Review.objects.get(owner=bob).title == "Bob's review"


def test_natural_keys_are_counted_not_only_looked_up(bob):
    twice = minimal(timeline=[ENTRY, ENTRY], library=[ITEM, ITEM, {**ITEM, "kind": "paper"}])

    first = import_data(bob, twice)
    second = import_data(bob, twice)

    assert (first.added["timeline"], first.added["library"]) == (2, 3)
    assert second.total_added == 0 and second.skipped["library"] == 3
    assert Entry.objects.filter(owner=bob).count() == 2


def test_natural_keys_of_every_kind(bob):
    document = minimal(
        reviews=[REVIEW],
        timeline=[ENTRY],
        career=[MOVE],
        library=[ITEM],
        goals=[GOAL],
        tallies=[TALLY],
    )
    import_data(bob, document)
    changed = minimal(
        reviews=[{**REVIEW, "title": "other text, same year"}],
        timeline=[{**ENTRY, "body": "other body"}, {**ENTRY, "started_on": "2020-02-02"}],
        career=[{**MOVE, "role": "other role"}, {**MOVE, "kind": "left"}],
        library=[{**ITEM, "notes": "other notes"}, {**ITEM, "finished_on": None}],
        goals=[{**GOAL, "status": "missed"}, {**GOAL, "year": 2021}],
        tallies=[{**TALLY, "count": 99}, {**TALLY, "kind": "book"}],
    )

    report = import_data(bob, changed)

    assert dict(report.skipped) == {
        "reviews": 1,
        "timeline": 1,
        "career": 1,
        "library": 1,
        "goals": 1,
        "tallies": 1,
    }
    # A count already recorded is kept as it is.
    assert sorted(bob.tally_set.values_list("kind", "count")) == [("book", 30), ("paper", 30)]
    assert report.added == Counter(timeline=1, career=1, library=1, goals=1, tallies=1)


def test_preview_writes_nothing(alice, bob):
    populate(alice)

    report = import_zip(bob, zip_bytes(alice), preview=True)

    assert report.ok and report.preview
    assert report.added["timeline"] == 4 and report.added["photos"] == 4
    assert "Adds 2 reviews, 4 entries, 4 photos" in report.summary()
    assert all(n == 0 for n in counts(bob).values())
    assert not [name for name in stored_files() if "photos/" in name and "bob" in name]


# Validation: every problem, with its path, and nothing written


def base_document() -> dict:
    return minimal(
        reviews=[REVIEW],
        timeline=[ENTRY],
        career=[MOVE],
        library=[dict(ITEM), {**ITEM, "title": "Two"}, {**ITEM, "title": "Three"}, dict(ITEM)],
        goals=[GOAL],
    )


def _set(document: dict, path: str, value) -> None:
    """Set ``library[3].status``-like paths (``DELETE`` removes the key)."""
    target = document
    parts = path.replace("[", ".").replace("]", "").split(".")
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target[part]
    last = parts[-1]
    if value is DELETE:
        del target[last]
    else:
        target[int(last) if last.isdigit() else last] = value


DELETE = object()

PROBLEMS = [
    # wrong types
    ("library[0].rating", "5", 'library[0].rating: "5" is not a whole number'),
    ("library[0].rating", True, "library[0].rating: true is not a whole number"),
    ("timeline[0].private", "yes", 'timeline[0].private: "yes" is not true or false'),
    ("reviews", {}, "reviews: an object is not a list"),
    ("library[1]", "book", 'library[1]: "book" is not an object'),
    ("library[0].title", None, "library[0].title: null is not a string"),
    ("timeline[0].photos", None, "timeline[0].photos: null is not a list"),
    ("goals[0].metric", 5, "goals[0].metric: 5 is not an object"),
    # unknown and missing keys
    ("surprise", 1, "surprise: unknown key"),
    ("library[2].foo", "bar", "library[2].foo: unknown key"),
    ("reviews[0].intro", "", "reviews[0].intro: unknown key"),
    ("tallies", DELETE, "tallies: required key is missing"),
    ("timeline[0].title", DELETE, "timeline[0].title: required key is missing"),
    ("career", DELETE, "career: required key is missing"),
    # enumerations (the forms' choices and messages)
    (
        "library[3].status",
        "done",
        "library[3].status: Select a valid choice. done is not one of the available choices.",
    ),
    (
        "library[0].kind",
        "video",
        "library[0].kind: Select a valid choice. video is not one of the available choices.",
    ),
    (
        "career[0].kind",
        "hired",
        "career[0].kind: Select a valid choice. hired is not one of the available choices.",
    ),
    (
        "goals[0].status",
        "done",
        "goals[0].status: Select a valid choice. done is not one of the available choices.",
    ),
    (
        "goals[0].metric",
        {"kind": "film", "target": 3},
        "goals[0].metric.kind: Select a valid choice. film is not one of the available choices.",
    ),
    # dates
    ("timeline[0].started_on", "2020-13-40", 'timeline[0].started_on: "2020-13-40" is not a date'),
    ("career[0].date", "2021-02-29", 'career[0].date: "2021-02-29" is not a date'),
    ("library[0].finished_on", "2020/03/01", 'library[0].finished_on: "2020/03/01" is not a date'),
    ("timeline[0].ended_on", 20200301, "timeline[0].ended_on: 20200301 is not a date"),
    ("timeline[0].started_on", "0000-01-01", 'timeline[0].started_on: "0000-01-01" is not a date'),
    # dates outside 1900–2200 (the models' field rule, as the forms report it)
    (
        "timeline[0].started_on",
        "0001-01-01",
        "timeline[0].started_on: The date must be between 1900 and 2200.",
    ),
    ("career[0].date", "9999-01-01", "career[0].date: The date must be between 1900 and 2200."),
    (
        "library[0].finished_on",
        "0202-05-01",
        "library[0].finished_on: The date must be between 1900 and 2200.",
    ),
    # ranges (the form's choices; the models' constraints and field limits)
    (
        "library[0].rating",
        6,
        "library[0].rating: Select a valid choice. 6 is not one of the available choices.",
    ),
    (
        "library[0].rating",
        0,
        "library[0].rating: Select a valid choice. 0 is not one of the available choices.",
    ),
    ("reviews[0].year", 0, "reviews[0].year: The year must be between 1900 and 2200."),
    ("goals[0].year", 2201, "goals[0].year: The year must be between 1900 and 2200."),
    ("reviews[0].year", 2020.0, "reviews[0].year: 2020.0 is not a whole number"),
    (
        "goals[0].metric",
        {"kind": "book", "target": 0},
        "goals[0].metric.target: The target must be at least 1.",
    ),
    # end before start (the forms' own messages)
    (
        "timeline[0].ended_on",
        "2020-01-01",
        "timeline[0].ended_on: The end date cannot be before the start date.",
    ),
    (
        "library[0].started_on",
        "2020-04-01",
        "library[0].finished_on: The finish date cannot be before the start date.",
    ),
    # format and version
    ("format", "other-format", 'format: "other-format" is not "annual-review"'),
    ("version", 3, "version: 3 is not a version this Almanac reads (1 or 2)"),
    ("version", "2", 'version: "2" is not a version this Almanac reads (1 or 2)'),
    ("version", True, "version: true is not a version this Almanac reads (1 or 2)"),
    # tallies, by the rules of the form that records them
    ("tallies", {}, "tallies: an object is not a list"),
    (
        "tallies",
        [{"year": 2020, "kind": "poem", "count": 3}],
        "tallies[0].kind: Select a valid choice. poem is not one of the available choices.",
    ),
    # a year, quarter or month that does not exist (version 2 reads them; see core.dates)
    (
        "tallies",
        [{"year": 2020, "kind": "paper", "count": -3}],
        "tallies[0].count: Ensure this value is greater than or equal to 0.",
    ),
    (
        "tallies",
        [{"year": 2020, "kind": "paper", "count": 2_000_000}],
        "tallies[0].count: A count is at most 1,000,000.",
    ),
    (
        "tallies",
        [{"year": 1200, "kind": "paper", "count": 3}],
        "tallies[0].year: The year must be between 1900 and 2200.",
    ),
    (
        "tallies",
        [{"year": 2020, "kind": "paper", "count": "3"}],
        'tallies[0].count: "3" is not a whole number',
    ),
    (
        "tallies",
        [{"year": 2020, "kind": "paper", "count": 3, "notes": ""}],
        "tallies[0].notes: unknown key",
    ),
    (
        "tallies",
        [{"year": 2020, "kind": "paper", "count": 3}, {"year": 2020, "kind": "paper", "count": 4}],
        'tallies[1].kind: 2020 already has a count of "paper" at tallies[0]',
    ),
    # what version 2 allows and this Almanac does not keep yet
    (
        "timeline[0].started_on",
        "2020-Q5",
        "timeline[0].started_on: There is no quarter 5: a year has Q1 to Q4.",
    ),
    (
        "library[0].finished_on",
        "2020-13",
        "library[0].finished_on: There is no month 13: months go from 1 to 12.",
    ),
    ("career[0].date", "20", 'career[0].date: "20" is not a date'),
    (
        "career[0].date",
        "1800",
        "career[0].date: The date must be between 1900 and 2200.",
    ),
    # keys
    (
        "library[0].key",
        "has space",
        'library[0].key: "has space" is not a key (1 to 16 letters and digits)',
    ),
    (
        "goals[0].key",
        "x" * 17,
        'goals[0].key: "xxxxxxxxxxxxxxxxx" is not a key (1 to 16 letters and digits)',
    ),
    ("career[0].key", 7, "career[0].key: 7 is not a string"),
    (
        "timeline[0].photos",
        [{"key": "a-b", "file": "photos/1-1.jpg", "caption": ""}],
        'timeline[0].photos[0].key: "a-b" is not a key (1 to 16 letters and digits)',
    ),
    # texts (the forms' and models' messages)
    ("timeline[0].title", "  ", "timeline[0].title: This field is required."),
    (
        "timeline[0].title",
        "长" * 201,
        "timeline[0].title: Ensure this value has at most 200 characters (it has 201).",
    ),
    (
        "library[0].title",
        "x" * 301,
        "library[0].title: Ensure this value has at most 300 characters (it has 301).",
    ),
    (
        "reviews[0].language",
        "x" * 36,
        "reviews[0].language: Ensure this value has at most 35 characters (it has 36).",
    ),
    ("reviews[0].language", "", "reviews[0].language: This field cannot be blank."),
    ("library[0].url", "javascript:alert(1)", "library[0].url: Enter a valid URL."),
    (
        "library[0].url",
        "ftp://example.com/book.pdf",
        "library[0].url: Only http:// and https:// links are allowed.",
    ),
    (
        "timeline[0].photos",
        [{"file": "photos/1-1.jpg", "caption": "长" * 301}],
        "timeline[0].photos[0].caption: Ensure this value has at most 300 characters"
        " (it has 301).",
    ),
    (
        "timeline[0].body",
        "a\x00b",
        "timeline[0].body: contains a NUL character, which cannot be stored",
    ),
    (
        "timeline[0].title",
        "half a pair \ud83d",
        "timeline[0].title: contains a lone surrogate (U+D83D), which is not a character",
    ),
    (
        "timeline[0].photos",
        [{"file": "../etc/passwd", "caption": ""}],
        'timeline[0].photos[0].file: "../etc/passwd" is not a file name inside a backup',
    ),
]


@pytest.mark.parametrize(
    ("path", "value", "expected"), PROBLEMS, ids=[p[2][:60] for p in PROBLEMS]
)
def test_each_problem_is_reported_with_its_path_and_nothing_is_written(bob, path, value, expected):
    document = base_document()
    _set(document, path, value)
    f.entry(bob, "2019-01-01", title="Already there")
    before = counts(bob)

    report = import_data(bob, document)

    assert expected in [str(problem) for problem in report.problems]
    assert validate(document) == report.problems
    assert counts(bob) == before


def test_every_problem_is_reported_at_once(bob):
    document = base_document()
    _set(document, "library[3].status", "done")
    _set(document, "timeline[0].started_on", "2020-13-40")
    _set(document, "surprise", True)
    _set(document, "reviews[0].year", 0)
    _set(document, "goals[0].metric", {"kind": "book", "target": 3, "unit": "pages"})

    problems = [str(p) for p in validate(document)]

    assert problems == [
        "reviews[0].year: The year must be between 1900 and 2200.",
        'timeline[0].started_on: "2020-13-40" is not a date',
        "library[3].status: Select a valid choice. done is not one of the available choices.",
        "goals[0].metric.unit: unknown key",
        "surprise: unknown key",
    ]


def test_a_lone_surrogate_in_a_key_is_shown_escaped(bob):
    document = base_document()
    document["timeline"][0]["\udc80"] = 1

    (problem,) = validate(document)

    assert str(problem) == 'timeline[0]["\\udc80"]: unknown key'
    str(problem).encode("utf-8")  # printable and sendable as it is


def test_a_number_the_database_cannot_hold_is_a_problem(bob):
    document = base_document()
    _set(document, "goals[0].metric", {"kind": "book", "target": 2**64})

    (problem,) = validate(document)

    # The limit is the database's (a PostgreSQL integer, a SQLite one).
    assert problem.path == "goals[0].metric.target"
    assert problem.message.startswith("Ensure this value is less than or equal to")


def test_an_ftp_link_the_item_form_refuses_is_refused(bob):
    document = minimal(library=[{**ITEM, "url": "ftp://example.com/paper.pdf"}])

    report = import_data(bob, document)

    assert [str(p) for p in report.problems] == [
        "library[0].url: Only http:// and https:// links are allowed."
    ]
    assert counts(bob)["library"] == 0


def test_the_import_keeps_what_the_forms_would_store(bob):
    entry = {**ENTRY, "title": "  Trimmed like the form  ", "body": "  Kept as written\n\n"}
    item = {**ITEM, "url": "example.com/book", "notes": "\n- one\n"}

    report = import_data(bob, minimal(timeline=[entry], library=[item]))

    assert report.ok, report.problems
    saved = Entry.objects.get(owner=bob)
    assert (saved.title, saved.body) == ("Trimmed like the form", "  Kept as written\n\n")
    saved = Item.objects.get(owner=bob)
    assert (saved.url, saved.notes) == ("https://example.com/book", "\n- one\n")


def test_two_reviews_of_one_year_are_a_problem(bob):
    document = minimal(reviews=[REVIEW, {**REVIEW, "title": "again"}])

    assert [str(p) for p in validate(document)] == [
        "reviews[1].year: 2020 is already the year of reviews[0]"
    ]


def test_optional_keys_may_be_missing_or_null(bob):
    item = {k: v for k, v in ITEM.items() if k not in ("started_on", "finished_on", "rating")}
    goal = {k: v for k, v in GOAL.items() if k != "metric"}
    entry = {k: v for k, v in ENTRY.items() if k != "ended_on"}
    move = {**MOVE, "key": None}
    review = {**REVIEW, "document": "读书"}
    document = minimal(
        reviews=[review], timeline=[entry], career=[move], library=[item], goals=[goal]
    )

    report = import_data(bob, document)

    assert report.ok, report.problems
    saved = Item.objects.get(owner=bob)
    assert (saved.started_on, saved.finished_on, saved.rating) == (None, None, None)
    assert Review.objects.get(owner=bob).document == "读书"
    assert Goal.objects.get(owner=bob).metric_kind == ""


def test_version_1_optional_notes_may_be_missing_or_null(bob):
    review = {**REVIEW_V1, "notes": {"timeline": None, "reading": "读书"}}

    report = import_data(bob, minimal_v1(reviews=[review]))

    assert report.ok, report.problems
    assert "读书" in Review.objects.get(owner=bob).document


def test_a_document_that_is_not_an_object(bob):
    assert [str(p) for p in validate([1, 2])] == ["$: the file is not a JSON object"]


def test_duplicate_keys_in_one_object_are_a_problem(bob):
    raw = b'{"format": "annual-review", "format": "annual-review", "version": 2}'

    data, problems = backup.parse_json(raw)

    assert not problems
    assert "format: appears more than once in the same object" in map(str, validate(data))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"\xff\xfe{}", "$: the file is not UTF-8 text"),
        (b'{"a": NaN}', "$: not valid JSON: NaN is not allowed in JSON"),
        (b'{"format": ', "$: not valid JSON: Expecting value (line 1, column 12)"),
        (b"[" * 100_000, "$: not valid JSON: nested too deeply"),
        (
            b'{"version": ' + b"9" * 5000 + b"}",
            "$: not valid JSON: a number has 5000 digits, and Almanac reads at most 100",
        ),
        (
            b'{"version": -' + b"9" * 101 + b"}",
            "$: not valid JSON: a number has 101 digits, and Almanac reads at most 100",
        ),
    ],
)
def test_files_that_are_not_json(raw, expected):
    with open_backup(io.BytesIO(raw)) as upload:
        assert [str(p) for p in upload.problems] == [expected]


# Photos


def test_a_bare_json_naming_photos_is_refused_with_their_paths(alice, bob):
    populate(alice)
    data = export_data(alice)

    report = import_data(bob, data)

    assert [str(p) for p in report.problems] == [
        'timeline[0].photos[0].file: "photos/1-1.jpg" is not in the upload',
        'timeline[0].photos[1].file: "photos/1-2.webp" is not in the upload',
        'timeline[3].photos[0].file: "photos/4-1.webp" is not in the upload',
    ]
    assert all(n == 0 for n in counts(bob).values())


def test_without_photos_leaves_them_out(alice, bob):
    populate(alice)

    report = import_data(bob, export_data(alice), without_photos=True)

    assert report.ok and report.photos_left_out == 3 and report.added["photos"] == 0
    assert counts(bob)["timeline"] == 4 and counts(bob)["photos"] == 0


def _photo_zip(photo: bytes, name: str = "photos/1-1.jpg") -> bytes:
    document = minimal(timeline=[{**ENTRY, "photos": [{"file": name, "caption": "c"}]}])
    return make_zip({"data.json": json_bytes(document), name: photo})


def test_a_photo_that_is_not_an_image_is_refused(bob):
    report = import_zip(bob, _photo_zip(b"<html><script>alert(1)</script></html>"))

    assert [str(p) for p in report.problems] == [
        "timeline[0].photos[0].file: “photos/1-1.jpg” is not a JPEG, PNG or WebP image."
    ]
    assert all(n == 0 for n in counts(bob).values())
    assert not stored_files()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(bob):
    bomb = make_zip(
        {"data.json": json_bytes(minimal()), "photos/1-1.jpg": bytes(60 * 1024 * 1024)}
    )
    assert len(bomb) < 200_000

    report = import_zip(bob, bomb)

    (problem,) = report
    assert problem.path == "$" and "zip bomb" in problem.message
    assert all(n == 0 for n in counts(bob).values())


def test_a_backup_of_repetitive_text_is_not_taken_for_a_zip_bomb(alice, bob):
    # Six texts at the size limit pack about 500 : 1; the JSON is read with its own bound.
    for day in range(1, 7):
        f.entry(alice, f"2020-03-{day:02d}", body="same words again " * 12_500)
    backup_zip = zip_bytes(alice)
    assert len(backup_zip) < 1_200_000 / 100

    report = import_zip(bob, backup_zip)

    assert report.ok, report
    assert counts(bob)["timeline"] == 6


def test_a_zip_with_too_many_files_is_refused(bob, monkeypatch):
    monkeypatch.setattr(backup, "MAX_MEMBERS", 3)
    members = {"data.json": json_bytes(minimal())} | {f"photos/{i}.jpg": b"x" for i in range(3)}

    (problem,) = import_zip(bob, make_zip(members))

    assert "holds 4 files; a backup can hold at most 3" in problem.message


def test_a_zip_unpacking_too_big_is_refused(bob, settings):
    settings.ALMANAC_IMPORT_MAX_UNPACKED_BYTES = 1000
    document = minimal(timeline=[{**ENTRY, "body": "long " * 400}])

    (problem,) = import_zip(bob, make_zip({"data.json": json_bytes(document)}))

    assert "would unpack to" in problem.message


def test_a_photo_over_the_size_limit_is_refused(bob, monkeypatch):
    monkeypatch.setattr(backup, "MAX_PHOTO_BYTES", 100)

    report = import_zip(bob, _photo_zip(jpeg()))

    assert [str(p) for p in report.problems] == [
        'timeline[0].photos[0].file: "photos/1-1.jpg" is larger than 10 MB'
    ]


def test_a_photo_with_too_many_pixels_is_refused_from_its_header(bob):
    out = io.BytesIO()
    Image.new("L", (8000, 6000)).save(out, "PNG")  # 48 MP of zeros: a small file

    report = import_zip(bob, _photo_zip(out.getvalue(), "photos/1-1.png"))

    assert [str(p) for p in report.problems] == [
        "timeline[0].photos[0].file: “photos/1-1.png” has too many pixels: photos can have at most"
        " 40 megapixels."
    ]


def test_a_photo_with_gps_is_reencoded_without_it(bob):
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "Secret Model 9"
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (31.0, 14.0, 5.0)
    out = io.BytesIO()
    Image.new("RGB", (3000, 1000), "navy").save(out, "JPEG", exif=exif, comment=b"secret")
    original = out.getvalue()

    report = import_zip(bob, _photo_zip(original))

    assert report.ok
    photo = Photo.objects.get(owner=bob)
    data = Path(photo.image.path).read_bytes()
    assert data != original and b"Secret Model" not in data and b"secret" not in data
    assert not Image.open(io.BytesIO(data)).getexif()
    assert (photo.width, photo.height) == (2048, 683)


def test_a_photo_is_reencoded_like_an_upload(bob):
    original = io.BytesIO()
    Image.new("RGB", (800, 600), "teal").save(original, "PNG")

    report = import_zip(bob, _photo_zip(original.getvalue(), "photos/1-1.png"))

    assert report.ok, report.problems
    photo = Photo.objects.get(owner=bob)
    assert photo.image.name.endswith(".jpg") and photo.thumbnail.name.endswith(".jpg")
    assert (photo.width, photo.height) == (800, 600)
    assert Image.open(photo.image.path).format == "JPEG"


PAYLOAD = b"<img src=x onerror=alert(1)>"


def _jpeg_with_markup(where: str) -> bytes:
    """A JPEG carrying markup in its comment or inside its first quantization table."""
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(
        out, "JPEG", quality=90, comment=PAYLOAD if where == "comment" else b""
    )
    data = bytearray(out.getvalue())
    if where == "quantization table":
        table = data.index(b"\xff\xdb") + 5  # marker, length (2 bytes), precision and id
        data[table : table + len(PAYLOAD)] = PAYLOAD  # 28 of its 64 values: still decodable
    assert PAYLOAD in data
    return bytes(data)


@pytest.mark.parametrize("where", ["comment", "quantization table"])
def test_a_photo_carrying_markup_is_stored_reencoded_without_it(bob, where):
    report = import_zip(bob, _photo_zip(_jpeg_with_markup(where)))

    assert report.ok, report.problems
    photo = Photo.objects.get(owner=bob)
    for stored in (photo.image, photo.thumbnail):
        with stored.open("rb") as handle:
            data = handle.read()
        assert PAYLOAD not in data and b"onerror" not in data
        assert Image.open(io.BytesIO(data)).size == (64, 48)  # the same picture


def test_a_zip_with_its_files_in_one_folder_is_read(alice, bob):
    populate(alice)
    members = zip_members(zip_bytes(alice))

    report = import_zip(bob, make_zip({f"backup/{name}": data for name, data in members.items()}))

    assert report.ok and report.added["photos"] == 4


def test_a_zip_without_data_json_is_refused(bob):
    (problem,) = import_zip(bob, make_zip({"notes.txt": b"hello"}))

    assert str(problem) == "$: The zip file has no data.json at its top."


def test_almanac_json_must_match_data_json(alice, bob):
    populate(alice)
    members = zip_members(zip_bytes(alice))
    extensions = json.loads(members["almanac.json"])
    extensions["library"][0]["title"] = "Something else"
    extensions["goals"][0]["surprise"] = 1
    members["almanac.json"] = json_bytes(extensions)

    report = import_zip(bob, make_zip(members))

    assert [str(p) for p in report.problems] == [
        "almanac.json:goals[0].surprise: unknown key",
        'almanac.json:library[0].title: "Something else" does not match data.json library[2]',
    ]
    assert all(n == 0 for n in counts(bob).values())


# Size


@pytest.mark.slow  # a bulk import
def test_importing_5000_items_works(bob, capsys):
    items = [
        {
            **ITEM,
            "title": f"第 {i} 本书 · Book {i}",
            "finished_on": f"20{10 + i % 15}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "notes": f"Notes *{i}*" if i % 3 == 0 else "",
            "rating": 1 + i % 5,
        }
        for i in range(5000)
    ]
    document = minimal(library=items)

    started = time.perf_counter()
    report = import_data(bob, document)
    seconds = time.perf_counter() - started
    again = time.perf_counter()
    second = import_data(bob, document)
    seconds_again = time.perf_counter() - again

    with capsys.disabled():
        print(f"\nimport of 5,000 items: {seconds:.2f} s; again: {seconds_again:.2f} s")
    assert report.added["library"] == 5000 and second.total_added == 0
    assert Item.objects.filter(owner=bob).count() == 5000
    assert Item.objects.get(owner=bob, title="第 3 本书 · Book 3").notes_html == (
        "<p>Notes <em>3</em></p>"
    )


def test_goals_carried_over_are_linked_only_once(alice, bob):
    populate(alice)
    members = zip_members(zip_bytes(alice))
    extensions = json.loads(members["almanac.json"])
    data = json.loads(members["data.json"])
    data["goals"].append({**data["goals"][6], "title": "Another carry", "key": "another"})
    extensions["goals"].append({"at": 7, "title": "Another carry", "carried_from": 0})
    members.update({"data.json": json_bytes(data), "almanac.json": json_bytes(extensions)})

    report = import_zip(bob, make_zip(members))

    assert [str(p) for p in report.problems] == [
        "almanac.json:goals[1].carried_from: goals[0] cannot be carried over here"
    ]


@pytest.mark.parametrize(
    ("carries", "expected"),
    [
        (
            [(0, 1), (1, 0)],
            "almanac.json:goals[0].carried_from: goals would be carried over from each other"
            " in a circle: goals[0] ← goals[1] ← goals[0]",
        ),
        (
            [(2, 0), (0, 1), (1, 2)],
            "almanac.json:goals[0].carried_from: goals would be carried over from each other"
            " in a circle: goals[2] ← goals[0] ← goals[1] ← goals[2]",
        ),
    ],
)
def test_goals_carried_over_in_a_circle_are_refused(bob, carries, expected):
    goals = [{**GOAL, "year": 2020 + i, "title": f"Goal {i}"} for i in range(3)]
    extensions = {
        "format": "almanac-extensions",
        "version": 2,
        "goals": [
            {"at": at, "title": f"Goal {at}", "carried_from": source} for at, source in carries
        ],
    }
    members = {
        "data.json": json_bytes(minimal(goals=goals)),
        "almanac.json": json_bytes(extensions),
    }

    report = import_zip(bob, make_zip(members))

    assert [str(p) for p in report.problems] == [expected]
    assert counts(bob)["goals"] == 0


def test_a_chain_of_carried_over_goals_is_fine(bob):
    goals = [{**GOAL, "year": 2020 + i, "title": f"Goal {i}"} for i in range(3)]
    carries = [{"at": 1, "title": "Goal 1", "carried_from": 0},
               {"at": 2, "title": "Goal 2", "carried_from": 1}]  # fmt: skip
    extensions = {"format": "almanac-extensions", "version": 2, "goals": carries}
    members = {
        "data.json": json_bytes(minimal(goals=goals)),
        "almanac.json": json_bytes(extensions),
    }

    report = import_zip(bob, make_zip(members))

    assert report.ok, report
    assert Goal.objects.get(owner=bob, title="Goal 2").carried_from.carried_from.title == "Goal 0"


def test_document_is_not_changed_by_import(bob):
    document = base_document()
    copied = copy.deepcopy(document)

    import_data(bob, document)

    assert document == copied


def test_zip_members_have_fixed_times(alice):
    populate(alice)

    with zipfile.ZipFile(io.BytesIO(zip_bytes(alice))) as archive:
        names = [info.filename for info in archive.infolist()]
        times = {info.date_time for info in archive.infolist()}

    assert names[:2] == ["data.json", "almanac.json"]
    assert times == {(1980, 1, 1, 0, 0, 0)}


# Keys: the stable references the documents' embeds use

EMBEDDED = {"entry": Entry, "move": CareerMove, "item": Item, "goal": Goal, "photo": Photo}


def test_embeds_still_find_their_rows_after_a_round_trip(alice, bob):
    populate(alice)

    import_zip(bob, zip_bytes(alice))

    review = Review.objects.get(owner=bob, year=2023)
    rows = [embed for embed in documents.embeds(review.document) if embed.is_row]
    assert {embed.kind for embed in rows} == {"item", "entry", "goal", "photo"}
    for embed in rows:
        mine = EMBEDDED[embed.kind].objects.get(owner=alice, key=embed.key)
        theirs = EMBEDDED[embed.kind].objects.get(owner=bob, key=embed.key)
        assert str(theirs) == str(mine)


def test_a_row_without_a_key_gets_one(bob):
    report = import_data(bob, minimal(library=[ITEM], goals=[{**GOAL, "key": None}]))

    assert report.ok, report.problems
    assert len(Item.objects.get(owner=bob).key) >= 8 and Goal.objects.get(owner=bob).key


def test_a_key_the_account_uses_for_another_row_is_a_problem(bob):
    mine = f.item(bob, "2019-01-01", title="Bob's own")
    f.entry(bob, "2019-01-01", title="Bob's entry")
    document = minimal(
        library=[{**ITEM, "key": mine.key}],
        timeline=[{**ENTRY, "photos": [{"key": mine.key, "file": "p.jpg", "caption": ""}]}],
    )

    report = import_data(bob, document, without_photos=True)

    # Photos have keys of their own: an item's key is free for a photo.
    assert [str(p) for p in report.problems] == [
        f'library[0].key: "{mine.key}" is already the key of another row in this account'
    ]
    assert counts(bob)["library"] == 1


def test_the_same_key_twice_in_a_file_is_a_problem(bob):
    photos = [{"key": "same", "file": "1.jpg", "caption": ""}] * 2
    document = minimal(
        library=[{**ITEM, "key": "abc"}, {**ITEM, "title": "Other", "key": "abc"}],
        timeline=[{**ENTRY, "key": "abc", "photos": photos}],
    )

    assert [str(p) for p in validate(document)] == [
        'timeline[0].photos[1].key: "same" is already the key of timeline[0].photos[0]',
        'library[1].key: "abc" is already the key of library[0]',
    ]


def test_a_row_already_present_keeps_its_key_and_adds_nothing(alice, bob):
    populate(alice, photos=False)
    data = export_data(alice)
    import_data(bob, data)
    keys = set(Item.objects.filter(owner=bob).values_list("key", flat=True))

    report = import_data(bob, data)

    assert report.ok and report.total_added == 0
    assert set(Item.objects.filter(owner=bob).values_list("key", flat=True)) == keys


def test_a_photo_placed_in_a_document_is_imported_once(alice, bob):
    add_document_photo(alice, 2024, jpeg(), caption="放进文章的照片")
    backup_zip = zip_bytes(alice)
    extensions = json.loads(zip_members(backup_zip)["almanac.json"])
    assert extensions["photos"] == [
        {
            "key": Photo.objects.get(owner=alice).key,
            "year": 2024,
            "file": "photos/year-2024-1.jpg",
            "caption": "放进文章的照片",
        }
    ]

    first = import_zip(bob, backup_zip)
    second = import_zip(bob, backup_zip)

    assert first.added["photos"] == 1 and second.total_added == 0
    assert second.skipped["photos"] == 1
    assert Photo.objects.get(owner=bob).caption == "放进文章的照片"


def test_a_photo_placed_in_a_document_with_a_key_in_use_is_a_problem(alice, bob):
    placed = add_document_photo(alice, 2024, jpeg())
    other = add_document_photo(bob, 2023, jpeg())
    Photo.objects.filter(pk=other.pk).update(key=placed.key)

    report = import_zip(bob, zip_bytes(alice))

    assert [str(p) for p in report.problems] == [
        f'almanac.json:photos[0].key: "{placed.key}" is already the key of another row in'
        " this account"
    ]


def test_a_photo_placed_in_a_document_must_be_in_the_zip(alice, bob):
    add_document_photo(alice, 2024, jpeg())
    members = zip_members(zip_bytes(alice))
    del members["photos/year-2024-1.jpg"]

    report = import_zip(bob, make_zip(members))

    assert [str(p) for p in report.problems] == [
        'almanac.json:photos[0].file: "photos/year-2024-1.jpg" is not in the upload'
    ]


# Version 1 still imports


def test_a_version_1_file_with_every_field_becomes_documents_holding_every_text(bob):
    data, extensions = version_1_backup()
    members = {"data.json": json_bytes(data), "almanac.json": json_bytes(extensions)}

    report = import_zip(bob, make_zip(members))

    assert report.ok, report.problems
    assert report.added == Counter(reviews=2, timeline=1, career=1, library=1, goals=1)
    first = Review.objects.get(owner=bob, year=2022)
    texts = [data["reviews"][0][key] for key in ("intro", "closing")]
    texts += list(data["reviews"][0]["notes"].values())
    texts += list(extensions["reviews"][0]["answers"].values())
    for text in texts:
        assert text in first.document, text
    with documents.language_of("zh-Hans"):
        questions = [str(prompt.question) for prompt in PROMPTS]
    for question in questions:  # each answer under its question, in the review's language
        assert f"### {question}" in first.document
    assert first.author_name == "小明" and first.title == "二〇二二"
    assert (first.license, first.language) == ("", "zh-Hans")
    assert "<strong>很忙</strong>" in first.document_html
    # In page order: the opening, the answers, the sections' notes with their lists, the closing.
    order = [first.document.index(text) for text in texts[:1] + texts[2:6] + texts[1:2]]
    assert order == sorted(order)
    assert first.document.index("[[timeline Q1]]") < first.document.index("Career note")


def test_a_version_1_review_is_converted_as_the_migration_converts_it(bob):
    data, extensions = version_1_backup()
    members = {"data.json": json_bytes(data), "almanac.json": json_bytes(extensions)}

    import_zip(bob, make_zip(members))

    review = data["reviews"][0]
    answers = extensions["reviews"][0]["answers"]
    with documents.language_of("zh-Hans"):
        pairs = [(str(prompt.question), answers[prompt.key]) for prompt in PROMPTS]
    texts = {
        "intro": review["intro"],
        "closing": review["closing"],
        **{f"note_{name}": text for name, text in review["notes"].items()},
        "answers": pairs,
    }
    expected = documents.compose(2022, "zh-Hans", texts)
    assert Review.objects.get(owner=bob, year=2022).document == expected


def test_version_1_answers_kept_off_shared_pages_go_to_the_documents_history(bob):
    data, extensions = version_1_backup()
    members = {"data.json": json_bytes(data), "almanac.json": json_bytes(extensions)}

    import_zip(bob, make_zip(members))

    review = Review.objects.get(owner=bob, year=2023)
    assert "Opening of 2023." in review.document and "Moves note 2023" in review.document
    assert "Hidden best 2023" not in review.document + review.document_html
    history = Revision.objects.filter(owner=bob, object_id=review.pk, field="document")
    assert [(r.version, "Hidden best 2023" in r.text) for r in history] == [
        (1, False),
        (0, True),
    ]
    assert history[0].text == review.document and review.text_version("document") == 1


def test_a_bare_version_1_json_imports(bob):
    data, _extensions = version_1_backup()

    preview = import_data(bob, data, preview=True)
    report = import_data(bob, data)

    assert report.ok, report.problems
    for done in (preview, report):
        assert done.converted == 2
        assert done.summary().endswith(
            "The file is in version 1: the texts of 2 reviews become their documents."
        )
    assert import_data(bob, data).converted == 0  # nothing added, nothing converted
    review = Review.objects.get(owner=bob, year=2023)
    assert review.document.startswith("Opening of 2023.")
    assert "Closing of 2023." in review.document and "[[goals next]]" in review.document


def test_an_empty_version_1_review_gets_a_new_years_template(bob):
    report = import_data(bob, minimal_v1(reviews=[REVIEW_V1]))

    assert report.ok
    assert Review.objects.get(owner=bob).document == documents.compose(2020, "en")


def test_version_1_files_keep_version_1_keys_only(bob):
    document = minimal_v1(reviews=[{**REVIEW_V1, "document": ""}], library=[{**ITEM, "key": "a"}])
    document["tallies"] = []
    extensions = {"format": "almanac-extensions", "version": 2, "photos": []}

    problems = [str(p) for p in validate(document)]
    report = import_data(bob, minimal_v1(), extensions=extensions)

    assert problems == [
        "reviews[0].document: unknown key",
        "library[0].key: unknown key",
        "tallies: unknown key",
    ]
    assert [str(p) for p in report.problems] == [
        "almanac.json:version: 2 is not the version of data.json (1)",
        "almanac.json:photos: unknown key",
    ]


def test_a_version_2_almanac_json_has_no_answers(bob):
    extensions = {
        "format": "almanac-extensions",
        "version": 2,
        "reviews": [{"at": 0, "year": 2020, "answers": {"best": "x"}}],
    }

    report = import_data(bob, minimal(reviews=[REVIEW]), extensions=extensions)

    assert [str(p) for p in report.problems] == ["almanac.json:reviews[0].answers: unknown key"]
