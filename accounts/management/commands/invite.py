"""``manage.py invite``: make a one-time invitation link and print it.

The link is printed once: only a hash of its token is stored. Its address
is ``--base-url``, or ALMANAC_BASE_URL from the environment; without either
only the path is printed, to append to the address people reach the site at.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from accounts.forms import MAX_DAYS
from accounts.models import Invitation


class Command(BaseCommand):
    help = "Make a link that lets one person create an account, once, within --days."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--days", type=int, default=7, help="Days the link works (1-30).")
        parser.add_argument("--note", default="", help="For whom (only the owner sees it).")
        parser.add_argument("--by", help="The username of the staff member inviting.")
        parser.add_argument(
            "--base-url", default=None, help="The site's address, e.g. https://almanac.example.com"
        )

    def handle(self, *args, **options) -> None:
        days = options["days"]
        if not 1 <= days <= MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {MAX_DAYS}, not {days}.")
        note = options["note"]
        if len(note) > Invitation._meta.get_field("note").max_length:
            raise CommandError("--note is too long (200 characters at most).")
        by = None
        if options["by"]:
            by = get_user_model().objects.filter(username=options["by"]).first()
            if by is None:
                raise CommandError(f"No user named {options['by']!r}.")
        invitation, token = Invitation.create(days=days, note=note, created_by=by)
        base = options["base_url"]
        if base is None:
            base = settings.ALMANAC_BASE_URL
        link = base.rstrip("/") + reverse("accounts:join", args=[token])
        expires = invitation.expires_at.strftime("%Y-%m-%d %H:%M %Z")
        self.stdout.write(f"Invitation link (works once, until {expires}):")
        self.stdout.write(link)
        if not base:
            self.stdout.write(
                "Put your site's address in front of it (or pass --base-url, or set "
                "ALMANAC_BASE_URL)."
            )
