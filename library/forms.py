"""Forms for library items."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from library.models import Item


class ItemForm(forms.ModelForm):
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
        widgets = {"started_on": DateInput(), "finished_on": DateInput()}

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
