"""Date labels used on the year page: quarters and spans."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}


def month_abbr(month: int) -> str:
    return date_format(datetime.date(2000, month, 1), "M")


def quarter_label(quarter: int) -> str:
    """'Q3 · Jul – Sep'."""
    first, last = QUARTER_MONTHS[quarter]
    return _("Q%(n)s · %(first)s – %(last)s") % {
        "n": quarter,
        "first": month_abbr(first),
        "last": month_abbr(last),
    }


def span_label(start: datetime.date, end: datetime.date | None) -> str:
    """How long something lasted, as short as the dates allow.

    'Nov 2' for a day, 'Nov 2 – 9' within a month, 'Jul – Nov' within a year,
    'Dec 2019 – Feb 2020' across years.
    """
    day = date_format(start, "M j")
    if end is None or end == start:
        return day
    if end.year != start.year:
        return f"{date_format(start, 'M Y')} – {date_format(end, 'M Y')}"
    if end.month == start.month:
        return f"{day} – {end.day}"
    return f"{month_abbr(start.month)} – {month_abbr(end.month)}"
