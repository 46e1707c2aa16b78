"""Photo files that no row uses: what a killed import (or a crash after a delete) leaves.

An import writes its photos' files just before its transaction and deletes
them again if the transaction fails, and a deleted photo's files go once the
deletion is committed; only a process killed in between (``kill -9``, a
power cut) leaves files behind. ``orphans`` finds them: files under
``photos/`` that neither a photo nor a photo kept in the trash for undo
names, and that are older than a grace period, so that the files of an
import or upload still running are never taken for orphans.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import timezone

from reviews.models import Trash
from timeline.models import Photo

FOLDER = "photos"
GRACE = datetime.timedelta(hours=1)  # far longer than an import runs in a worker


@dataclass(frozen=True)
class Orphan:
    name: str  # the storage name, e.g. photos/3f…e1.jpg
    size: int


def _files(storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _files(storage, f"{folder}/{sub}")


def _names_in_use() -> set[str]:
    names: set[str] = set()
    for image, thumbnail in Photo.objects.values_list("image", "thumbnail"):
        names.update((image, thumbnail))
    # A deleted entry's photos wait in the trash for a week, their files with them.
    for payload in Trash.objects.values_list("payload", flat=True):
        for row in payload.get("rows", []):
            if row.get("model") == "timeline.photo":
                fields = row.get("fields", {})
                names.update((fields.get("image") or "", fields.get("thumbnail") or ""))
    names.discard("")
    return names


def orphans(*, grace: datetime.timedelta = GRACE) -> list[Orphan]:
    """Files under photos/ that nothing names, older than ``grace``, by name."""
    storage = Photo.image.field.storage
    in_use = _names_in_use()
    horizon = timezone.now() - grace
    found = []
    for name in sorted(_files(storage, FOLDER)):
        if name in in_use:
            continue
        try:
            if storage.get_modified_time(name) > horizon:
                continue
            found.append(Orphan(name, storage.size(name)))
        except FileNotFoundError:  # removed meanwhile
            continue
    return found


def delete(found: list[Orphan]) -> int:
    """Delete the orphans, checking again that no row has come to name one; how many went."""
    storage = Photo.image.field.storage
    in_use = _names_in_use()
    count = 0
    for orphan in found:
        if orphan.name not in in_use:
            storage.delete(orphan.name)
            count += 1
    return count
