"""No photo file outlives a failed import, and `clean_media` finds what a kill leaves.

An import writes its photos' files before its transaction: an exception at any
step afterwards (simulated here) must leave no new file. A process killed with
``kill -9`` runs no clean-up at all (simulated by switching it off): the files
it leaves are what ``manage.py clean_media`` lists, and removes with
``--delete`` — never a file a photo, or a photo kept in the trash, still uses.
"""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from portability import interchange_import
from reviews import trash
from tests import factories as f
from tests.portability.interchange_data import add_photo, counts, jpeg, populate, zip_bytes
from tests.portability.test_interchange import import_zip, stored_files
from timeline.models import Photo

pytestmark = pytest.mark.django_db


class Crash(Exception):
    pass


def _crash(*args, **kwargs):
    raise Crash


@pytest.fixture
def backup_of_alice(alice) -> bytes:
    populate(alice)  # three photos
    return zip_bytes(alice)


def test_a_crash_after_the_photos_are_written_leaves_no_new_file(
    bob, backup_of_alice, monkeypatch
):
    before = stored_files()
    # The photos are stored and their rows made; then the import fails.
    monkeypatch.setattr(interchange_import._Writer, "goals", _crash)

    with pytest.raises(Crash):
        import_zip(bob, backup_of_alice)

    assert stored_files() == before
    assert all(n == 0 for n in counts(bob).values())


def test_a_crash_between_two_photos_leaves_no_new_file(bob, backup_of_alice, monkeypatch):
    before = stored_files()
    store = interchange_import._store
    calls = []

    def store_then_crash(processed):
        calls.append(processed)
        if len(calls) == 2:
            raise Crash
        return store(processed)

    monkeypatch.setattr(interchange_import, "_store", store_then_crash)

    with pytest.raises(Crash):
        import_zip(bob, backup_of_alice)

    assert stored_files() == before


def _age(names: set[str], seconds: float) -> None:
    then = time.time() - seconds
    for name in names:
        os.utime(Path(settings.MEDIA_ROOT) / name, (then, then))


def _clean_media(*args: str) -> list[str]:
    out = io.StringIO()
    call_command("clean_media", *args, stdout=out)
    return out.getvalue().splitlines()


def test_clean_media_finds_and_removes_what_a_killed_import_leaves(
    alice, bob, backup_of_alice, monkeypatch
):
    kept = f.entry(alice, "2024-02-02", title="Deleted, in the trash")
    add_photo(kept, jpeg())
    trash.delete(kept)  # its photo's files wait in the trash for the undo
    in_use = stored_files()
    # kill -9: no clean-up runs after the crash.
    monkeypatch.setattr(interchange_import, "_delete_files", lambda stored: None)
    monkeypatch.setattr(interchange_import._Writer, "goals", _crash)
    with pytest.raises(Crash):
        import_zip(bob, backup_of_alice)
    left = stored_files() - in_use
    assert len(left) == 8  # four photos and their thumbnails
    _age(stored_files(), 2 * 3600)
    fresh = Path(settings.MEDIA_ROOT) / "photos" / "just-written.jpg"
    fresh.write_bytes(b"an import may be about to commit it")

    listed = _clean_media()

    assert listed[:-1] == sorted(left)
    assert listed[-1].startswith("8 photo files without a photo")
    assert "--delete" in listed[-1]
    assert stored_files() - in_use == left | {"photos/just-written.jpg"}  # nothing removed

    removed = _clean_media("--delete")

    assert removed[-1].startswith("Removed 8 photo files without a photo")
    assert stored_files() == in_use | {"photos/just-written.jpg"}
    assert _clean_media() == ["No photo files without a photo."]
    for photo in Photo.objects.filter(owner=alice):
        assert photo.image.storage.exists(photo.image.name)
