"""Paid hours -> jobs (SROI-RULES.md §5): one job = 25.5 paid hours a week, pro rata, with the
months rule; realisation, shortfall and the informational levy."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from banenafspraak.calculation import (
    CountingParams,
    jobs,
    jobs_from_paid_hours,
    jobs_in_period,
    period_bounds,
    realisation,
    round_jobs,
    round_percentage,
)

D = Decimal


def year_jobs(uren, start, end, jaar, **kwargs):
    return round_jobs(jobs_in_period(uren_per_week=D(uren), startdatum=start, einddatum=end, jaar=jaar, **kwargs))


# --- the edges ------------------------------------------------------------------------------------


def test_25_5_hours_a_week_for_a_whole_year_is_one_job():
    assert year_jobs("25.5", date(2020, 1, 1), date(2020, 12, 31), 2020) == D("1.00")


def test_51_hours_a_week_is_two_jobs():
    assert year_jobs("51", date(2020, 1, 1), date(2020, 12, 31), 2020) == D("2.00")


def test_more_than_25_5_hours_counts_as_more_than_one_job():
    assert year_jobs("36", date(2020, 1, 1), date(2020, 12, 31), 2020) == D("1.41")  # 36 / 25.5 = 1.4118


def test_part_time_counts_pro_rata():
    assert year_jobs("12.75", date(2020, 1, 1), date(2020, 12, 31), 2020) == D("0.50")


def test_half_a_year_is_half_the_jobs():
    assert year_jobs("25.5", date(2021, 1, 1), date(2021, 6, 30), 2021) == D("0.50")
    assert year_jobs("25.5", date(2021, 7, 1), date(2021, 12, 31), 2021) == D("0.50")


def test_a_period_across_two_years_is_split_by_the_months_rule():
    # 1 October 2020 - 31 March 2021: 3 months in each year.
    start, end = date(2020, 10, 1), date(2021, 3, 31)
    assert year_jobs("25.5", start, end, 2020) == D("0.25")
    assert year_jobs("25.5", start, end, 2021) == D("0.25")
    assert year_jobs("25.5", start, end, 2019) == D("0.00")
    assert year_jobs("25.5", start, end, 2022) == D("0.00")


def test_a_partial_month_counts_its_days_over_the_days_of_that_month():
    # 16-29 February 2024 (leap year): 14/29 of a month.
    exact = jobs_in_period(uren_per_week=D("25.5"), startdatum=date(2024, 2, 16), einddatum=date(2024, 2, 29), jaar=2024)
    assert exact == Fraction(14, 29) / 12


def test_quarters_count_months_over_three():
    start, end = date(2022, 2, 1), date(2022, 12, 31)
    q = [round_jobs(jobs_in_period(uren_per_week=D("25.5"), startdatum=start, einddatum=end, jaar=2022, kwartaal=k))
         for k in (1, 2, 3, 4)]
    assert q == [D("0.67"), D("1.00"), D("1.00"), D("1.00")]


def test_an_open_ended_job_counts_up_to_the_peildatum():
    assert year_jobs("25.5", date(2024, 1, 1), None, 2024, peildatum=date(2024, 3, 31)) == D("0.25")
    assert year_jobs("25.5", date(2024, 1, 1), None, 2024) == D("1.00")  # without peildatum: whole period


def test_the_parameters_are_data():
    other = CountingParams(uren_per_baan=D("36"), uren_per_jaar=D("1872"))
    assert year_jobs("36", date(2020, 1, 1), date(2020, 12, 31), 2020, params=other) == D("1.00")
    assert round_jobs(jobs_from_paid_hours(D("1872"), other)) == D("1.00")


def test_paid_hours_of_a_year_over_1326_is_jobs():
    assert round_jobs(jobs_from_paid_hours(D("1326"))) == D("1.00")
    assert round_jobs(jobs_from_paid_hours(D("663"))) == D("0.50")


def test_quarter_bounds():
    assert period_bounds(2024, 1) == (date(2024, 1, 1), date(2024, 3, 31))
    assert period_bounds(2024, 4) == (date(2024, 10, 1), date(2024, 12, 31))
    with pytest.raises(ValueError):
        period_bounds(2024, 5)


def test_negative_hours_are_refused():
    with pytest.raises(ValueError):
        jobs(D("-1"))


# --- realisation ----------------------------------------------------------------------------------


def test_realisation_percentage_shortfall_and_levy():
    r = realisation(doel=D("27.4"), dienstverband=D("13.6"), inleen=D("0"))
    assert r.banen_totaal == D("13.60")
    assert r.percentage == D("49.64")
    assert r.percentage_weergave == D("49.6")
    assert r.tekort == D("13.80")
    assert r.heffing == D("69000.00")  # 13.8 missing jobs × EUR 5,000


def test_total_is_formal_plus_hired_in():
    r = realisation(doel=D("15"), dienstverband=D("11"), inleen=D("4"))
    assert (r.banen_totaal, r.percentage, r.tekort) == (D("15.00"), D("100.00"), D("0.00"))
    assert r.heffing == D("0.00")


def test_no_shortfall_above_target():
    r = realisation(doel=D("143"), dienstverband=D("159"), inleen=D("0"))
    assert r.percentage == D("111.19")
    assert r.tekort == D("0.00")


def test_no_levy_at_or_below_the_paid_hours_threshold():
    at = realisation(doel=D("2"), dienstverband=D("1"), inleen=D("0"), verloonde_uren=D("40575"))
    above = realisation(doel=D("2"), dienstverband=D("1"), inleen=D("0"), verloonde_uren=D("40575.01"))
    assert at.heffing is None
    assert above.heffing == D("5000.00")


def test_without_a_target_there_is_no_percentage():
    r = realisation(doel=None, dienstverband=D("3"), inleen=D("1"))
    assert (r.doel, r.percentage, r.tekort, r.heffing) == (None, None, None, None)
    assert r.banen_totaal == D("4.00")


def test_a_zero_target_has_no_percentage():
    assert realisation(doel=D("0"), dienstverband=D("1"), inleen=D("0")).percentage is None


def test_the_page_percentage_is_rounded_once_from_the_exact_value():
    # 0.0049649... rounds to 49.65 at 2 decimals, but the 1-decimal value comes from the exact one.
    r = realisation(doel=D("100000"), dienstverband=D("49649"), inleen=D("0"))
    assert r.percentage == D("49.65")
    assert r.percentage_weergave == D("49.6")
    assert round_percentage(Fraction(1, 20), 1) == D("0.1")


# --- properties -----------------------------------------------------------------------------------

hours = st.decimals(min_value=D("0.25"), max_value=D("60"), places=2)
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))


@given(uren=hours, start=days, length=st.integers(min_value=0, max_value=2000))
def test_the_years_of_a_job_add_up_to_hours_over_25_5_times_months_over_12(uren, start, length):
    from sroi_portal.periods import months

    end = start + timedelta(days=length)
    per_year = sum(
        jobs_in_period(uren_per_week=uren, startdatum=start, einddatum=end, jaar=y) for y in range(start.year, end.year + 1)
    )
    assert per_year == Fraction(uren) / Fraction("25.5") * months(start, end) / 12


@given(uren=hours, start=days, length=st.integers(min_value=0, max_value=800), jaar=st.integers(2014, 2032))
def test_a_year_is_the_mean_of_its_quarters(uren, start, length, jaar):
    end = start + timedelta(days=length)
    quarters = [jobs_in_period(uren_per_week=uren, startdatum=start, einddatum=end, jaar=jaar, kwartaal=k)
                for k in (1, 2, 3, 4)]
    assert sum(quarters) / 4 == jobs_in_period(uren_per_week=uren, startdatum=start, einddatum=end, jaar=jaar)


@given(uren=hours, start=days, length=st.integers(min_value=0, max_value=800), jaar=st.integers(2014, 2032))
def test_a_job_never_counts_more_than_its_hours_allow(uren, start, length, jaar):
    end = start + timedelta(days=length)
    value = jobs_in_period(uren_per_week=uren, startdatum=start, einddatum=end, jaar=jaar)
    assert 0 <= value <= Fraction(uren) / Fraction("25.5")


@given(doel=st.decimals(min_value=D("0.01"), max_value=D("10000"), places=2),
       dv=st.decimals(min_value=D("0"), max_value=D("10000"), places=2),
       il=st.decimals(min_value=D("0"), max_value=D("10000"), places=2))
def test_shortfall_is_target_minus_total_when_positive(doel, dv, il):
    r = realisation(doel=doel, dienstverband=dv, inleen=il)
    assert r.banen_totaal == dv + il
    assert r.tekort == max(doel - dv - il, D("0"))
    assert r.heffing == r.tekort * 5000
    assert abs(r.percentage - (dv + il) / doel * 100) <= D("0.005")


def test_paid_hours_of_a_quarter_count_four_times_as_much():
    assert round_jobs(jobs_from_paid_hours(D("331.5"), kwartaal=2)) == D("1.00")
