"""Valuation of one bouwblok registration (SROI-RULES.md §2)."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bouwblokken.calculation import (
    BouwblokParams,
    RegistrationInput,
    Valuation,
    ValuationError,
    counted_periods_overlap,
    hours_factor,
    is_55_plus,
    value_registration,
)
from sroi_portal.money import round_money
from sroi_portal.periods import months

D = Decimal

# The 2023 catalogue of Haaglanden / Zuid-Holland Centraal (values per year for 36 h/week).
PARTICIPATIEWET = BouwblokParams("participatiewet", "per_jaar", D("40000"), max_maanden=24)
WW = BouwblokParams("ww", "per_jaar", D("20000"), max_maanden=12)
WIA = BouwblokParams("wia", "per_jaar", D("30000"), max_maanden=24)
BANENAFSPRAAK = BouwblokParams("banenafspraak", "per_jaar", D("50000"), max_maanden=None)
BBL_1_2 = BouwblokParams("bbl_niveau_1_2", "per_jaar", D("25000"), max_maanden=24)
BBL_3_PLUS = BouwblokParams("bbl_niveau_3_plus", "per_jaar", D("15000"), max_maanden=36)
BONUS_55_PLUS = BouwblokParams("bonus_55_plus", "per_jaar", D("10000"), max_maanden=12)
BONUS_VSO_PRO = BouwblokParams("bonus_dienstverband_vso_pro", "eenmalig", D("25000"))
OPLEIDING = BouwblokParams("bonus_opleiding", "kosten", None)
SR_PROJECT = BouwblokParams("sr_project", "afgesproken", None)
SOCIAAL_INKOPEN = BouwblokParams("sociaal_inkopen", "factuur", None)
ACTIVITEIT = BouwblokParams("maatschappelijke_activiteit", "per_dag", D("1000"))

# Contract of 18 months: 1 April 2024 - 30 September 2025.
CS, CE = date(2024, 4, 1), date(2025, 9, 30)
# Contract of 4 calendar years.
LONG = {"contract_start": date(2023, 1, 1), "contract_end": date(2026, 12, 31)}


def value(bouwblok, start, end=None, *, uren=D("36"), contract=None, **registration):
    contract = contract or {"contract_start": CS, "contract_end": CE}
    registratie = RegistrationInput(
        startdatum=start, einddatum=end, uren_per_week=uren, **registration
    )
    return value_registration(bouwblok=bouwblok, registratie=registratie, **contract)


def assert_refused(field, code, *args, **kwargs):
    with pytest.raises(ValuationError) as excinfo:
        value(*args, **kwargs)
    assert (excinfo.value.field, excinfo.value.code) == (field, code)


# --- worked examples ------------------------------------------------------------------------------


def test_worked_example_participatiewet_24_hours_18_months():
    result = value(PARTICIPATIEWET, CS, uren=D("24"))
    assert result.waarde == D("40000.00")
    assert result.geteld_maanden == 18
    assert (result.geteld_van, result.geteld_tot) == (CS, CE)
    assert result.per_jaar == {2024: D("20000.00"), 2025: D("20000.00")}


def test_worked_example_ww_36_hours_18_months_capped_at_12():
    result = value(WW, CS)
    assert result.waarde == D("20000.00")
    assert result.geteld_maanden == 12
    assert result.geteld_tot == date(2025, 3, 31)
    assert result.per_jaar == {2024: D("15000.00"), 2025: D("5000.00")}


# --- hours ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uren", "expected"),
    [
        ("36", "20000.00"),
        ("40", "20000.00"),
        ("18", "10000.00"),
        ("12", "6666.67"),
        ("60", "20000.00"),
    ],
)
def test_hours_factor_counts_up_to_36_hours(uren, expected):
    assert value(WW, CS, uren=D(uren)).waarde == D(expected)


def test_hours_factor_function():
    assert hours_factor(D("40"), D("36")) == 1
    assert hours_factor(D("18"), D("36")) == Fraction(1, 2)
    assert hours_factor(D("25.5"), D("36")) == Fraction(51, 72)


@pytest.mark.parametrize(
    ("uren", "code"),
    [
        (None, "verplicht"),
        (D("0"), "niet_positief"),
        (D("-1"), "niet_positief"),
        (D("60.01"), "te_hoog"),
    ],
)
def test_invalid_hours_are_refused(uren, code):
    assert_refused("urenPerWeek", code, WW, CS, uren=uren)


def test_minimum_hours_per_week_of_the_bouwblok():
    sudwest = BouwblokParams(
        "ww", "per_jaar", D("20000"), max_maanden=12, min_uren_per_week=D("12")
    )
    assert_refused("urenPerWeek", "onder_minimum", sudwest, CS, uren=D("11.99"))
    assert value(sudwest, CS, uren=D("12")).waarde == D("6666.67")


# --- counting windows -----------------------------------------------------------------------------

THREE_YEARS = {"contract_start": date(2024, 1, 1), "contract_end": date(2026, 12, 31)}


@pytest.mark.parametrize(
    ("bouwblok", "expected_months", "expected_value"),
    [
        (WW, 12, "20000.00"),
        (WIA, 24, "60000.00"),
        (PARTICIPATIEWET, 24, "80000.00"),
        (BANENAFSPRAAK, 36, "150000.00"),  # no limit
        (BBL_1_2, 24, "50000.00"),
        (BBL_3_PLUS, 36, "45000.00"),
    ],
)
def test_counting_window_per_bouwblok(bouwblok, expected_months, expected_value):
    result = value(bouwblok, date(2024, 1, 1), contract=THREE_YEARS)
    assert result.geteld_maanden == expected_months
    assert result.waarde == D(expected_value)


def test_banenafspraak_counts_up_to_the_contract_end_only():
    result = value(BANENAFSPRAAK, date(2024, 1, 1), date(2030, 1, 1), contract=THREE_YEARS)
    assert result.geteld_maanden == 36
    assert result.geteld_tot == date(2026, 12, 31)


def test_placement_ending_early_counts_only_its_own_months():
    result = value(WW, date(2024, 4, 1), date(2024, 9, 30))
    assert result.geteld_maanden == 6
    assert result.waarde == D("10000.00")


# --- partial months -------------------------------------------------------------------------------

MONTHLY_1000 = BouwblokParams("test", "per_jaar", D("12000"), max_maanden=None)


def test_mid_month_start_and_end():
    result = value(MONTHLY_1000, date(2024, 1, 15), date(2024, 2, 14), contract=THREE_YEARS)
    assert result.geteld_maanden == Fraction(17, 31) + Fraction(14, 29)
    assert result.waarde == D("1031.15")  # 1000 × (17/31 + 14/29) = 1031.1457...


def test_february_in_a_leap_year():
    leap = value(MONTHLY_1000, date(2024, 2, 1), date(2024, 2, 14), contract=THREE_YEARS)
    common = value(MONTHLY_1000, date(2025, 2, 1), date(2025, 2, 14), contract=THREE_YEARS)
    assert leap.waarde == D("482.76")  # 14/29
    assert common.waarde == D("500.00")  # 14/28
    full = value(MONTHLY_1000, date(2024, 2, 1), date(2024, 2, 29), contract=THREE_YEARS)
    assert full.waarde == D("1000.00")


def test_mid_month_start_with_cap_counts_exactly_the_cap():
    result = value(WW, date(2024, 1, 15), contract=THREE_YEARS)
    assert result.geteld_maanden == 12
    assert result.waarde == D("20000.00")
    assert result.geteld_tot == date(2025, 1, 14)


# --- start before the contract --------------------------------------------------------------------


def test_start_six_months_before_the_contract_counts_only_the_rest_of_its_window():
    result = value(WW, date(2023, 10, 1))
    assert result.geteld_maanden == 6
    assert result.waarde == D("10000.00")
    assert (result.geteld_van, result.geteld_tot) == (date(2024, 4, 1), date(2024, 9, 30))


def test_start_exactly_12_months_before_is_allowed():
    used_up = value(WW, date(2023, 4, 1))
    assert used_up.waarde == D("0.00")  # the 12-month window closed when the contract started
    assert used_up.per_jaar == {}
    assert (used_up.geteld_van, used_up.geteld_tot) == (None, None)
    longer_window = value(PARTICIPATIEWET, date(2023, 4, 1))
    assert longer_window.geteld_maanden == 12
    assert longer_window.waarde == D("40000.00")


def test_start_more_than_12_months_before_is_refused():
    assert_refused("startdatum", "start_te_vroeg", PARTICIPATIEWET, date(2023, 3, 31))


def test_placement_that_ended_before_the_contract_counts_nothing():
    result = value(BANENAFSPRAAK, date(2023, 6, 1), date(2024, 3, 31))
    assert result.waarde == D("0.00")
    assert result.geteld_maanden == 0


def test_start_after_contract_end_is_refused():
    assert_refused("startdatum", "start_na_einde_contract", WW, date(2025, 10, 1))


def test_end_before_start_is_refused():
    assert_refused("einddatum", "voor_startdatum", WW, date(2024, 5, 1), date(2024, 4, 30))


# --- loonkostensubsidie ---------------------------------------------------------------------------


def test_loonkostensubsidie_extends_the_window_to_the_end_of_the_subsidy():
    result = value(WW, CS, loonkostensubsidie_tot=date(2025, 6, 30))
    assert result.geteld_maanden == 15
    assert result.waarde == D("25000.00")
    assert result.geteld_tot == date(2025, 6, 30)


def test_short_loonkostensubsidie_does_not_shorten_the_window():
    result = value(WW, CS, loonkostensubsidie_tot=date(2024, 12, 31))
    assert result.geteld_maanden == 12


def test_loonkostensubsidie_does_not_go_beyond_the_contract():
    result = value(WW, CS, loonkostensubsidie_tot=date(2027, 1, 1))
    assert result.geteld_maanden == 18


# --- 55+ bonus ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("geboortejaar", "startdatum", "expected"),
    [
        (1970, date(2024, 12, 31), False),  # 54
        (1969, date(2024, 1, 1), True),  # 55
        (1970, date(2025, 1, 1), True),
    ],
)
def test_55_plus_by_year_of_birth(geboortejaar, startdatum, expected):
    assert is_55_plus(geboortejaar=geboortejaar, startdatum=startdatum) is expected


def test_55_plus_bonus_is_valued_like_its_placement():
    result = value(BONUS_55_PLUS, CS, uren=D("18"))
    assert result.waarde == D("5000.00")  # 10,000 × 18/36 × 12/12


# --- one-off and amount-based bouwblokken ---------------------------------------------------------


def test_one_off_bonus_counts_once_in_full_in_its_year():
    result = value(BONUS_VSO_PRO, date(2025, 3, 10), uren=None)
    assert result.waarde == D("25000.00")
    assert result.per_jaar == {2025: D("25000.00")}
    assert result.geteld_maanden == 0


@pytest.mark.parametrize(
    ("startdatum", "code"),
    [(date(2024, 3, 31), "start_voor_contract"), (date(2025, 10, 1), "start_na_einde_contract")],
)
def test_one_off_bonus_must_lie_inside_the_contract(startdatum, code):
    assert_refused("startdatum", code, BONUS_VSO_PRO, startdatum, uren=None)


def test_training_costs_count_the_amount_rounded_once():
    result = value(OPLEIDING, date(2024, 6, 1), uren=None, bedrag=D("1234.565"))
    assert result.waarde == D("1234.57")
    assert result.per_jaar == {2024: D("1234.57")}


def test_agreed_value_of_a_project():
    assert value(SR_PROJECT, date(2025, 1, 1), uren=None, bedrag=D("7500")).waarde == D("7500.00")


@pytest.mark.parametrize(
    ("bedrag", "code"), [(None, "verplicht"), (D("-0.01"), "negatief")]
)
def test_amount_is_required_and_not_negative(bedrag, code):
    assert_refused("bedrag", code, OPLEIDING, date(2024, 6, 1), uren=None, bedrag=bedrag)


def test_invoice_counts_fully_by_default():
    assert value(SOCIAAL_INKOPEN, date(2024, 6, 1), uren=None, bedrag=D("10000")).waarde == (
        D("10000.00")
    )


def test_invoice_share_of_50_percent():
    twente = BouwblokParams("sociaal_inkopen", "factuur", None, factuur_aandeel=D("50"))
    result = value(twente, date(2024, 6, 1), uren=None, bedrag=D("10000"))
    assert result.waarde == D("5000.00")
    assert value(twente, date(2024, 6, 1), uren=None, bedrag=D("0.01")).waarde == D("0.01")


def test_social_activity_per_day():
    assert value(ACTIVITEIT, date(2024, 6, 1), uren=None, dagen=D("3")).waarde == D("3000.00")
    assert value(ACTIVITEIT, date(2024, 6, 1), uren=None, dagen=D("0.5")).waarde == D("500.00")


def test_social_activity_agreed_value():
    assert value(ACTIVITEIT, date(2024, 6, 1), uren=None, bedrag=D("2500")).waarde == D("2500.00")


def test_social_activity_needs_days_or_amount_not_both():
    assert_refused("dagen", "verplicht", ACTIVITEIT, date(2024, 6, 1), uren=None)
    assert_refused(
        "bedrag", "niet_samen_met_dagen", ACTIVITEIT, date(2024, 6, 1),
        uren=None, dagen=D("1"), bedrag=D("1000"),
    )
    assert_refused("dagen", "negatief", ACTIVITEIT, date(2024, 6, 1), uren=None, dagen=D("-1"))


def test_catalogue_entry_without_needed_value_is_refused():
    with pytest.raises(ValueError):
        BouwblokParams("ww", "per_jaar", None)
    with pytest.raises(ValueError):
        BouwblokParams("x", "per_maand", D("1"))


# --- split per calendar year ----------------------------------------------------------------------


def test_split_over_two_years_adds_up_although_rounding_each_year_would_not():
    # 18 h of a 20,000 placement = 833.333.../month: 7 months in 2023, 1 in 2024.
    ww_unlimited = BouwblokParams("x", "per_jaar", D("20000"), max_maanden=None)
    result = value(ww_unlimited, date(2023, 6, 1), date(2024, 1, 31), uren=D("18"), contract=LONG)
    assert result.waarde == D("6666.67")
    # The split is made from the rounded amounts at each year end (what was realised by 31 December
    # 2023 is 5,833.33 and stays so): 2023 = 5,833.33, 2024 = 6,666.67 − 5,833.33.
    assert result.per_jaar == {2023: D("5833.33"), 2024: D("833.34")}
    assert sum(result.per_jaar.values()) == result.waarde


def test_split_over_three_years_adds_up():
    ww_unlimited = BouwblokParams("x", "per_jaar", D("20000"), max_maanden=None)
    result = value(ww_unlimited, date(2023, 6, 1), date(2025, 1, 1), uren=D("18"), contract=LONG)
    assert result.waarde == D("15860.22")
    # Each year rounded on its own would give 5833.33 + 10000.00 + 26.88 = 15860.21; each year is
    # the difference of the rounded amounts at the year ends: 5833.33, 15833.33, 15860.22.
    assert result.per_jaar == {2023: D("5833.33"), 2024: D("10000.00"), 2025: D("26.89")}
    assert sum(result.per_jaar.values()) == result.waarde


def test_split_with_a_cap_puts_months_in_the_years_they_were_counted():
    result = value(WW, date(2023, 7, 1), contract=LONG, uren=D("36"))
    assert result.per_jaar == {2023: D("10000.00"), 2024: D("10000.00")}


# --- overlap of counted periods -------------------------------------------------------------------


def test_counted_periods_overlap():
    first = value(WW, date(2024, 4, 1), date(2024, 6, 30))
    same_last_day = value(WW, date(2024, 6, 30), date(2024, 8, 31))
    next_day = value(WW, date(2024, 7, 1), date(2024, 8, 31))
    nothing_counted = value(WW, date(2023, 4, 1))
    assert counted_periods_overlap(first, same_last_day)
    assert not counted_periods_overlap(first, next_day)
    assert not counted_periods_overlap(first, nothing_counted)


def test_counted_period_ends_with_the_window_not_the_placement():
    # Window of 12 months from 1 October 2023 ends 30 September 2024: no overlap with October.
    early = value(WW, date(2023, 10, 1))
    later = value(WW, date(2024, 10, 1), date(2024, 10, 31))
    assert early.geteld_tot == date(2024, 9, 30)
    assert not counted_periods_overlap(early, later)


# --- properties -----------------------------------------------------------------------------------

contract_starts = st.dates(min_value=date(2022, 1, 1), max_value=date(2026, 12, 31))
hours = st.decimals(min_value=D("0.5"), max_value=D("60"), places=1)
caps = st.one_of(st.none(), st.integers(min_value=0, max_value=48))
annual_values = st.decimals(min_value=0, max_value=100000, places=2)


@st.composite
def placements(draw):
    cs = draw(contract_starts)
    ce = cs + timedelta(days=draw(st.integers(min_value=0, max_value=5 * 366)))
    ps = cs + timedelta(days=draw(st.integers(min_value=-365, max_value=(ce - cs).days)))
    end = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=6 * 366)))
    pe = None if end is None else ps + timedelta(days=end)
    bouwblok = BouwblokParams("p", "per_jaar", draw(annual_values), max_maanden=draw(caps))
    lks = draw(st.one_of(st.none(), st.dates(min_value=ps, max_value=ps + timedelta(days=4 * 366))))
    registratie = RegistrationInput(
        startdatum=ps, einddatum=pe, uren_per_week=draw(hours), loonkostensubsidie_tot=lks
    )
    return bouwblok, registratie, cs, ce


def run(bouwblok, registratie, cs, ce) -> Valuation:
    return value_registration(
        bouwblok=bouwblok, registratie=registratie, contract_start=cs, contract_end=ce
    )


@given(placements())
def test_value_is_never_negative_and_years_sum_exactly(case):
    result = run(*case)
    assert result.waarde >= 0
    assert result.geteld_maanden >= 0
    assert all(amount >= 0 for amount in result.per_jaar.values())
    assert sum(result.per_jaar.values(), D("0.00")) == result.waarde
    if result.geteld_maanden:
        counted_years = range(result.geteld_van.year, result.geteld_tot.year + 1)
        assert set(result.per_jaar) == set(counted_years)
        # The counted stretch holds exactly the counted months (window fully used or not).
        assert months(result.geteld_van, result.geteld_tot) >= result.geteld_maanden


@given(placements(), hours, hours)
def test_value_is_monotone_in_hours_and_flat_above_36(case, a, b):
    bouwblok, registratie, cs, ce = case
    low, high = sorted((a, b))
    low_value = run(bouwblok, replace(registratie, uren_per_week=low), cs, ce)
    high_value = run(bouwblok, replace(registratie, uren_per_week=high), cs, ce)
    assert low_value.waarde <= high_value.waarde
    if low >= 36:
        assert low_value.waarde == high_value.waarde


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 31)),
    cap=st.integers(min_value=1, max_value=36),
    a=st.integers(min_value=0, max_value=4 * 366),
    b=st.integers(min_value=0, max_value=4 * 366),
)
def test_value_is_monotone_in_months_up_to_the_cap_and_flat_beyond(start, cap, a, b):
    bouwblok = BouwblokParams("p", "per_jaar", D("20000"), max_maanden=cap)
    contract = {"contract_start": date(2024, 1, 1), "contract_end": date(2029, 12, 31)}
    shorter, longer = sorted((a, b))
    first = value(bouwblok, start, start + timedelta(days=shorter), contract=contract)
    second = value(bouwblok, start, start + timedelta(days=longer), contract=contract)
    assert first.waarde <= second.waarde
    assert first.geteld_maanden == min(months(start, start + timedelta(days=shorter)), cap)
    if months(start, start + timedelta(days=shorter)) >= cap:
        assert first.waarde == second.waarde == round_money(Fraction(20000 * cap, 12))
