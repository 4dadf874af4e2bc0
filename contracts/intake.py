"""The SR-team's intake deadline (SROI-RULES.md §3, step 3).

After award the supplier must contact the SR-team within ``settings.SROI_CONTACT_WORKING_DAYS``
working days (default 5); otherwise the SR-team contacts the supplier. Working days are Monday to
Friday; public holidays are not taken into account (a known simplification: the deadline is a
reminder for the SR-team, not a legal term).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings

from sroi_portal import clock

ONE_DAY = timedelta(days=1)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (the award day itself does not count).

    An award on Friday with 5 working days gives the Friday after; an award on Saturday counts
    from Monday (the deadline is the Friday after).
    """
    current = start
    remaining = days
    while remaining > 0:
        current += ONE_DAY
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    if end <= start:
        return 0
    full_weeks, rest = divmod((end - start).days, 7)
    count = full_weeks * 5
    day = start + timedelta(days=full_weeks * 7)
    for _i in range(rest):
        day += ONE_DAY
        if is_working_day(day):
            count += 1
    return count


def contact_deadline(gunningsdatum: date, working_days: int | None = None) -> date:
    if working_days is None:
        working_days = settings.SROI_CONTACT_WORKING_DAYS
    return add_working_days(gunningsdatum, working_days)


def last_overdue_award(today: date, working_days: int | None = None) -> date:
    """The latest award date whose contact deadline has passed on ``today``: a contract without
    contact is overdue exactly when it was awarded on or before this date. The inverse of
    :func:`contact_deadline` (which only grows with the award date), so that lists and counts can
    filter on ``gunningsdatum`` in the database with the same rule as :func:`contact_term`."""
    day = today - ONE_DAY
    while contact_deadline(day, working_days) >= today:
        day -= ONE_DAY
    return day


@dataclass(frozen=True)
class ContactTerm:
    deadline: date
    overdue: bool
    working_days_left: int  # 0 on the deadline day itself and after it
    working_days_late: int  # working days past the deadline (0 when not overdue)


def contact_term(gunningsdatum: date, today: date | None = None, working_days: int | None = None) -> ContactTerm:
    """Where a contract without contact stands against its deadline on ``today``."""
    today = today or clock.today()
    deadline = contact_deadline(gunningsdatum, working_days)
    overdue = today > deadline
    return ContactTerm(
        deadline=deadline,
        overdue=overdue,
        working_days_left=working_days_between(today, deadline),
        working_days_late=working_days_between(deadline, today) if overdue else 0,
    )
