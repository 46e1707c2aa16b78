"""Login throttling: failures counted per account and address, per address and per account."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.core.cache import caches

from core import throttle
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
LOGIN = "/accounts/login/"
LOCKED = "Too many failed attempts; try again in 15 minutes."


@pytest.fixture(autouse=True)
def no_sleeping(monkeypatch):
    """A throttled request is answered at once: nothing may wait in a worker."""

    def sleep(seconds):
        raise AssertionError(f"a login request slept {seconds} s in the worker")

    monkeypatch.setattr(time, "sleep", sleep)


def attempt(client, username: str, password: str = "wrong", address: str = "192.0.2.1", **meta):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **meta
    )


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail_from_many_addresses(username: str, count: int) -> None:
    """Failures at one account from ``count`` addresses, none of them near a lock of its own."""
    for n in range(count):
        throttle.LoginThrottle(username, f"10.{n // 65536}.{n // 256 % 256}.{n % 256}").failed()


@pytest.mark.django_db
def test_the_first_failures_are_answered_as_usual(client, alice):
    statuses = [attempt(client, "alice").status_code for _ in range(4)]
    assert statuses == [200] * 4


@pytest.mark.django_db
def test_an_account_from_one_address_is_refused_at_once_with_429_and_retry_after(client, alice):
    for _ in range(4):
        attempt(client, "alice")

    fifth = attempt(client, "alice")

    assert fifth.status_code == 429
    assert fifth["Retry-After"] == "900"
    html = fifth.content.decode()
    assert LOCKED in html
    assert 'role="alert"' in html
    assert 'name="username"' in html  # the login page, ready for later


@pytest.mark.django_db
def test_the_refusal_speaks_chinese(client, alice):
    for _ in range(5):
        attempt(client, "alice")

    response = attempt(client, "alice", HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 429
    assert "失败次数太多，请 15 分钟后再试。" in response.content.decode()


@pytest.mark.django_db
def test_a_locked_address_refuses_even_the_right_password(client, alice):
    for _ in range(5):
        attempt(client, "alice")

    response = attempt(client, "Alice", PASSWORD)

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_the_owner_from_a_fresh_address_still_logs_in(client, alice):
    for _ in range(8):
        attempt(client, "alice", address="198.51.100.66")
    assert attempt(client, "alice", PASSWORD, address="198.51.100.66").status_code == 429

    response = attempt(client, "alice", PASSWORD, address="203.0.113.7")

    assert response.status_code == 302
    assert is_logged_in(client)


@pytest.mark.django_db
def test_a_pair_is_counted_with_the_username_case_folded(client, alice):
    for name in ["alice", "Alice", "ALICE", " alice"]:
        assert attempt(client, name).status_code == 200

    assert attempt(client, "aLiCe ").status_code == 429
    assert attempt(client, "alice", address="192.0.2.2").status_code == 200


@pytest.mark.django_db
def test_usernames_are_folded_beyond_ascii(client):
    for name in ["Straße", "STRASSE", "strasse", "ＳＴＲＡＳＳＥ"]:
        assert attempt(client, name).status_code == 200

    assert attempt(client, "straße").status_code == 429


@pytest.mark.django_db
def test_failures_are_counted_per_address_across_usernames(client):
    statuses = [attempt(client, f"user{n}", address="192.0.2.50").status_code for n in range(20)]
    assert statuses == [200] * 19 + [429]

    assert attempt(client, "new-name", address="192.0.2.50").status_code == 429
    assert attempt(client, "new-name", address="192.0.2.51").status_code == 200


@pytest.mark.django_db
def test_an_ipv6_subscriber_counts_as_one_address(client):
    statuses = [
        attempt(client, f"user{n}", address=f"2001:db8:1:2::{n + 1:x}").status_code
        for n in range(20)
    ]
    assert statuses == [200] * 19 + [429]

    assert attempt(client, "someone", address="2001:db8:1:2:ffff::9").status_code == 429
    assert attempt(client, "someone", address="2001:db8:1:3::1").status_code == 200


@pytest.mark.django_db
def test_an_account_has_a_ceiling_over_all_addresses(client, alice):
    fail_from_many_addresses("alice", 98)
    assert attempt(client, "alice", address="203.0.113.1").status_code == 200

    hundredth = attempt(client, "alice", address="203.0.113.2")
    refused = attempt(client, "alice", PASSWORD, address="203.0.113.3")

    assert hundredth.status_code == 429
    assert refused.status_code == 429
    assert not is_logged_in(client)
    assert attempt(client, "bob", address="203.0.113.3").status_code == 200


@pytest.mark.django_db
def test_the_ceiling_does_not_hold_back_an_address_the_owner_logged_in_from(client, alice):
    assert attempt(client, "alice", PASSWORD, address="192.0.2.10").status_code == 302
    client.logout()
    fail_from_many_addresses("alice", 120)

    assert attempt(client, "alice", PASSWORD, address="203.0.113.3").status_code == 429
    assert attempt(client, "alice", PASSWORD, address="192.0.2.10").status_code == 302


@pytest.mark.django_db
def test_success_resets_the_pair_counter(client, alice):
    for _ in range(4):
        attempt(client, "alice")

    assert attempt(client, "alice", PASSWORD).status_code == 302
    assert is_logged_in(client)
    client.logout()

    statuses = [attempt(client, "alice").status_code for _ in range(5)]
    assert statuses == [200] * 4 + [429]


@pytest.mark.django_db
def test_success_does_not_reset_the_address_counter(client, alice):
    for n in range(18):
        attempt(client, f"user{n}", address="192.0.2.7")
    assert attempt(client, "alice", PASSWORD, address="192.0.2.7").status_code == 302
    client.logout()

    assert attempt(client, "user-x", address="192.0.2.7").status_code == 200
    assert attempt(client, "user-y", address="192.0.2.7").status_code == 429


@pytest.mark.django_db
def test_many_failures_elsewhere_do_not_erase_the_counts(client, alice):
    """The database cache culls a third of its rows past MAX_ENTRIES (300 by default)."""
    for _ in range(4):
        attempt(client, "alice")
    for n in range(150):
        throttle.LoginThrottle(f"user{n}", f"10.1.{n // 256}.{n % 256}").failed()

    assert attempt(client, "alice").status_code == 429


@pytest.mark.django_db
def test_x_forwarded_for_is_ignored_unless_a_proxy_is_trusted(client, settings):
    statuses = [
        attempt(client, f"user{n}", address="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        for n in range(20)
    ]
    assert statuses[-1].status_code == 429

    settings.LOGIN_THROTTLE_PROXY_COUNT = 1
    statuses = [
        attempt(client, f"p{n}", address="10.0.0.2", HTTP_X_FORWARDED_FOR=f"6.6.6.6, 192.0.2.{n}")
        for n in range(25)
    ]
    assert {response.status_code for response in statuses} == {200}


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

    for _ in range(4):
        throttle.LoginThrottle("alice", "192.0.2.1", cache=first).failed()
    seen_by_second = throttle.LoginThrottle("ALICE", "192.0.2.1", cache=second)
    assert seen_by_second.refused_for() == 0

    assert seen_by_second.failed() > 14 * 60
    assert throttle.LoginThrottle("alice", "192.0.2.1", cache=first).refused_for() > 14 * 60
    assert throttle.LoginThrottle("alice", "192.0.2.2", cache=first).refused_for() == 0


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
    import time

    def no_sleep(seconds):
        raise AssertionError(f"a login request slept {seconds} s")

    time.sleep = no_sleep

    if sys.argv[1] == "first":
        call_command("migrate", verbosity=0)
        User.objects.create_user("alice", password="right-password-123")
    with override_settings(ALLOWED_HOSTS=["*"]):
        client = Client(REMOTE_ADDR=sys.argv[2])
        for _ in range(int(sys.argv[3])):
            response = client.post("/accounts/login/", {"username": "Alice", "password": "x"})
            print(response.status_code)
    """
)


def test_the_counts_are_shared_between_processes(tmp_path, monkeypatch):
    monkeypatch.undo()  # subprocess.run waits with time.sleep; the children check themselves
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

    assert run("first", "192.0.2.1", "3") == ["200"] * 3
    assert run("second", "192.0.2.1", "3") == ["200", "429", "429"]
