"""Crafted query parameters on the text, edit and year views never give a 5xx.

Each view is walked with every parameter it reads set, one at a time, to
values a person might craft by hand: words, signs, huge numbers, years
out of range, non-ASCII digits, NUL, repeats. Each answer is a page, a
redirect, a 400 or a 404, never a server error.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client

from reviews import texts, trash
from reviews.models import Revision
from tests import factories as f

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
]  # a walk of every view with every crafted value

BAD_VALUES = [
    "abc",
    "-1",
    "0",
    "1",
    "1899",
    "2201",
    "9999",
    "99999999999999999999999",
    "1e3",
    "0x7e4",
    "2020.0",
    " 2020",
    "２０２０",  # full-width digits: isdigit() but not ASCII
    "٢٠٢٠",  # Arabic-Indic digits
    "\x00",
    "%00",
    "[]",
    "true",
    "",
]


@pytest.fixture
def client(alice) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    return client


@pytest.fixture
def walk(alice) -> list[tuple[str, str, dict[str, str], tuple[str, ...]]]:
    """(method, path, valid parameters, the parameters to craft) for every view."""
    review = f.review(alice, 2020, document="opening")
    entry = f.entry(alice, "2020-03-01", body="first")
    texts.save_text(entry, "body", "second", 0)
    revision = Revision.objects.filter(object_id=entry.pk, field="body").first()
    goal = f.goal(alice, 2020)
    kept = trash.delete(f.entry(alice, "2020-04-01"))
    text = f"/text/review/{review.pk}/document"
    body = f"/text/entry/{entry.pk}/body"
    year = {"year": "2020"}
    entry_form = {"year": "2020", "entry-title": "T", "entry-started_on": "2020-03-01"}
    goal_form = {"year": "2020", "goal_year": "2021", "goal-title": "G", "goal-status": "open"}
    return [
        ("get", f"{text}/", {"year": "2020"}, ("year", "closable", "view")),
        ("get", f"{text}/", {"year": "2020", "closable": "1"}, ("year", "view")),
        ("get", f"{text}/", {"year": "2020", "view": "1"}, ("year", "closable")),
        ("get", f"{text}/", {}, ("closable", "view")),
        ("get", f"{body}/history/", year, ("year",)),
        ("get", f"{body}/history/{revision.pk}/", year, ("year",)),
        ("post", f"{body}/save/", {"year": "2020", "version": "1", "text": "x"}, ("year",)),
        ("post", f"{body}/save/", {"year": "2020", "text": "x"}, ("version",)),
        ("post", f"{body}/history/{revision.pk}/restore/", year, ("year",)),
        ("get", "/edit/goal/new/", {"year": "2020", "slot": "1"}, ("year", "slot", "goal_year")),
        ("get", "/edit/goal/new/", year, ("year", "goal_year")),
        ("post", "/edit/goal/new/", goal_form, ("year", "goal_year")),
        ("post", "/edit/entry/new/", entry_form, ("year",)),
        ("get", f"/edit/goal/{goal.pk}/", year, ("year", "goal_year")),
        ("post", f"/edit/entry/{entry.pk}/", entry_form, ("year", "goal_year")),
        ("get", f"/edit/entry/{entry.pk}/view/", year, ("year",)),
        ("post", f"/edit/goal/{goal.pk}/delete/", year, ("year",)),
        ("post", f"/undo/{kept.pk}/", year, ("year",)),
        ("get", "/2020/", {}, ("all", "new")),
        ("get", "/2020/compare/", {}, ("with",)),
        ("get", "/2020/settings/", {}, ()),
        ("get", "/2020/part/q1/", {}, ()),
    ]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_no_crafted_parameter_gives_a_server_error(client, walk, htmx):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    errors = []
    for method, path, valid, crafted in walk:
        for name in crafted:
            for value in BAD_VALUES:
                params = {**valid, name: value}
                if method == "get":
                    response = client.get(f"{path}?{urlencode(params)}", **headers)
                else:
                    response = client.post(path, params, **headers)
                if response.status_code >= 500:
                    errors.append(f"{method.upper()} {path} {name}={value!r}")
    assert not errors, "\n".join(errors)


def test_a_repeated_parameter_is_no_server_error(client, walk):
    for method, path, valid, crafted in walk:
        for name in crafted:
            query = urlencode([*valid.items(), (name, "abc"), (name, "2020")])
            response = getattr(client, method)(f"{path}?{query}")
            assert response.status_code < 500, (method, path, name)


def test_a_crafted_year_on_a_text_is_ignored(client, alice):
    review = f.review(alice, 2020)

    response = client.get(f"/text/review/{review.pk}/document/?year=-1&closable=1")

    assert response.status_code == 200
    html = response.content.decode()
    assert "history/?year=-1" not in html and 'history/?year="' in html
    assert 'name="year" value=""' in html
    assert 'href="/" data-flush' in html  # "Done" leads home, not to a year that is not there


def test_a_crafted_goal_year_is_a_404_never_echoed(client):
    assert client.get("/edit/goal/new/?year=2020&slot=1&goal_year=abc").status_code == 404
    assert client.get("/edit/goal/new/?year=2020&goal_year=２０２１").status_code == 404

    response = client.get("/edit/goal/new/?year=2020&slot=1&goal_year=2021")
    assert response.status_code == 200 and "goal_year=2021" in response.content.decode()
