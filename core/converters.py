"""The ``<year:…>`` path converter: a year outside the allowed range is a 404."""

from __future__ import annotations

from core.dates import is_valid_year


class YearConverter:
    regex = "[0-9]{1,4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not is_valid_year(year):
            raise ValueError(f"{year} is out of range")  # the resolver answers 404
        return year

    def to_url(self, value: int) -> str:
        return str(value)
