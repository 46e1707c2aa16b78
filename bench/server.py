"""What ``make bench`` and ``make audit`` share: a production-like environment in a
temporary folder, gunicorn on loopback, a logged-in session, docs/performance.md.

The environment is production (``DJANGO_DEBUG=0``, hashed and compressed
static files, a throwaway secret) served over plain HTTP on 127.0.0.1, so the
HTTPS redirect, secure cookies and HSTS are switched off.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
HOST = "127.0.0.1"


def production_env(tmp: Path) -> dict[str, str]:
    """Environment variables for Django in-process and for gunicorn."""
    return {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_BEHIND_PROXY": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "ALMANAC_SERVER_TIMING": "1",
        "ALMANAC_MEDIA_ROOT": str(tmp / "media"),
        "ALMANAC_BENCH_STATIC_ROOT": str(tmp / "static"),
    }


def setup_django(env: dict[str, str]) -> None:
    """Configure Django in this process with ``env`` (call once, before importing models)."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_database_and_static() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)


def session_cookie(user) -> str:
    """A ``sessionid=...`` cookie of a session logged in as ``user`` (no login form needed)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn with sync workers on loopback; a context manager that always stops it."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 2):
        self.env = {**os.environ, **env}
        self.port = free_port()
        self.log = log
        self.workers = workers
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def __enter__(self) -> Gunicorn:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--error-logfile",
            str(self.log),
            "--log-level",
            "warning",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        self._wait_until_ready()
        return self

    def _wait_until_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}:\n{self._log_tail()}")
            with contextlib.suppress(OSError):
                status, _, _ = get(self.port, "/accounts/login/")
                if status == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self._log_tail()}")

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text().splitlines()[-20:])
        except OSError:
            return ""

    def __exit__(self, *exc) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # gunicorn's master stops its workers on SIGTERM
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            # Our own session only (start_new_session): the master and its workers.
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def get(
    port: int, path: str, headers: dict[str, str] | None = None, timeout: float = 30
) -> tuple[int, dict[str, str], bytes]:
    """One GET on loopback: status, headers (lower-case names), body."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def write_doc_section(name: str, text: str) -> None:
    """Replace the ``name`` section of docs/performance.md, keeping the other sections."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    block = f"{begin}\n{text.rstrip()}\n{end}"
    current = DOC.read_text(encoding="utf-8") if DOC.exists() else _DOC_TEMPLATE
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _: block, current)
    else:
        updated = current.rstrip() + "\n\n" + block + "\n"
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(updated, encoding="utf-8")


_DOC_TEMPLATE = """# Performance

Almanac should be as fast as a static blog post. `make bench` measures that
against gunicorn on loopback and writes the first section below; `make audit`
runs Lighthouse and writes the second. Both sections are rewritten by their
command, everything else in this file is kept.

<!-- bench:begin -->
<!-- bench:end -->

<!-- audit:begin -->
<!-- audit:end -->
"""
