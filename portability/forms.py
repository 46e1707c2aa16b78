"""The upload forms of /data/: a backup to import, a Goodreads export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Backup file (.zip or .json)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,.json,application/json"}),
    )
    without_photos = forms.BooleanField(
        label=gettext_lazy("Import without the photos the file mentions but does not include"),
        help_text=gettext_lazy(
            "For a JSON file without its photos. A zip backup carries its photos."
        ),
        required=False,
    )


class GoodreadsForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Goodreads export (.csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class PostForm(forms.Form):
    """A post to import; its ids are its own, as /data/ shows several upload forms."""

    file = forms.FileField(
        label=gettext_lazy("Post (.md)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".md,.markdown,.txt,text/markdown"}),
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        required=False,
        min_value=1900,
        max_value=2200,
        help_text=gettext_lazy("Leave empty to take it from the post’s date or title."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "post_%s")
        super().__init__(*args, **kwargs)


class PostConfirmForm(forms.Form):
    """The previewed post, sent back as it was shown."""

    text = forms.CharField(strip=False, widget=forms.HiddenInput)
    year = forms.IntegerField(min_value=1900, max_value=2200, widget=forms.HiddenInput)
    replace = forms.BooleanField(label=gettext_lazy("Replace the document"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "post_%s")
        super().__init__(*args, **kwargs)
