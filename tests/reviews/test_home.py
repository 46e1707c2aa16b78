"""Home: the latest year written in, or a first page that starts any recent year."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command

from reviews.models import Goal, Review
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_home_skips_a_later_year_that_only_holds_goals(alice_client, alice):
    f.entry(alice, "2024-05-01")
    f.goal(alice, 2026)

    response = alice_client.get("/")

    assert response.status_code == 302 and response["Location"] == "/2024/"


def test_a_started_review_counts_as_written(alice_client, alice):
    f.entry(alice, "2023-05-01")
    f.review(alice, 2025)
    assert alice_client.get("/")["Location"] == "/2025/"


def test_an_account_with_only_goals_opens_their_year(alice_client, alice):
    f.goal(alice, 2027)
    assert alice_client.get("/")["Location"] == "/2027/"


def test_the_demo_account_lands_on_its_latest_written_year(client, django_user_model):
    call_command("demo", stdout=io.StringIO())
    demo = django_user_model.objects.get(username="demo")
    latest = Review.objects.filter(owner=demo).latest("year").year
    # The demo sets goals for the year after its last review: that year must not open.
    assert Goal.objects.filter(owner=demo, year=latest + 1).exists()
    client.force_login(demo)

    assert client.get("/")["Location"] == f"/{latest}/"


def test_the_first_page_starts_this_year_or_any_recent_past_year(alice_client, alice):
    this_year = datetime.date.today().year

    html = alice_client.get("/").content.decode()

    offered = [int(y) for y in re.findall(r'name="year" value="(\d+)"', html)]
    assert offered[0] == this_year
    assert [this_year - n for n in range(1, 6)] == offered[1:6]
    assert 'type="number" id="start-year"' in html
    response = alice_client.post("/start/", {"year": this_year - 3})
    assert response["Location"] == f"/{this_year - 3}/?new=1"
    assert alice_client.get("/")["Location"] == f"/{this_year - 3}/"


def test_the_first_page_speaks_chinese(alice_client):
    html = alice_client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Or write about a year gone by" not in html and "Any other year" not in html
