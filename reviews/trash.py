"""Delete with undo: rows are serialized into Trash and restored exactly.

What goes along with a row is read from the model, not listed per kind:
rows that would cascade with it (an entry's photos) are kept with it, and
rows that point at it with ``SET_NULL`` (a goal carried over from it) get
their link back on undo. Its text revisions stay until the trash expires,
then go with it: after the undo window nothing of a deleted row remains.
"""

from __future__ import annotations

import datetime
import json

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from reviews.models import Revision, Trash
from timeline.models import Photo

KEEP = datetime.timedelta(days=7)


def delete(obj) -> Trash:
    """Delete ``obj`` with the rows that cascade with it, and keep them for undo."""
    rows = [obj]
    links = {}
    for relation in type(obj)._meta.related_objects:
        referrers = relation.related_model.objects.filter(**{relation.field.name: obj})
        if relation.on_delete is models.CASCADE:
            rows += list(referrers)
        elif relation.on_delete is models.SET_NULL:
            links[relation.get_accessor_name()] = list(referrers.values_list("pk", flat=True))
    payload = {"rows": serializers.serialize("python", rows), "links": links}
    payload["rows"] = _jsonable(payload["rows"])
    purge_expired()  # deleting is when old trash is cleared: no scheduler needed
    with transaction.atomic():
        trash = Trash.objects.create(owner=obj.owner, label=str(obj)[:300], payload=payload)
        # Photo files and text revisions stay until the trash expires, so undo gets them back.
        obj._kept_in_trash = True
        obj.delete()
    return trash


def restore(trash: Trash):
    """Put the deleted rows back with their primary keys; returns the main object."""
    with transaction.atomic():
        objects = list(serializers.deserialize("python", trash.payload["rows"]))
        for restored in objects:
            restored.save()
        main = objects[0].object
        relations = {r.get_accessor_name(): r for r in type(main)._meta.related_objects}
        for accessor, pks in trash.payload.get("links", {}).items():
            relation = relations.get(accessor)
            if relation is not None and pks:
                relation.related_model.objects.filter(pk__in=pks, owner=trash.owner).update(
                    **{relation.field.name: main}
                )
        trash.delete()
    return main


def purge_expired(now: datetime.datetime | None = None) -> int:
    """Forget trash older than a week: its rows' revisions and the photo files no row uses."""
    horizon = (now or timezone.now()) - KEEP
    count = 0
    for trash in Trash.objects.filter(created__lt=horizon):
        with transaction.atomic():
            for row in trash.payload["rows"]:
                forget_revisions(apps.get_model(row["model"]), row["pk"])
            trash.delete()
        for row in trash.payload["rows"]:
            if row["model"] == "timeline.photo":
                _delete_unused_files(row["fields"])
        count += 1
    return count


def forget_revisions(model, pk) -> None:
    """Remove the text history of a row that is gone for good."""
    content_type = ContentType.objects.get_for_model(model)
    Revision.objects.filter(content_type=content_type, object_id=pk).delete()


def forget_revisions_of_deleted(sender, instance, **kwargs) -> None:
    """A row deleted outside the trash (the admin, a bulk delete) takes its history along."""
    if not getattr(instance, "_kept_in_trash", False):
        forget_revisions(sender, instance.pk)


def _delete_unused_files(fields: dict) -> None:
    for name in (fields.get("image"), fields.get("thumbnail")):
        in_use = Photo.objects.filter(Q(image=name) | Q(thumbnail=name))
        if name and not in_use.exists():
            Photo.image.field.storage.delete(name)


class _ExactEncoder(DjangoJSONEncoder):
    """Keeps microseconds (DjangoJSONEncoder rounds times to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


def _jsonable(rows: list[dict]) -> list[dict]:
    """Serializer output with dates and times as exact ISO strings, for a JSONField."""
    return json.loads(json.dumps(rows, cls=_ExactEncoder))
