"""manage.py import_goodreads USERNAME FILE

Adds the books of a Goodreads export (CSV) to the user's library and prints
how many rows were imported, skipped (already imported) and failed, with the
line and reason of each row that was not imported. Failed rows never stop
the others; only a file that cannot be read at all is an error (exit 1).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portability import goodreads
from portability.management.commands.export_data import get_user


def _row(row: goodreads.Row) -> str:
    title = f" ({row.title})" if row.title else ""
    return f"  line {row.line}{title}: {row.reason}"


class Command(BaseCommand):
    help = "Import a Goodreads library export (CSV) into a user's library."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("file", help="the CSV file from Goodreads' “Export library”")

    def handle(self, *args, username: str, file: str, **options):
        user = get_user(username)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        try:
            report = goodreads.import_csv(user, path.read_bytes())
        except goodreads.GoodreadsError as error:
            raise CommandError(error.message) from None
        imported = len(report.imported)
        self.stdout.write(
            f"Imported {imported} book{'s' if imported != 1 else ''}, "
            f"skipped {len(report.skipped)}, failed {len(report.failed)}."
        )
        if report.failed:
            self.stdout.write("Failed:")
            for row in report.failed:
                self.stdout.write(_row(row))
        if report.skipped:
            self.stdout.write("Skipped:")
            for row in report.skipped:
                self.stdout.write(_row(row))
