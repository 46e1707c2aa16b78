"""An item's start and finish dates lie in 1900–2200, as the year page of its finish does."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from library.forms import ItemForm
from library.models import Item

pytestmark = pytest.mark.django_db  # a form checks the model constraints in the database

MESSAGE = "The date must be between 1900 and 2200."


def _form(**dates) -> ItemForm:
    return ItemForm(data={"kind": "book", "title": "Book", "status": "finished", **dates})


@pytest.mark.parametrize("day", ["0202-05-01", "9999-01-01", "1899-12-31", "2201-01-01"])
@pytest.mark.parametrize("field", ["started_on", "finished_on"])
def test_the_item_form_refuses_a_date_out_of_range(field, day):
    form = _form(**{field: day})
    assert not form.is_valid()
    assert form.errors[field] == [MESSAGE]


def test_the_ends_of_the_range_are_accepted():
    assert _form(started_on="1900-01-01", finished_on="2200-12-31").is_valid()


@pytest.mark.parametrize("field", ["started_on", "finished_on"])
def test_the_database_refuses_a_date_out_of_range(alice, field):
    item = Item(owner=alice, title="Book", **{field: datetime.date(9999, 1, 1)})
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.bulk_create([item])
