"""The portal's one clock: every "now" and "today" in the code comes from here.

``today()`` is the date in the portal's time zone (Europe/Amsterdam), ``now()`` an aware datetime.
Tests that need a particular day pass it explicitly to the function under test, or set
``settings.SROI_TODAY`` (an ISO date, e.g. ``"2026-12-02"``), which pins ``today()`` (and moves
``now()`` to the same day, keeping the time of day); ``make test`` also runs the suite with the
whole process clock moved about 400 days ahead (libfaketime) to prove that no test depends on the
real date.
"""

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone


def _pinned() -> date | None:
    value = getattr(settings, "SROI_TODAY", None)
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def now() -> datetime:
    """The current moment, timezone-aware."""
    current = timezone.now()
    pinned = _pinned()
    if pinned is None:
        return current
    local = timezone.localtime(current)
    return local.replace(year=pinned.year, month=pinned.month, day=pinned.day)


def today() -> date:
    """Today's date in the portal's time zone."""
    pinned = _pinned()
    return pinned if pinned is not None else timezone.localdate()
