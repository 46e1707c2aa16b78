"""The sharing app: share links, the public pages behind them, and export.md."""

from __future__ import annotations

from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "sharing"

    def ready(self) -> None:
        from reviews import actions

        actions.register("share", _("Share"), lambda year: reverse("sharing:links", args=[year]))
        actions.register(
            "export-md",
            _("Export as Markdown"),
            lambda year: reverse("sharing:export-md", args=[year]),
        )
