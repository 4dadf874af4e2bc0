"""Every "today" in the portal comes from sroi_portal.clock, the one place tests can set."""

import re
from datetime import date
from pathlib import Path

import pytest

from sroi_portal import clock

ROOT = Path(__file__).resolve().parent.parent
APPS = ["sroi_portal", "contracts", "bouwblokken", "banenafspraak", "reporting", "bench"]
OTHER_CLOCKS = re.compile(r"timezone\.localdate\(\)|\bdate\.today\(\)|datetime\.now\(\)|datetime\.today\(\)")


def test_no_code_reads_the_date_past_the_clock():
    offenders = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path.name == "clock.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if OTHER_CLOCKS.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "use sroi_portal.clock.today():\n" + "\n".join(offenders)


def test_a_pinned_day_moves_today_and_now(settings):
    settings.SROI_TODAY = "2031-02-28"
    assert clock.today() == date(2031, 2, 28)
    assert clock.now().date() == date(2031, 2, 28)
    assert clock.now().tzinfo is not None


def test_without_a_pinned_day_the_clock_is_the_real_one(settings):
    from django.utils import timezone

    settings.SROI_TODAY = None
    assert clock.today() == timezone.localdate()


def test_the_year_pickers_follow_the_pinned_day(settings):
    from reporting.forms import year_choices

    settings.SROI_TODAY = "2031-06-01"
    years = [int(value) for value, _label in year_choices()]
    assert max(years) == 2031
