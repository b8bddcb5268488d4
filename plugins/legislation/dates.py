"""Dates of laws as the sources give them: a day, or only a month, or only a year.

A state gazette's date is often known to the day, but a report of a congress's vote may give
only "late February 2011". ``PartialDate`` keeps exactly what is known, so a day is never
invented, and prints it in the page's language ("octubre de 2010", "October 2010", "2010").
"""

import re
from datetime import date

from babel.dates import format_date, format_skeleton

__all__ = ["PartialDate", "format_law_date", "parse_law_date", "sort_number"]

LAW_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class PartialDate:
    """A year, or a year and a month, of a law's date (full dates are `datetime.date`)."""

    __slots__ = ("year", "month")

    def __init__(self, year, month=None):
        self.year, self.month = year, month

    def isoformat(self):
        return f"{self.year:04d}" if self.month is None else f"{self.year:04d}-{self.month:02d}"

    def __eq__(self, other):
        return isinstance(other, PartialDate) and (self.year, self.month) == (
            other.year,
            other.month,
        )

    def __hash__(self):
        return hash((self.year, self.month))

    def __repr__(self):
        return f"PartialDate({self.isoformat()})"


def parse_law_date(text):
    """YYYY-MM-DD -> date; YYYY-MM or YYYY -> PartialDate; anything else -> ValueError."""
    match = LAW_DATE_RE.match(text)
    if not match:
        raise ValueError(text)
    year, month, day = (int(part) if part else None for part in match.groups())
    if day is not None:
        return date(year, month, day)  # ValueError for 2012-13-01 or 2012-02-30
    if month is not None and not 1 <= month <= 12:
        raise ValueError(text)
    return PartialDate(year, month)


def format_law_date(value, locale):
    """The date as a reader expects it, with only the parts that are known."""
    if isinstance(value, date):
        return format_date(value, format="long", locale=locale)
    if value.month is None:
        return str(value.year)
    return format_skeleton("yMMMM", date(value.year, value.month, 1), locale=locale)


def sort_number(value):
    """YYYYMMDD as a number (unknown parts as 0), to sort laws by date; 0 when unknown."""
    if value is None:
        return 0
    if isinstance(value, date):
        return value.year * 10000 + value.month * 100 + value.day
    return value.year * 10000 + (value.month or 0) * 100
