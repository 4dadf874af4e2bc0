"""Money rounding/allocation and the one month-counting rule (SROI-RULES.md §1 and §2)."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sroi_portal.money import allocate, as_fraction, percentage, round_money
from sroi_portal.periods import (
    add_months,
    days_in_month,
    first_date_reaching,
    months,
    overlap,
    year_bounds,
)

dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


# --- round_money -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("2.345"), "2.35"),  # half goes up
        (Decimal("2.3449999"), "2.34"),
        (Decimal("-2.345"), "-2.35"),  # half away from zero
        (Decimal("10"), "10.00"),
        (7, "7.00"),
        (Fraction(1, 200), "0.01"),  # exactly 0.005
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
    ],
)
def test_round_money_half_up_to_cents(value, expected):
    result = round_money(value)
    assert result == Decimal(expected)
    assert result.as_tuple().exponent == -2


def test_round_money_has_no_intermediate_rounding():
    # A hair below 0.005: a 60-digit decimal division would round this up to 0.005 first.
    just_below_half_cent = Fraction(1, 200) - Fraction(1, 10**70)
    assert round_money(just_below_half_cent) == Decimal("0.00")


def test_round_money_refuses_float():
    with pytest.raises(TypeError):
        round_money(0.1)


def test_round_money_refuses_non_finite_decimal():
    with pytest.raises(ValueError):
        round_money(Decimal("NaN"))


def test_as_fraction_is_exact():
    assert as_fraction(Decimal("0.1")) == Fraction(1, 10)
    with pytest.raises(TypeError):
        as_fraction(True)


# --- allocate ----------------------------------------------------------------------------------


def test_allocate_thirds_gives_the_extra_cent_to_the_first_on_a_tie():
    assert allocate(Decimal("1.00"), [Fraction(1, 3)] * 3) == [
        Decimal("0.34"),
        Decimal("0.33"),
        Decimal("0.33"),
    ]


def test_allocate_gives_leftover_cents_to_the_largest_remainders():
    # 0.004 + 0.008 + 0.006 = 0.018 -> 0.02; remainders 0.4, 0.8, 0.6 cents.
    parts = [Fraction(4, 1000), Fraction(8, 1000), Fraction(6, 1000)]
    assert allocate(Decimal("0.02"), parts) == [Decimal("0.00"), Decimal("0.01"), Decimal("0.01")]


def test_allocate_keeps_exact_parts_unchanged():
    parts = [Fraction(20000), Fraction(20000)]
    assert allocate(Decimal("40000.00"), parts) == [Decimal("20000.00"), Decimal("20000.00")]


def test_allocate_of_nothing_is_empty():
    assert allocate(Decimal("0.00"), []) == []


@pytest.mark.parametrize(
    ("total", "parts"),
    [
        (Decimal("1.01"), [Fraction(1, 2), Fraction(1, 2)]),  # parts add up to 1.00
        (Decimal("0.005"), [Fraction(1, 200)]),  # total not in whole cents
        (Decimal("1.00"), [Fraction(2), Fraction(-1)]),  # negative part
    ],
)
def test_allocate_refuses_inconsistent_input(total, parts):
    with pytest.raises(ValueError):
        allocate(total, parts)


@given(
    st.lists(
        st.fractions(min_value=0, max_value=10**7, max_denominator=10**4), min_size=1, max_size=8
    )
)
def test_allocate_sums_exactly_and_stays_within_a_cent_of_each_part(parts):
    total = round_money(sum(parts, Fraction(0)))
    amounts = allocate(total, parts)
    assert sum(amounts) == total
    for amount, part in zip(amounts, parts):
        assert amount >= 0
        assert amount.as_tuple().exponent == -2
        assert abs(Fraction(amount) - part) < Fraction(1, 100)


# --- percentage --------------------------------------------------------------------------------


def test_percentage_rounds_half_up():
    assert percentage(Decimal("1"), Decimal("3")) == Decimal("33.33")
    assert percentage(Decimal("2"), Decimal("3")) == Decimal("66.67")
    assert percentage(Decimal("1"), Decimal("200000")) == Decimal("0.00")  # 0.0005%
    assert percentage(Decimal("1"), Decimal("20000")) == Decimal("0.01")  # exactly 0.005%


def test_percentage_of_zero_whole_is_none():
    assert percentage(Decimal("5"), Decimal("0")) is None


# --- months ------------------------------------------------------------------------------------


def test_months_april_2024_to_september_2025_is_exactly_18():
    assert months(date(2024, 4, 1), date(2025, 9, 30)) == 18


def test_months_mid_month_to_mid_month_counts_each_partial_month_by_its_own_days():
    assert months(date(2024, 1, 15), date(2024, 2, 14)) == Fraction(17, 31) + Fraction(14, 29)


def test_months_february_in_a_leap_year():
    assert months(date(2024, 2, 1), date(2024, 2, 29)) == 1
    assert months(date(2024, 2, 1), date(2024, 2, 14)) == Fraction(14, 29)
    assert months(date(2023, 2, 1), date(2023, 2, 14)) == Fraction(1, 2)


def test_months_single_day_and_inverted_period():
    assert months(date(2024, 3, 10), date(2024, 3, 10)) == Fraction(1, 31)
    assert months(date(2024, 3, 10), date(2024, 3, 9)) == 0


def test_months_of_a_calendar_year_is_12():
    assert months(*year_bounds(2024)) == 12
    assert months(*year_bounds(2023)) == 12


@given(dates, dates, dates)
def test_months_is_additive_over_adjacent_periods(a, b, c):
    start, middle, end = sorted((a, b, c))
    assert months(start, middle) + months(middle + timedelta(days=1), end) == months(start, end)


@given(dates, dates)
def test_months_is_never_negative_and_at_most_one_per_started_month(a, b):
    result = months(a, b)
    assert result >= 0
    if b >= a:
        started_months = (b.year - a.year) * 12 + b.month - a.month + 1
        assert result <= started_months


# --- add_months, overlap, year_bounds, first_date_reaching ---------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 2, 29), -12, date(2023, 2, 28)),
        (date(2024, 1, 15), -1, date(2023, 12, 15)),
        (date(2024, 4, 1), -12, date(2023, 4, 1)),
        (date(2024, 11, 30), 3, date(2025, 2, 28)),
        (date(2024, 5, 5), 0, date(2024, 5, 5)),
    ],
)
def test_add_months_clamps_to_month_end(start, n, expected):
    assert add_months(start, n) == expected


def test_overlap():
    jan = (date(2024, 1, 1), date(2024, 1, 31))
    last_day = date(2024, 1, 31)
    assert overlap(*jan, last_day, date(2024, 3, 1)) == (last_day, last_day)
    assert overlap(*jan, date(2024, 2, 1), date(2024, 3, 1)) is None
    inside = (date(2024, 1, 10), date(2024, 1, 20))
    assert overlap(*jan, *inside) == inside


def test_year_bounds():
    assert year_bounds(2025) == (date(2025, 1, 1), date(2025, 12, 31))


def test_days_in_month():
    assert days_in_month(2024, 2) == 29
    assert days_in_month(2100, 2) == 28


def test_first_date_reaching_a_whole_number_of_months():
    assert first_date_reaching(date(2024, 4, 1), Fraction(12)) == date(2025, 3, 31)
    # 17/31 + 10 months + 14/31 = 12 exactly on 14 January 2025.
    assert first_date_reaching(date(2024, 1, 15), Fraction(12)) == date(2025, 1, 14)
    assert first_date_reaching(date(2024, 1, 15), Fraction(0)) == date(2024, 1, 15)


@given(dates, st.fractions(min_value=Fraction(1, 100), max_value=60, max_denominator=1000))
def test_first_date_reaching_is_the_first_such_date(start, target):
    reached = first_date_reaching(start, target)
    assert months(start, reached) >= target
    assert months(start, reached - timedelta(days=1)) < target
