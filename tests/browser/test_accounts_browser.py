"""An invitation, end to end: the owner makes it, a newcomer creates an account with it
and starts a past year from the first page; the link then refuses a second use."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from reviews.models import Review
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OWNER_PASSWORD = "pw-owner-123-long"
NEW_PASSWORD = "a-long-new-pass-77"


def test_an_invited_newcomer_starts_a_past_year(page, live_server, django_user_model, browser):
    django_user_model.objects.create_superuser("owner", "o@example.com", OWNER_PASSWORD)
    log_in(page, live_server, "owner", OWNER_PASSWORD)
    page.get_by_role("link", name="owner").click()
    page.get_by_role("link", name="Invite someone to have an account here").click()
    page.get_by_label("For whom").fill("Mei")
    page.get_by_role("button", name="Create an invitation").click()
    link = page.get_by_label("Invitation link").input_value()
    assert link.startswith(f"{live_server.url}/accounts/join/")

    newcomer = browser.new_context().new_page()
    newcomer.goto(link)
    newcomer.get_by_label("Username").fill("mei")
    newcomer.locator("#id_password1").fill(NEW_PASSWORD)
    newcomer.locator("#id_password2").fill(NEW_PASSWORD)
    newcomer.get_by_role("button", name="Create your account").click()

    expect(newcomer.get_by_role("heading", name="Your year, written down")).to_be_visible()
    past = datetime.date.today().year - 2
    newcomer.get_by_role("button", name=str(past), exact=True).click()
    newcomer.wait_for_url(f"{live_server.url}/{past}/?new=1")
    assert Review.objects.filter(owner__username="mei", year=past).exists()

    again = browser.new_context().new_page()
    again.goto(link)
    expect(again.get_by_role("alert")).to_contain_text("has been used already")
    page.reload()
    expect(page.get_by_text("Used by mei")).to_be_visible()
