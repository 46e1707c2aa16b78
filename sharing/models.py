"""The links that share a review: capability URLs of which only a hash is stored.

A link opens exactly the years chosen when it was made (its own review's year,
and any others its owner ticked), and nothing else: not another year that has
a live link of its own, not a photo of a year it does not name.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import is_valid_year
from core.models import Owned, OwnedQuerySet
from reviews.models import Review


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ShareLinkQuerySet(OwnedQuerySet):
    def live(self) -> ShareLinkQuerySet:
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ShareLink(Owned):
    """A capability URL for a review and the years chosen with it. Only the token's hash is stored.

    ``review`` is the year the link's address opens and where the owner finds
    it; ``years`` is every year the link opens, that one included, fixed when
    the link is made (regenerating copies it to the replacement).
    """

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="share_links")
    years = models.JSONField(_("years"), default=list, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    views = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    # The share page does not show its own counter; counting a visit keeps it cached.
    unversioned_fields = frozenset({"views", "last_viewed_at"})

    class Meta:
        # The table was made when links belonged to reviews; keeping its name
        # moved the model without moving a single row.
        db_table = "reviews_sharelink"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"share link for {self.review}"

    @classmethod
    def create_for(
        cls, review: Review, expires_at=None, also: Iterable[int] = ()
    ) -> tuple[ShareLink, str]:
        """Make a link opening ``review``'s year and the years ``also``.

        The token is returned once and never stored in clear.
        """
        years = sorted({review.year, *(int(year) for year in also)})
        if not all(is_valid_year(year) for year in years):
            raise ValueError(f"not a year a link can open: {years}")
        token = secrets.token_urlsafe(32)
        link = cls.objects.create(
            owner=review.owner,
            review=review,
            years=years,
            token_hash=hash_token(token),
            expires_at=expires_at,
        )
        return link, token

    def opens(self, year: int) -> bool:
        """Whether this link opens ``year`` (live or not: callers find live links first)."""
        return year in self.years

    @property
    def is_live(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
