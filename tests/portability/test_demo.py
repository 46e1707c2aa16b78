"""The demo command: three years of data in every section, idempotent."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command

from library.models import Item
from portability.backup import json_bytes
from portability.interchange import export_data, export_extensions, import_data
from portability.management.commands.demo import DATA, load
from reviews import document
from reviews.models import Goal, Review
from timeline.models import CareerMove, Entry

pytestmark = pytest.mark.django_db

MODELS = [Review, Goal, Entry, CareerMove, Item]


def snapshot() -> str:
    rows = []
    for model in MODELS:
        rows.extend(model.objects.order_by("pk"))
    return serializers.serialize("json", rows)


def year_page(client, year: int) -> str:
    """The page without its CSRF token, which is masked afresh on every request."""
    html = client.get(f"/{year}/").content.decode()
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]*', r"\1", html)


def run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_twice_leaves_the_database_unchanged(django_user_model):
    first = run_demo()
    before = snapshot()
    password = django_user_model.objects.get(username="demo").password

    second = run_demo()

    assert "password" in first and "password" in second
    assert snapshot() == before
    assert django_user_model.objects.get(username="demo").password == password


def test_demo_has_three_years_in_every_section(django_user_model, client):
    run_demo()
    demo = django_user_model.objects.get(username="demo")
    assert client.login(username="demo", password="demo-almanac-2025")

    years = sorted(Review.objects.filter(owner=demo).values_list("year", flat=True))
    assert len(years) >= 3 and years == list(range(years[0], years[0] + len(years)))
    for year in years:
        entries = Entry.objects.filter(owner=demo, started_on__year=year)
        assert {(e.started_on.month - 1) // 3 + 1 for e in entries} == {1, 2, 3, 4}
        assert CareerMove.objects.filter(owner=demo, date__year=year).exists()
        items = Item.objects.filter(owner=demo, finished_on__year=year)
        assert items.count() >= 10 and items.values("kind").distinct().count() >= 3
        assert Goal.objects.filter(owner=demo, year=year).values("status").distinct().count() >= 2
        assert Goal.objects.filter(owner=demo, year=year + 1).exists()
        assert client.get(f"/{year}/").status_code == 200
    texts = " ".join(Entry.objects.filter(owner=demo).values_list("title", flat=True))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in texts)
    assert any(ch.isascii() and ch.isalpha() for ch in texts)


def test_if_empty_loads_demo_only_into_an_empty_database(django_user_model):
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert django_user_model.objects.filter(username="demo").exists()

    django_user_model.objects.all().delete()
    django_user_model.objects.create_user("someone")
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)

    assert not django_user_model.objects.filter(username="demo").exists()
    assert "no demo account was added" in out.getvalue()


def test_the_shipped_data_is_what_the_importer_loads_and_the_exporter_writes(django_user_model):
    run_demo()
    demo = django_user_model.objects.get(username="demo")

    # Byte for byte: a hand edit the importer reads differently, or a change of the
    # format the files do not follow, fails here.
    assert json_bytes(export_data(demo)) == (DATA / "data.json").read_bytes()
    assert json_bytes(export_extensions(demo)) == (DATA / "almanac.json").read_bytes()


def test_importing_the_demo_again_adds_nothing(django_user_model, client):
    run_demo()
    demo = django_user_model.objects.get(username="demo")
    client.force_login(demo)
    before, page = snapshot(), year_page(client, 2024)

    report = import_data(demo, load("data.json"), extensions=load("almanac.json"))

    assert report.ok and report.total_added == 0 and report.total_skipped > 100
    assert snapshot() == before
    assert year_page(client, 2024) == page


def test_the_demo_documents_embed_rows_the_demo_holds(django_user_model):
    run_demo()
    demo = django_user_model.objects.get(username="demo")
    kinds = {"entry": Entry, "move": CareerMove, "item": Item, "goal": Goal}

    embedded = [
        embed
        for review in Review.objects.filter(owner=demo)
        for embed in document.embeds(review.document)
    ]

    assert {"timeline", "career", "library", "goals", "compare", "years"} <= {
        embed.kind for embed in embedded
    }
    rows = [embed for embed in embedded if embed.is_row]
    assert rows and not any(embed.problem for embed in embedded)
    for embed in rows:
        assert kinds[embed.kind].objects.filter(owner=demo, key=embed.key).exists(), embed


@pytest.mark.parametrize(
    ("address", "printed"),
    [
        ("127.0.0.1:8123", "log in at http://127.0.0.1:8123/accounts/login/"),
        ("0.0.0.0:9000", "log in at http://127.0.0.1:9000/accounts/login/"),
        ("[::]:8001", "log in at http://[::1]:8001/accounts/login/"),
        ("localhost:8002", "log in at http://localhost:8002/accounts/login/"),
        ("8003", "log in at http://127.0.0.1:8003/accounts/login/"),
    ],
)
def test_demo_prints_the_address_it_is_given(address, printed):
    out = io.StringIO()
    call_command("demo", "--address", address, stdout=out)
    assert printed in out.getvalue()
    assert "8000" not in out.getvalue()


def test_demo_without_an_address_prints_only_the_path():
    text = run_demo()
    assert "log in at /accounts/login/ on the address your server listens on" in text
    assert "http" not in text


def test_demo_refuses_a_bad_address_with_a_message():
    with pytest.raises(CommandError, match="--address must be HOST:PORT"):
        call_command("demo", "--address", "127.0.0.1:http", stdout=io.StringIO())


def test_make_run_tells_demo_the_address_it_serves_on():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    assert "demo --if-empty --address $(HOST):$(PORT)" in makefile
    assert "runserver $(HOST):$(PORT)" in makefile
