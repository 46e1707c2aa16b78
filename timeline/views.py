"""Timeline views. The photo views (serving, upload, caption, order, delete) are in
timeline/photo_views.py."""

from __future__ import annotations
