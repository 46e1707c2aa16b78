"""Settings for ``make bench`` and ``make audit``: production settings plus two changes.

Everything comes from ``config.settings`` (run with ``DJANGO_DEBUG=0``), except:
static files are collected into the run's temporary folder instead of the
project's ``staticfiles/``, and the URLconf adds one reference view
(``bench.urls``). Nothing in the app imports this module.
"""

from __future__ import annotations

import os
from pathlib import Path

from config.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["ALMANAC_BENCH_STATIC_ROOT"])
ROOT_URLCONF = "bench.urls"
