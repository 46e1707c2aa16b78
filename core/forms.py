"""Forms of core: the date input the apps share and the login form a throttle refuses."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class RefusedLoginForm(AuthenticationForm):
    """The login form while its account or address is locked: it never authenticates."""

    def __init__(self, *args, refusal: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.refusal = refusal

    def clean(self):
        raise ValidationError(self.refusal, code="throttled")
