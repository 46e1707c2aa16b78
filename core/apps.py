from django.apps import AppConfig
from django.db.models import fields
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared helpers: Markdown, owner scoping, HTMX, template tags, the row registry."""

    name = "core"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.models.signals import m2m_changed, post_save

        from core.converters import YearConverter

        register_converter(YearConverter, "year")
        # Django's own blank choice ("- Select an option -") is new in 6.1 and has no
        # Chinese in Django's catalogue yet; ours is in ours. Django reads it at each use.
        fields.BLANK_CHOICE_LABEL = _("Choose…")
        # Any model, so an Owned model added later needs no line here.
        post_save.connect(_saved, dispatch_uid="almanac-pagecache-saved")
        m2m_changed.connect(_m2m_changed, dispatch_uid="almanac-pagecache-m2m")
        post_save.connect(
            _user_saved, sender=settings.AUTH_USER_MODEL, dispatch_uid="almanac-pagecache-user"
        )


def _saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    from core import pagecache
    from core.models import Owned

    if not isinstance(instance, Owned):
        return
    if update_fields is not None:
        written = set(update_fields) - {"updated"}
        if written and written <= type(instance).unversioned_fields:
            return
    pagecache.bump(instance.owner_id)


def _m2m_changed(sender, instance, action, model, pk_set, **kwargs) -> None:
    from core import pagecache
    from core.models import Owned

    if not action.startswith("post_"):
        return
    if isinstance(instance, Owned):
        pagecache.bump(instance.owner_id)
    if issubclass(model, Owned) and pk_set:
        pagecache.bump_many(
            model._base_manager.filter(pk__in=pk_set).values_list("owner_id", flat=True)
        )


def _user_saved(sender, instance, update_fields=None, **kwargs) -> None:
    """A user's pages show their name; logging in (``last_login``) changes nothing shown."""
    from core import pagecache

    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    pagecache.bump(instance.pk)
