"""Every page of the app a browser can GET, for the tests that visit them all.

Used by tests/test_query_budget.py and tests/test_no_render_on_view.py. A URL
is built at test time from an account object that has ``first`` (the
objects the URLs name: ``first["entry"]`` …), ``token`` (a live share link's)
and ``revision(kind)`` (the pk of a revision of that kind's text). A route
that is not registered yet skips its test with the reason, so a page added
later is covered once it exists; add new pages here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

YEAR = 2020
TEXT_FIELDS = {
    "review": "document",
    "entry": "body",
    "move": "note",
    "item": "notes",
    "goal": "description",
}
ROW_KINDS = ["entry", "move", "item", "goal"]

Account = Any  # see the module docstring


@dataclass(frozen=True)
class Page:
    """A page: how to build its URL for an account, and who asks for it."""

    name: str
    url: Callable[[Account], str]
    anonymous: bool = False
    status: int = 200
    htmx: bool = False
    measured_account: str = "owner"  # "other": the data grows on someone else's account
    over_budget: str = ""  # a known excess of the query budget, reported to the lead


def by_name(name: str, *args, query: str = "") -> Callable[[Account], str]:
    def url(account: Account) -> str:
        values = [arg(account) if callable(arg) else arg for arg in args]
        try:
            return reverse(name, args=values) + query
        except NoReverseMatch:
            pytest.skip(f"route {name!r} is not registered yet")

    return url


def by_path(path: str) -> Callable[[Account], str]:
    def url(account: Account) -> str:
        try:
            resolve(path.split("?")[0])
        except Resolver404:
            pytest.skip(f"{path} is not routed yet")
        return path

    return url


def pk(kind: str) -> Callable[[Account], int]:
    return lambda account: account.first[kind].pk


PAGES = [
    Page("login", by_path("/accounts/login/"), anonymous=True),
    Page("password-change", by_path("/accounts/password_change/")),
    Page("home", by_name("reviews:home"), status=302),
    Page("first-run", by_name("reviews:home"), measured_account="other"),
    Page("years", by_name("reviews:years")),
    Page("year", by_name("reviews:year", YEAR)),
    Page("year-welcome", by_name("reviews:year", YEAR, query="?new=1")),
    Page("year-all", by_name("reviews:year", YEAR, query="?all=1")),
    Page("year-part", by_name("reviews:year-part", YEAR, "reading-counts"), htmx=True),
    Page("year-part-quarter", by_name("reviews:year-part", YEAR, "q2"), htmx=True),
    Page("year-part-kind", by_name("reviews:year-part", YEAR, "kind-book"), htmx=True),
    Page("compare", by_name("reviews:compare", YEAR)),
    Page("compare-with", by_name("reviews:compare", YEAR, query=f"?with={YEAR - 3}")),
    Page("review-settings", by_name("reviews:review-settings", YEAR)),
    Page("share-links", by_name("sharing:links", YEAR)),
    Page("export-md", by_name("sharing:export-md", YEAR)),
    Page("export-md-public", by_name("sharing:export-md", YEAR, query="?public=1")),
    Page("share", by_name("sharing:share", lambda a: a.token), anonymous=True),
    Page("library", by_path("/library/")),
    Page("library-filtered", by_path(f"/library/?year={YEAR}&q=Item")),
    Page("career", by_path("/career/")),
    Page("goals", by_path("/goals/")),
    Page("data", by_name("portability:data")),
    Page("data-export-json", by_name("portability:export-json")),
    Page(
        "data-export-zip",
        by_name("portability:export-zip"),
        over_budget="13 queries: after export_data (6), export_extensions reads reviews, items"
        " and goals again (3) and photo_sources entries and photos again (2)",
    ),
    Page("photos", by_name("timeline:photo-upload", pk("entry"))),
    *[
        Page(f"row-new-{k}", by_name("reviews:row-new", k, query=f"?year={YEAR}"))
        for k in ROW_KINDS
    ],
    *[
        Page(f"row-edit-{k}", by_name("reviews:row-edit", k, pk(k), query=f"?year={YEAR}"))
        for k in ROW_KINDS
    ],
    *[
        Page(
            f"text-editor-{k}",
            by_name("reviews:text-editor", k, pk(k), f, query=f"?year={YEAR}"),
        )
        for k, f in TEXT_FIELDS.items()
    ],
    *[
        Page(f"text-history-{k}", by_name("reviews:text-history", k, pk(k), f))
        for k, f in TEXT_FIELDS.items()
    ],
    Page(
        "text-revision",
        by_name(
            "reviews:text-revision", "entry", pk("entry"), "body", lambda a: a.revision("entry")
        ),
    ),
]
