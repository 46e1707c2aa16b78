"""The owner's form for a new share link."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import MAX_YEAR
from core.forms import DateInput


class ShareLinkForm(forms.Form):
    """When a new link stops working, and which of the owner's other years it opens too.

    ``other_years`` are the owner's years with data besides the one being
    shared; none is ticked unless the owner ticks it.
    """

    also = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Also open these years"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expires after (optional)"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy(
            "The link works until the end of this day. Leave it empty to keep the link"
            " until you revoke it."
        ),
    )

    def __init__(self, *args, other_years: list[int] | tuple[int, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["also"].choices = [(year, str(year)) for year in sorted(other_years)]

    def clean_expires_on(self) -> datetime.date | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        if day.year >= MAX_YEAR:
            raise forms.ValidationError(_("Choose a day before %(year)s.") % {"year": MAX_YEAR})
        return day
