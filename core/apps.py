from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared helpers: Markdown, owner scoping, HTMX, template tags."""

    name = "core"
