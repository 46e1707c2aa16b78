"""Invitations: one-time, expiring links that let someone create an account.

Only a hash of the link's token is stored, as for share links: the database
(or a backup of it) does not hold a working invitation.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import TimeStamped


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def open(self) -> InvitationQuerySet:
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(TimeStamped):
    """A link that creates one account, once, before it expires."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        USED = "used", _("used")
        EXPIRED = "expired", _("expired")

    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    note = models.CharField(
        _("for whom"), max_length=200, blank=True, help_text=_("Only you see this.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
    )
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    used_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"invitation {self.pk} ({self.note or 'no note'})"

    @classmethod
    def create(cls, *, days: int, note: str = "", created_by=None) -> tuple[Invitation, str]:
        """A new invitation valid for ``days``; the token is returned once, never stored."""
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            token_hash=hash_token(token),
            note=note,
            created_by=created_by,
            expires_at=timezone.now() + datetime.timedelta(days=days),
        )
        return invitation, token

    @classmethod
    def find(cls, token: str) -> Invitation | None:
        return cls.objects.filter(token_hash=hash_token(token)).first()

    @property
    def state(self) -> str:
        if self.used_at is not None:
            return self.State.USED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.OPEN

    def claim(self, user) -> bool:
        """Mark the invitation used by ``user``; False when it was used or expired meanwhile.

        One conditional UPDATE, so two people submitting the same link at once
        cannot both get an account from it.
        """
        now = timezone.now()
        claimed = Invitation.objects.filter(
            pk=self.pk, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now, used_by=user)
        return claimed == 1
