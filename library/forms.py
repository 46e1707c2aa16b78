"""Forms for library items."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.filters import FilterForm, status_filter
from core.forms import PartialDatesForm
from library.models import Item, ItemKind, ItemStatus, Tally

# The "year" filter's value for items without a finished date.
NO_DATE = "none"


class ItemForm(PartialDatesForm):
    # Adding many items in a row: these come first, the rest folds under "More".
    quick_fields = ("title", "kind", "status", "finished_on")
    # Lines pasted at once become this many items at most.
    MAX_LINES = 100

    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", "—"), *[(n, str(n)) for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = Item
        fields = [
            "kind",
            "title",
            "authors",
            "url",
            "status",
            "started_on",
            "finished_on",
            "rating",
            "recommended",
            "notes",
            "private",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # A paste of several lines offers one item per line (static/js/items.js).
            self.fields["title"].widget.attrs["data-paste-title"] = ""

    @staticmethod
    def initial_for(year: int, remembered: dict | None = None) -> dict:
        """A new item from a year's page: finished in that year unless the owner's last
        item (``remembered``: its kind and status) says otherwise."""
        remembered = remembered or {}
        kind = remembered.get("kind")
        status = remembered.get("status")
        initial = {
            "kind": kind if kind in ItemKind.values else ItemKind.BOOK,
            "status": status if status in ItemStatus.values else ItemStatus.FINISHED,
        }
        if initial["status"] == ItemStatus.FINISHED:
            initial["finished_on"] = str(year)  # year precision: "sometime in 2020"
        return initial

    @staticmethod
    def titles(text: str) -> list[str]:
        """The non-empty lines of a paste, each one title."""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean_url(self) -> str:
        url = self.cleaned_data.get("url", "")
        if url and not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Only http:// and https:// links are allowed."))
        return url

    def clean(self):
        data = super().clean()
        start, end = data.get("started_on"), data.get("finished_on")
        if start and end and end < start:
            self.add_error("finished_on", _("The finish date cannot be before the start date."))
        return data


class TallyForm(forms.ModelForm):
    """A count of one kind for a year; the year comes from the page (or the file)."""

    class Meta:
        model = Tally
        fields = ["kind", "count", "note", "private"]
        widgets = {
            "count": forms.NumberInput(attrs={"min": 0, "max": 1_000_000, "inputmode": "numeric"}),
            "note": forms.TextInput(attrs={"placeholder": _("papers with reading notes")}),
        }

    def clean(self):
        data = super().clean()
        tally = self.instance
        kind = data.get("kind")
        if kind and tally.owner_id and tally.year:
            taken = Tally.objects.filter(owner_id=tally.owner_id, year=tally.year, kind=kind)
            if taken.exclude(pk=tally.pk).exists():
                self.add_error(
                    "kind",
                    _("%(year)s already has a count of this kind: edit that one.")
                    % {"year": tally.year},
                )
        return data


class LibraryFilter(FilterForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(
            attrs={"placeholder": _("Title, authors or notes"), "autocomplete": "off"}
        ),
        error_messages={"max_length": _("The search is too long (200 characters at most).")},
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *ItemKind.choices],
        error_messages={"invalid_choice": _("There is no kind “%(value)s”; showing every kind.")},
    )
    status = status_filter(ItemStatus.choices)
    year = forms.CharField(label=_("Finished in"), required=False, widget=forms.Select)
    recommended = forms.BooleanField(label=_("Recommended only"), required=False)

    def __init__(self, data, years: list[int]):
        super().__init__(data)
        asked = str(data.get("year", ""))
        if re.fullmatch(r"\d{4}", asked, re.ASCII) and int(asked) not in years:
            years = sorted([*years, int(asked)], reverse=True)
        self.fields["year"].widget.choices = [
            ("", _("Any year")),
            *[(str(year), str(year)) for year in years],
            (NO_DATE, _("No date")),
        ]

    def clean_year(self) -> int | str:
        value = self.cleaned_data["year"]
        if value in ("", NO_DATE):
            return value
        if not re.fullmatch(r"\d{4}", value, re.ASCII):
            raise ValidationError(
                _("“%(value)s” is not a year; showing every year."),
                params={"value": value[:20]},
            )
        return int(value)
