"""A year's review and the goals of each year; revisions and trash for undo."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import rows
from core.dates import MAX_YEAR, MIN_YEAR
from core.models import Keyed, MarkdownFieldsMixin, Owned
from library.models import Item

YEAR_RANGE_MESSAGE = _("The year must be between 1900 and 2200.")


class Review(MarkdownFieldsMixin, Owned):
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    # The whole review: one Markdown essay with embeds (reviews.document).
    document = models.TextField(_("document"), blank=True)
    document_html = models.TextField(blank=True, editable=False)
    license = models.CharField(_("license"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=35, default="en")
    # Shown as the author on share pages instead of the username.
    author_name = models.CharField(_("author name"), max_length=100, blank=True)

    markdown_fields = ("document",)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "year"], name="review_one_per_owner_year"),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="review_year_range",
                violation_error_message=YEAR_RANGE_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.year}"

    def get_absolute_url(self) -> str:
        return rows.year_url(self.year)

    @staticmethod
    def language_for_interface() -> str:
        """A new review's language: the one the interface speaks right now."""
        return "zh-Hans" if get_language() == "zh-hans" else "en"

    @classmethod
    def render_field(cls, name: str, text: str) -> str:
        if name == "document":
            from reviews import document

            return document.render_html(text)
        return super().render_field(name, text)

    @property
    def display_title(self) -> str:
        return self.title or str(_("My %(year)s in review") % {"year": self.year})


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    PARTIAL = "partial", _("Partly achieved")
    MISSED = "missed", _("Missed")
    DROPPED = "dropped", _("Dropped")


class Goal(Keyed, MarkdownFieldsMixin, Owned):
    Status = GoalStatus

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    description_html = models.TextField(blank=True, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    outcome_html = models.TextField(blank=True, editable=False)
    metric_kind = models.CharField(
        _("counts"), max_length=20, choices=Item.Kind, blank=True, default=""
    )
    metric_target = models.PositiveIntegerField(_("target"), null=True, blank=True)
    carried_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
        verbose_name=_("carried over from"),
    )
    private = models.BooleanField(_("private"), default=False)

    markdown_fields = ("description", "outcome")

    class Meta:
        ordering = ["year", "id"]
        constraints = [
            Keyed.key_constraint("goal_key_per_owner"),
            models.CheckConstraint(
                condition=Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR),
                name="goal_year_range",
                violation_error_message=YEAR_RANGE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(status__in=GoalStatus.values), name="goal_status_valid"
            ),
            # A metric is both a kind and a positive target, or neither.
            models.CheckConstraint(
                condition=(Q(metric_kind="") & Q(metric_target__isnull=True))
                | (~Q(metric_kind="") & Q(metric_target__gte=1)),
                name="goal_metric_complete",
            ),
        ]
        indexes = [
            # The year page: an owner's goals for this year and the next.
            models.Index(fields=["owner", "year"], name="goal_owner_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.title}"

    def get_absolute_url(self) -> str:
        return rows.url_of(self)

    @property
    def is_settled(self) -> bool:
        return self.status in {
            self.Status.ACHIEVED,
            self.Status.PARTIAL,
            self.Status.MISSED,
            self.Status.DROPPED,
        }


class Revision(Owned):
    """An earlier state of one long text (any model's Markdown field).

    Saves a few minutes apart keep separate revisions; autosaves within
    ``FOLD_SECONDS`` of the previous one fold into it.
    """

    FOLD_SECONDS = 300

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    field = models.CharField(max_length=40)
    text = models.TextField(blank=True)
    version = models.PositiveIntegerField()
    restored_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-version", "-id"]
        indexes = [
            # The history of one text, newest first.
            models.Index(
                fields=["content_type", "object_id", "field", "-version"], name="revision_text"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} {self.field} v{self.version}"


class Trash(Owned):
    """A deleted object kept for undo: its rows, serialized, restored as they were."""

    label = models.CharField(max_length=300)
    payload = models.JSONField()

    class Meta:
        ordering = ["-created"]
        verbose_name_plural = "trash"

    def __str__(self) -> str:
        return self.label
