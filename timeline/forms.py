"""Forms for timeline entries and career moves."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import FilterForm
from core.forms import PartialDatesForm
from timeline.models import CareerMove, Entry, MoveKind


class EntryForm(PartialDatesForm):
    class Meta:
        model = Entry
        fields = ["title", "started_on", "ended_on", "body", "private"]

    def clean(self):
        data = super().clean()
        start, end = data.get("started_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("The end date cannot be before the start date."))
        return data


class CareerMoveForm(PartialDatesForm):
    class Meta:
        model = CareerMove
        fields = ["date", "kind", "organization", "role", "note", "private"]


class CareerFilter(FilterForm):
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All moves")), *MoveKind.choices],
        error_messages={"invalid_choice": _("There is no kind “%(value)s”; showing every move.")},
    )
