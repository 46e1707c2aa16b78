"""manage.py clean_media [--delete] [--older-than MINUTES]

Lists the photo files that no photo (nor a photo kept in the trash for undo)
uses — what an import killed mid-way leaves behind — and with ``--delete``
removes them. Files newer than the grace period (60 minutes) are left alone:
an import or upload may still be about to commit them.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from portability import media


class Command(BaseCommand):
    help = "List (or with --delete remove) photo files that no photo uses."

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete", action="store_true", help="remove them (without it: only list them)"
        )
        parser.add_argument(
            "--older-than",
            type=int,
            default=int(media.GRACE.total_seconds() // 60),
            metavar="MINUTES",
            help="only files last written at least this long ago (default: %(default)s)",
        )

    def handle(self, *args, delete, older_than, **options):
        if older_than < 0:
            raise CommandError("--older-than cannot be negative.")
        found = media.orphans(grace=datetime.timedelta(minutes=older_than))
        for orphan in found:
            self.stdout.write(orphan.name)
        size = sum(orphan.size for orphan in found) / (1024 * 1024)
        if not found:
            self.stdout.write("No photo files without a photo.")
        elif delete:
            count = media.delete(found)
            self.stdout.write(f"Removed {count} photo files without a photo ({size:.1f} MB).")
        else:
            self.stdout.write(
                f"{len(found)} photo files without a photo ({size:.1f} MB);"
                " run with --delete to remove them."
            )
