"""Share links made while they belonged to reviews survive the move to the sharing app."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from sharing.models import ShareLink, hash_token
from tests import factories as f

pytestmark = pytest.mark.slow  # runs the migration executor

BEFORE_THE_MOVE = [("reviews", "0002_review_answers"), ("sharing", None)]


def migrate(targets):
    """Migrate the test database to ``targets``; the models as they are there."""
    executor = MigrationExecutor(connection)
    return executor.migrate(targets or executor.loader.graph.leaf_nodes()).apps


@pytest.mark.django_db(transaction=True)
def test_a_link_made_before_the_move_still_opens(alice):
    f.review(alice, 2024, title="Before the move")
    f.entry(alice, "2024-03-01", title="Something happened")
    old = migrate(BEFORE_THE_MOVE)
    old_link = old.get_model("reviews", "ShareLink")
    old_link.objects.create(
        owner_id=alice.pk,
        review=old.get_model("reviews", "Review").objects.get(year=2024),
        token_hash=hash_token("made-before-the-move"),
    )
    content_types = old.get_model("contenttypes", "ContentType").objects
    content_types.filter(model="sharelink").delete()
    old_type = content_types.create(app_label="reviews", model="sharelink")

    migrate(None)  # to the latest

    link = ShareLink.objects.get()
    assert link.review.title == "Before the move"
    response = Client().get(reverse("sharing:share", args=["made-before-the-move"]))
    assert response.status_code == 200
    assert "Something happened" in response.content.decode()
    assert ShareLink.objects.get().views == 1
    assert content_types.get(pk=old_type.pk).app_label == "sharing"  # its permissions follow


@pytest.mark.django_db(transaction=True)
def test_a_link_made_before_links_named_years_opens_its_own_year_only(alice):
    for year in (2023, 2024):
        f.review(alice, year, title=f"Review of {year}")
    old = migrate([("sharing", "0001_initial")])
    old_link = old.get_model("sharing", "ShareLink")
    reviews = old.get_model("reviews", "Review").objects
    for year, token in ((2024, "older"), (2023, "2023")):
        old_link.objects.create(
            owner_id=alice.pk, review=reviews.get(year=year), token_hash=hash_token(token)
        )

    migrate(None)  # to the latest

    assert ShareLink.objects.get(token_hash=hash_token("older")).years == [2024]
    client = Client()
    assert client.get("/s/older/").status_code == 200
    assert client.get("/s/older/2024/").status_code == 200
    assert client.get("/s/older/2023/").status_code == 404  # though 2023 has a live link
