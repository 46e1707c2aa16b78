"""The sharing app: share links, the public pages behind them, and export.md."""

from __future__ import annotations

from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
