"""Dates as people remember them, and the labels the pages write them with.

A date is a day, a month, a quarter or a year (its *precision*). It is stored
as a ``DateField`` plus a precision column: the field holds the first day of
the period for a start ("since 2020-Q2" is 1 April) and its last day for an
end ("finished in 2020" is 31 December), so the range filters that place rows
in a year, and the rule that an end is not before its start, read the stored
day and need nothing else. See docs/data-format.md for the rules.

Each short form is a Django date format that is itself translated, so every
language writes dates its own way: English abbreviates the month ("Jul 2",
"Q3 · Jul – Sep"), Chinese writes it as a number ("7月2日", "第三季度 · 7月 – 9月"),
never as the "七月" that Django's month abbreviations would give.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
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


# The year page's group of the rows known only by their year, after Q4.
DURING_THE_YEAR = gettext_lazy("During the year")


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


class Precision(models.TextChoices):
    DAY = "day", gettext_lazy("Day")
    MONTH = "month", gettext_lazy("Month")
    QUARTER = "quarter", gettext_lazy("Quarter")
    YEAR = "year", gettext_lazy("Year")


# A start is stored as the first day of its period, an end as the last.
START, END = "start", "end"

DATE_FORMAT_HELP = gettext_lazy("2020-04-17, 2020-04, 2020-Q2 or 2020")


@dataclass(frozen=True)
class PartialDate:
    """A day, month, quarter or year: ``first`` and ``last`` bound the period."""

    year: int
    precision: str = Precision.DAY
    month: int = 1  # the first month of a quarter for a quarter
    day: int = 1

    @property
    def first(self) -> datetime.date:
        if self.precision == Precision.DAY:
            return datetime.date(self.year, self.month, self.day)
        if self.precision == Precision.YEAR:
            return datetime.date(self.year, 1, 1)
        return datetime.date(self.year, self.month, 1)

    @property
    def last(self) -> datetime.date:
        if self.precision == Precision.DAY:
            return self.first
        if self.precision == Precision.YEAR:
            return datetime.date(self.year, 12, 31)
        month = self.month + (2 if self.precision == Precision.QUARTER else 0)
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def stored(self, anchor: str) -> datetime.date:
        """The day a model keeps for it: the first day of a start, the last of an end."""
        return self.last if anchor == END else self.first

    @property
    def quarter(self) -> int | None:
        """The quarter it falls in; ``None`` for a year, which falls in none."""
        return None if self.precision == Precision.YEAR else (self.month - 1) // 3 + 1

    @property
    def iso(self) -> str:
        """'2020-04-17', '2020-04', '2020-Q2' or '2020': the form and file spelling."""
        match self.precision:
            case Precision.YEAR:
                return f"{self.year:04d}"
            case Precision.QUARTER:
                return f"{self.year:04d}-Q{self.quarter}"
            case Precision.MONTH:
                return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __str__(self) -> str:
        return self.iso

    @property
    def machine(self) -> str:
        """For ``<time datetime>``: HTML has days, months and years but no quarters."""
        return f"{self.year:04d}" if self.precision == Precision.QUARTER else self.iso

    def sort_key(self) -> tuple:
        """Known quarters and months first, in order; a year-only date after them."""
        return (self.year, self.precision == Precision.YEAR, self.first)

    def newest_first_key(self) -> tuple:
        """For a list that runs newest first: years newest first, and within a year the
        known quarters and months newest first, then the year-only dates, as in
        ``sort_key`` (they stay after the rows whose time of year is known)."""
        return (-self.year, self.precision == Precision.YEAR, -self.first.toordinal())

    @classmethod
    def of(cls, day: datetime.date | None, precision: str | None) -> PartialDate | None:
        """The partial date a stored day and precision stand for."""
        if day is None:
            return None
        precision = precision or Precision.DAY
        if precision == Precision.DAY:
            return cls(day.year, Precision.DAY, day.month, day.day)
        if precision == Precision.QUARTER:
            return cls(day.year, precision, (day.month - 1) // 3 * 3 + 1)
        if precision == Precision.MONTH:
            return cls(day.year, precision, day.month)
        return cls(day.year, Precision.YEAR)


_ISO = re.compile(
    r"""\A(?P<year>\d{4})
    (?:[-/.](?:[Qq](?P<quarter>\d+)|(?P<month>\d{1,2})(?:[-/.](?P<day>\d{1,2}))?))?\Z""",
    re.VERBOSE | re.ASCII,
)
# The same dates as Chinese writers type them: 2020年, 2020年4月, 2020年4月17日, 2020年第2季度.
_CHINESE = re.compile(
    r"""\A(?P<year>\d{4})\s*年\s*
    (?:(?:第\s*(?P<quarter>\d+|[一二三四])\s*季度?)|(?P<month>\d{1,2})\s*月\s*(?:(?P<day>\d{1,2})\s*日?)?)?\Z""",
    re.VERBOSE,
)
_CHINESE_DIGITS = {"一": "1", "二": "2", "三": "3", "四": "4"}


def parse_partial(text: str) -> PartialDate:
    """Read what a person typed or a file holds; a ``ValidationError`` says what is wrong."""
    value = str(text).strip()
    found = _ISO.match(value) or _CHINESE.match(value)
    if not found:
        raise ValidationError(
            _("“%(value)s” is not a date: write %(formats)s."),
            code="invalid_date",
            params={"value": value[:40], "formats": DATE_FORMAT_HELP},
        )
    year = int(found["year"])
    if not is_valid_year(year):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_out_of_range")
    if found["quarter"]:
        quarter = int(_CHINESE_DIGITS.get(found["quarter"], found["quarter"]))
        if not 1 <= quarter <= 4:
            raise ValidationError(
                _("There is no quarter %(quarter)s: a year has Q1 to Q4."),
                code="invalid_quarter",
                params={"quarter": found["quarter"]},
            )
        return PartialDate(year, Precision.QUARTER, (quarter - 1) * 3 + 1)
    if not found["month"]:
        return PartialDate(year, Precision.YEAR)
    month = int(found["month"])
    if not 1 <= month <= 12:
        raise ValidationError(
            _("There is no month %(month)s: months go from 1 to 12."),
            code="invalid_month",
            params={"month": found["month"]},
        )
    if not found["day"]:
        return PartialDate(year, Precision.MONTH, month)
    day = int(found["day"])
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise ValidationError(
            _("%(value)s has no day %(day)s."),
            code="invalid_day",
            params={"value": month_year_label(datetime.date(year, month, 1)), "day": day},
        )
    return PartialDate(year, Precision.DAY, month, day)


def _label_in_year(date: PartialDate) -> str:
    """The date without its year: 'Apr 17', 'Apr', 'Q2' ('4月17日', '4月', '第二季度')."""
    if date.precision == Precision.DAY:
        return day_label(date.first)
    if date.precision == Precision.MONTH:
        return month_abbr(date.month)
    return str(QUARTER_NAMES[date.quarter])


def partial_label(date: PartialDate, *, with_year: bool = True) -> str:
    """'Apr 17' (a day, within its year page), 'Apr 2020', 'Q2 2020', '2020'.

    Chinese: '4月17日', '2020年4月', '2020年第二季度', '2020年'.
    """
    if date.precision == Precision.DAY and not with_year:
        return day_label(date.first)
    if date.precision == Precision.DAY:
        return date_format(date.first, pgettext("date format: Nov 2, 2020", "M j, Y"))
    if date.precision == Precision.YEAR:
        return pgettext("a year on its own", "%(year)s") % {"year": date.year}
    return _in_year(_label_in_year(date), date.year)


def _in_year(label: str, year: int) -> str:
    return pgettext("a date or span within a year", "%(label)s %(year)s") % {
        "label": label,
        "year": year,
    }


def partial_span_label(start: PartialDate, end: PartialDate | None) -> str:
    """A span from its start's precision to its end's.

    Two days keep the year page's short form ('Nov 2 – 9', 'Jul 2 – Nov 9'); within one
    year the year is written once ('Apr – Jun 2020', 'Q1 – Q3 2020', '2020年4月 – 6月');
    across years each end carries its own ('Dec 2019 – Feb 2020', '2019 – 2021').
    """
    if end is None or end == start:
        return partial_label(start, with_year=start.precision != Precision.DAY)
    if start.precision == end.precision == Precision.DAY:
        return span_label(start.first, end.first)
    if start.year == end.year and Precision.YEAR not in (start.precision, end.precision):
        return _in_year(_span(_label_in_year(start), _label_in_year(end)), start.year)
    return _span(partial_label(start), partial_label(end))


def precision_field(verbose_name) -> models.CharField:
    """The column beside a date that says whether it is a day, month, quarter or year."""
    return models.CharField(
        verbose_name, max_length=7, choices=Precision, default=Precision.DAY, editable=False
    )


def precision_valid(field: str) -> Q:
    """For a CheckConstraint: the precision column holds one of the four precisions."""
    return Q(**{f"{field}__in": Precision.values})


def precision_fields(model, names) -> list[str]:
    """The precision columns that go with the date fields among ``names``: a form that
    saves only its own fields must save these too."""
    return [spec.precision_field for spec in getattr(model, "dates", ()) if spec.field in names]


@dataclass(frozen=True)
class DateOf:
    """A model's date with a precision: ``Entry.dates = (DateOf("started_on", ...), ...)``."""

    field: str
    precision_field: str
    anchor: str = START

    def get(self, row) -> PartialDate | None:
        return PartialDate.of(getattr(row, self.field), getattr(row, self.precision_field))

    def set(self, row, date: PartialDate | None) -> None:
        setattr(row, self.field, date.stored(self.anchor) if date else None)
        setattr(row, self.precision_field, date.precision if date else Precision.DAY)
