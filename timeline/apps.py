from django.apps import AppConfig


class TimelineConfig(AppConfig):
    name = "timeline"

    def ready(self) -> None:
        from timeline import rows  # noqa: F401  (declares its kinds of row)
