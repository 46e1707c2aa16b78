"""The hostile input corpus, years of data made from it, and a checker for the pages.

Shared by tests/core/test_hostile_input.py (HTML checks) and
tests/browser/test_hostile_render.py (nothing runs in a browser). Every
input of tests/data/hostile_inputs.json is put into every rendered field of
one entry, photo, career move, item and goal; each year holds ``PER_YEAR``
inputs, so the corpus needs a few year pages instead of one page per input.
The review of each year takes further inputs in its own fields.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection

from core import markdown
from library.models import Item
from reviews.document import compose
from reviews.models import Goal, Review
from timeline.models import CareerMove, Entry, Photo

CORPUS_FILE = Path(__file__).resolve().parent / "data" / "hostile_inputs.json"
CORPUS: dict[str, list[str]] = json.loads(CORPUS_FILE.read_text(encoding="utf-8"))["inputs"]
INPUTS: list[str] = [text for group in CORPUS.values() for text in group]

FIRST_YEAR = 2001
PER_YEAR = 30
BENIGN = "benign text 中文"
BENIGN_URL = "https://example.com/benign"

# Elements that user text must never add to a page (the page's own are counted).
DANGEROUS_TAGS = {
    "script", "style", "iframe", "object", "embed", "form", "svg", "math", "base", "meta",
    "link", "input", "textarea", "select", "button", "template", "noscript", "frame",
    "frameset", "applet", "video", "audio", "source", "track", "title", "xmp", "plaintext",
    "portal", "dialog", "slot", "image", "isindex", "keygen", "marquee", "body", "html",
    "head", "option", "param",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "data",
                  "poster", "background", "ping", "cite"}  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr", "keygen", "image", "isindex"}  # fmt: skip
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_URL_NOISE = re.compile(r"[\t\n\r]")


def years_needed() -> int:
    return -(-len(INPUTS) // PER_YEAR)


def db_text(text: str) -> str:
    """PostgreSQL cannot store NUL; every other character goes in as it is."""
    return text.replace("\x00", "\ufffd") if connection.vendor == "postgresql" else text


def fit(model, name: str, text: str) -> str:
    limit = model._meta.get_field(name).max_length
    return db_text(text[:limit] if limit else text)


def accepted_url(text: str) -> str:
    """The text as an item's link if the model accepts it, else a benign link."""
    candidate = Item(owner_id=1, title="x", url=fit(Item, "url", text))
    try:
        candidate.clean_fields(exclude=[f.name for f in Item._meta.fields if f.name != "url"])
    except ValidationError:
        return BENIGN_URL
    # Django's URLField also accepts ftp(s); the page must show only http(s) links.
    if not candidate.url.lower().startswith(("http://", "https://")):
        return BENIGN_URL
    return candidate.url


REVIEW_FIELDS = (*Review.markdown_fields, "title", "license", "author_name", "language")


@dataclass
class Made:
    years: list[int] = field(default_factory=list)
    review_inputs: dict[tuple[int, str], str] = field(default_factory=dict)


def make_years(owner, text: Callable[[str], str] = lambda t: t) -> Made:
    """Every input in every rendered field, ``PER_YEAR`` inputs a year.

    ``text`` maps each input before it is stored: the identity for the
    hostile pages, a constant for the benign pages they are compared with.
    """
    made = Made()
    padded = INPUTS + INPUTS[: years_needed() * PER_YEAR - len(INPUTS)]
    kinds = Item.Kind.values
    slot = 0
    for k in range(years_needed()):
        year = FIRST_YEAR + k
        made.years.append(year)
        review = Review(owner=owner, year=year)
        for name in REVIEW_FIELDS:
            raw = INPUTS[slot % len(INPUTS)]
            slot += 1
            made.review_inputs[(year, name)] = raw
            setattr(review, name, fit(Review, name, text(raw)))
        # The input opens the document; the template's embeds show every row after it.
        review.document = f"{review.document}\n\n{compose(year, 'en')}"
        review.save()
        for n, raw in enumerate(padded[k * PER_YEAR : (k + 1) * PER_YEAR]):
            value = text(raw)
            day = datetime.date(year, 1 + n % 12, 1 + n % 28)
            entry = Entry.objects.create(
                owner=owner,
                title=fit(Entry, "title", value),
                body=db_text(value),
                started_on=day,
            )
            Photo.objects.create(
                owner=owner,
                entry=entry,
                image="photos/not-a-file.jpg",
                width=40,
                height=30,
                caption=fit(Photo, "caption", value),
            )
            CareerMove.objects.create(
                owner=owner,
                date=day,
                kind=CareerMove.Kind.values[n % len(CareerMove.Kind.values)],
                organization=fit(CareerMove, "organization", value),
                role=fit(CareerMove, "role", value),
                note=db_text(value),
            )
            Item.objects.create(
                owner=owner,
                kind=kinds[n % len(kinds)],
                title=fit(Item, "title", value),
                authors=fit(Item, "authors", value),
                url=accepted_url(value) if value != BENIGN else BENIGN_URL,
                status=Item.Status.FINISHED,
                finished_on=day,
                notes=db_text(value),
            )
            Goal.objects.create(
                owner=owner,
                year=year,
                title=fit(Goal, "title", value),
                description=db_text(value),
                outcome=db_text(value),
            )
    return made


def safe_url(value: str) -> bool:
    """http(s), mailto, or a URL without a scheme (the app's own links)."""
    cleaned = _URL_NOISE.sub("", value).strip(
        " \x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c"
        "\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18"
        "\x19\x1a\x1b\x1c\x1d\x1e\x1f"
    )
    match = _SCHEME.match(cleaned)
    return match is None or match.group(1).lower() in {"http", "https", "mailto"}


class PageScan(HTMLParser):
    """Collects what the checks need while parsing one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, starts user content)
        self.dangerous: Counter[str] = Counter()
        self.hx_outside: Counter[str] = Counter()
        self.problems: list[str] = []
        self.prose_blocks = 0

    @property
    def in_prose(self) -> bool:
        return any(is_prose for _, is_prose in self.stack)

    def handle_starttag(self, tag, attrs):
        names = [name for name, _ in attrs]
        classes = " ".join(value or "" for name, value in attrs if name == "class").split()
        inside = self.in_prose
        if tag in DANGEROUS_TAGS:
            self.dangerous[tag] += 1
            if inside:
                self.problems.append(f"<{tag}> inside user content")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}={value!r} on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None and not safe_url(value):
                self.problems.append(f"{name}={value!r} on <{tag}>")
            if name.startswith(("hx-", "data-hx-")):
                if inside:
                    self.problems.append(f"{name} inside user content")
                else:
                    self.hx_outside[name] += 1
        if inside:
            allowed = markdown.ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}
            if tag not in markdown.ALLOWED_TAGS:
                self.problems.append(f"<{tag}> is not allowed in user content")
            extra = set(names) - allowed
            if extra:
                self.problems.append(f"<{tag}> has attributes {sorted(extra)} in user content")
        is_prose = "prose" in classes
        if is_prose:
            self.prose_blocks += 1
            if "hx-disable" not in names:
                self.problems.append("a .prose block without hx-disable")
        if tag not in VOID:
            self.stack.append((tag, is_prose))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return


def scan(html: str) -> PageScan:
    parser = PageScan()
    parser.feed(html)
    parser.close()
    return parser


def compare_pages(hostile_html: str, benign_html: str) -> list[str]:
    """What the hostile page has that the same page with benign text has not."""
    hostile, benign = scan(hostile_html), scan(benign_html)
    problems = list(hostile.problems)
    if hostile.dangerous != benign.dangerous:
        problems.append(f"elements differ: {hostile.dangerous} against {benign.dangerous}")
    if hostile.hx_outside != benign.hx_outside:
        problems.append(f"hx attributes differ: {hostile.hx_outside} against {benign.hx_outside}")
    return problems


def fragment_problems(html: str) -> list[str]:
    """The checks for user content, on a stored ``x_html`` alone."""
    parser = PageScan()
    parser.stack.append(("div", True))
    parser.feed(html)
    parser.close()
    return parser.problems
