"""Date labels used on the year page: quarters, spans and single days.

Each short form is a Django date format that is itself translated, so every
language writes dates its own way: English abbreviates the month ("Jul 2",
"Q3 · Jul – Sep"), Chinese writes it as a number ("7月2日", "第三季度 · 7月 – 9月"),
never as the "七月" that Django's month abbreviations would give.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

# Every year a page, a row or an import may name (DESIGN.md: 1900–2200).
MIN_YEAR = 1900
MAX_YEAR = 2200


def is_valid_year(year: int) -> bool:
    return MIN_YEAR <= year <= MAX_YEAR


FIRST_DAY = datetime.date(MIN_YEAR, 1, 1)
LAST_DAY = datetime.date(MAX_YEAR, 12, 31)
DATE_RANGE_MESSAGE = gettext_lazy("The date must be between 1900 and 2200.")


def validate_date_in_range(value: datetime.date | None) -> None:
    """A model field validator: every stored date has a year page (forms and imports alike)."""
    if value is not None and not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_out_of_range")


def date_in_range(field: str, *, nullable: bool = False) -> Q:
    """The database's copy of ``validate_date_in_range``, for a CheckConstraint."""
    within = Q(**{f"{field}__gte": FIRST_DAY, f"{field}__lte": LAST_DAY})
    return Q(**{f"{field}__isnull": True}) | within if nullable else within


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of ``year``, for range filters an index can serve."""
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}
QUARTER_NAMES = {
    1: pgettext_lazy("quarter of a year", "Q1"),
    2: pgettext_lazy("quarter of a year", "Q2"),
    3: pgettext_lazy("quarter of a year", "Q3"),
    4: pgettext_lazy("quarter of a year", "Q4"),
}


def month_abbr(month: int) -> str:
    """'Jul' / '7月'."""
    return date_format(datetime.date(2000, month, 1), pgettext("date format: Jul", "M"))


def day_label(day: datetime.date) -> str:
    """'Nov 2' / '11月2日'."""
    return date_format(day, pgettext("date format: Nov 2", "M j"))


def month_year_label(day: datetime.date) -> str:
    """'Dec 2019' / '2019年12月'."""
    return date_format(day, pgettext("date format: Dec 2019", "M Y"))


def quarter_label(quarter: int) -> str:
    """'Q3 · Jul – Sep' / '第三季度 · 7月 – 9月'."""
    first, last = QUARTER_MONTHS[quarter]
    return _("%(quarter)s · %(first)s – %(last)s") % {
        "quarter": QUARTER_NAMES[quarter],
        "first": month_abbr(first),
        "last": month_abbr(last),
    }


def _span(first: str, last: str) -> str:
    return _("%(first)s – %(last)s") % {"first": first, "last": last}


def span_label(start: datetime.date, end: datetime.date | None) -> str:
    """How long something lasted, as short as the dates allow.

    'Nov 2' for a day, 'Nov 2 – 9' within a month, 'Jul – Nov' within a year,
    'Dec 2019 – Feb 2020' across years (in Chinese '11月2日', '11月2日 – 9日',
    '7月 – 11月', '2019年12月 – 2020年2月').
    """
    if end is None or end == start:
        return day_label(start)
    if end.year != start.year:
        return _span(month_year_label(start), month_year_label(end))
    if end.month == start.month:
        last_day = date_format(end, pgettext("date format: the 9 of Nov 2 – 9", "j"))
        return _span(day_label(start), last_day)
    return _span(month_abbr(start.month), month_abbr(end.month))
