"""What the login page needs to know about sign-up."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def open_signup() -> bool:
    """Whether anyone may create an account here (ALMANAC_OPEN_SIGNUP)."""
    return settings.ALMANAC_OPEN_SIGNUP
