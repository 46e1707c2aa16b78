"""Forms for goals and a review's settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reviews.models import Goal, Review


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


class ReviewForm(forms.ModelForm):
    class Meta:
        model = Review
        fields = ["title", "author_name", "language", "license", "show_answers", "prompts_hidden"]
        help_texts = {
            "language": _("The language of your text, e.g. zh-Hans or en."),
            "license": _("e.g. CC BY-NC-SA 4.0"),
            "author_name": _("Shown as the author on shared pages."),
        }
