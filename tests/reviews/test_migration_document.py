"""Reviews written before the document become documents with nothing lost."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from reviews.document import embeds
from reviews.models import Review, Revision

pytestmark = pytest.mark.slow  # runs the migration executor

BEFORE_THE_DOCUMENT = [("reviews", "0004_year_range_message")]
SECTIONS = {
    "intro": "Opening 开场：这一年。",
    "note_timeline": "Timeline note 时间线笔记。",
    "note_career": "Career note 职业笔记。",
    "note_reading": "Reading note 阅读笔记。",
    "note_goals": "Goals note 目标笔记。",
    "closing": "Closing 结尾，再见。",
}
ANSWERS = {
    f"answer_{key}": f"Answer {key} 回答"
    for key in ("best", "hardest", "let_go", "helped", "learned", "word")
}
LISTS = ["timeline Q1", "timeline Q2", "timeline Q3", "timeline Q4", "timeline year",
         "career", "library",
         "goals", "goals next", "years"]  # fmt: skip


def migrate(targets):
    executor = MigrationExecutor(connection)
    return executor.migrate(targets or executor.loader.graph.leaf_nodes()).apps


def make_old_review(old_apps, owner, year: int, **fields):
    model = old_apps.get_model("reviews", "Review")
    return model.objects.create(owner_id=owner.pk, year=year, language="en", **fields)


@pytest.mark.django_db(transaction=True)
def test_every_old_text_and_every_list_is_in_the_migrated_document(alice):
    old = migrate(BEFORE_THE_DOCUMENT)
    make_old_review(old, alice, 2020, show_answers=True, **SECTIONS, **ANSWERS)
    make_old_review(old, alice, 2019, show_answers=False, **SECTIONS, **ANSWERS)
    make_old_review(old, alice, 2018)

    migrate(None)

    shared = Review.objects.get(owner=alice, year=2020)
    text = shared.document
    for written in [*SECTIONS.values(), *ANSWERS.values()]:
        assert written in text
        assert written in shared.document_html  # rendered, ready for the page
    assert [f"{e.kind} {' '.join(e.args)}".strip() for e in embeds(text)] == LISTS
    # Where they stood on the page: the opening first, each note before its list.
    assert text.index(SECTIONS["intro"]) < text.index("[[timeline Q1]]")
    assert text.index(SECTIONS["note_career"]) < text.index("[[career]]")
    assert text.index(SECTIONS["note_reading"]) < text.index("[[library]]")
    assert text.index(SECTIONS["note_goals"]) < text.index("[[goals]]")
    assert text.index("[[goals next]]") < text.index(SECTIONS["closing"])
    assert shared.text_version("document") == 1

    # Answers kept off shared pages stay out of the document, in its history.
    kept_private = Review.objects.get(owner=alice, year=2019)
    for written in SECTIONS.values():
        assert written in kept_private.document
    for written in ANSWERS.values():
        assert written not in kept_private.document
    history = Revision.objects.get(object_id=kept_private.pk, field="document")
    for written in [*SECTIONS.values(), *ANSWERS.values()]:
        assert written in history.text

    # A review with no text at all gets the new year's template.
    empty = Review.objects.get(owner=alice, year=2018)
    assert [f"{e.kind} {' '.join(e.args)}".strip() for e in embeds(empty.document)] == LISTS
