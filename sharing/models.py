"""The links that share a review: capability URLs of which only a hash is stored."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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
    """A capability URL for one review. Only the token's hash is stored."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    views = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        # The table was made when links belonged to reviews; keeping its name
        # moved the model without moving a single row.
        db_table = "reviews_sharelink"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"share link for {self.review}"

    @classmethod
    def create_for(cls, review: Review, expires_at=None) -> tuple[ShareLink, str]:
        """Make a link; the token is returned once and never stored in clear."""
        token = secrets.token_urlsafe(32)
        link = cls.objects.create(
            owner=review.owner,
            review=review,
            token_hash=hash_token(token),
            expires_at=expires_at,
        )
        return link, token

    @property
    def is_live(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
