"""Abstract bases shared by the apps; core has no tables of its own."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from core import markdown


class TimeStamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OwnedQuerySet(models.QuerySet):
    # The lookup that marks a row private, when it is not the row's own ``private``
    # field (a photo is private with its entry).
    private_lookup: str | None = None

    def for_owner(self, user) -> OwnedQuerySet:
        return self.filter(owner=user)

    def visible_to(self, owner, reader) -> OwnedQuerySet:
        """``owner``'s rows that ``reader`` may see: all of them for the owner,
        the public ones for anyone else (a share link's visitor is ``None``).

        The one place the private rule is written; every page, the share
        page, the exports and the photos ask it.
        """
        rows = self.filter(owner=owner)
        owner_pk = getattr(owner, "pk", owner)  # a user or a user's id
        if reader is not None and getattr(reader, "pk", None) == owner_pk:
            return rows
        lookup = self.private_lookup or self._own_private_field()
        return rows.filter(**{lookup: False}) if lookup else rows

    def _own_private_field(self) -> str | None:
        names = {f.name for f in self.model._meta.get_fields()}
        return "private" if "private" in names else None


class Owned(TimeStamped):
    """A row that belongs to one user; every query for it goes through the owner."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True


class MarkdownFieldsMixin(models.Model):
    """Keeps ``<field>_html`` beside each Markdown source field, rendered on save.

    Subclasses list their source fields in ``markdown_fields``; each needs a
    ``<field>_html`` TextField. Views and templates read the stored HTML, so
    an unchanged text is never rendered again. ``text_versions`` counts the
    saves of each long text (``{"body": 3}``): an autosave based on an older
    version is refused instead of overwriting what another tab saved.
    """

    text_versions = models.JSONField(default=dict, blank=True, editable=False)

    markdown_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.render_markdown()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {f"{n}_html" for n in self.markdown_fields if n in update_fields}
            kwargs["update_fields"] = set(update_fields) | extra
        super().save(*args, **kwargs)

    def render_markdown(self) -> None:
        for name in self.markdown_fields:
            setattr(self, f"{name}_html", markdown.render(getattr(self, name)))

    def text_version(self, field: str) -> int:
        return int((self.text_versions or {}).get(field, 0))
