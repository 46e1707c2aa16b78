"""A large account for the benchmark, written with bulk inserts.

``build_account`` makes, for each of 20 years, a review, 150 timeline entries
with Markdown bodies, 20 career moves, 250 library items and 20 goals, and
puts 100 photos on the entries of one year. Rows go in with ``bulk_create``
for speed, so every ``<field>_html`` is filled here with ``core.markdown.render``
exactly as ``save()`` would fill it (``core.models.MarkdownFieldsMixin``).
Texts mix English and Chinese and come from a seeded generator: every run
builds the same account.
"""

from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from core import markdown
from library.models import Item
from reviews import document
from reviews.models import Goal, Review
from timeline import photos as photo_service
from timeline.models import CareerMove, Entry


@dataclass(frozen=True)
class Size:
    years: int = 20
    last_year: int = 2025
    entries: int = 150
    moves: int = 20
    items: int = 250
    goals: int = 20
    photos: int = 100

    @property
    def first_year(self) -> int:
        return self.last_year - self.years + 1


WORDS = [
    *("pipeline", "migration", "outage", "review", "design", "retro", "latency", "budget"),
    *("index", "cache", "queue", "schema", "deploy", "rollback", "incident", "mentor"),
    *("offsite", "roadmap", "hiring", "prototype", "launch", "benchmark", "refactor"),
    *("postgres", "sqlite", "kafka", "rust", "python", "django", "release", "trip"),
    *("garden", "marathon", "knee", "cat", "family", "moving", "apartment", "conference"),
    *("talk", "paper", "chapter", "draft"),
]
ORG_SUFFIXES = ["Labs", "Data", "数据", "Works"]
SENTENCES = [
    "The week went mostly to the {w} and a little to the {w}.",
    "We finally retired the old {w}; nobody missed it.",
    "I wrote down why the {w} failed, and what the {w} taught us.",
    "Spent a long evening with the {w} notes and a pot of tea.",
    "数据接入管道终于稳定了，值班的同事可以睡个好觉。",
    "和团队一起复盘了{w}，结论比预想的简单。",
    "周末去爬山，顺便想清楚了{w}该怎么做。",
    "这个月读完了一本关于{w}的书，推荐给大家。",
    "Talked to three people about the {w} before changing anything.",
    "A small win: the {w} is twice as fast and half as long.",
]


class Texts:
    """Seeded, varied Markdown: paragraphs, lists, emphasis, links, CJK and Latin."""

    def __init__(self, seed: int = 8):
        self.rng = random.Random(seed)

    def word(self) -> str:
        return self.rng.choice(WORDS)

    def sentence(self) -> str:
        text = self.rng.choice(SENTENCES)
        while "{w}" in text:
            text = text.replace("{w}", self.word(), 1)
        return text

    def title(self) -> str:
        return f"{self.word().capitalize()} {self.word()} {self.rng.randint(1, 99)}"

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def body(self) -> str:
        """Two to four blocks: paragraphs, sometimes a list, a link, some emphasis."""
        blocks = [self.paragraph(self.rng.randint(1, 3))]
        if self.rng.random() < 0.3:
            blocks.append("\n".join(f"- {self.sentence()}" for _ in range(self.rng.randint(2, 4))))
        if self.rng.random() < 0.4:
            blocks.append(
                f"More in [the {self.word()} notes](https://example.com/{self.word()}/"
                f"{self.rng.randint(1, 9999)}), **{self.word()}** included."
            )
        if self.rng.random() < 0.5:
            blocks.append(self.paragraph(self.rng.randint(1, 2)))
        return "\n\n".join(blocks)

    def short(self) -> str:
        return self.paragraph(self.rng.randint(1, 2))

    def day(self, year: int) -> datetime.date:
        return datetime.date(year, 1, 1) + datetime.timedelta(days=self.rng.randint(0, 364))


def _with_html(obj, **texts: str):
    """Set Markdown sources and their stored HTML, as ``save()`` would."""
    for name, text in texts.items():
        setattr(obj, name, text)
        setattr(obj, f"{name}_html", markdown.render(text))
    return obj


def _entries(owner, year: int, size: Size, t: Texts) -> list[Entry]:
    rows = []
    for _ in range(size.entries):
        started = t.day(year)
        ended = None
        if t.rng.random() < 0.3:
            later = started + datetime.timedelta(days=t.rng.randint(1, 40))
            ended = min(later, datetime.date(year, 12, 31))
        entry = Entry(
            owner=owner,
            title=t.title(),
            started_on=started,
            ended_on=ended,
            private=t.rng.random() < 0.1,
        )
        rows.append(_with_html(entry, body=t.body()))
    return rows


def _moves(owner, year: int, size: Size, t: Texts) -> list[CareerMove]:
    kinds = CareerMove.Kind.values
    return [
        _with_html(
            CareerMove(
                owner=owner,
                date=t.day(year),
                kind=t.rng.choice(kinds),
                organization=f"{t.word().capitalize()} {t.rng.choice(ORG_SUFFIXES)}",
                role=t.rng.choice(["", "Engineer", "Senior engineer", "高级工程师", "Lead"]),
                private=t.rng.random() < 0.1,
            ),
            note=t.short() if t.rng.random() < 0.6 else "",
        )
        for _ in range(size.moves)
    ]


def _items(owner, year: int, size: Size, t: Texts) -> list[Item]:
    kinds = Item.Kind.values
    rows = []
    for n in range(size.items):
        finished = n < size.items * 0.92  # a few are still open and have no year
        started = t.day(year)
        item = Item(
            owner=owner,
            kind=t.rng.choice(kinds),
            title=f"{t.title()} {t.rng.choice(['', '与系统设计', 'in practice'])}".strip(),
            authors=t.rng.choice(["A. Writer", "林晓", "B. Author and C. Author", ""]),
            url=f"https://example.com/item/{year}/{n}" if t.rng.random() < 0.4 else "",
            status=Item.Status.FINISHED
            if finished
            else t.rng.choice([Item.Status.WANT, Item.Status.READING, Item.Status.ABANDONED]),
            started_on=started if finished else None,
            finished_on=max(started, t.day(year)) if finished else None,
            rating=t.rng.choice([None, 1, 2, 3, 4, 5]),
            recommended=t.rng.random() < 0.1,
            private=t.rng.random() < 0.05,
            private_notes="only for me" if t.rng.random() < 0.1 else "",
        )
        rows.append(_with_html(item, notes=t.body() if t.rng.random() < 0.4 else ""))
    return rows


def _goals(owner, year: int, size: Size, t: Texts) -> list[Goal]:
    statuses = Goal.Status.values
    rows = []
    for _ in range(size.goals):
        measured = t.rng.random() < 0.25
        goal = Goal(
            owner=owner,
            year=year,
            title=t.title(),
            status=t.rng.choice(statuses),
            metric_kind=t.rng.choice(Item.Kind.values) if measured else "",
            metric_target=t.rng.randint(2, 30) if measured else None,
            private=t.rng.random() < 0.1,
        )
        rows.append(_with_html(goal, description=t.short(), outcome=t.short()))
    return rows


def _review(owner, year: int, t: Texts) -> Review:
    review = Review(
        owner=owner,
        year=year,
        title=f"{year}: {t.title()}",
        language=t.rng.choice(["en", "zh-Hans"]),
        author_name="Bench Author",
        license="CC BY-NC-SA 4.0",
    )
    # The document a writer who kept the new year's template would have: prose in
    # every section, with the sections' lists as embeds.
    sections = ("intro", "note_timeline", "note_career", "note_reading", "note_goals", "closing")
    texts = {name: t.body() for name in sections}
    review.document = document.compose(year, review.language, texts)
    review.save()  # one row a year: the normal path renders the document
    return review


def _jpeg(t: Texts, width: int = 1200, height: int = 800) -> bytes:
    base = Image.linear_gradient("L").resize((width, height))
    colour = (t.rng.randint(0, 255), t.rng.randint(0, 255), t.rng.randint(0, 255))
    across = Image.linear_gradient("L").rotate(90).resize((width, height))
    image = Image.merge("RGB", (base, across, base))
    image = Image.blend(image, Image.new("RGB", (width, height), colour), 0.5)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def add_photos(owner, year: int, count: int, t: Texts) -> int:
    """``count`` photos, two per public entry of ``year``, through the upload pipeline."""
    entries = list(
        Entry.objects.filter(owner=owner, started_on__year=year, private=False).order_by("id")
    )
    made = 0
    for entry in entries:
        if made >= count:
            break
        batch = []
        for _ in range(min(2, count - made)):
            upload = SimpleUploadedFile("photo.jpg", _jpeg(t), content_type="image/jpeg")
            batch.append(photo_service.process_upload(upload))
        photo_service.add_photos(entry, batch)
        made += len(batch)
    return made


def build_account(username: str, size: Size, *, photo_year: int, seed: int = 8):
    """The user and everything above; returns the user."""
    t = Texts(seed)
    user = get_user_model().objects.create_user(username, f"{username}@example.com", None)
    with transaction.atomic():
        for year in range(size.first_year, size.last_year + 1):
            _review(user, year, t)
            Entry.objects.bulk_create(_entries(user, year, size, t), batch_size=500)
            CareerMove.objects.bulk_create(_moves(user, year, size, t), batch_size=500)
            Item.objects.bulk_create(_items(user, year, size, t), batch_size=500)
            Goal.objects.bulk_create(_goals(user, year, size, t), batch_size=500)
    add_photos(user, photo_year, size.photos, t)
    return user
