"""Password reset: throttled per address and per email, and honest when mail cannot go."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

pytestmark = pytest.mark.slow  # the reset throttle and mail timeouts

RESET = "/accounts/password_reset/"
SENT = "/accounts/password_reset/done/"
CANNOT_SEND = "This site cannot send mail right now"


class UnreachableMailer(BaseEmailBackend):
    """A mail backend whose server is down: opening a connection fails."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, messages) -> int:
        self.open()
        return 0


class RefusingMailer(BaseEmailBackend):
    """A server that answers, then refuses the message (a recipient it will not take)."""

    def send_messages(self, messages) -> int:
        raise ConnectionResetError(104, "Connection reset by peer")


def ask(client, email: str, address: str = "192.0.2.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_a_reset_is_sent_to_the_account(client, alice):
    response = ask(client, "alice@example.com")

    assert response.status_code == 302 and response["Location"] == SENT
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    page = client.get(SENT).content.decode()
    assert "If an account uses that address" in page


@pytest.mark.django_db
def test_resets_are_throttled_per_email_from_any_address(client, alice):
    statuses = [
        ask(client, "Alice@Example.com", address=f"198.51.100.{n}").status_code for n in range(3)
    ]
    assert statuses == [302] * 3

    refused = ask(client, "alice@example.com", address="203.0.113.5")

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 59 * 60
    assert "Too many password reset requests; try again in 60 minutes." in refused.content.decode()
    assert len(mail.outbox) == 3
    assert ask(client, "bob@example.com", address="203.0.113.5").status_code == 302


@pytest.mark.django_db
def test_an_address_without_an_account_is_throttled_the_same(client):
    statuses = [ask(client, "nobody@example.com", f"198.51.100.{n}").status_code for n in range(4)]
    assert statuses == [302, 302, 302, 429]


@pytest.mark.django_db
def test_resets_are_throttled_per_client_address_across_emails(client, alice):
    statuses = [ask(client, f"someone{n}@example.com").status_code for n in range(10)]
    assert statuses == [302] * 10

    assert ask(client, "alice@example.com").status_code == 429
    assert mail.outbox == []
    assert ask(client, "alice@example.com", address="192.0.2.2").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["alice@example.com", "nobody@example.com"])
def test_it_says_so_when_mail_cannot_be_sent_whether_or_not_the_account_exists(
    client, alice, settings, email
):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.UnreachableMailer"}}

    response = ask(client, email)

    assert response.status_code == 503
    html = response.content.decode()
    assert CANNOT_SEND in html
    assert 'role="alert"' in html
    assert "If an account uses that address" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["alice@example.com", "nobody@example.com"])
def test_with_no_mail_server_listening_the_page_does_not_claim_it_was_sent(
    client, alice, settings, email
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 5},
        }
    }

    response = ask(client, email)

    assert response.status_code == 503
    assert CANNOT_SEND in response.content.decode()


@pytest.mark.django_db
def test_the_mail_failure_page_speaks_chinese(client, alice, settings):
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.UnreachableMailer"}}

    response = client.post(RESET, {"email": "alice@example.com"}, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert response.status_code == 503
    assert "无法发送邮件" in response.content.decode()


@pytest.mark.django_db
def test_the_login_page_links_to_the_reset(client):
    assert f'href="{RESET}"' in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_a_message_refused_after_the_server_answered_does_not_tell_who_has_an_account(
    client, alice, settings
):
    """The refusal only happens for an account's address; showing it would tell which have one."""
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingMailer"}}

    answers = [ask(client, email) for email in ("alice@example.com", "nobody@example.com")]

    assert [(r.status_code, r["Location"]) for r in answers] == [(302, SENT)] * 2


@pytest.mark.django_db
def test_the_link_in_the_mail_leads_to_a_new_password_in_almanacs_pages(client, alice):
    ask(client, "alice@example.com")
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)

    form = client.get(link, follow=True)
    assert form.status_code == 200
    assert 'autocomplete="username" value="alice"' in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
        follow=True,
    )

    assert "Your new password is in place." in done.content.decode()
    alice.refresh_from_db()
    assert alice.check_password("a-new-long-passphrase")
    again = client.get(link).content.decode()
    assert "This link no longer works" in again


@pytest.mark.django_db
def test_a_mail_server_that_never_answers_is_given_up_on(client, alice, settings):
    with socket.socket() as silent:  # accepts connections, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": silent.getsockname()[1], "timeout": 1},
            }
        }

        response = ask(client, "alice@example.com")

    assert response.status_code == 503
    assert CANNOT_SEND in response.content.decode()


def test_production_mail_has_a_timeout():
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_"))}
    env.update(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="a.example")
    code = "from django.conf import settings; print(settings.MAILERS['default']['OPTIONS'])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "'timeout': 10" in result.stdout
