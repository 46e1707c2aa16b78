"""Production settings pass Django's deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Runs check --deploy in fresh processes.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_in_production():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
        DJANGO_ALLOWED_HOSTS="almanac.example.com",
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="almanac.example.com")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_development_needs_nothing_set():
    assert manage("check").returncode == 0


def test_development_prints_mail_readably_and_production_names_a_sender():
    code = (
        "from django.conf import settings;"
        "print(settings.MAILERS['default']['BACKEND'], settings.DEFAULT_FROM_EMAIL)"
    )
    development = manage("shell", "-c", code)
    production = manage(
        "shell",
        "-c",
        code,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="a.example",
        DJANGO_DEFAULT_FROM_EMAIL="almanac@a.example",
    )
    assert development.stdout.split()[-2:] == [
        "core.mail.ReadableConsoleBackend",
        "webmaster@localhost",
    ]
    assert production.stdout.split()[-2:] == [
        "django.core.mail.backends.smtp.EmailBackend",
        "almanac@a.example",
    ]


def _database_settings(**env: str) -> str:
    code = (
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['CONN_MAX_AGE'], d.get('CONN_HEALTH_CHECKS', False))"
    )
    return manage("shell", "--no-imports", "-c", code, **env).stdout.split()


def test_postgresql_keeps_its_connections_and_checks_them():
    # Nothing connects: the settings are only read.
    url = "postgres://almanac@127.0.0.1:1/almanac"
    assert _database_settings(DATABASE_URL=url) == ["600", "True"]
    assert _database_settings(DATABASE_URL=url, DATABASE_CONN_MAX_AGE="0") == ["0", "True"]
    assert _database_settings(DATABASE_URL=url, DATABASE_CONN_HEALTH_CHECKS="0") == [
        "600",
        "False",
    ]
    # SQLite: opening a file costs nothing.
    assert _database_settings(DATABASE_URL="sqlite:////tmp/almanac-unused.sqlite3") == [
        "0",
        "False",
    ]
