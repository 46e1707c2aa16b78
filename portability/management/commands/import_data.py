"""manage.py import_data USERNAME FILE [--without-photos] [--dry-run]

Reads a JSON file or a zip backup (told apart by content), checks all of it,
and adds to the account in one transaction what it does not hold yet. On any
problem nothing is written: each problem is printed on its own line as
``path: message`` and the command exits with status 1.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portability.backup import import_backup
from portability.interchange import ImportReport, Problem
from portability.management.commands.export_data import get_user

LABELS = {
    "reviews": "reviews",
    "timeline": "timeline entries",
    "photos": "photos",
    "career": "career moves",
    "library": "library items",
    "goals": "goals",
    "tallies": "recorded counts",
}


def _refusal(problems: list[Problem]) -> CommandError:
    count = len(problems)
    header = f"Nothing was imported: the file has {count} problem{'s' if count != 1 else ''}:"
    return CommandError("\n".join([header, *map(str, problems)]), returncode=1)


class Command(BaseCommand):
    help = "Import interchange-format JSON or a zip backup into a user's account."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("file", help="a .json file, a .zip backup, or - for stdin")
        parser.add_argument(
            "--without-photos",
            action="store_true",
            help="import without the photos the file mentions but does not include"
            " (instead of refusing)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and report, but write nothing"
        )

    def handle(self, *args, username, file, without_photos, dry_run, **options):
        user = get_user(username)
        if file == "-":
            source = io.BytesIO(sys.stdin.buffer.read())
        else:
            source = Path(file)
            if not source.is_file():
                raise CommandError(f"There is no file {file}.")
        report = import_backup(user, source, without_photos=without_photos, preview=dry_run)
        if report.problems:
            raise _refusal(report.problems)
        self._print(report, username)

    def _print(self, report: ImportReport, username: str) -> None:
        if report.preview:
            self.stdout.write(f"Dry run for {username}, nothing written: {report.summary()}")
        else:
            self.stdout.write(f"Imported into {username}'s account: {report.summary()}")
        verb = "would add" if report.preview else "added"
        for kind, added, skipped in report.lines():
            self.stdout.write(
                f"  {LABELS[kind]}: {verb} {added}, skipped {skipped} already present"
            )
        if report.photos_left_out:
            self.stdout.write(f"  photos left out (not in the file): {report.photos_left_out}")
