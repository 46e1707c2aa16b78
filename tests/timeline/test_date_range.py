"""Every date of an entry or a career move lies in 1900–2200, as its year page does.

A date outside the range had no year page: home redirected to a 404 on every
login and no page could edit or delete the row. The forms refuse such a
date beside its field, the database refuses it too, and a row stored before
the rule (brought into range by the migration) never sends home astray.
"""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from reviews import services
from tests import factories as f
from timeline.forms import CareerMoveForm, EntryForm
from timeline.models import CareerMove, Entry

pytestmark = pytest.mark.django_db  # a form checks the model constraints in the database

MESSAGE = "The date must be between 1900 and 2200."
OUT_OF_RANGE = ["0202-05-01", "9999-01-01", "1899-12-31", "2201-01-01"]


@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_the_entry_form_refuses_a_start_out_of_range(day):
    form = EntryForm(data={"title": "Trip", "started_on": day})
    assert not form.is_valid()
    assert form.errors["started_on"] == [MESSAGE]


@pytest.mark.parametrize("day", ["9999-01-01", "2201-01-01"])  # not before the start
def test_the_entry_form_refuses_an_end_out_of_range(day):
    form = EntryForm(data={"title": "Trip", "started_on": "1900-01-01", "ended_on": day})
    assert not form.is_valid()
    assert form.errors["ended_on"] == [MESSAGE]


@pytest.mark.parametrize("day", OUT_OF_RANGE)
def test_the_career_form_refuses_a_date_out_of_range(day):
    form = CareerMoveForm(data={"date": day, "kind": "joined", "organization": "ACME"})
    assert not form.is_valid()
    assert form.errors["date"] == [MESSAGE]


@pytest.mark.parametrize("day", ["1900-01-01", "2200-12-31"])
def test_the_ends_of_the_range_are_accepted(day):
    assert EntryForm(data={"title": "Trip", "started_on": day, "ended_on": day}).is_valid()
    form = CareerMoveForm(data={"date": day, "kind": "joined", "organization": "ACME"})
    assert form.is_valid()


def test_the_entry_edit_page_shows_the_message_beside_the_field(alice_client, alice):
    entry = f.entry(alice, "2020-03-01", title="Trip")
    response = alice_client.post(
        reverse("reviews:row-edit", args=["entry", entry.pk]) + "?year=2020",
        {"entry-title": "Trip", "entry-started_on": "9999-01-01"},
    )
    assert MESSAGE in response.content.decode()
    entry.refresh_from_db()
    assert entry.started_on == datetime.date(2020, 3, 1)


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Entry, {"title": "t", "started_on": datetime.date(9999, 1, 1)}),
        (
            Entry,
            {
                "title": "t",
                "started_on": datetime.date(2020, 1, 1),
                "ended_on": datetime.date(9999, 1, 1),
            },
        ),  # fmt: skip
        (CareerMove, {"kind": "joined", "organization": "o", "date": datetime.date(202, 5, 1)}),
    ],
)
def test_the_database_refuses_a_date_out_of_range(alice, model, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.bulk_create([model(owner=alice, **fields)])


def _store_unchecked(sql: str, params: list) -> None:
    """Write past the check constraints, as a database from before the rule holds rows."""
    if connection.vendor != "sqlite":
        pytest.skip("needs SQLite's ignore_check_constraints")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA ignore_check_constraints = ON")
        try:
            cursor.execute(sql, params)
        finally:
            cursor.execute("PRAGMA ignore_check_constraints = OFF")


def test_home_never_redirects_to_a_year_out_of_range(alice_client, alice):
    move = f.move(alice, "2020-05-01")
    f.entry(alice, "2019-03-01")
    _store_unchecked(
        f"UPDATE {CareerMove._meta.db_table} SET date = %s WHERE id = %s", ["9999-01-01", move.pk]
    )
    assert services.years_with_data(alice) == [2019]
    response = alice_client.get(reverse("reviews:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:year", args=[2019])


def test_the_migration_brings_old_dates_to_the_nearest_end_of_the_range(alice):
    entry = f.entry(alice, "2020-03-01", "2020-04-01")
    move = f.move(alice, "2020-05-01")
    table = Entry._meta.db_table
    _store_unchecked(
        f"UPDATE {table} SET started_on = %s, ended_on = %s WHERE id = %s",
        ["0202-05-01", "9999-01-01", entry.pk],
    )
    _store_unchecked(
        f"UPDATE {CareerMove._meta.db_table} SET date = %s WHERE id = %s", ["0001-01-01", move.pk]
    )
    migration = importlib.import_module("timeline.migrations.0002_dates_in_range")
    migration.clamp_dates(apps, None)

    entry.refresh_from_db()
    move.refresh_from_db()
    assert (entry.started_on, entry.ended_on) == (
        datetime.date(1900, 1, 1),
        datetime.date(2200, 12, 31),
    )
    assert move.date == datetime.date(1900, 1, 1)
