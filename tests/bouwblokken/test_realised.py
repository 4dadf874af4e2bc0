"""Realised at a date (SROI-RULES.md §2, "Realised, committed and pending"): the part of a
registration's value on or before the date, per calendar year, rounded once; and the same figure cut
from what the database stores (``realised_from_stored``), exactly equal to the engine."""

from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from bouwblokken.calculation import (
    BouwblokParams,
    RegistrationInput,
    StoredRegistration,
    realised_at,
    realised_from_stored,
    value_registration,
)

WW = BouwblokParams("ww", "per_jaar", D("20000"), max_maanden=12)  # 2023 catalogue
BONUS = BouwblokParams("bonus_arbeidsbeperking", "eenmalig", D("10000"))
ACTIVITEIT = BouwblokParams("maatschappelijke_activiteit", "per_dag", D("1000"))
CONTRACT = (date(2026, 1, 1), date(2028, 12, 31))


def at(bouwblok, registratie, peildatum, contract=CONTRACT):
    return realised_at(bouwblok=bouwblok, registratie=registratie, contract_start=contract[0],
                       contract_end=contract[1], peildatum=peildatum)


def ww_placement(start=date(2026, 11, 1), end=date(2027, 10, 31), hours="36"):
    return RegistrationInput(startdatum=start, einddatum=end, uren_per_week=D(hours))


def test_the_worked_example_realises_one_month_and_two_days_on_2_december():
    reg = ww_placement()
    on_2_december = at(WW, reg, date(2026, 12, 2))
    assert on_2_december.waarde == D("1774.19")  # 20,000 × (1 + 2/31) / 12
    assert on_2_december.per_jaar == {2026: D("1774.19")}
    committed = value_registration(bouwblok=WW, registratie=reg, contract_start=CONTRACT[0], contract_end=CONTRACT[1])
    assert committed.waarde == D("20000.00")
    # The council's figures for 2026 are taken on 31 December 2026: November and December.
    assert at(WW, reg, date(2026, 12, 31)).per_jaar == {2026: D("3333.33")}


def test_the_years_of_a_placement_add_up_to_its_value_once_it_has_ended():
    reg = ww_placement()
    committed = value_registration(bouwblok=WW, registratie=reg, contract_start=CONTRACT[0], contract_end=CONTRACT[1])
    after = at(WW, reg, date(2027, 11, 1))
    assert after.waarde == committed.waarde == D("20000.00")
    assert after.per_jaar == committed.per_jaar == {2026: D("3333.33"), 2027: D("16666.67")}
    # Mid-2027 the past year stays what it was on 31 December; this year holds the rest.
    mid = at(WW, reg, date(2027, 3, 31))
    assert mid.per_jaar == {2026: D("3333.33"), 2027: D("5000.00")}
    assert mid.waarde == D("8333.33")


def test_a_placement_that_ended_before_the_date_is_realised_in_full():
    reg = ww_placement(start=date(2026, 1, 1), end=date(2026, 6, 30))
    assert at(WW, reg, date(2026, 11, 22)).waarde == D("10000.00")


def test_a_placement_that_starts_after_the_date_has_realised_nothing():
    reg = ww_placement(start=date(2027, 1, 1), end=date(2027, 12, 31))
    result = at(WW, reg, date(2026, 11, 22))
    assert result.waarde == D("0.00") and result.per_jaar == {}


def test_a_one_off_bonus_counts_in_full_on_its_start_date_and_not_before():
    reg = RegistrationInput(startdatum=date(2026, 11, 1))
    assert at(BONUS, reg, date(2026, 10, 31)).waarde == D("0.00")
    assert at(BONUS, reg, date(2026, 11, 1)).waarde == D("10000.00")
    assert at(BONUS, reg, date(2026, 11, 1)).per_jaar == {2026: D("10000.00")}


def test_an_activity_over_several_days_counts_the_days_up_to_the_date():
    reg = RegistrationInput(startdatum=date(2026, 3, 1), einddatum=date(2026, 3, 3), dagen=D("3"))
    assert at(ACTIVITEIT, reg, date(2026, 2, 28)).waarde == D("0.00")
    assert at(ACTIVITEIT, reg, date(2026, 3, 1)).waarde == D("1000.00")
    assert at(ACTIVITEIT, reg, date(2026, 3, 2)).waarde == D("2000.00")
    assert at(ACTIVITEIT, reg, date(2026, 3, 3)).waarde == D("3000.00")
    # An agreed value instead of days counts in full on its start date.
    agreed = RegistrationInput(startdatum=date(2026, 3, 1), einddatum=date(2026, 3, 31), bedrag=D("2500"))
    assert at(ACTIVITEIT, agreed, date(2026, 3, 1)).waarde == D("2500.00")


def test_the_counting_window_caps_what_is_realised():
    reg = ww_placement(start=date(2026, 1, 1), end=date(2027, 6, 30))  # 18 months, window 12
    assert at(WW, reg, date(2026, 6, 30)).waarde == D("10000.00")
    assert at(WW, reg, date(2026, 12, 31)).waarde == D("20000.00")
    assert at(WW, reg, date(2027, 6, 30)).waarde == D("20000.00")
    assert at(WW, reg, date(2027, 6, 30)).per_jaar == {2026: D("20000.00")}


def test_a_contract_ending_before_the_placement_stops_the_realisation_at_its_end():
    contract = (date(2026, 1, 1), date(2026, 12, 31))
    reg = ww_placement(start=date(2026, 7, 1), end=date(2027, 6, 30))
    assert at(WW, reg, date(2026, 12, 31), contract).waarde == D("10000.00")
    assert at(WW, reg, date(2027, 6, 30), contract).waarde == D("10000.00")


# --- the stored path equals the engine -----------------------------------------------------------

def stored(bouwblok, reg, contract):
    valuation = value_registration(bouwblok=bouwblok, registratie=reg, contract_start=contract[0],
                                   contract_end=contract[1])
    return StoredRegistration(
        waarderingswijze=bouwblok.waarderingswijze, waarde=valuation.waarde, per_jaar=valuation.per_jaar,
        startdatum=reg.startdatum, einddatum=reg.einddatum, geteld_van=valuation.geteld_van,
        geteld_tot=valuation.geteld_tot, uren_per_week=reg.uren_per_week, dagen=reg.dagen,
        bouwblok_waarde=bouwblok.waarde, norm_uren=bouwblok.norm_uren, contract_end=contract[1],
    ), valuation


@st.composite
def cases(draw):
    contract_start = draw(st.dates(date(2020, 1, 1), date(2030, 12, 31)))
    contract_end = contract_start + timedelta(days=draw(st.integers(0, 1500)))
    kind = draw(st.sampled_from(["per_jaar", "per_dag", "eenmalig", "factuur"]))
    start = contract_start + timedelta(days=draw(st.integers(-360 if kind == "per_jaar" else 0,
                                                             (contract_end - contract_start).days)))
    end = None if draw(st.booleans()) and kind == "per_jaar" else start + timedelta(days=draw(st.integers(0, 900)))
    value = D(draw(st.integers(0, 6_000_000))).scaleb(-2)
    if kind == "per_jaar":
        bouwblok = BouwblokParams("p", "per_jaar", value, max_maanden=draw(st.sampled_from([None, 6, 12, 24, 36])),
                                  norm_uren=D(draw(st.sampled_from(["36", "38", "40", "32.5"]))))
        reg = RegistrationInput(startdatum=start, einddatum=end,
                                uren_per_week=D(draw(st.integers(1, 600))).scaleb(-1),
                                loonkostensubsidie_tot=draw(st.none() | st.just(start + timedelta(days=500))))
    elif kind == "per_dag":
        bouwblok = BouwblokParams("a", "per_dag", value)
        reg = RegistrationInput(startdatum=start, einddatum=end, dagen=D(draw(st.integers(1, 400))).scaleb(-1))
    else:
        bouwblok = BouwblokParams("o", kind, value if kind == "eenmalig" else None)
        reg = RegistrationInput(startdatum=start, bedrag=value)
    peildatum = contract_start + timedelta(days=draw(st.integers(-40, 1600)))
    return bouwblok, reg, (contract_start, contract_end), peildatum


@settings(max_examples=1500, deadline=None)
@given(cases())
def test_the_stored_path_equals_the_engine_and_the_years_add_up(case):
    bouwblok, reg, contract, peildatum = case
    from_db, valuation = stored(bouwblok, reg, contract)
    engine = at(bouwblok, reg, peildatum, contract)
    assert realised_from_stored(from_db, peildatum) == engine
    assert D("0") <= engine.waarde <= valuation.waarde
    assert sum(engine.per_jaar.values(), D("0.00")) == engine.waarde
    assert all(part >= 0 for part in engine.per_jaar.values())
    assert all(jaar <= peildatum.year for jaar in engine.per_jaar)
    later = at(bouwblok, reg, peildatum + timedelta(days=17), contract)
    assert later.waarde >= engine.waarde  # never falls as time passes
    # Years that are over do not change any more.
    assert {j: v for j, v in later.per_jaar.items() if j < peildatum.year} == {
        j: v for j, v in engine.per_jaar.items() if j < peildatum.year}
    if peildatum >= contract[1]:
        assert engine.waarde == valuation.waarde and engine.per_jaar == valuation.per_jaar
