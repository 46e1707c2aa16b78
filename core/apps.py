from django.apps import AppConfig
from django.urls import register_converter


class CoreConfig(AppConfig):
    """Shared helpers: Markdown, owner scoping, HTMX, template tags, the row registry."""

    name = "core"

    def ready(self) -> None:
        from core.converters import YearConverter

        register_converter(YearConverter, "year")
