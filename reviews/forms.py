"""Forms for goals and a review's settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import FilterForm, status_filter
from reviews.models import Goal, GoalStatus, Review


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "status", "metric_kind", "metric_target", "description", "outcome",
                  "private"]  # fmt: skip

    def clean(self):
        data = super().clean()
        kind, target = data.get("metric_kind"), data.get("metric_target")
        if kind and not target:
            self.add_error("metric_target", _("Give a target for the count, e.g. 12."))
        if target is not None and target < 1:
            self.add_error("metric_target", _("The target must be at least 1."))
        if target and not kind:
            self.add_error("metric_kind", _("Choose what to count."))
        return data


# The languages a review is most often written in, as BCP 47 tags for the page's `lang`
# attribute (so browsers pick CJK fonts and line breaking), each named in itself.
LANGUAGE_CHOICES = [
    ("zh-Hans", "简体中文"),
    ("zh-Hant", "繁體中文"),
    ("en", "English"),
    ("ja", "日本語"),
    ("ko", "한국어"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
]


class ReviewForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=LANGUAGE_CHOICES,
        help_text=_("The language you write this review in."),
    )

    class Meta:
        model = Review
        fields = ["title", "author_name", "language", "license"]
        help_texts = {
            "license": _("e.g. CC BY-NC-SA 4.0"),
            "author_name": _("Shown as the author on shared pages."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A value stored before the list existed stays selectable (and is kept on save);
        # one that differs from a listed tag only in case is shown as that tag.
        stored = self.instance.language if self.instance.pk else ""
        canonical = {code.lower(): code for code, _name in LANGUAGE_CHOICES}
        if stored.lower() in canonical:
            self.initial["language"] = canonical[stored.lower()]
        elif stored:
            self.fields["language"].choices = [*LANGUAGE_CHOICES, (stored, stored)]


class GoalFilter(FilterForm):
    status = status_filter(GoalStatus.choices)
