from django.apps import AppConfig
from django.db.models import fields
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared helpers: Markdown, owner scoping, HTMX, template tags, the row registry."""

    name = "core"

    def ready(self) -> None:
        from core.converters import YearConverter

        register_converter(YearConverter, "year")
        # Django's own blank choice ("- Select an option -") is new in 6.1 and has no
        # Chinese in Django's catalogue yet; ours is in ours. Django reads it at each use.
        fields.BLANK_CHOICE_LABEL = _("Choose…")
