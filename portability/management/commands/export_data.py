"""manage.py export_data USERNAME [-o FILE] [--public]

Writes the user's data in the interchange format (docs/data-format.md) to
stdout, or to FILE; a FILE ending in ``.zip`` gets a backup with the photos
and the Almanac-only fields (``almanac.json``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portability.backup import json_bytes, write_zip
from portability.interchange import export_data


def get_user(username: str):
    model = get_user_model()
    try:
        return model.objects.get(**{model.USERNAME_FIELD: username})
    except model.DoesNotExist:
        raise CommandError(f"There is no user named {username!r}.") from None


class Command(BaseCommand):
    help = "Export a user's data as interchange-format JSON (stdout or FILE) or a zip backup."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help="write to FILE instead of stdout; a name ending in .zip writes a zip backup "
            "with the photos",
        )
        parser.add_argument(
            "--public",
            action="store_true",
            help="leave out everything private, as a share link would",
        )

    def handle(self, *args, username: str, output: str | None, public: bool, **options):
        user = get_user(username)
        if output is None:
            data = export_data(user, public_only=public)
            self.stdout.write(json_bytes(data).decode("utf-8"), ending="")
            return
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} is not a folder.")
        # Written beside the target and renamed: an interrupted export never leaves half a file.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".export-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                if path.suffix.lower() == ".zip":
                    write_zip(user, handle, public_only=public)
                else:
                    handle.write(json_bytes(export_data(user, public_only=public)))
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(f"Wrote {path} ({path.stat().st_size:,} bytes).")
