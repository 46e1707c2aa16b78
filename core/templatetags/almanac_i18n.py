"""Template filters for the interface language and short, localized dates.

``{{ LANGUAGE_CODE|lang_tag }}`` gives the BCP 47 tag for ``lang`` attributes
("zh-hans" -> "zh-Hans"); ``{{ move.date|day_label }}`` gives "Nov 2" / "11月2日".
"""

from __future__ import annotations

import datetime

from django import template
from django.utils.translation import to_locale

from core import dates

register = template.Library()


@register.filter
def lang_tag(code: str) -> str:
    """Django's lower-case language code as a BCP 47 tag: 'zh-hans' -> 'zh-Hans'."""
    return to_locale(code or "").replace("_", "-")


@register.filter
def day_label(day: datetime.date | None) -> str:
    return dates.day_label(day) if day else ""
