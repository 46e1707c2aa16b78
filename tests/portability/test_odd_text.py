"""Everything Almanac accepts comes back from its own backup: the odd-text round trip.

An account is filled through the ways text gets in — the row forms, the photo
caption, a Goodreads CSV, the review's texts — with every kind of odd text those
accept: scripts of many languages, emoji sequences, direction marks, zero-width
joiners, combining marks, markup, backslashes, control characters and very long
words. Its zip backup imported into an empty account must export byte for byte
the same (but for the photo bytes, which are re-encoded).
"""

from __future__ import annotations

import datetime

import pytest
from django.core.files.base import ContentFile

from library.forms import ItemForm
from portability import goodreads
from portability.backup import json_bytes
from portability.interchange import export_data, export_extensions
from reviews.forms import GoalForm
from reviews.models import Review
from tests.portability.interchange_data import (
    add_document_photo,
    counts,
    jpeg,
    zip_bytes,
    zip_members,
)
from tests.portability.test_goodreads import LONG, write_csv
from tests.portability.test_interchange import import_zip
from timeline import photos
from timeline.forms import CareerMoveForm, EntryForm
from timeline.models import Entry

pytestmark = pytest.mark.django_db

# One line each: what a title, a name or a caption may hold.
ODD_LINES = [
    "中文標題 與 简体 · 日本語のテキスト · 한국어",
    "emoji 👩‍👩‍👧‍👦 🏳️‍🌈 👍🏽 🇨🇳 🧑🏿‍💻",
    "\u200fעברית والعربية\u200e mixed \u202bembedded\u202c",
    "zero\u200bwidth\u200cnon\u200djoiner\u2060word\ufeffjoiner",
    "combining e\u0301 a\u0308 n\u0303 Z\u0336\u0335\u0334 ก\u0e34\u0e4a",
    "<script>alert(1)</script> <img src=x onerror=alert(1)> &amp; &lt;",
    "back\\slash \\n \\u0000 C:\\temp\\ \\\\server",
    "𝕏𝕪𝕫 𐍈 𓀀 astral",
    "quotes \"double\" 'single' `back` «guillemets» „low“",
    "x" * 190,
]
LONG_WORD = "Donaudampfschifffahrtsgesellschaft" * 1000  # 34,000 characters, no space
# Long texts (Markdown) keep line breaks, tabs and other control characters as written.
ODD_TEXT = "\n\n".join(
    [
        *ODD_LINES,
        LONG_WORD,
        "tab\tand\r\nCRLF\rCR",
        "bell\x07 escape\x1b[31m del\x7f",
        "\u2028\u2029",
    ]
)


def _save(form_class, owner, data, **extra):
    form = form_class(data=data)
    assert form.is_valid(), form.errors
    form.instance.owner = owner
    for name, value in extra.items():
        setattr(form.instance, name, value)
    return form.save()


def fill(user) -> None:
    review = Review.objects.create(owner=user, year=2021, title=ODD_LINES[0], language="he")
    placed = add_document_photo(user, 2021, jpeg())
    photos.set_caption(placed, ODD_LINES[1])
    review.document = f"{ODD_TEXT}\n\n[[photo:{placed.key}]]\n\n[[library]]\n\n{ODD_TEXT}"
    review.author_name = ODD_LINES[3][:100]
    review.license = ODD_LINES[4]
    review.save()

    for i, line in enumerate(ODD_LINES):
        day = datetime.date(2021, 1, 1) + datetime.timedelta(days=i)
        entry = _save(EntryForm, user, {"title": line, "started_on": day, "body": ODD_TEXT})
        _save(
            CareerMoveForm,
            user,
            {"date": day, "kind": "joined", "organization": line, "role": line, "note": ODD_TEXT},
        )
        _save(
            ItemForm,
            user,
            {
                "kind": "paper",
                "title": line,
                "authors": line,
                "status": "finished",
                "finished_on": day,
                "notes": ODD_TEXT,
            },  # fmt: skip
            private_notes=ODD_TEXT,
        )
        _save(
            GoalForm,
            user,
            {"title": line, "status": "open", "description": ODD_TEXT, "outcome": ODD_TEXT},
            year=2022,
        )
        if i < 3:
            [photo] = photos.add_photos(entry, [photos.process_upload(ContentFile(jpeg()))])
            photos.set_caption(photo, line)

    books = [
        {
            "Book Id": str(900 + i),
            "Title": line,
            "Author": line,
            "Additional Authors": "Ann \u200f, Bob 👍🏽",
            "My Review": f"<b>{line}</b><br/>{line}",
            "Private Notes": ODD_TEXT,
            "Exclusive Shelf": "read",
            "Date Read": f"2021/02/{i + 1:02d}",
        }
        for i, line in enumerate(ODD_LINES)
    ]
    report = goodreads.import_csv(user, write_csv(LONG, books, broken=False))
    assert not report.failed, report.failed


def test_odd_text_comes_back_from_the_owners_own_backup(alice, bob):
    fill(alice)
    assert all(LONG_WORD in entry.body for entry in Entry.objects.filter(owner=alice))
    backup = zip_bytes(alice)

    report = import_zip(bob, backup)

    assert not isinstance(report, list), report
    assert report.ok, report.problems[:5]
    assert counts(bob) == counts(alice)
    assert json_bytes(export_data(bob)) == json_bytes(export_data(alice))
    assert json_bytes(export_extensions(bob)) == json_bytes(export_extensions(alice))
    assert list(zip_members(zip_bytes(bob))) == list(zip_members(backup))
