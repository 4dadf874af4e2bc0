"""The nightly recompute computes on whole cents and integer month counts (reporting.figures);
its stored figures are exactly those of the pure engine (contracts.calculation.expected_by and
fulfilment_status, contracts.selectors.fulfilment, sroi_portal.money.percentage, and realised at the
reference date by bouwblokken.calculation.realised_at on every approved registration), field by field."""

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contracts import calculation
from contracts.models import Afrekening, Contract
from contracts.selectors import ZERO, fulfilment, realisation_per_year
from reporting import figures
from reporting.figures import recompute_contract_figures
from reporting.models import ContractCijfers, ContractJaarCijfers
from sroi_portal import loaddata
from sroi_portal.money import percentage
from sroi_portal.periods import months

STATUSES = st.sampled_from([None, "niet_van_toepassing", "vrijgesteld", "voldaan_via_sebo"])
REDENEN = st.sampled_from(["hoog_percentage", "ontheffing_gedeeltelijk", "laag_percentage"])


def money(cents):
    return Decimal(cents).scaleb(-2)


@settings(max_examples=3000, deadline=None)
@given(start=st.dates(date(2012, 1, 1), date(2035, 12, 31)), length=st.integers(0, 4000),
       offset=st.integers(-400, 4400), obligation=st.integers(0, 10**11) | st.integers(0, 300),
       realised=st.integers(0, 10**11) | st.integers(0, 300), status=STATUSES, reden=REDENEN)
def test_the_integer_arithmetic_equals_the_engine(start, length, offset, obligation, realised, status, reden):
    end = start + timedelta(days=length)
    peildatum = start + timedelta(days=offset)
    total = figures._months(start, end)
    assert Fraction(*total) == months(start, end)
    if peildatum >= start:
        assert Fraction(*figures._months(start, peildatum)) == months(start, peildatum)

    expected = calculation.expected_by(obligation_amount=money(obligation), contract_start=start,
                                       contract_end=end, peildatum=peildatum)
    ours = figures._expected_cents(obligation, start, end, total, peildatum)
    assert str(figures._money(ours)) == str(expected)  # same value, same notation

    engine_obligation = calculation.Obligation(
        van_toepassing=True, percentage=Decimal("5.00"), bedrag=money(obligation), reden=reden, status=status,
        grondslag_bedrag=Decimal(0), berekend_bedrag=money(obligation),
    )
    assert figures._status(status, reden, obligation, realised, ours) == calculation.fulfilment_status(
        obligation=engine_obligation, realised=money(realised), expected=expected)
    assert figures._percentage(realised, obligation) == percentage(money(realised), money(obligation))


def test_an_amount_that_is_not_whole_cents_is_refused():
    assert figures._cents(Decimal("12.30")) == 1230
    with pytest.raises(ValueError):
        figures._cents(Decimal("12.305"))


def _realised_by_engine(contract, peildatum):
    """Every approved registration of ``contract`` valued again from its inputs with the pure engine
    (``bouwblokken.calculation.realised_at``) at ``peildatum``: (total, {year: part})."""
    from bouwblokken.calculation import realised_at
    from bouwblokken.services import _valuation_inputs

    total, years = ZERO, {}
    for registratie in contract.registraties.filter(status="goedgekeurd").select_related(
            "bouwblok__catalogus", "hoofdregistratie__bouwblok"):
        if registratie.waarde == 0:
            continue  # counts nothing (e.g. outside a shortened contract period)
        params, data = _valuation_inputs(registratie)
        result = realised_at(bouwblok=params, registratie=data, contract_start=contract.startdatum,
                             contract_end=contract.actuele_einddatum, peildatum=peildatum)
        total += result.waarde
        for jaar, waarde in result.per_jaar.items():
            years[jaar] = years.get(jaar, ZERO) + waarde
    return total, years


def engine_figures(today):
    """Every figure the recompute should store, computed with the pure engine from the registrations:
    committed and pending from the stored values, realised by valuing each approved registration again
    at the reference date (and per year at 31 December, today for this year)."""
    contracts = list(Contract.objects.order_by("pk"))
    per_year = realisation_per_year(contract_ids=[c.pk for c in contracts], today=today)
    totals, years = {}, {}
    for contract in contracts:
        rows = [(y.jaar, y.goedgekeurd.quantize(Decimal("0.01")), y.in_behandeling.quantize(Decimal("0.01")))
                for y in per_year.get(contract.pk, [])]
        settled = Afrekening.objects.filter(contract=contract).exists()
        reference = calculation.reference_date(contract_end=contract.actuele_einddatum, today=today, settled=settled)
        realised, _years = _realised_by_engine(contract, reference)
        result = fulfilment(contract, goedgekeurd=sum((r[1] for r in rows), ZERO),
                            in_behandeling=sum((r[2] for r in rows), ZERO), gerealiseerd=realised, peildatum=today,
                            afgerekend=settled)
        totals[contract.pk] = (
            contract.gemeente_id, contract.verplichting_van_toepassing, contract.actuele_aanneemsom,
            result.verplichting, result.goedgekeurd, result.gerealiseerd, result.in_behandeling, result.verwacht,
            result.percentage, result.status,
        )
        for jaar in range(contract.startdatum.year, min(contract.actuele_einddatum.year, today.year) + 1):
            approved = sum((r[1] for r in rows if r[0] <= jaar), ZERO)
            pending = sum((r[2] for r in rows if r[0] <= jaar), ZERO)
            peildatum = min(date(jaar, 12, 31), reference)
            realised_then, parts = _realised_by_engine(contract, peildatum)
            expected = calculation.expected_by(
                obligation_amount=contract.verplichting_bedrag, contract_start=contract.startdatum,
                contract_end=contract.actuele_einddatum, peildatum=peildatum)
            years[contract.pk, jaar] = (
                contract.gemeente_id, contract.verplichting_van_toepassing, contract.actuele_aanneemsom,
                contract.verplichting_bedrag, approved, realised_then, pending, expected,
                calculation.fulfilment_status(obligation=contract.obligation, realised=realised_then, expected=expected),
                sum((r[1] for r in rows if r[0] == jaar), ZERO), parts.get(jaar, ZERO),
            )
    return totals, years


def stored_figures():
    totals = {
        row[0]: row[1:] for row in ContractCijfers.objects.values_list(
            "contract_id", "gemeente_id", "van_toepassing", "aanneemsom", "verplichting", "goedgekeurd",
            "gerealiseerd", "in_behandeling", "verwacht", "percentage", "status")
    }
    years = {
        (row[0], row[1]): row[2:] for row in ContractJaarCijfers.objects.values_list(
            "contract_id", "jaar", "gemeente_id", "van_toepassing", "aanneemsom", "verplichting", "goedgekeurd",
            "gerealiseerd", "in_behandeling", "verwacht", "status", "goedgekeurd_in_jaar", "gerealiseerd_in_jaar")
    }
    return totals, years


@pytest.fixture
def generated(db):
    """The load generator's smoke size: 2 municipalities, 60 contracts, 300 registrations of every kind."""
    loaddata.generate(scale=loaddata.SCALES["mini"], seed=11, figures=False)
    return loaddata.reference_date()


def test_the_stored_figures_of_a_generated_region_are_the_engines_field_by_field(generated):
    reference = generated
    days = [reference, reference + timedelta(days=1), date(reference.year - 2, 2, 29 if reference.year % 4 == 2 else 28),
            date(reference.year, 12, 31), reference + timedelta(days=400)]
    checked = 0
    for today in days:
        ContractCijfers.objects.all().delete()
        ContractJaarCijfers.objects.all().delete()
        recompute_contract_figures(today=today, batch_size=7)
        stored_totals, stored_years = stored_figures()
        expected_totals, expected_years = engine_figures(today)
        assert stored_totals.keys() == expected_totals.keys() and len(stored_totals) == 60
        assert stored_years.keys() == expected_years.keys()
        for key, values in expected_totals.items():
            assert stored_totals[key] == values, (today, key)
        if today == reference:  # placements still running: realised below committed, and compared
            assert any(values[5] < values[4] for values in expected_totals.values())
        for key, values in expected_years.items():
            assert stored_years[key] == values, (today, key)
        checked += len(expected_years)
    statuses = set(ContractCijfers.objects.values_list("status", flat=True))
    assert len(statuses) >= 3, statuses  # a real mix of statuses was compared
    assert checked > 300


def test_rows_left_from_a_previous_run_are_brought_to_the_engines_figures(generated):
    """The incremental path (fingerprints, stored rows) ends where a fresh run would."""
    reference = generated
    recompute_contract_figures(today=reference - timedelta(days=200))
    recompute_contract_figures(today=reference)
    assert stored_figures() == engine_figures(reference)
