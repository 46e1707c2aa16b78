"""Every form view fuzzed with hypothesis: never a 500, never a partial write.

Values are arbitrary Unicode, empty, huge, numbers in other scripts and
almost-valid dates. A request that is refused leaves every table as it
was; one that succeeds writes exactly the row it reports.
"""

from __future__ import annotations

import datetime
import os

import pytest
from django.forms.models import model_to_dict
from django.test import Client
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from library.models import Item, Tally
from reviews import texts
from reviews.models import Goal, Review, Revision, Trash
from sharing.models import ShareLink
from tests import factories as f
from timeline.models import CareerMove, Entry, Photo

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# The same examples on every run (a suite that fails at random helps nobody);
# FUZZ_RANDOM=1 draws new ones, FUZZ_EXAMPLES=1000 draws more.
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    derandomize=os.environ.get("FUZZ_RANDOM") != "1",
    database=None,
)
HX = {"HTTP_HX_REQUEST": "true"}
ALL_MODELS = (Review, Entry, CareerMove, Photo, Item, Goal, Tally, Revision, Trash, ShareLink)
MODELS = {"entry": Entry, "move": CareerMove, "item": Item, "goal": Goal, "tally": Tally}
FIELDS = {
    "entry": ["title", "started_on", "ended_on", "body", "private"],
    "move": ["date", "kind", "organization", "role", "note", "private"],
    "item": [
        "kind",
        "title",
        "authors",
        "url",
        "status",
        "started_on",
        "finished_on",
        "rating",
        "recommended",
        "notes",
        "private",
    ],  # fmt: skip
    "goal": [
        "title",
        "status",
        "metric_kind",
        "metric_target",
        "description",
        "outcome",
        "private",
    ],  # fmt: skip
    "tally": ["kind", "count", "note", "private"],
}

huge = st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=4), st.integers(1000, 15_000))
digits = st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=6)
dates = st.one_of(
    st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)).map(str),
    st.builds("{}-{}-{}".format, st.integers(-1, 10**6), st.integers(-1, 13), st.integers(-1, 32)),
)
choices = st.sampled_from(
    ["book", "paper", "finished", "want", "joined", "open", "achieved", "5", "0", "on", "true"]
)
value = st.one_of(st.text(), st.text(), huge, digits, dates, choices, st.just(""))


def ascii_digits(text: str) -> bool:
    """Digits from other scripts in goal_year (tested on their own below)."""
    return text.isascii() or not text.isdigit()


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ALL_MODELS}


def form_data(kind: str, draw_values: dict[str, str]) -> dict[str, str]:
    return {f"{kind}-{name}": text for name, text in draw_values.items()}


VALID = {
    "entry": {"title": "新的一天", "started_on": "2020-08-01", "body": "*hi*"},
    "move": {"date": "2020-04-01", "kind": "joined", "organization": "Qinglan"},
    "item": {"kind": "paper", "title": "Raft", "status": "finished", "finished_on": "2020-05-05"},
    "goal": {"title": "Read 12 papers", "status": "open"},
    "tally": {"kind": "paper", "count": "30"},
}


def fields_for(kind: str):
    """Each field missing, valid or arbitrary, so that some rows do get saved."""
    return st.fixed_dictionaries(
        {name: mostly(VALID[kind][name]) for name in VALID[kind]},
        optional={name: value for name in FIELDS[kind] if name not in VALID[kind]},
    )


def mostly(valid: str):
    return st.one_of(st.just(valid), st.just(valid), st.just(valid), value)


@pytest.mark.parametrize("kind", MODELS)
@FUZZ
@given(data=st.data())
def test_adding_a_row(alice, kind, data):
    client = client_for(alice)
    values = data.draw(fields_for(kind))
    year = data.draw(mostly("2020"))
    post = {**form_data(kind, values), "year": year}
    if kind == "goal":
        post["goal_year"] = data.draw(st.one_of(st.just("2021"), value).filter(ascii_digits))
    headers = HX if data.draw(st.booleans()) else {}
    before = counts()

    response = client.post(f"/edit/{kind}/new/", post, **headers)

    assert response.status_code < 500
    after = counts()
    added = after[MODELS[kind].__name__] - before[MODELS[kind].__name__]
    # Either exactly the new row or nothing at all; a full page says which by redirecting.
    assert added in (0, 1)
    event(f"added {added}")
    if not headers:
        assert added == (response.status_code == 302)
    before[MODELS[kind].__name__] += added
    assert after == before


@example(goal_year="²")
@example(goal_year="١٢٣")
@settings(FUZZ, max_examples=20)
@given(goal_year=digits)
def test_a_goal_year_in_other_digits(alice, goal_year):
    client = client_for(alice)
    before = counts()

    response = client.post(
        "/edit/goal/new/",
        {"year": "2020", "goal_year": goal_year, "goal-title": "x", "goal-status": "open"},
    )

    assert response.status_code < 500
    if response.status_code != 302:
        assert counts() == before


def existing(kind: str, owner):
    return {
        "entry": lambda: f.entry(owner, "2020-03-01", body="body"),
        "move": lambda: f.move(owner, "2020-05-01", note="note"),
        "item": lambda: f.item(owner, "2020-06-01", notes="notes", url="https://example.com/"),
        "goal": lambda: f.goal(owner, 2020, description="description"),
        # One count per year and kind: the examples of one test share the table.
        "tally": lambda: Tally.objects.get_or_create(
            owner=owner, year=2020, kind="paper", defaults={"count": 30, "note": "note"}
        )[0],
    }[kind]()


@pytest.mark.parametrize("kind", MODELS)
@FUZZ
@given(data=st.data())
def test_editing_a_row(alice, kind, data):
    client = client_for(alice)
    obj = existing(kind, alice)
    model = MODELS[kind]
    stored = model_to_dict(model.objects.get(pk=obj.pk))
    values = data.draw(fields_for(kind))
    post = {**form_data(kind, values), "year": "2020"}
    before = counts()

    response = client.post(f"/edit/{kind}/{obj.pk}/", post)

    assert response.status_code < 500
    assert counts() == before
    event(f"status {response.status_code}")
    if response.status_code != 302:
        assert model_to_dict(model.objects.get(pk=obj.pk)) == stored


# One long text of each kind (they share one view and one save path), and a review's
# title, the one short text saved this way.
TEXT_FIELDS = [("review", "title")] + [
    (kind, next(name for name in names if name != "title"))
    for kind, (_, names) in texts.texts().items()
]


def text_object(kind: str, owner):
    if kind == "review":
        return Review.objects.get_or_create(owner=owner, year=2020)[0]
    return existing(kind, owner)


@pytest.mark.parametrize(("kind", "field"), TEXT_FIELDS)
@FUZZ
@example(text="x" * 200_001, version="0")
@example(text="", version="")
@example(text="text", version="9" * 5000)
@example(text="text", version="-1")
@given(
    text=value,
    version=st.one_of(st.integers(-2, 3).map(str), st.just("0"), digits, st.text(max_size=8)),
)
def test_autosaving_a_text(alice, kind, field, text, version):
    client = client_for(alice)
    obj = text_object(kind, alice)
    model = type(obj)
    stored = model.objects.get(pk=obj.pk)
    before = counts()

    response = client.post(
        f"/text/{kind}/{obj.pk}/{field}/save/", {"text": text, "version": version}, **HX
    )

    assert response.status_code < 500
    event(f"status {response.status_code}")
    now = model.objects.get(pk=obj.pk)
    if response.status_code == 204:
        # What the client was told is saved is what the database holds.
        assert getattr(now, field) == text.replace("\r\n", "\n")
        assert now.text_version(field) == int(response["X-Text-Version"])
    else:
        assert counts() == before
        assert getattr(now, field) == getattr(stored, field)
        assert now.text_versions == stored.text_versions


@FUZZ
@given(text=value)
def test_the_preview_writes_nothing(alice, text):
    client = client_for(alice)
    before = counts()

    response = client.post("/text/preview/", {"text": text}, **HX)

    assert response.status_code == 200
    assert "<script" not in response.text.lower()
    assert counts() == before


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {}, optional={name: value for name in ("title", "author_name", "language", "license")}
    ),
    htmx=st.booleans(),
)
def test_the_review_settings(alice, data, htmx):
    client = client_for(alice)
    review = Review.objects.get_or_create(owner=alice, year=2020)[0]
    stored = model_to_dict(Review.objects.get(pk=review.pk))
    before = counts()

    response = client.post("/2020/settings/", data, **(HX if htmx else {}))

    assert response.status_code < 500
    assert counts() == before
    if response.status_code not in (204, 302):
        assert model_to_dict(Review.objects.get(pk=review.pk)) == stored


@FUZZ
@example(year="2020")
@example(year="9" * 5000)
@example(year="²")
@given(year=st.one_of(value, st.integers().map(str)))
def test_starting_a_year(alice, year):
    client = client_for(alice)
    before = counts()

    response = client.post("/start/", {"year": year})

    assert response.status_code < 500
    after = counts()
    if response.status_code == 302:
        assert after["Review"] - before["Review"] in (0, 1)
        after["Review"] = before["Review"]
    assert after == before


def test_a_nul_character_in_an_autosave_is_refused(alice):
    client = client_for(alice)
    entry = existing("entry", alice)

    response = client.post(
        f"/text/entry/{entry.pk}/body/save/", {"text": "a\x00b", "version": "0"}, **HX
    )

    assert response.status_code == 422
    assert Entry.objects.get(pk=entry.pk).body == "body"
