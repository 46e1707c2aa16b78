"""A deleted row's texts live on only for the undo window, then nothing of it remains."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from reviews import texts, trash
from reviews.models import Revision
from tests import factories

CANARY = "purge-canary-7f3a"


def _cells_holding(needle: str) -> list[str]:
    """Every table and column in the database whose value contains ``needle``."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [col[0] for col in cursor.description]
            for row in cursor.fetchall():
                found += [
                    f"{table}.{col}"
                    for col, value in zip(columns, row, strict=True)
                    if needle in str(value)
                ]
    return found


def _entry_with_history(owner):
    entry = factories.entry(owner, title=f"{CANARY} title", body=f"{CANARY} first")
    for n in range(3):
        result = texts.save_text(entry, "body", f"{CANARY} draft {n}", n, fold=False)
        assert result.saved
    return entry


@pytest.mark.django_db
def test_undo_keeps_the_history_of_a_deleted_row(alice):
    entry = _entry_with_history(alice)
    pk = entry.pk
    kept = trash.delete(entry)
    assert Revision.objects.filter(object_id=pk, field="body").count() == 4
    restored = trash.restore(kept)
    assert len(texts.history(restored, "body")) == 4


@pytest.mark.django_db
def test_no_text_of_a_purged_row_remains_in_any_table(alice):
    goal = factories.goal(alice, description=f"{CANARY} goal")
    texts.save_text(goal, "description", f"{CANARY} goal again", 0, fold=False)
    entry = _entry_with_history(alice)
    trash.delete(entry)
    trash.delete(goal)
    assert _cells_holding(CANARY)  # within the undo window everything is kept

    later = timezone.now() + trash.KEEP + datetime.timedelta(minutes=1)
    assert trash.purge_expired(now=later) == 2
    assert _cells_holding(CANARY) == []


@pytest.mark.django_db
def test_a_row_deleted_outside_the_trash_takes_its_history_along(alice):
    entry = _entry_with_history(alice)
    type(entry).objects.filter(pk=entry.pk).delete()  # the admin, a bulk delete
    assert _cells_holding(CANARY) == []
