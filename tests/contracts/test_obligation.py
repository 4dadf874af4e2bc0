"""The obligation, expected progress, status and settlement (SROI-RULES.md §1 and §2)."""

from datetime import date
from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contracts.calculation import (
    CATEGORIES,
    PROCEDURES,
    CalculationError,
    Exemption,
    PolicyParams,
    compute_obligation,
    expected_by,
    fulfilment_status,
    settle,
)

ZOETERMEER = PolicyParams()
D = Decimal


def obligation(policy=ZOETERMEER, *, categorie="werken", procedure="nationaal", **kwargs):
    kwargs.setdefault("aanneemsom", D("1000000"))
    kwargs.setdefault("loonsom", D("500000"))
    return compute_obligation(policy=policy, categorie=categorie, procedure=procedure, **kwargs)


# --- scope ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("categorie", ["werken", "diensten"])
@pytest.mark.parametrize("procedure", ["meervoudig_onderhands", "nationaal", "europees"])
def test_werken_and_diensten_from_meervoudig_onderhands_up_have_an_obligation(categorie, procedure):
    result = obligation(categorie=categorie, procedure=procedure)
    assert result.van_toepassing
    assert result.bedrag == D("50000.00")
    assert result.percentage == D("5.00")
    assert result.status is None


def test_leveringen_have_no_obligation():
    result = obligation(categorie="leveringen")
    assert not result.van_toepassing
    assert (result.bedrag, result.percentage) == (D("0.00"), D("0.00"))
    assert result.status == "niet_van_toepassing"
    assert result.reden == "categorie_buiten_beleid"


def test_enkelvoudig_onderhands_has_no_obligation():
    result = obligation(procedure="enkelvoudig_onderhands")
    assert not result.van_toepassing
    assert result.bedrag == D("0.00")
    assert result.status == "niet_van_toepassing"
    assert result.reden == "procedure_buiten_beleid"


def test_a_policy_may_include_leveringen():
    policy = PolicyParams(categorieen=frozenset(CATEGORIES))
    assert obligation(policy, categorie="leveringen").bedrag == D("50000.00")


def test_below_minimum_value_no_obligation_at_the_minimum_an_obligation():
    den_haag = PolicyParams(minimum_waarde=D("215000"))
    below = obligation(den_haag, aanneemsom=D("214999.99"), loonsom=D("100000"))
    assert not below.van_toepassing
    assert below.reden == "onder_minimumwaarde"
    assert below.bedrag == D("0.00")
    at = obligation(den_haag, aanneemsom=D("215000"), loonsom=D("100000"))
    assert at.van_toepassing
    assert at.bedrag == D("10750.00")


# --- percentage and amount ------------------------------------------------------------------------


def test_exactly_30_percent_wage_share_gives_5_percent():
    result = obligation(aanneemsom=D("1000000"), loonsom=D("300000"))
    assert result.percentage == D("5.00")
    assert result.bedrag == D("50000.00")
    assert result.reden == "hoog_percentage"


def test_29_99_percent_wage_share_gives_2_percent():
    result = obligation(aanneemsom=D("1000000"), loonsom=D("299900"))
    assert result.percentage == D("2.00")
    assert result.bedrag == D("20000.00")
    assert result.reden == "laag_percentage"


def test_wage_share_is_compared_exactly_not_rounded():
    # 29.999999% would round to 30.00% but is still below the threshold.
    result = obligation(aanneemsom=D("1000000"), loonsom=D("299999.99"))
    assert result.percentage == D("2.00")


def test_extra_percentage_comes_on_top():
    high = obligation(aanneemsom=D("1000000"), loonsom=D("300000"), extra_percentage=D("1.5"))
    assert high.percentage == D("6.50")
    assert high.bedrag == D("65000.00")
    low = obligation(aanneemsom=D("1000000"), loonsom=D("100000"), extra_percentage=D("1"))
    assert low.percentage == D("3.00")
    assert low.bedrag == D("30000.00")


def test_amount_is_rounded_once_half_up():
    # 5% of 100.10 = 5.005 -> 5.01
    assert obligation(aanneemsom=D("100.10"), loonsom=D("50")).bedrag == D("5.01")
    # The shown percentage is rounded, the amount uses the exact one: 5.005% of 1,000,000.
    result = obligation(extra_percentage=D("0.005"))
    assert result.percentage == D("5.01")
    assert result.bedrag == D("50050.00")


def test_base_can_be_the_loonsom():
    westland = PolicyParams(
        grondslag="loonsom", hoog_percentage=D("7"), laag_percentage=D("7")
    )
    result = obligation(westland, aanneemsom=D("1000000"), loonsom=D("300000"))
    assert result.grondslag_bedrag == D("300000.00")
    assert result.bedrag == D("21000.00")


def test_cap_per_contract():
    capped_policy = PolicyParams(maximum_bedrag=D("300000"))
    big = obligation(capped_policy, aanneemsom=D("10000000"), loonsom=D("5000000"))
    assert big.bedrag == D("300000.00")
    assert big.berekend_bedrag == D("300000.00")
    assert big.reden == "maximum_bedrag"
    small = obligation(capped_policy)
    assert small.bedrag == D("50000.00")
    assert small.reden == "hoog_percentage"


def test_aanneemsom_zero_gives_no_division_error_and_no_amount():
    result = obligation(aanneemsom=D("0"), loonsom=D("0"))
    assert result.bedrag == D("0.00")
    assert fulfilment_status(obligation=result, realised=D("0"), expected=D("0")) == "voldaan"


# --- SEBO and exemptions --------------------------------------------------------------------------


def test_sebo_keurmerk_fulfils_a_meervoudig_onderhandse_procedure():
    result = obligation(procedure="meervoudig_onderhands", sebo_keurmerk=True)
    assert result.van_toepassing
    assert result.status == "voldaan_via_sebo"
    assert result.reden == "sebo_keurmerk"
    assert result.bedrag == D("50000.00")
    status = fulfilment_status(obligation=result, realised=D("0"), expected=D("1"))
    assert status == "voldaan_via_sebo"


@pytest.mark.parametrize("procedure", ["nationaal", "europees"])
def test_sebo_keurmerk_does_not_count_for_other_procedures(procedure):
    result = obligation(procedure=procedure, sebo_keurmerk=True)
    assert result.status is None
    assert result.reden == "hoog_percentage"


def test_full_exemption():
    result = obligation(exemption=Exemption(soort="volledig", bedrag=None))
    assert result.van_toepassing
    assert result.bedrag == D("0.00")
    assert result.berekend_bedrag == D("50000.00")
    assert result.status == "vrijgesteld"
    assert result.reden == "ontheffing_volledig"


def test_partial_exemption_lowers_the_amount():
    result = obligation(exemption=Exemption(soort="gedeeltelijk", bedrag=D("20000")))
    assert result.bedrag == D("20000.00")
    assert result.berekend_bedrag == D("50000.00")
    assert result.status is None
    assert result.reden == "ontheffing_gedeeltelijk"
    assert fulfilment_status(obligation=result, realised=D("20000"), expected=D("0")) == "voldaan"


def test_partial_exemption_to_zero_is_vrijgesteld():
    result = obligation(exemption=Exemption(soort="gedeeltelijk", bedrag=D("0")))
    assert result.bedrag == D("0.00")
    assert fulfilment_status(obligation=result, realised=D("0"), expected=D("0")) == "vrijgesteld"


@pytest.mark.parametrize("bedrag", [D("50000.01"), D("-1"), None])
def test_partial_exemption_must_lie_between_zero_and_the_computed_amount(bedrag):
    with pytest.raises(ValueError):
        obligation(exemption=Exemption(soort="gedeeltelijk", bedrag=bedrag))


def test_partial_exemption_equal_to_the_computed_amount_is_allowed():
    result = obligation(exemption=Exemption(soort="gedeeltelijk", bedrag=D("50000.00")))
    assert result.bedrag == D("50000.00")


def test_exemption_is_ignored_when_there_is_no_obligation():
    result = obligation(categorie="leveringen", exemption=Exemption(soort="volledig", bedrag=None))
    assert result.status == "niet_van_toepassing"


# --- validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"aanneemsom": D("-1"), "loonsom": D("0")}, "aanneemsom", "negatief"),
        ({"loonsom": D("-0.01")}, "loonsom", "negatief"),
        ({"aanneemsom": D("100"), "loonsom": D("100.01")}, "loonsom", "hoger_dan_aanneemsom"),
        ({"categorie": "bouw"}, "categorie", "onbekend"),
        ({"procedure": "openbaar"}, "procedure", "onbekend"),
        ({"extra_percentage": D("-0.5")}, "extraPercentage", "negatief"),
        ({"extra_percentage": D("100.01")}, "extraPercentage", "te_hoog"),
    ],
)
def test_invalid_input_names_the_field(kwargs, field, code):
    with pytest.raises(CalculationError) as excinfo:
        obligation(**kwargs)
    assert (excinfo.value.field, excinfo.value.code) == (field, code)


def test_unknown_grondslag_in_policy_is_refused():
    with pytest.raises(ValueError):
        PolicyParams(grondslag="omzet")


# --- expected progress ----------------------------------------------------------------------------

CONTRACT = {"contract_start": date(2024, 1, 1), "contract_end": date(2025, 12, 31)}


@pytest.mark.parametrize(
    ("peildatum", "expected"),
    [
        (date(2023, 12, 31), "0.00"),  # before the start
        (date(2024, 1, 1), "32.26"),  # first day: 1/31 of a month of 1,000
        (date(2024, 1, 31), "1000.00"),
        (date(2024, 2, 15), "1517.24"),  # 1 + 15/29 months
        (date(2024, 12, 31), "12000.00"),  # halfway
        (date(2025, 12, 30), "23967.74"),
        (date(2025, 12, 31), "24000.00"),  # the end
        (date(2026, 6, 1), "24000.00"),  # after the end
    ],
)
def test_expected_by_follows_elapsed_contract_months(peildatum, expected):
    assert expected_by(obligation_amount=D("24000"), peildatum=peildatum, **CONTRACT) == D(expected)


def test_expected_by_one_day_contract():
    one_day = {"contract_start": date(2024, 5, 1), "contract_end": date(2024, 5, 1)}
    kwargs = {"obligation_amount": D("100"), **one_day}
    assert expected_by(peildatum=date(2024, 5, 1), **kwargs) == D("100.00")
    assert expected_by(peildatum=date(2024, 4, 30), **kwargs) == D("0.00")


# --- status ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("realised", "expected", "status"),
    [
        ("50000", "25000", "voldaan"),  # exactly the obligation
        ("60000", "25000", "voldaan"),
        ("25000", "25000", "op_schema"),  # exactly on schedule
        ("24999.99", "25000", "achter"),
        ("0", "0", "op_schema"),
    ],
)
def test_fulfilment_status(realised, expected, status):
    result = obligation()
    actual = fulfilment_status(obligation=result, realised=D(realised), expected=D(expected))
    assert actual == status


def test_status_of_fixed_statuses_wins():
    not_applicable = obligation(categorie="leveringen")
    exempt = obligation(exemption=Exemption(soort="volledig", bedrag=None))
    assert fulfilment_status(obligation=not_applicable, realised=D("0"), expected=D("0")) == (
        "niet_van_toepassing"
    )
    assert fulfilment_status(obligation=exempt, realised=D("0"), expected=D("10")) == "vrijgesteld"


# --- settlement -----------------------------------------------------------------------------------


def test_settlement_with_factor_1():
    result = settle(obligation_amount=D("50000"), realised=D("30000"), sanctie_factor=D("1"))
    assert result.verplichting == D("50000.00")
    assert result.gerealiseerd == D("30000.00")
    assert result.tekort == D("20000.00")
    assert result.sanctie == D("20000.00")


def test_settlement_with_factor_half():
    result = settle(obligation_amount=D("50000"), realised=D("30000"), sanctie_factor=D("0.5"))
    assert result.tekort == D("20000.00")
    assert result.sanctie == D("10000.00")
    assert result.sanctie_factor == D("0.5")


def test_settlement_without_shortfall():
    result = settle(obligation_amount=D("50000"), realised=D("50000.01"), sanctie_factor=D("1"))
    assert result.tekort == D("0.00")
    assert result.sanctie == D("0.00")


def test_settlement_sanction_rounded_half_up():
    result = settle(obligation_amount=D("0.01"), realised=D("0"), sanctie_factor=D("0.5"))
    assert result.sanctie == D("0.01")


def test_settlement_refuses_negative_input():
    with pytest.raises(ValueError):
        settle(obligation_amount=D("100"), realised=D("-1"), sanctie_factor=D("1"))


# --- properties ----------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(
    aanneemsom=money,
    share=st.decimals(min_value=0, max_value=1, places=4),
    categorie=st.sampled_from(CATEGORIES),
    procedure=st.sampled_from(PROCEDURES),
    extra=st.decimals(min_value=0, max_value=10, places=2),
    sebo=st.booleans(),
)
def test_obligation_is_never_negative_nor_more_than_the_aanneemsom(
    aanneemsom, share, categorie, procedure, extra, sebo
):
    loonsom = (aanneemsom * share).quantize(D("0.01"), rounding=ROUND_DOWN)
    result = compute_obligation(
        policy=ZOETERMEER,
        categorie=categorie,
        procedure=procedure,
        aanneemsom=aanneemsom,
        loonsom=loonsom,
        extra_percentage=extra,
        sebo_keurmerk=sebo,
    )
    assert D("0") <= result.bedrag <= aanneemsom
    assert result.bedrag.as_tuple().exponent == -2
    assert result.van_toepassing == (result.status != "niet_van_toepassing")


@given(
    obligation_amount=money,
    a=st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31)),
    b=st.dates(min_value=date(2023, 1, 1), max_value=date(2027, 12, 31)),
)
def test_expected_by_grows_with_time_from_zero_to_the_obligation(obligation_amount, a, b):
    earlier, later = sorted((a, b))
    kwargs = {"obligation_amount": obligation_amount, **CONTRACT}
    first = expected_by(peildatum=earlier, **kwargs)
    second = expected_by(peildatum=later, **kwargs)
    assert D("0") <= first <= second <= obligation_amount
