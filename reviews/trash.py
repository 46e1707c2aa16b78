"""Delete with undo: rows are serialized into Trash and restored exactly."""

from __future__ import annotations

import datetime
import json

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from reviews.models import Goal, Trash
from timeline.models import Entry, Photo

KEEP = datetime.timedelta(days=7)


def delete(obj) -> Trash:
    """Delete ``obj`` (an entry takes its photos along) and keep it for undo."""
    rows = [obj]
    links = {}
    if isinstance(obj, Entry):
        rows += list(obj.photos.all())
    if isinstance(obj, Goal):
        # A goal carried over from this one points back at it; restore that link too.
        links["carried_to"] = list(
            Goal.objects.filter(carried_from=obj).values_list("pk", flat=True)
        )
    payload = {"rows": serializers.serialize("python", rows), "links": links}
    payload["rows"] = _jsonable(payload["rows"])
    purge_expired()  # deleting is when old trash is cleared: no scheduler needed
    with transaction.atomic():
        trash = Trash.objects.create(owner=obj.owner, label=str(obj)[:300], payload=payload)
        # Photo files stay on disk until the trash expires, so undo gets them back.
        obj.delete()
    return trash


def restore(trash: Trash):
    """Put the deleted rows back with their primary keys; returns the main object."""
    with transaction.atomic():
        objects = list(serializers.deserialize("python", trash.payload["rows"]))
        for restored in objects:
            restored.save()
        main = objects[0].object
        carried = trash.payload.get("links", {}).get("carried_to", [])
        if carried:
            Goal.objects.filter(pk__in=carried, owner=trash.owner).update(carried_from=main)
        trash.delete()
    return main


def purge_expired(now: datetime.datetime | None = None) -> int:
    """Forget trash older than a week, removing photo files no row uses."""
    horizon = (now or timezone.now()) - KEEP
    count = 0
    for trash in Trash.objects.filter(created__lt=horizon):
        for row in trash.payload["rows"]:
            if row["model"] == "timeline.photo":
                for name in (row["fields"].get("image"), row["fields"].get("thumbnail")):
                    in_use = Photo.objects.filter(Q(image=name) | Q(thumbnail=name))
                    if name and not in_use.exists():
                        Photo.image.field.storage.delete(name)
        trash.delete()
        count += 1
    return count


class _ExactEncoder(DjangoJSONEncoder):
    """Keeps microseconds (DjangoJSONEncoder rounds times to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            return o.isoformat()
        return super().default(o)


def _jsonable(rows: list[dict]) -> list[dict]:
    """Serializer output with dates and times as exact ISO strings, for a JSONField."""
    return json.loads(json.dumps(rows, cls=_ExactEncoder))
