"""manage.py share USERNAME YEAR [--expires-days N] | --revoke

Makes a share link for a user's review of a year and prints its path
``/s/<token>/`` as the last line (the token is shown this once and never
stored), or with ``--revoke`` revokes every live link of that review.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import timezone

from core.dates import MAX_YEAR, MIN_YEAR, is_valid_year
from reviews.models import Review
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
            "--revoke", action="store_true", help="revoke every live link of this review"
        )

    def handle(self, *args, username: str, year: int, expires_days, revoke: bool, **options):
        user = self._user(username)
        if not is_valid_year(year):
            raise CommandError(f"{year} is not a year between {MIN_YEAR} and {MAX_YEAR}.")
        if revoke:
            if expires_days is not None:
                raise CommandError("--revoke and --expires-days cannot be used together.")
            self._revoke(user, year)
            return
        if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRES_DAYS:
            raise CommandError(f"--expires-days must be between 1 and {MAX_EXPIRES_DAYS}.")
        review = services.review_to_share(user, year)
        if review is None:
            raise CommandError(f"{username} has nothing recorded for {year}: nothing to share.")
        expires_at = (
            timezone.now() + datetime.timedelta(days=expires_days) if expires_days else None
        )
        link, token = services.create_link(review, expires_at)
        until = f"until {expires_at:%Y-%m-%d %H:%M %Z}" if expires_at else "until revoked"
        self.stdout.write(
            f"Share link #{services.link_hint(link)} for {username}'s {year} review, "
            f"working {until}. It will not be shown again:"
        )
        self.stdout.write(reverse("sharing:share", args=[token]))

    def _user(self, username: str):
        model = get_user_model()
        try:
            return model.objects.get(**{model.USERNAME_FIELD: username})
        except model.DoesNotExist:
            raise CommandError(f"There is no user {username!r}.") from None

    def _revoke(self, user, year: int) -> None:
        review = Review.objects.filter(owner=user, year=year).first()
        if review is None and not services.year_has_data(user, year):
            raise CommandError(f"{user.get_username()} has nothing recorded for {year}.")
        count = services.revoke_all(review) if review is not None else 0
        noun = "link" if count == 1 else "links"
        self.stdout.write(f"Revoked {count} live {noun} of {user.get_username()}'s {year} review.")
