"""manage.py import_post USERNAME FILE [--year YYYY] [--replace]

Imports a year-in-review post (Markdown, with or without YAML or TOML
front matter) as the document of its year: the year given, else the
front matter's date, else a year in the title. A year whose document
already holds text is left alone (exit 1) unless --replace is given.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portability import posts
from portability.management.commands.export_data import get_user


class Command(BaseCommand):
    help = "Import a Markdown post as the document of a year's review."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("file", help="a Markdown file, front matter optional")
        parser.add_argument("--year", type=int, help="the year (else from the post)")
        parser.add_argument(
            "--replace", action="store_true", help="replace the year's document if it has one"
        )

    def handle(self, *args, username: str, file: str, year: int | None, replace: bool, **opts):
        user = get_user(username)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file {file}.")
        try:
            raw = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            raise CommandError(f"{file} is not a UTF-8 text file.") from None
        try:
            plan = posts.plan(user, raw, year)
            if plan.replaces and not replace:
                raise CommandError(
                    f"{plan.year} already has a document; nothing was imported. "
                    "Run again with --replace to replace it (the old text stays in its history)."
                )
            review = posts.apply(user, plan, replace=replace)
        except posts.PostError as error:
            raise CommandError(error.message) from None
        verb = "Replaced" if plan.replaces else "Imported"
        self.stdout.write(f"{verb} the document of {review.year}: {review.display_title}")
