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
    expires_on = forms.DateField(
        label=gettext_lazy("Expires after (optional)"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy(
            "The link works until the end of this day. Leave it empty to keep the link"
            " until you revoke it."
        ),
    )

    def clean_expires_on(self) -> datetime.date | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        if day.year >= MAX_YEAR:
            raise forms.ValidationError(_("Choose a day before %(year)s.") % {"year": MAX_YEAR})
        return day
