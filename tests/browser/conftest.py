"""Browser fixtures: a logged-in page for alice on the live server."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD


def log_in(page, live_server, username: str = "alice", password: str = PASSWORD) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


@pytest.fixture
def alice_page(page, live_server, alice):
    log_in(page, live_server)
    return page
