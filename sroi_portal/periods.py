"""Calendar periods and THE month-counting rule of the portal (pure: no Django).

SROI-RULES.md §2: a full calendar month counts 1; a partial month counts (days in the period in
that month) / (days in that month). Every place that counts months (valuation of placements,
expected progress of a contract) uses :func:`months`, so the portal never counts months in two
different ways.

Equivalently, every day weighs ``1 / (days in its month)`` and a period counts the sum of the
weights of its days; hence :func:`months` is additive over adjacent periods.
"""

from __future__ import annotations

import calendar
import math
from datetime import date, timedelta
from fractions import Fraction

__all__ = [
    "days_in_month",
    "months",
    "add_months",
    "overlap",
    "year_bounds",
    "first_date_reaching",
]

ONE_DAY = timedelta(days=1)


def days_in_month(year: int, month: int) -> int:
    """Number of days in the given month (February in a leap year: 29)."""
    return calendar.monthrange(year, month)[1]


def _month_index(d: date) -> int:
    return d.year * 12 + d.month - 1


def months(start: date, end: date) -> Fraction:
    """Months from ``start`` to ``end``, both inclusive; 0 when ``end`` is before ``start``.

    >>> months(date(2024, 4, 1), date(2025, 9, 30))
    Fraction(18, 1)
    >>> months(date(2024, 1, 15), date(2024, 2, 14)) == Fraction(17, 31) + Fraction(14, 29)
    True
    """
    if end < start:
        return Fraction(0)
    start_days = days_in_month(start.year, start.month)
    if (start.year, start.month) == (end.year, end.month):
        return Fraction(end.day - start.day + 1, start_days)
    first = Fraction(start_days - start.day + 1, start_days)
    last = Fraction(end.day, days_in_month(end.year, end.month))
    full_months_between = _month_index(end) - _month_index(start) - 1
    return first + full_months_between + last


def add_months(d: date, n: int) -> date:
    """``d`` moved ``n`` calendar months (negative: back); the day is clamped to the month end.

    31 January + 1 month = 29 February 2024; 29 February 2024 − 12 months = 28 February 2023.
    """
    index = _month_index(d) + n
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, days_in_month(year, month)))


def overlap(a_start: date, a_end: date, b_start: date, b_end: date) -> tuple[date, date] | None:
    """The common part of two periods (inclusive ends), or None when they share no day."""
    start = max(a_start, b_start)
    end = min(a_end, b_end)
    if end < start:
        return None
    return start, end


def year_bounds(year: int) -> tuple[date, date]:
    """First and last day of a calendar year."""
    return date(year, 1, 1), date(year, 12, 31)


def first_date_reaching(start: date, target: Fraction) -> date:
    """The first date ``x >= start`` with ``months(start, x) >= target``.

    For ``target <= 0`` this is ``start`` itself. Used to find the last day of a counting window
    of ``target`` months that begins on ``start``: on that day the window is (possibly only
    partly) still open; the next day it is closed.
    """
    target = Fraction(target)
    if target <= 0:
        return start
    counted = Fraction(0)
    current = start
    while True:
        month_days = days_in_month(current.year, current.month)
        month_end = date(current.year, current.month, month_days)
        in_this_month = months(current, month_end)
        if counted + in_this_month >= target:
            # Each day of this month weighs 1/month_days: the smallest number of days needed.
            days_needed = math.ceil((target - counted) * month_days)
            return current + timedelta(days=days_needed - 1)
        counted += in_this_month
        current = month_end + ONE_DAY
