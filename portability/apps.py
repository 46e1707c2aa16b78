"""Owning your data: export, backups, import, Goodreads."""

from __future__ import annotations

from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "portability"
