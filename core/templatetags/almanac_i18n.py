"""Template filters for the interface language and short, localized dates.

``{{ LANGUAGE_CODE|lang_tag }}`` gives the BCP 47 tag for ``lang`` attributes
("zh-hans" -> "zh-Hans"); ``{{ move.date|day_label }}`` gives "Nov 2" / "11月2日";
``{{ move.when|partial_label }}`` writes a date of any precision as people do
("Apr 17, 2020", "Apr 2020", "Q2 2020", "2020"), and ``{{ move.when|partial_label:"in_year" }}``
leaves the year off a day on a page that is already about one year ("Apr 17").
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


@register.filter
def partial_label(date: dates.PartialDate | None, within: str = "") -> str:
    if date is None:
        return ""
    return dates.partial_label(date, with_year=within != "in_year")
