"""Static files in production: hashed names, compressed, cached for a year; a favicon.

The production settings are only what ``config/settings.py`` makes of
``DJANGO_DEBUG=0``, so they are checked in a fresh process started that way
(as tests/test_settings.py does), with static files collected into a
temporary folder (bench/settings.py: the production settings with only
STATIC_ROOT moved).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# Runs collectstatic in a fresh process.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, django
django.setup()
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

call_command("collectstatic", interactive=False, verbosity=0)
client = Client()
files = {}
for name in ["css/almanac.css", "js/editor.js", "favicon.svg"]:
    url = static(name)
    response = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    files[name] = {
        "url": url,
        "status": response.status_code,
        "cache": response.get("Cache-Control", ""),
        "encoding": response.get("Content-Encoding", ""),
    }
page = client.get("/accounts/login/").content.decode()
print("PROBE" + json.dumps({"files": files, "page": page}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    """What a production process serves: the static files above and the login page."""
    tmp_path = tmp_path_factory.mktemp("production")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="static-files-test-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        ALMANAC_BENCH_STATIC_ROOT=str(tmp_path / "static"),
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.split("PROBE", 1)[1])


def test_production_static_files_are_hashed_compressed_and_cached_for_a_year(production):
    for name, served in production["files"].items():
        stem, extension = name.rsplit(".", 1)
        assert re.fullmatch(rf"/static/{stem}\.[0-9a-f]{{12}}\.{extension}", served["url"]), name
        assert served["status"] == 200, name
        assert served["encoding"] in {"gzip", "br"}, name
        assert "immutable" in served["cache"], name
        max_age = int(re.search(r"max-age=(\d+)", served["cache"]).group(1))
        assert max_age >= 365 * 24 * 3600, name


def test_pages_link_the_favicon_and_defer_every_script(production):
    page = production["page"]

    assert (ROOT / "static" / "favicon.svg").exists()
    assert re.search(r'<link rel="icon" href="/static/favicon\.[0-9a-f]{12}\.svg"', page)
    # Readable before any script runs: no script blocks the first paint.
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts and all(" defer" in tag or " async" in tag for tag in scripts), scripts
    # System fonts only: nothing to download before the text shows.
    assert "@font-face" not in (ROOT / "static" / "css" / "almanac.css").read_text()
