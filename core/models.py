"""Abstract bases shared by the apps; core has no tables of its own."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.conf import settings
from django.db import models, transaction

from core import markdown, pagecache


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

    # Writes that skip ``save()`` make the owners' cached pages stale here
    # (``save()`` does it through a signal, see core.apps); core.pagecache explains.

    def _owner_ids(self) -> set:
        return set(self.order_by().values_list("owner_id", flat=True).distinct())

    def update(self, **kwargs) -> int:
        if set(kwargs) <= getattr(self.model, "unversioned_fields", frozenset()):
            return super().update(**kwargs)
        owners = self._owner_ids()
        count = super().update(**kwargs)
        if "owner" in kwargs or "owner_id" in kwargs:
            owners.add(getattr(kwargs.get("owner"), "pk", kwargs.get("owner_id")))
        pagecache.bump_many(owners)
        return count

    update.alters_data = True

    def delete(self):
        owners = self._owner_ids()
        result = super().delete()
        pagecache.bump_many(owners)
        return result

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        objs = super().bulk_create(objs, *args, **kwargs)
        pagecache.bump_many(obj.owner_id for obj in objs)
        return objs


class Owned(TimeStamped):
    """A row that belongs to one user; every query for it goes through the owner."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

    objects = OwnedQuerySet.as_manager()

    # Fields no page of the owner shows, written often (a share link's view
    # counter): writing only these leaves the owner's cached pages current.
    unversioned_fields: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        pagecache.bump(self.owner_id)
        return result


def new_key() -> str:
    """A short random reference, stable for a row's life and across export and import."""
    return secrets.token_urlsafe(6).replace("-", "x").replace("_", "y")


class Keyed(models.Model):
    """A row the document can embed: ``[[item:k3Xa9bQz]]`` names it by this key.

    Unique per owner, so an import into another account keeps it.
    """

    key = models.CharField(max_length=16, default=new_key, editable=False)

    class Meta:
        abstract = True

    @staticmethod
    def key_constraint(name: str) -> models.UniqueConstraint:
        """The constraint each keyed model lists in its Meta: one key per owner."""
        return models.UniqueConstraint(fields=["owner", "key"], name=name)


class MarkdownFieldsMixin(models.Model):
    """Keeps ``<field>_html`` beside each Markdown source field, rendered on save.

    Subclasses list their source fields in ``markdown_fields``; each needs a
    ``<field>_html`` TextField. Views and templates read the stored HTML, so
    an unchanged text is never rendered again. ``text_versions`` counts the
    saves of each long text (``{"body": 3}``): an autosave based on an older
    version is refused instead of overwriting what another tab saved.

    Only a field whose source changed since it was read or rendered is
    rendered on save (and, with ``update_fields``, only a field being saved).
    Rendering can take a good part of a second, so a save under a lock renders
    first, outside the transaction, and hands the HTML in with
    ``set_markdown``: the database's write lock is never held while rendering.
    """

    text_versions = models.JSONField(default=dict, blank=True, editable=False)

    markdown_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        names = self.markdown_fields
        if update_fields is not None:
            names = tuple(n for n in self.markdown_fields if n in update_fields)
            kwargs["update_fields"] = set(update_fields) | {f"{n}_html" for n in names}
        self.render_markdown(names)
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        obj = super().from_db(db, field_names, values, **kwargs)
        # The stored HTML was rendered from the stored source.
        obj._rendered_sources = {
            name: getattr(obj, name)
            for name in cls.markdown_fields
            if name in obj.__dict__ and f"{name}_html" in obj.__dict__
        }
        return obj

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        rendered = self.__dict__.setdefault("_rendered_sources", {})
        for name in self.markdown_fields:
            if fields is None or name in fields or f"{name}_html" in fields:
                # Source and HTML are now the stored pair, or not known to belong together.
                rendered.pop(name, None)
                both = {name, f"{name}_html"}
                if both <= self.__dict__.keys() and (fields is None or both <= set(fields)):
                    rendered[name] = getattr(self, name)

    def render_markdown(self, fields: tuple[str, ...] | None = None) -> None:
        """Render ``fields`` (all Markdown fields by default) whose source is not yet rendered."""
        rendered = self.__dict__.setdefault("_rendered_sources", {})
        for name in self.markdown_fields if fields is None else fields:
            text = getattr(self, name)
            if name not in rendered or rendered[name] != text:
                self.set_markdown(name, text, self.render_field(name, text))

    @classmethod
    def render_field(cls, name: str, text: str) -> str:
        """The stored HTML of one Markdown field (a model may render a field its own way)."""
        return markdown.render(text)

    def set_markdown(self, field: str, text: str, html: str) -> None:
        """Set a Markdown field to ``text`` with ``html`` rendered from it beforehand."""
        setattr(self, field, text)
        setattr(self, f"{field}_html", html)
        self.__dict__.setdefault("_rendered_sources", {})[field] = text

    def save_fields(self, names: Iterable[str]):
        """Write only ``names`` of this instance onto the row as it is now; return that row.

        A form reads its row before the request is saved; writing that whole
        copy back would undo a long text (and its version) autosaved in the
        meantime. This locks the current row, copies the named fields onto
        it and saves just those (and ``updated``). Long texts and their
        versions change only through their versioned save, never here.
        """
        names = list(names)
        texts = {*self.markdown_fields, *(f"{n}_html" for n in self.markdown_fields)}
        if texts.intersection(names) or "text_versions" in names:
            raise ValueError("long texts are saved with their versions, not with a form")
        model = type(self)
        with transaction.atomic():
            current = model.objects.select_for_update().get(pk=self.pk)
            for name in names:
                attname = model._meta.get_field(name).attname
                setattr(current, attname, getattr(self, attname))
            current.save(update_fields=[*names, "updated"])
        return current

    def text_version(self, field: str) -> int:
        return int((self.text_versions or {}).get(field, 0))
