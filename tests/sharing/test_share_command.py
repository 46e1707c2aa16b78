"""manage.py share: make a link and print its path last; --revoke kills every live one."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from reviews.models import Review
from sharing.models import ShareLink, hash_token
from tests import factories as f

pytestmark = pytest.mark.django_db


def share(*args) -> list[str]:
    out = io.StringIO()
    call_command("share", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_it_prints_the_path_as_the_last_line(alice):
    f.review(alice, 2024, title="Shared year")

    lines = share("alice", "2024")

    path = lines[-1]
    assert re.fullmatch(r"/s/[A-Za-z0-9_-]{43}/", path)
    link = ShareLink.objects.get()
    assert link.token_hash == hash_token(path[3:-1]) and link.expires_at is None
    assert "Shared year" in Client().get(path).content.decode()


def test_expires_days_sets_the_expiry(alice):
    f.review(alice, 2024)
    before = timezone.now()

    share("alice", "2024", "--expires-days", "7")

    link = ShareLink.objects.get()
    assert before + datetime.timedelta(days=7) <= link.expires_at
    assert link.expires_at <= timezone.now() + datetime.timedelta(days=7)


def test_revoke_kills_every_live_link(alice):
    f.review(alice, 2024)
    first = share("alice", "2024")[-1]
    second = share("alice", "2024")[-1]
    assert Client().get(first).status_code == 200

    lines = share("alice", "2024", "--revoke")

    assert lines[-1] == "Revoked 2 live links of alice's 2024 review."
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 404
    assert share("alice", "2024", "--revoke")[-1] == "Revoked 0 live links of alice's 2024 review."


def test_revoke_leaves_other_years_alone(alice):
    f.review(alice, 2023)
    f.review(alice, 2024)
    other = share("alice", "2023")[-1]
    share("alice", "2024")

    share("alice", "2024", "--revoke")

    assert Client().get(other).status_code == 200


def test_it_makes_the_review_of_a_year_with_data(alice):
    f.entry(alice, "2024-05-01", title="Just an entry")

    path = share("alice", "2024")[-1]

    assert Review.objects.filter(owner=alice, year=2024).exists()
    assert "Just an entry" in Client().get(path).content.decode()


@pytest.mark.parametrize(
    "args, message",
    [
        (["nobody", "2024"], "There is no user 'nobody'"),
        (["alice", "2031"], "alice has nothing recorded for 2031"),
        (["alice", "1800"], "1800 is not a year between"),
        (["alice", "2031", "--revoke"], "alice has nothing recorded for 2031"),
        (["alice", "2024", "--also", "2031"], "alice has nothing recorded for 2031"),
        (["alice", "2024", "--also", "1800"], "1800 is not a year between"),
        (["alice", "2024", "--revoke", "--also", "2024"], "cannot be used together"),
        (["alice", "2024", "--expires-days", "0"], "--expires-days must be between"),
        (["alice", "2024", "--revoke", "--expires-days", "3"], "cannot be used together"),
    ],
)
def test_bad_arguments_are_refused_clearly(alice, args, message):
    f.review(alice, 2024)

    with pytest.raises(CommandError, match=re.escape(message)):
        share(*args)

    assert not ShareLink.objects.exists()
