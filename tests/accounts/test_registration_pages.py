"""Password change and reset are Almanac's pages and mail, never the admin's.

``django.contrib.admin`` comes first in INSTALLED_APPS and ships a whole
``registration/`` folder (pages that extend the admin's base, titled "Django
administration", "Django 管理" in Chinese, and an English reset mail signed
"The … team"). The project's ``templates/`` folder is searched before any
app's, so each of those templates is Almanac's only if templates/registration
has its own copy: one missing falls through to the admin's.
"""

from __future__ import annotations

import re
from pathlib import Path

import django.contrib.admin
import django.contrib.auth
import pytest
from django.conf import settings
from django.core import mail
from django.template.loader import get_template

pytestmark = pytest.mark.django_db

OURS = Path(settings.BASE_DIR) / "templates" / "registration"
SHIPPED = sorted(
    {
        path.name
        for app in (django.contrib.admin, django.contrib.auth)
        for path in (Path(app.__file__).parent / "templates" / "registration").iterdir()
    }
)
NEW_PASSWORD = "a-new-long-passphrase"


@pytest.mark.parametrize("name", SHIPPED)
def test_every_registration_template_django_ships_is_almanacs(name):
    origin = Path(get_template(f"registration/{name}").origin.name)
    assert origin.parent == OURS


@pytest.mark.parametrize(
    "path",
    ["/accounts/password_reset/", "/accounts/password_reset/done/", "/accounts/reset/done/",
     "/accounts/reset/MQ/set-password/", "/accounts/password_change/",
     "/accounts/password_change/done/"],
)  # fmt: skip
def test_the_password_pages_are_almanacs_in_chinese(client, alice, path):
    if "change" in path:
        client.force_login(alice)
    page = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Django" not in page
    assert 'class="site-header"' in page


def test_the_reset_mail_goes_through_the_configured_mailer_and_its_link_sets_a_password(
    client, alice, settings, capsys
):
    # What development uses: the mail is printed where `make run` prints its log.
    settings.MAILERS = {"default": {"BACKEND": "core.mail.ReadableConsoleBackend"}}

    response = client.post("/accounts/password_reset/", {"email": "alice@example.com"})

    assert response.status_code == 302
    printed = capsys.readouterr().out
    assert "To: alice@example.com" in printed
    assert "Subject: Choose a new Almanac password (testserver)" in printed
    assert "Hello alice," in printed and "team" not in printed
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", printed).group(1)
    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your new password is in place." in done.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_the_reset_mail_speaks_chinese_to_a_chinese_reader(client, alice):
    client.post(
        "/accounts/password_reset/", {"email": "alice@example.com"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert "Almanac" in mail.outbox[0].subject
    assert "alice" in mail.outbox[0].body and "Hello" not in mail.outbox[0].body


def test_development_mail_prints_chinese_and_the_whole_link_readably(
    client, alice, settings, capsys
):
    # Django's own console backend prints this body as base64.
    settings.MAILERS = {"default": {"BACKEND": "core.mail.ReadableConsoleBackend"}}
    client.post(
        "/accounts/password_reset/", {"email": "alice@example.com"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    printed = capsys.readouterr().out
    assert "Subject: 设置新的 Almanac 密码（testserver）" in printed
    assert "alice，你好" in printed
    assert re.search(r"^http://testserver/accounts/reset/[\w-]+/[\w-]+/$", printed, re.M)


def test_staff_find_invitations_from_their_account_page(client, alice, django_user_model):
    account_page = "/accounts/password_change/"
    client.force_login(alice)
    assert "/accounts/invitations/" not in client.get(account_page).content.decode()
    owner = django_user_model.objects.create_superuser("owner", "o@example.com", "pw-owner-123")
    client.force_login(owner)
    assert "/accounts/invitations/" in client.get(account_page).content.decode()
