"""What happened in a year: timeline entries with photos, and career moves."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core import rows
from core.dates import (
    DATE_RANGE_MESSAGE,
    END,
    DateOf,
    PartialDate,
    date_in_range,
    partial_span_label,
    precision_field,
    precision_valid,
    validate_date_in_range,
)
from core.models import Keyed, MarkdownFieldsMixin, Owned, OwnedQuerySet


class Entry(Keyed, MarkdownFieldsMixin, Owned):
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    body_html = models.TextField(blank=True, editable=False)
    started_on = models.DateField(_("started on"), validators=[validate_date_in_range])
    ended_on = models.DateField(
        _("ended on"), null=True, blank=True, validators=[validate_date_in_range]
    )
    started_precision = precision_field(_("start precision"))
    ended_precision = precision_field(_("end precision"))
    private = models.BooleanField(_("private"), default=False)

    markdown_fields = ("body",)
    dates = (
        DateOf("started_on", "started_precision"),
        DateOf("ended_on", "ended_precision", END),
    )

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name_plural = "entries"
        constraints = [
            Keyed.key_constraint("entry_key_per_owner"),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="entry_end_not_before_start",
            ),
            models.CheckConstraint(
                condition=date_in_range("started_on"),
                name="entry_started_on_range",
                violation_error_message=DATE_RANGE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=date_in_range("ended_on", nullable=True),
                name="entry_ended_on_range",
                violation_error_message=DATE_RANGE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=precision_valid("started_precision")
                & precision_valid("ended_precision"),
                name="entry_precisions_valid",
            ),
        ]
        indexes = [
            # The year page: an owner's entries started within one year.
            models.Index(fields=["owner", "started_on"], name="entry_owner_started"),
        ]

    def __str__(self) -> str:
        return f"{self.start} {self.title}"

    def get_absolute_url(self) -> str:
        return rows.url_of(self)

    @property
    def start(self) -> PartialDate:
        return self.dates[0].get(self)

    @property
    def end(self) -> PartialDate | None:
        return self.dates[1].get(self)

    @property
    def span(self) -> str:
        """'Jul – Nov', 'Apr – Jun 2020', '2020', in the interface's language."""
        return partial_span_label(self.start, self.end)

    @property
    def quarter(self) -> int | None:
        """The quarter it started in; ``None`` when only its year is known."""
        return self.start.quarter


class MoveKind(models.TextChoices):
    JOINED = "joined", _("Joined")
    LEFT = "left", _("Left")
    PROMOTED = "promoted", _("Promoted")
    ROLE_CHANGE = "role_change", _("Role change")
    ACQUIRED = "acquired", _("Company acquired")
    FOUNDED = "founded", _("Founded")
    OTHER = "other", _("Other")


class CareerMove(Keyed, MarkdownFieldsMixin, Owned):
    Kind = MoveKind

    date = models.DateField(_("date"), validators=[validate_date_in_range])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    organization = models.CharField(_("organization"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    note = models.TextField(_("note"), blank=True)
    note_html = models.TextField(blank=True, editable=False)
    date_precision = precision_field(_("date precision"))
    private = models.BooleanField(_("private"), default=False)

    markdown_fields = ("note",)
    dates = (DateOf("date", "date_precision"),)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            Keyed.key_constraint("move_key_per_owner"),
            models.CheckConstraint(
                condition=Q(kind__in=MoveKind.values), name="careermove_kind_valid"
            ),
            models.CheckConstraint(
                condition=date_in_range("date"),
                name="careermove_date_range",
                violation_error_message=DATE_RANGE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=precision_valid("date_precision"), name="careermove_precision_valid"
            ),
        ]
        indexes = [
            # The year page and /career/: an owner's moves by date.
            models.Index(fields=["owner", "date"], name="move_owner_date"),
        ]

    def __str__(self) -> str:
        return f"{self.when} {self.get_kind_display()} {self.organization}"

    @property
    def when(self) -> PartialDate:
        return self.dates[0].get(self)

    def get_absolute_url(self) -> str:
        return rows.url_of(self)


def photo_path(instance: Photo, filename: str) -> str:
    # Random names: a file name never tells anything about its owner or content.
    return f"photos/{secrets.token_hex(16)}.{filename.rsplit('.', 1)[-1].lower()}"


class PhotoQuerySet(OwnedQuerySet):
    def visible_to(self, owner, reader) -> PhotoQuerySet:
        """A photo of an entry shows wherever its entry does; a photo placed in a
        year's document shows with the document."""
        rows = self.filter(owner=owner)
        if reader is not None and getattr(reader, "pk", None) == getattr(owner, "pk", owner):
            return rows
        return rows.filter(Q(entry__isnull=True) | Q(entry__private=False))


class Photo(Keyed, Owned):
    # A photo belongs to an entry, or is placed straight into the document of ``year``.
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="photos", null=True, blank=True
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    image = models.ImageField(upload_to=photo_path, width_field="width", height_field="height")
    thumbnail = models.ImageField(upload_to=photo_path, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            Keyed.key_constraint("photo_key_per_owner"),
            models.CheckConstraint(
                condition=Q(entry__isnull=False) | Q(year__isnull=False),
                name="photo_on_an_entry_or_in_a_year",
            ),
        ]

    def __str__(self) -> str:
        return self.caption or f"photo {self.pk}"
