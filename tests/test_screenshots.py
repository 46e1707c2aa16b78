"""The README's screenshots: made by `make screenshots` from the demo, small, all shown."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageStat

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"
PAGES, SCHEMES = ("year", "editor", "share"), ("light", "dark")
NAMES = [f"{page}-{scheme}.png" for page in PAGES for scheme in SCHEMES]


def test_the_readme_shows_every_screenshot_and_each_is_small():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"docs/screenshots/([\w-]+\.png)", readme))
    assert shown == set(NAMES)
    for name in NAMES:
        path = SHOTS / name
        with Image.open(path) as image:
            assert image.width <= 1280 and image.height <= 800, name
        assert path.stat().st_size < 150_000, name


def test_make_screenshots_runs_the_script():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^screenshots:.*\n\t\$\(BIN\)/python bench/screenshots.py$", makefile, re.M)


@pytest.mark.slow
@pytest.mark.browser
def test_the_script_photographs_the_demo_in_light_and_dark(tmp_path):
    result = subprocess.run(
        [sys.executable, "bench/screenshots.py", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(NAMES)
    light, dark = (
        ImageStat.Stat(Image.open(tmp_path / f"year-{s}.png").convert("L")).mean[0]
        for s in ("light", "dark")
    )
    # The dark picture is darker: the colour scheme reached the page.
    assert dark < light / 2
