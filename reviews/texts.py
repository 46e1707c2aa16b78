"""Long texts: versioned saves, conflicts and revision history.

Every long text (a review's opening, an entry's body, an item's notes, …)
is saved through ``save_text``: the save names the version it was based
on, and a save based on an older version is refused with the text that
won, so a second tab or device never silently overwrites the first.
Each change keeps a ``Revision``; autosaves close together fold into one.
"""

from __future__ import annotations

import datetime
import difflib
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone

from core import rows
from reviews.models import Review, Revision

# A review's texts are saved this way too; it is no row of the year but the year itself.
REVIEW_TEXTS = ("title", *Review.markdown_fields)


def texts() -> dict[str, tuple[type[models.Model], tuple[str, ...]]]:
    """Kind in the URL -> (model, the text fields that may be saved this way)."""
    kinds = {kind.name: (kind.model, kind.texts) for kind in rows.all_kinds() if kind.texts}
    return {"review": (Review, REVIEW_TEXTS), **kinds}


def kind_name(obj) -> str:
    """The kind of ``obj`` as URLs name it."""
    return "review" if isinstance(obj, Review) else rows.of(obj).name


@dataclass
class SaveResult:
    saved: bool
    version: int
    text: str
    saved_at: datetime.datetime | None = None


def model_for(kind: str, field: str) -> type[models.Model]:
    """The model behind a kind and field named in a URL, or a 404."""
    try:
        model, fields = texts()[kind]
    except KeyError:
        raise Http404("No such text") from None
    if field not in fields:
        raise Http404("No such text")
    return model


def max_length(model: type[models.Model], field: str) -> int | None:
    return model._meta.get_field(field).max_length


def save_text(obj, field: str, text: str, base_version: int, *, fold: bool = True) -> SaveResult:
    """Save ``text`` into ``obj.<field>`` unless someone saved a newer version meanwhile.

    Runs in one transaction with the row locked, so two saves from the same
    base cannot both win. Returns ``saved=False`` with the current text and
    version on conflict. Saving the same text again is a no-op success.
    The text is rendered before the transaction: the write lock is held
    only for the writes.
    """
    model = type(obj)
    html = _render(model, field, text)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=obj.pk)
        version = current.text_version(field)
        current_text = getattr(current, field)
        if base_version != version:
            if current_text == text:  # both sides typed the same thing
                return SaveResult(True, version, current_text, current.updated)
            return SaveResult(False, version, current_text, current.updated)
        if current_text == text:
            return SaveResult(True, version, text, current.updated)
        if current_text and not _has_history(current, field):
            # The text as a form first wrote it: keep it before changing it.
            _record(current, field, current_text, version, fold=False)
            fold = False
        version += 1
        _set(current, field, text, html)
        current.text_versions = {**(current.text_versions or {}), field: version}
        current.save(update_fields=[field, "text_versions", "updated"])
        _record(current, field, text, version, fold=fold)
    return SaveResult(True, version, text, current.updated)


def _render(model: type[models.Model], field: str, text: str) -> str | None:
    """The HTML of ``text`` if ``field`` is Markdown (a title is not), rendered now."""
    return model.render_field(field, text) if field in model.markdown_fields else None


def _set(obj, field: str, text: str, html: str | None) -> None:
    if html is None:
        setattr(obj, field, text)
    else:
        obj.set_markdown(field, text, html)


def _has_history(obj, field: str) -> bool:
    content_type = ContentType.objects.get_for_model(type(obj))
    return Revision.objects.filter(
        content_type=content_type, object_id=obj.pk, field=field
    ).exists()


def _record(obj, field: str, text: str, version: int, *, fold: bool, restored_from=None) -> None:
    content_type = ContentType.objects.get_for_model(type(obj))
    latest = (
        Revision.objects.filter(content_type=content_type, object_id=obj.pk, field=field)
        .order_by("-version", "-id")
        .first()
    )
    horizon = timezone.now() - datetime.timedelta(seconds=Revision.FOLD_SECONDS)
    if fold and latest and latest.restored_from_id is None and latest.created >= horizon:
        latest.text, latest.version = text, version
        latest.save(update_fields=["text", "version", "updated"])
        return
    Revision.objects.create(
        owner=obj.owner,
        content_type=content_type,
        object_id=obj.pk,
        field=field,
        text=text,
        version=version,
        restored_from=restored_from,
    )


def history(obj, field: str) -> list[Revision]:
    content_type = ContentType.objects.get_for_model(type(obj))
    return list(
        Revision.objects.filter(
            owner=obj.owner, content_type=content_type, object_id=obj.pk, field=field
        ).order_by("-version", "-id")
    )


def restore(obj, field: str, revision: Revision) -> SaveResult:
    """Make an earlier revision the current text; the restore is itself a revision."""
    model = type(obj)
    html = _render(model, field, revision.text)
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=obj.pk)
        version = current.text_version(field) + 1
        _set(current, field, revision.text, html)
        current.text_versions = {**(current.text_versions or {}), field: version}
        current.save(update_fields=[field, "text_versions", "updated"])
        _record(current, field, revision.text, version, fold=False, restored_from=revision)
    return SaveResult(True, version, revision.text, current.updated)


def diff_lines(old: str, new: str) -> list[tuple[str, str]]:
    """A line diff as (tag, line) pairs: tag is ' ', '-' (only in old) or '+' (only in new)."""
    result = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        tag = line[:1]
        if tag in {" ", "-", "+"}:
            result.append((tag, line[2:]))
    return result
