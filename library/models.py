"""What a person read or studied: books, papers, code, articles, courses, talks."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import rows
from core.dates import (
    DATE_RANGE_MESSAGE,
    END,
    MAX_YEAR,
    MIN_YEAR,
    DateOf,
    PartialDate,
    date_in_range,
    precision_field,
    precision_valid,
    validate_date_in_range,
)
from core.models import Keyed, MarkdownFieldsMixin, Owned


class ItemKind(models.TextChoices):
    BOOK = "book", _("Book")
    PAPER = "paper", _("Paper")
    CODE = "code", _("Code")
    ARTICLE = "article", _("Article")
    COURSE = "course", _("Course")
    TALK = "talk", _("Talk")
    OTHER = "other", _("Other")


class ItemStatus(models.TextChoices):
    WANT = "want", _("Want to read")
    READING = "reading", _("Reading")
    FINISHED = "finished", _("Finished")
    ABANDONED = "abandoned", _("Abandoned")


class Item(Keyed, MarkdownFieldsMixin, Owned):
    Kind = ItemKind

    Status = ItemStatus

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.BOOK)
    title = models.CharField(_("title"), max_length=300)
    authors = models.CharField(_("authors"), max_length=300, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.WANT)
    started_on = models.DateField(
        _("started on"), null=True, blank=True, validators=[validate_date_in_range]
    )
    finished_on = models.DateField(
        _("finished on"), null=True, blank=True, validators=[validate_date_in_range]
    )
    started_precision = precision_field(_("start precision"))
    finished_precision = precision_field(_("finish precision"))
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    recommended = models.BooleanField(_("recommended"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    notes_html = models.TextField(blank=True, editable=False)
    private = models.BooleanField(_("private"), default=False)
    # Only for the owner: never shown on a share page or in a public export.
    private_notes = models.TextField(_("private notes"), blank=True)
    # Goodreads "Book Id", so a second import of the same shelf adds nothing. The same
    # rule for the CSV and for a backup: it becomes the path of the item's link.
    goodreads_id = models.CharField(
        max_length=32,
        blank=True,
        editable=False,
        validators=[
            RegexValidator(
                r"\A[0-9A-Za-z._-]+\Z",
                _("A Goodreads book id has only letters, digits, “.”, “_” and “-”."),
            )
        ],
    )

    markdown_fields = ("notes",)
    dates = (
        DateOf("started_on", "started_precision"),
        DateOf("finished_on", "finished_precision", END),
    )

    class Meta:
        ordering = ["finished_on", "id"]
        constraints = [
            Keyed.key_constraint("item_key_per_owner"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="item_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(finished_on__isnull=True)
                | Q(finished_on__gte=F("started_on")),
                name="item_finish_not_before_start",
            ),
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="item_kind_valid"),
            models.CheckConstraint(
                condition=Q(status__in=ItemStatus.values), name="item_status_valid"
            ),
            models.CheckConstraint(
                condition=date_in_range("started_on", nullable=True),
                name="item_started_on_range",
                violation_error_message=DATE_RANGE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=date_in_range("finished_on", nullable=True),
                name="item_finished_on_range",
                violation_error_message=DATE_RANGE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=precision_valid("started_precision")
                & precision_valid("finished_precision"),
                name="item_precisions_valid",
            ),
        ]
        indexes = [
            # The year page: an owner's items finished within one year.
            models.Index(fields=["owner", "finished_on"], name="item_owner_finished"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        # An item not finished yet has no year page: it lives in the library.
        return rows.url_of(self) or f"{reverse('library:list')}#{rows.row_id(self)}"

    @property
    def started(self) -> PartialDate | None:
        return self.dates[0].get(self)

    @property
    def finished(self) -> PartialDate | None:
        return self.dates[1].get(self)

    @property
    def year(self) -> int | None:
        """An item belongs to the year it was finished in."""
        return self.finished_on.year if self.finished_on else None


class Tally(Owned):
    """How many of a kind someone read in a year, recorded whether or not they are listed.

    "30 papers with reading notes": where a tally is recorded, compare, the charts and
    metric goals count it instead of the listed finished items.
    """

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind)
    count = models.PositiveIntegerField(_("count"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    private = models.BooleanField(_("private"), default=False)

    class Meta:
        ordering = ["year", "kind"]
        verbose_name_plural = "tallies"
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "year", "kind"],
                name="tally_one_per_year_and_kind",
                violation_error_message=_("This year already has a count of this kind."),
            ),
            models.CheckConstraint(condition=Q(kind__in=ItemKind.values), name="tally_kind_valid"),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="tally_year_range",
                violation_error_message=_("The year must be between 1900 and 2200."),
            ),
            models.CheckConstraint(
                condition=Q(count__lte=1_000_000),
                name="tally_count_bounded",
                violation_error_message=_("A count is at most 1,000,000."),
            ),
        ]

    def __str__(self) -> str:
        # Read back in "Deleted “Paper 2019: 30”." after a delete.
        return f"{self.get_kind_display()} {self.year}: {self.count}"
