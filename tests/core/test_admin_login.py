"""The admin's login page goes through the same throttle as /accounts/login/."""

from __future__ import annotations

import time

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow  # the login throttle

ADMIN_LOGIN = "/admin/login/"


@pytest.fixture(autouse=True)
def no_sleeping(monkeypatch):
    def sleep(seconds):
        raise AssertionError(f"a login request slept {seconds} s in the worker")

    monkeypatch.setattr(time, "sleep", sleep)


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", PASSWORD)


def attempt(client, username: str, password: str = "wrong", address: str = "192.0.2.1", **query):
    return client.post(
        ADMIN_LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        QUERY_STRING="&".join(f"{k}={v}" for k, v in query.items()),
    )


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.django_db
def test_wrong_admin_passwords_are_refused_with_429_then_even_the_right_one(client, root):
    statuses = [attempt(client, "root").status_code for _ in range(12)]
    assert 429 in statuses
    assert statuses[-1] == 429

    response = attempt(client, "root", PASSWORD)

    assert response.status_code == 429
    assert response["Retry-After"]
    assert "Too many failed attempts" in response.content.decode()
    assert not is_logged_in(client)


@pytest.mark.django_db
def test_the_admin_login_and_the_site_login_share_their_counts(client, root):
    for _ in range(5):
        client.post(
            "/accounts/login/", {"username": "root", "password": "x"}, REMOTE_ADDR="192.0.2.1"
        )

    assert attempt(client, "root", PASSWORD).status_code == 429


@pytest.mark.django_db
def test_the_admin_login_still_works_and_follows_next(client, root):
    response = attempt(client, "root", PASSWORD, next="/admin/auth/user/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/auth/user/"
    assert is_logged_in(client)


@pytest.mark.django_db
def test_the_admin_page_sends_visitors_to_the_throttled_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/admin/")

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="next" value="/admin/"' in page.content.decode()


@pytest.mark.django_db
def test_someone_who_is_not_staff_does_not_get_into_the_admin(client, alice):
    response = attempt(client, "alice", PASSWORD)

    assert response.status_code == 200
    assert "staff account" in response.content.decode()
    assert not is_logged_in(client)
    assert client.get("/admin/").status_code == 302
