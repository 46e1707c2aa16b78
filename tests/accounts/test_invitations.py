"""Invitations: made by staff, work once, expire, and are the only way in by default."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Invitation, hash_token

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-new-pass-77"
NEW = {"username": "carol", "email": "", "password1": PASSWORD, "password2": PASSWORD}
LINK = re.compile(r"/accounts/join/([\w-]+)/")


@pytest.fixture
def owner(django_user_model):
    return django_user_model.objects.create_superuser("owner", "owner@example.com", "pw-owner-123")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def invite(days: int = 7) -> str:
    _, token = Invitation.create(days=days, note="Carol")
    return f"/accounts/join/{token}/"


def users() -> list[str]:
    return sorted(get_user_model().objects.values_list("username", flat=True))


def test_staff_make_an_invitation_and_see_its_link_once(owner_client):
    response = owner_client.post("/accounts/invitations/", {"note": "Carol", "days": 3})

    page = response.content.decode()
    assert response.status_code == 200
    token = LINK.search(page).group(1)
    assert "http://testserver/accounts/join/" in page
    invitation = Invitation.objects.get()
    assert invitation.token_hash == hash_token(token) and token not in invitation.token_hash
    assert invitation.note == "Carol" and invitation.created_by.username == "owner"
    expected = timezone.now() + datetime.timedelta(days=3)
    assert abs((invitation.expires_at - expected).total_seconds()) < 60
    again = owner_client.get("/accounts/invitations/").content.decode()
    assert token not in again and "Carol" in again


def test_an_invitation_for_too_long_is_refused_with_a_message(owner_client):
    response = owner_client.post("/accounts/invitations/", {"note": "x", "days": 400})
    assert response.status_code == 400
    assert "less than or equal to 30" in response.content.decode()
    assert not Invitation.objects.exists()


def test_only_staff_see_invitations(alice_client):
    assert alice_client.get("/accounts/invitations/").status_code == 404
    assert alice_client.post("/accounts/invitations/", {"days": 3}).status_code == 404
    assert not Invitation.objects.exists()


def test_a_link_creates_one_account_and_logs_it_in(client):
    url = invite()
    assert "Create your account" in client.get(url).content.decode()

    response = client.post(url, NEW)

    assert response.status_code == 302 and response["Location"] == "/"
    carol = get_user_model().objects.get(username="carol")
    assert not carol.is_staff
    assert client.session["_auth_user_id"] == str(carol.pk)
    invitation = Invitation.objects.get()
    assert invitation.used_by == carol and invitation.used_at is not None


def test_a_used_link_is_refused_with_a_clear_message(client):
    url = invite()
    client.post(url, NEW)
    client.logout()

    page = client.get(url)
    second = client.post(url, {**NEW, "username": "mallory"})

    assert page.status_code == 410 and "has been used already" in page.content.decode()
    assert second.status_code == 410
    assert users() == ["carol"]


def test_a_link_used_in_another_tab_meanwhile_creates_no_second_account(client):
    url = invite()
    invitation = Invitation.objects.get()
    # The form was opened, then someone else used the link before it was sent.
    Invitation.objects.filter(pk=invitation.pk).update(used_at=timezone.now())
    assert not invitation.claim(get_user_model().objects.create_user("someone"))
    Invitation.objects.filter(pk=invitation.pk).update(used_at=None)
    original = Invitation.claim

    def raced(self, user):
        Invitation.objects.filter(pk=self.pk).update(used_at=timezone.now())
        return original(self, user)

    Invitation.claim = raced
    try:
        response = client.post(url, NEW)
    finally:
        Invitation.claim = original
    assert response.status_code == 410
    assert "carol" not in users()


def test_an_expired_link_is_refused(client):
    url = invite()
    Invitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    page = client.get(url)
    post = client.post(url, NEW)

    assert page.status_code == 410 and "has expired" in page.content.decode()
    assert post.status_code == 410 and users() == []


def test_a_withdrawn_link_no_longer_works(owner_client, client):
    url = invite()
    invitation = Invitation.objects.get()
    assert owner_client.post(f"/accounts/invitations/{invitation.pk}/revoke/").status_code == 302
    owner_client.logout()
    assert client.get(url).status_code == 410


def test_an_unknown_link_is_refused_and_guesses_are_throttled(client, settings):
    settings.LOGIN_THROTTLE = {"signup_per_address": 3}
    statuses = [client.get(f"/accounts/join/guess{n}/").status_code for n in range(4)]
    assert statuses == [404, 404, 404, 429]
    refused = client.get(invite())
    assert refused.status_code == 429 and "Too many attempts" in refused.content.decode()
    assert int(refused["Retry-After"]) > 59 * 60
    # Another address is not held back.
    assert client.get(invite(), REMOTE_ADDR="192.0.2.9").status_code == 200


def test_a_bad_form_says_what_is_wrong_and_keeps_the_link(client):
    url = invite()
    response = client.post(url, {**NEW, "password2": "different"})
    assert response.status_code == 400
    assert "password fields didn" in response.content.decode()
    assert Invitation.objects.get().used_at is None and users() == []


def test_a_logged_in_visitor_is_told_to_log_out_first(alice_client):
    url = invite()
    page = alice_client.get(url).content.decode()
    assert "You are logged in as alice" in page
    assert alice_client.post(url, NEW).status_code == 200
    assert users() == ["alice"] and Invitation.objects.get().used_at is None


def test_sign_up_is_off_by_default(client, settings):
    assert settings.ALMANAC_OPEN_SIGNUP is False
    response = client.post("/accounts/signup/", NEW)
    assert response.status_code == 404
    assert "does not take sign-ups" in response.content.decode()
    assert users() == []
    assert "/accounts/signup/" not in client.get("/accounts/login/").content.decode()


def test_open_sign_up_when_the_setting_allows_it(client, settings):
    settings.ALMANAC_OPEN_SIGNUP = True
    assert "/accounts/signup/" in client.get("/accounts/login/").content.decode()
    assert client.post("/accounts/signup/", NEW).status_code == 302
    assert users() == ["carol"]


def test_the_setting_is_read_from_the_environment(monkeypatch):
    import importlib

    from config import settings as config_settings

    monkeypatch.delenv("ALMANAC_OPEN_SIGNUP", raising=False)
    assert importlib.reload(config_settings).ALMANAC_OPEN_SIGNUP is False
    monkeypatch.setenv("ALMANAC_OPEN_SIGNUP", "1")
    assert importlib.reload(config_settings).ALMANAC_OPEN_SIGNUP is True
    monkeypatch.delenv("ALMANAC_OPEN_SIGNUP")
    importlib.reload(config_settings)


def test_the_invite_command_prints_a_working_link(client, owner):
    out = io.StringIO()
    call_command("invite", "--days", "2", "--note", "Dan", "--by", "owner",
                 "--base-url", "https://almanac.example.com/", stdout=out)  # fmt: skip

    text = out.getvalue()
    assert "https://almanac.example.com/accounts/join/" in text
    path = LINK.search(text).group(0)
    assert Invitation.objects.get().created_by == owner
    assert client.post(path, NEW).status_code == 302
    assert client.post(path, NEW).status_code == 410


def test_the_invite_command_without_an_address_prints_the_path(settings):
    settings.ALMANAC_BASE_URL = ""
    out = io.StringIO()
    call_command("invite", stdout=out)
    assert re.search(r"^/accounts/join/[\w-]+/$", out.getvalue(), re.M)
    assert "--base-url" in out.getvalue()


def test_the_invite_command_refuses_bad_input():
    with pytest.raises(CommandError, match="--days must be between 1 and 30"):
        call_command("invite", "--days", "0")
    with pytest.raises(CommandError, match="No user named"):
        call_command("invite", "--by", "nobody")
    assert not Invitation.objects.exists()


def test_the_readme_and_deploy_notes_say_how_to_get_an_account():
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    accounts = readme.split("## Accounts", 1)[1].split("\n## ", 1)[0]
    for needed in ("manage.py createsuperuser", "manage.py invite", "ALMANAC_OPEN_SIGNUP",
                   "printed in the terminal"):  # fmt: skip
        assert needed in accounts
    deploy = (root / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert "ALMANAC_OPEN_SIGNUP=0" in deploy and "DJANGO_DEFAULT_FROM_EMAIL" in deploy
