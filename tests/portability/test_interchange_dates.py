"""Dates of every precision in the interchange format: written as YYYY, YYYY-Qn, YYYY-MM or
YYYY-MM-DD, read back exactly; a version 1 file's days mean what they meant."""

from __future__ import annotations

import datetime
import json

import pytest

from core.dates import Precision
from library.models import Item
from portability.backup import json_bytes
from portability.interchange import export_data, import_data
from tests.portability.interchange_data import ENTRY, ITEM, MOVE, minimal, minimal_v1
from timeline.models import CareerMove, Entry

pytestmark = pytest.mark.django_db

EVERY_PRECISION = ["2020-04-17", "2020-04", "2020-Q2", "2020"]


def document_with_every_precision() -> dict:
    # In the order export writes: by date, a year-only date after its year's known months.
    return minimal(
        timeline=[
            {**ENTRY, "title": "Quarter", "started_on": "2020-Q2", "ended_on": "2020-Q3"},
            {**ENTRY, "title": "Months", "started_on": "2020-04", "ended_on": "2020-06"},
            {**ENTRY, "title": "Day", "started_on": "2020-04-17", "ended_on": "2020-04-20"},
            {**ENTRY, "title": "Mixed", "started_on": "2020-07", "ended_on": "2021"},
            {**ENTRY, "title": "Year", "started_on": "2020", "ended_on": None},
        ],
        career=[
            {**MOVE, "organization": "Quarter", "date": "2019-Q4"},
            {**MOVE, "organization": "Year", "date": "2019"},
            {**MOVE, "organization": "Month", "date": "2020-02"},
            {**MOVE, "organization": "Day", "date": "2020-05-01"},
        ],
        library=[
            {**ITEM, "title": "Day", "started_on": "2020-01-02", "finished_on": "2020-01-05"},
            {**ITEM, "title": "Month", "started_on": "2020-Q1", "finished_on": "2020-02"},
            {**ITEM, "title": "Quarter", "started_on": None, "finished_on": "2020-Q4"},
            {**ITEM, "title": "Year", "started_on": "2019", "finished_on": "2020"},
        ],
    )


def test_a_file_with_every_precision_round_trips_exactly(alice, bob):
    document = document_with_every_precision()

    report = import_data(alice, json.loads(json.dumps(document)))
    assert report.ok, [str(p) for p in report.problems]
    exported = export_data(alice)
    assert [{k: v for k, v in e.items() if k != "key"} for e in exported["timeline"]] == (
        document["timeline"]
    )
    assert [m["date"] for m in exported["career"]] == ["2019-Q4", "2019", "2020-02", "2020-05-01"]
    assert [(i["started_on"], i["finished_on"]) for i in exported["library"]] == [
        ("2020-01-02", "2020-01-05"),
        ("2020-Q1", "2020-02"),
        (None, "2020-Q4"),
        ("2019", "2020"),
    ]

    again = import_data(bob, json.loads(json_bytes(exported)))
    assert again.ok
    assert json_bytes(export_data(bob)) == json_bytes(exported)


def test_import_stores_a_start_on_its_first_day_and_an_end_on_its_last(alice):
    import_data(alice, document_with_every_precision())

    quarter = Entry.objects.get(owner=alice, title="Quarter")
    assert (quarter.started_on, quarter.ended_on) == (
        datetime.date(2020, 4, 1),
        datetime.date(2020, 9, 30),
    )
    assert (quarter.started_precision, quarter.ended_precision) == ("quarter", "quarter")
    year = Item.objects.get(owner=alice, title="Year")
    assert (year.started_on, year.finished_on) == (
        datetime.date(2019, 1, 1),
        datetime.date(2020, 12, 31),
    )
    assert CareerMove.objects.get(owner=alice, organization="Month").date_precision == "month"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2020-Q5", "There is no quarter 5: a year has Q1 to Q4."),
        ("2020-13", "There is no month 13: months go from 1 to 12."),
        ("2021-02-29", '"2021-02-29" is not a date'),
        ("20", '"20" is not a date'),
        ("2020年4月", '"2020年4月" is not a date'),
        ("2020-q2", '"2020-q2" is not a date'),
    ],
)
def test_a_date_that_does_not_exist_is_a_problem_with_its_path(bob, value, message):
    report = import_data(bob, minimal(career=[{**MOVE, "date": value}]))

    assert [str(p) for p in report.problems] == [f"career[0].date: {message}"]
    assert not CareerMove.objects.filter(owner=bob).exists()


def test_an_end_before_its_start_is_judged_on_the_whole_periods(bob):
    # 2020-Q2 to 2020-04 overlaps (April is in Q2); 2020 to 2019 does not.
    fine = minimal(timeline=[{**ENTRY, "started_on": "2020-Q2", "ended_on": "2020-04"}])
    assert import_data(bob, fine).ok
    wrong = minimal(timeline=[{**ENTRY, "started_on": "2020", "ended_on": "2019"}])
    assert not import_data(bob, wrong).ok


def test_a_version_1_file_imports_its_days_as_days(bob):
    document = minimal_v1(
        timeline=[{**ENTRY, "started_on": "2020-04-01", "ended_on": "2020-06-30"}],
        career=[{**MOVE, "date": "2020-01-01"}],
        library=[{**ITEM, "finished_on": "2020-12-31"}],
    )

    assert import_data(bob, document).ok

    entry = Entry.objects.get(owner=bob)
    assert (entry.started_precision, entry.ended_precision) == (Precision.DAY, Precision.DAY)
    assert entry.span == "Apr – Jun"  # as before: a span of days within a year
    assert CareerMove.objects.get(owner=bob).date_precision == Precision.DAY
    assert Item.objects.get(owner=bob).finished_precision == Precision.DAY
    assert export_data(bob)["timeline"][0]["started_on"] == "2020-04-01"


@pytest.mark.parametrize("value", ["2020", "2020-Q2", "2020-04"])
def test_a_version_1_file_has_only_days(bob, value):
    report = import_data(bob, minimal_v1(career=[{**MOVE, "date": value}]))

    assert [str(p) for p in report.problems] == [
        f'career[0].date: "{value}" is a year, quarter or month; version 1 has only whole days'
        " (YYYY-MM-DD)"
    ]
