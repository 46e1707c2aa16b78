"""manage.py share USERNAME YEAR [--also YEAR ...] [--expires-days N] | --revoke

Makes a share link for a user's review of a year and prints its path
``/s/<token>/`` as the last line (the token is shown this once and never
stored). The link opens that year and the years given with ``--also``, and
no other. With ``--revoke``, revokes every live link that opens the year.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from core.dates import MAX_YEAR, MIN_YEAR, is_valid_year
from sharing import services

MAX_EXPIRES_DAYS = 36500


class Command(BaseCommand):
    help = "Create a share link for a user's review of a year (or revoke them all)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("year", type=int)
        parser.add_argument(
            "--expires-days",
            type=int,
            metavar="N",
            help="the link stops working N days from now (default: never)",
        )
        parser.add_argument(
            "--also",
            type=int,
            nargs="+",
            default=[],
            metavar="YEAR",
            help="other years the link opens too (each must have something recorded)",
        )
        parser.add_argument(
            "--revoke", action="store_true", help="revoke every live link that opens this year"
        )

    def handle(self, *args, username: str, year: int, expires_days, also, revoke: bool, **options):
        user = self._user(username)
        for each in (year, *also):
            if not is_valid_year(each):
                raise CommandError(f"{each} is not a year between {MIN_YEAR} and {MAX_YEAR}.")
        if revoke:
            if expires_days is not None or also:
                raise CommandError(
                    "--revoke cannot be used together with --expires-days or --also."
                )
            self._revoke(user, year)
            return
        if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRES_DAYS:
            raise CommandError(f"--expires-days must be between 1 and {MAX_EXPIRES_DAYS}.")
        with_data = services.years_with_data(user)
        for each in (year, *also):
            if each not in with_data:
                message = f"{username} has nothing recorded for {each}: nothing to share."
                raise CommandError(message)
        review = services.review_to_share(user, year)
        expires_at = (
            timezone.now() + datetime.timedelta(days=expires_days) if expires_days else None
        )
        link, token = services.create_link(review, expires_at, also=also)
        until = f"until {expires_at:%Y-%m-%d %H:%M %Z}" if expires_at else "until revoked"
        opens = ", ".join(str(each) for each in services.shared_years(link))
        self.stdout.write(
            f"Share link #{services.link_hint(link)} for {username}'s {year} review, "
            f"opening {opens}, working {until}. It will not be shown again:"
        )
        self.stdout.write(reverse("sharing:share", args=[token]))

    def _user(self, username: str):
        model = get_user_model()
        try:
            return model.objects.get(**{model.USERNAME_FIELD: username})
        except model.DoesNotExist:
            raise CommandError(f"There is no user {username!r}.") from None

    def _revoke(self, user, year: int) -> None:
        count = services.revoke_all(user, year)
        if not count and not services.year_has_data(user, year):
            raise CommandError(f"{user.get_username()} has nothing recorded for {year}.")
        noun = "link" if count == 1 else "links"
        self.stdout.write(f"Revoked {count} live {noun} of {user.get_username()}'s {year} review.")
