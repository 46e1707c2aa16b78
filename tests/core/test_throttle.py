"""Login throttling: failures counted per username and per address, slowed, then refused."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.cache import caches

from core import throttle
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/accounts/login/"
LOCKED = "Too many failed attempts; try again in 15 minutes."


@pytest.fixture
def delays(monkeypatch):
    """The delays the throttle asked for, without waiting for them."""
    recorded: list[float] = []
    monkeypatch.setattr(throttle, "sleep", recorded.append)
    return recorded


def attempt(client, username: str, password: str = "wrong", address: str = "192.0.2.1", **meta):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **meta
    )


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_the_first_failures_are_neither_slowed_nor_refused(client, alice, delays):
    for _ in range(5):
        response = attempt(client, "alice")
        assert response.status_code == 200
    assert delays == []


@pytest.mark.django_db
def test_failures_are_counted_per_username_case_folded_from_any_address(client, alice, delays):
    for n, name in enumerate(["alice", "Alice", "ALICE", "aLiCe", " alice"]):
        attempt(client, name, address=f"198.51.100.{n}")
    assert delays == []

    attempt(client, "ALICE ", address="203.0.113.9")

    assert delays == [0.25]


@pytest.mark.django_db
def test_usernames_are_folded_beyond_ascii(client, delays):
    for n, name in enumerate(["Straße", "STRASSE", "strasse", "Strasse", "ＳＴＲＡＳＳＥ"]):
        attempt(client, name, address=f"198.51.100.{n}")

    attempt(client, "straße", address="203.0.113.9")

    assert delays == [0.25]


@pytest.mark.django_db
def test_failures_are_counted_per_address_across_usernames(client, delays):
    for n in range(10):
        attempt(client, f"user{n}", address="192.0.2.50")
    assert delays == []

    attempt(client, "someone-else", address="192.0.2.50")
    assert delays == [0.25]

    for n in range(9):
        response = attempt(client, f"other{n}", address="192.0.2.50")
    assert response.status_code == 429
    assert attempt(client, "new-name", address="192.0.2.50").status_code == 429
    assert attempt(client, "new-name", address="192.0.2.51").status_code == 200


@pytest.mark.django_db
def test_attempts_are_slowed_then_refused_with_a_message(client, alice, delays):
    statuses = [attempt(client, "alice", address=f"198.51.100.{n}").status_code for n in range(9)]
    assert statuses == [200] * 9
    assert delays == [0.25, 0.5, 1.0, 2.0]

    tenth = attempt(client, "alice", address="198.51.100.200")

    assert tenth.status_code == 429
    assert LOCKED in tenth.content.decode()
    assert tenth["Retry-After"] == "900"
    assert delays == [0.25, 0.5, 1.0, 2.0, 2.0]


@pytest.mark.django_db
def test_a_locked_username_refuses_even_the_right_password(client, alice, delays):
    for n in range(10):
        attempt(client, "alice", address=f"198.51.100.{n}")

    response = attempt(client, "Alice", PASSWORD, address="203.0.113.77")

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not is_logged_in(client)
    # Refused attempts are not delayed: the lock answers at once.
    assert len(delays) == 5


@pytest.mark.django_db
def test_success_resets_the_username_counter(client, alice, delays):
    for n in range(9):
        attempt(client, "alice", address=f"198.51.100.{n}")

    assert attempt(client, "alice", PASSWORD, address="198.51.100.99").status_code == 302
    assert is_logged_in(client)
    client.logout()
    delays.clear()

    statuses = [attempt(client, "alice", address=f"203.0.113.{n}").status_code for n in range(9)]

    assert statuses == [200] * 9
    assert delays == [0.25, 0.5, 1.0, 2.0]


@pytest.mark.django_db
def test_success_does_not_reset_the_address_counter(client, alice, delays):
    for n in range(12):
        attempt(client, f"user{n}", address="192.0.2.7")
    assert attempt(client, "alice", PASSWORD, address="192.0.2.7").status_code == 302
    client.logout()
    delays.clear()

    attempt(client, "user-x", address="192.0.2.7")

    assert delays == [1.0]


@pytest.mark.django_db
def test_x_forwarded_for_is_ignored_unless_a_proxy_is_trusted(client, delays, settings):
    for n in range(10):
        attempt(client, f"user{n}", address="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    attempt(client, "next", address="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert delays == [0.25]

    settings.LOGIN_THROTTLE_PROXY_COUNT = 1
    delays.clear()
    for n in range(12):
        attempt(client, f"p{n}", address="10.0.0.2", HTTP_X_FORWARDED_FOR=f"6.6.6.6, 192.0.2.{n}")
    assert delays == []


def test_the_client_address_takes_the_hop_the_trusted_proxy_saw(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 192.0.2.5")
    assert throttle.client_address(request) == "10.0.0.1"

    settings.LOGIN_THROTTLE_PROXY_COUNT = 1
    assert throttle.client_address(request) == "192.0.2.5"
    settings.LOGIN_THROTTLE_PROXY_COUNT = 2
    assert throttle.client_address(request) == "1.1.1.1"
    settings.LOGIN_THROTTLE_PROXY_COUNT = 3
    assert throttle.client_address(request) == "10.0.0.1"

    junk = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    settings.LOGIN_THROTTLE_PROXY_COUNT = 1
    assert throttle.client_address(junk) == "10.0.0.1"


@pytest.mark.django_db
def test_two_cache_connections_share_the_counts():
    """Two backends, as two server processes would have, on the same cache table."""
    first = caches.create_connection("default")
    second = caches.create_connection("default")
    assert first is not second

    for _ in range(5):
        throttle.LoginThrottle("alice", "192.0.2.1", cache=first).failed()
    seen_by_second = throttle.LoginThrottle("ALICE", "192.0.2.2", cache=second)
    assert seen_by_second.delay() == 0.25

    for _ in range(5):
        seen_by_second.failed()

    assert throttle.LoginThrottle("alice", "192.0.2.3", cache=first).refused_for() > 14 * 60


def test_the_cache_is_the_database_cache(settings):
    assert settings.CACHES["default"]["BACKEND"].endswith("db.DatabaseCache")


PROCESS = textwrap.dedent(
    """
    import os, sys
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django
    django.setup()
    from django.core.management import call_command
    from django.contrib.auth.models import User
    from django.test import Client, override_settings

    if sys.argv[1] == "first":
        call_command("migrate", verbosity=0)
        User.objects.create_user("alice", password="right-password-123")
    with override_settings(ALLOWED_HOSTS=["*"], LOGIN_THROTTLE={"first_delay": 0}):
        client = Client(REMOTE_ADDR=sys.argv[2])
        for _ in range(int(sys.argv[3])):
            response = client.post("/accounts/login/", {"username": "Alice", "password": "x"})
            print(response.status_code)
    """
)


def test_the_counts_are_shared_between_processes(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'shared.sqlite3'}"

    def run(*args: str) -> list[str]:
        result = subprocess.run(
            [sys.executable, "-c", PROCESS, *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    assert run("first", "192.0.2.1", "6") == ["200"] * 6
    assert run("second", "192.0.2.2", "5") == ["200"] * 3 + ["429"] * 2
