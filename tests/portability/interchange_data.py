"""An account that uses every field and every enumeration value, for the import/export tests."""

from __future__ import annotations

import copy
import io
import zipfile

from django.core.files.base import ContentFile
from PIL import Image

from library.models import Item, Tally
from portability.backup import write_zip
from reviews.models import Goal, Review
from reviews.prompts import PROMPTS
from tests import factories as f
from timeline import photos
from timeline.models import CareerMove, Photo


def jpeg(size=(64, 48), color="teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=85, optimize=True, comment=b"")
    return out.getvalue()


def png(size=(30, 20), color=(200, 30, 30, 128)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, "PNG")
    return out.getvalue()


def webp(size=(40, 40), color=(0, 128, 255, 100)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, "WEBP", quality=90)
    return out.getvalue()


def add_photo(entry, data: bytes, caption: str = "") -> Photo:
    """A photo added the way an upload adds it: through the photo sanitizer, at the end."""
    [photo] = photos.add_photos(entry, [photos.process_upload(ContentFile(data, name="p"))])
    photo.caption = caption
    photo.save(update_fields=["caption"])
    return photo


def add_document_photo(user, year: int, data: bytes, caption: str = "") -> Photo:
    """A photo placed straight into a year's document (no entry holds it)."""
    processed = photos.process_upload(ContentFile(data, name="p"))
    photo = Photo(owner=user, year=year, caption=caption)
    photo.image.save(f"photo.{processed.extension}", ContentFile(processed.display), save=False)
    photo.thumbnail.save(
        f"thumb.{processed.extension}", ContentFile(processed.thumbnail), save=False
    )
    photo.width, photo.height = processed.width, processed.height
    photo.save()
    return photo


def populate(user, *, photos: bool = True) -> None:
    """Every field, every enumeration value, Chinese and English text, nulls and empties."""
    review = f.review(
        user,
        2023,
        title="我的二〇二三",
        license="CC BY-NC-SA 3.0",
        language="zh-hans",
        author_name="小明",
    )
    f.review(user, 2024)  # every text empty, defaults everywhere

    first = f.entry(
        user, "2023-01-15", "2023-03-01", title="搬到上海", body="新的城市。\n\n- 一\n- 二"
    )
    f.entry(user, "2023-01-15", title="搬到上海", body="Same title and day, another entry")
    f.entry(user, "2023-07-04", title="Private trip", body="", private=True)
    with_photos = f.entry(user, "2024-11-02", "2024-11-02", title="Conference talk")
    if photos:
        add_photo(first, jpeg(), caption="外滩的夜景")
        add_photo(first, png(), caption="")  # transparent: stored as WebP
        add_photo(with_photos, webp(), caption="Slides")

    for i, kind in enumerate(CareerMove.Kind.values):
        f.move(
            user,
            f"2023-{i + 1:02d}-10",
            kind=kind,
            organization=f"公司 {i}" if i % 2 else f"Company {i}",
            role="工程师" if i % 2 else "",
            note="*note*" if i % 3 else "",
            private=i == 2,
        )

    statuses = Item.Status.values
    for i, kind in enumerate(Item.Kind.values):
        status = statuses[i % len(statuses)]
        finished = f"2023-{i + 2:02d}-20" if status == Item.Status.FINISHED else None
        f.item(
            user,
            finished,
            kind=kind,
            title=f"《书名 {i}》" if i % 2 else f"Title {i}",
            authors="作者甲, Author B" if i % 2 else "",
            url=f"https://example.com/{i}" if i % 3 else "",
            status=status,
            started_on=f.d("2023-01-02") if i % 2 else None,
            rating=(i % 5) + 1 if i % 4 else None,
            recommended=i % 2 == 0,
            notes=f"笔记 {i} with **Markdown**" if i % 2 else "",
            private=i == 3,
            private_notes="只给自己看" if i == 1 else "",
        )
    f.item(user, "2024-05-05", title="Goodreads book", goodreads_id="12345", rating=5)
    # Both finish dates the same, as well as kind and title: two copies of one natural key.
    f.item(user, "2024-05-06", title="Read twice")
    f.item(user, "2024-05-06", title="Read twice", notes="second time")

    goals = {}
    for i, status in enumerate(Goal.Status.values):
        metric = i % 2 == 0
        goals[status] = f.goal(
            user,
            2023,
            title=f"目标 {i}" if i % 2 else f"Goal {i}",
            description=f"描述 {i}" if i % 2 else "",
            status=status,
            outcome="outcome **done**" if i % 3 else "",
            metric_kind=Item.Kind.values[i] if metric else "",
            metric_target=10 + i if metric else None,
            private=i == 4,
        )
    f.goal(
        user,
        2024,
        title="Goal 0 again",
        status=Goal.Status.OPEN,
        carried_from=goals["open"],
    )

    # Counts recorded without (or beside) listed items, a private one and one without a note.
    f.tally(user, 2022, Item.Kind.PAPER, 30, note="论文，有读书笔记")
    f.tally(user, 2023, Item.Kind.PAPER, 12, note="with notes", private=True)
    f.tally(user, 2023, Item.Kind.TALK, 0)

    # The document embeds rows by their keys, and a photo placed in it.
    book = Item.objects.get(owner=user, title="Title 0")
    lines = ["# 开头", "这一年 **很忙**。", f"[[item:{book.key}]]", "[[timeline]]"]
    lines += [f"[[entry:{first.key}]]", f"[[goal:{goals['achieved'].key}]]", "[[compare paper]]"]
    if photos:
        placed = add_document_photo(user, 2023, jpeg(color="orange"), caption="年末的合影")
        lines.append(f"[[photo:{placed.key}]]")
    review.document = "\n\n".join(lines) + "\n"
    review.save()


def counts(user) -> dict[str, int]:
    from timeline.models import Entry

    return {
        "reviews": Review.objects.filter(owner=user).count(),
        "timeline": Entry.objects.filter(owner=user).count(),
        "photos": Photo.objects.filter(owner=user).count(),
        "career": CareerMove.objects.filter(owner=user).count(),
        "library": Item.objects.filter(owner=user).count(),
        "goals": Goal.objects.filter(owner=user).count(),
        "tallies": Tally.objects.filter(owner=user).count(),
    }


def zip_bytes(user, **options) -> bytes:
    out = io.BytesIO()
    write_zip(user, out, **options)
    return out.getvalue()


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def make_zip(members: dict[str, bytes], compress=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def minimal(**sections) -> dict:
    """A valid document (version 2) with nothing in it but ``sections``."""
    document = {
        "format": "annual-review",
        "version": 2,
        "reviews": [],
        "timeline": [],
        "career": [],
        "library": [],
        "goals": [],
        "tallies": [],
    }
    document.update(copy.deepcopy(sections))
    return document


def minimal_v1(**sections) -> dict:
    """A valid version 1 document with nothing in it but ``sections``."""
    document = minimal(**sections)
    document["version"] = 1
    del document["tallies"]
    return document


TALLY = {"year": 2020, "kind": "paper", "count": 30, "note": "with notes", "private": False}

ENTRY = {
    "title": "Entry",
    "body": "",
    "started_on": "2020-02-01",
    "ended_on": None,
    "private": False,
    "photos": [],
}
ITEM = {
    "kind": "book",
    "title": "A book",
    "authors": "",
    "url": "",
    "status": "finished",
    "started_on": None,
    "finished_on": "2020-03-01",
    "rating": None,
    "recommended": False,
    "notes": "",
    "private": False,
}
REVIEW = {
    "year": 2020,
    "title": "",
    "document": "",
    "license": "",
    "language": "en",
}
REVIEW_V1 = {
    "year": 2020,
    "title": "",
    "intro": "",
    "closing": "",
    "notes": {},
    "license": "",
    "language": "en",
}
MOVE = {
    "date": "2020-05-01",
    "kind": "joined",
    "organization": "ACME",
    "role": "",
    "note": "",
    "private": False,
}
GOAL = {
    "year": 2020,
    "title": "Run",
    "description": "",
    "status": "open",
    "outcome": "",
    "metric": None,
    "private": False,
}


def version_1_backup() -> tuple[dict, dict]:
    """A version 1 data.json and almanac.json using every field: two reviews, one of them
    keeping its guided answers off shared pages."""
    texts = {
        "intro": "开头：这一年**很忙**。",
        "closing": "Closing *words*, 明年见。",
        "notes": {
            "timeline": "时间线的注释",
            "career": "Career note",
            "reading": "读书笔记",
            "goals": "Goals note",
        },
    }
    reviews = [
        {**REVIEW_V1, "year": 2022, "title": "二〇二二", "language": "zh-Hans", **texts},
        {
            **REVIEW_V1,
            "year": 2023,
            "title": "2023",
            "license": "CC BY 4.0",
            "intro": "Opening of 2023.",
            "closing": "Closing of 2023.",
            "notes": {"timeline": None, "career": "Moves note 2023"},
        },
    ]
    data = minimal_v1(
        reviews=reviews,
        timeline=[{**ENTRY, "started_on": "2022-02-01"}],
        career=[{**MOVE, "date": "2022-05-01"}],
        library=[{**ITEM, "finished_on": "2022-03-01"}],
        goals=[{**GOAL, "year": 2022}],
    )
    answers = {prompt.key: f"Answer {prompt.key} 的回答" for prompt in PROMPTS}
    extensions = {
        "format": "almanac-extensions",
        "version": 1,
        "reviews": [
            {
                "at": 0,
                "year": 2022,
                "author_name": "小明",
                "answers": answers,
                "show_answers": True,
                "prompts_hidden": True,
            },
            {
                "at": 1,
                "year": 2023,
                "answers": {"best": "Hidden best 2023"},
                "show_answers": False,
            },
        ],  # fmt: skip
    }
    return data, extensions
