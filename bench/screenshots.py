"""``make screenshots``: the README's pictures, taken afresh from the demo account.

Loads ``manage.py demo`` into a fresh SQLite database in a temporary folder,
serves it with gunicorn on a free port of 127.0.0.1 (as ``make audit`` does),
makes a share link, and photographs with Debian's Chromium the demo's latest
year page, its document editor and its share page, in light and dark, at
1280×800. Each picture is reduced to a 256-colour palette (text and flat
colours survive it) and written to docs/screenshots/NAME-SCHEME.png.

    make screenshots
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import server  # noqa: E402

CHROME = "/usr/bin/chromium"
CHROME_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
OUT = server.ROOT / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
SCHEMES = ["light", "dark"]


def shrink(png: bytes) -> bytes:
    """The picture with a 256-colour palette, compressed as far as PNG goes."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, "PNG", optimize=True)
    return out.getvalue()


def pages() -> list[tuple[str, str, bool]]:
    """(name, path, logged in) for each picture, from the demo account's data."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from reviews.models import Review
    from sharing.models import ShareLink

    user = get_user_model().objects.get(username="demo")
    review = Review.objects.filter(owner=user).order_by("-year").first()
    _, token = ShareLink.create_for(review)
    editor = reverse("reviews:text-editor", args=["review", review.pk, "document"])
    return [
        ("year", reverse("reviews:year", args=[review.year]), True),
        ("editor", f"{editor}?year={review.year}", True),
        ("share", reverse("sharing:share", args=[token]), False),
    ]


def take(base_url: str, cookie: str, shots: list[tuple[str, str, bool]], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    name, _, value = cookie.partition("=")
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROME, args=CHROME_ARGS)
        try:
            for scheme in SCHEMES:
                context = browser.new_context(
                    viewport=VIEWPORT, color_scheme=scheme, locale="en-US", reduced_motion="reduce"
                )
                context.add_cookies([{"name": name, "value": value, "url": base_url}])
                anonymous = browser.new_context(
                    viewport=VIEWPORT, color_scheme=scheme, locale="en-US", reduced_motion="reduce"
                )
                for shot, path, logged_in in shots:
                    page = (context if logged_in else anonymous).new_page()
                    response = page.goto(base_url + path, wait_until="networkidle")
                    if response is None or response.status != 200:
                        status = response.status if response else "no answer"
                        raise SystemExit(f"{path} answered {status}")
                    target = out / f"{shot}-{scheme}.png"
                    target.write_bytes(shrink(page.screenshot()))
                    written.append(target)
                    page.close()
                context.close()
                anonymous.close()
        finally:
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder (default {OUT})")
    args = parser.parse_args(argv)
    if not Path(CHROME).exists():
        raise SystemExit(f"{CHROME} is missing: apt-get install -y chromium")
    tmp = Path(tempfile.mkdtemp(prefix="almanac-screenshots-"))
    env = server.production_env(tmp)
    server.setup_django(env)
    try:
        server.prepare_database_and_static()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command

        call_command("demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
        shots = pages()
        cookie = server.session_cookie(get_user_model().objects.get(username="demo"))
        args.out.mkdir(parents=True, exist_ok=True)
        with server.Gunicorn(env, tmp / "gunicorn.log") as gunicorn:
            written = take(gunicorn.url, cookie, shots, args.out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for path in written:
        shown = path.relative_to(server.ROOT) if path.is_relative_to(server.ROOT) else path
        print(f"{shown}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
