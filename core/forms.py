"""Forms of core: the date fields the apps share and the login form a throttle refuses."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.dates import DATE_FORMAT_HELP, FIRST_DAY, LAST_DAY, PartialDate, parse_partial


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# A calendar drawn in the text colour: an emoji would depend on the reader's fonts.
CALENDAR_ICON = mark_safe(
    '<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">'
    '<rect x="1.5" y="2.5" width="13" height="12" rx="1.5" fill="none" stroke="currentColor"/>'
    '<path d="M1.5 6h13M5 1v3M11 1v3" fill="none" stroke="currentColor"/></svg>'
)


class PartialDateInput(forms.TextInput):
    """A date typed as a day, a month, a quarter or a year, with a button beside it that
    opens the browser's calendar for a day.

    The button and its unnamed date input stay hidden until static/js/dates.js shows them:
    without JavaScript the text is the whole control, and the date input never submits.
    """

    def __init__(self, attrs=None):
        defaults = {"placeholder": DATE_FORMAT_HELP, "autocomplete": "off", "spellcheck": "false"}
        super().__init__({**defaults, **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        text = super().render(name, value, attrs, renderer)
        return format_html(
            '<span class="partial-date" data-partial-date>{}'
            '<input type="date" class="date-picker-input" tabindex="-1" aria-hidden="true"'
            ' min="{}" max="{}" hidden>'
            '<button type="button" class="date-picker-button" data-date-pick'
            ' title="{}" aria-label="{}" hidden>{}</button></span>',
            text,
            FIRST_DAY.isoformat(),
            LAST_DAY.isoformat(),
            _("Pick a day"),
            _("Pick a day"),
            CALENDAR_ICON,
        )


class PartialDateField(forms.Field):
    """Cleans '2020-04-17', '2020-04', '2020-Q2', '2020' (or 2020年4月) to a ``PartialDate``."""

    widget = PartialDateInput

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("A day, a month, a quarter or a year: %(formats)s.") % {"formats": DATE_FORMAT_HELP},
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return PartialDate.of(value, None).iso
        return str(value) if isinstance(value, PartialDate) else value

    def to_python(self, value) -> PartialDate | None:
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, datetime.date):
            return PartialDate.of(value, None)
        if value in self.empty_values or not str(value).strip():
            return None
        return parse_partial(value)


class PartialDatesForm(forms.ModelForm):
    """A ModelForm whose model declares ``dates`` (``core.dates.DateOf``): each of those
    fields takes a day, month, quarter or year, and saving stores the day and precision."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for spec in self._meta.model.dates:
            field = self.fields.get(spec.field)
            if field is None:
                continue
            self.fields[spec.field] = PartialDateField(label=field.label, required=field.required)
            if self.instance.pk and spec.field not in kwargs.get("initial", {}):
                stored = spec.get(self.instance)
                self.initial[spec.field] = stored.iso if stored else ""

    def clean(self):
        data = super().clean()
        for spec in self._meta.model.dates:
            if spec.field not in self.fields or spec.field not in data:
                continue
            date = data[spec.field]
            spec.set(self.instance, date)
            data[spec.field] = date.stored(spec.anchor) if date else None
        return data


class RefusedLoginForm(AuthenticationForm):
    """The login form while its account or address is locked: it never authenticates."""

    def __init__(self, *args, refusal: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.refusal = refusal

    def clean(self):
        raise ValidationError(self.refusal, code="throttled")
