"""The nightly recompute only rewrites what can have changed: nothing on a second run without
changes, only the changed contract's rows after a change, and the day after only the running
contracts' totals and this year's row (their expected value moves with the date, and so does what
is realised of a placement still running)."""

from datetime import timedelta
from decimal import Decimal

import pytest

from bouwblokken.models import RegistratieJaar
from contracts.models import Contract
from reporting.figures import recompute_contract_figures
from reporting.models import ContractCijfers, ContractJaarCijfers
from reporting.tasks import recompute_all_figures
from sroi_portal import loaddata

from .test_recompute_exact import _realised_by_engine, engine_figures, stored_figures


@pytest.fixture
def night(db):
    """A generated region (60 contracts, 300 registrations) whose figures were computed last night."""
    loaddata.generate(scale=loaddata.SCALES["mini"], seed=11, figures=False)
    today = loaddata.reference_date()
    recompute_contract_figures(today=today)
    return today


def written():
    """{row: berekend_op} of every stored figure (a rewritten row gets a new timestamp)."""
    return {
        **{("totaal", c): t for c, t in ContractCijfers.objects.values_list("contract_id", "berekend_op")},
        **{(c, j): t for c, j, t in ContractJaarCijfers.objects.values_list("contract_id", "jaar", "berekend_op")},
    }


def rewritten(before):
    after = written()
    return {key for key, stamp in after.items() if before.get(key) != stamp}


def test_a_second_night_without_changes_writes_no_row(night, monkeypatch):
    before = written()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: night)
    result = recompute_all_figures.run()
    assert (result["contracten"], result["gewijzigd"], result["verwijderd"]) == (60, 0, 0)
    assert rewritten(before) == set()


def test_a_changed_registration_rewrites_only_its_contracts_rows(night):
    # A change the signals did not see (a direct update): the nightly run must find it.
    year = (RegistratieJaar.objects.filter(registratie__status="goedgekeurd", jaar__lt=night.year)
            .select_related("registratie__contract").order_by("pk").first())
    contract = year.registratie.contract
    RegistratieJaar.objects.filter(pk=year.pk).update(waarde=year.waarde + Decimal("1.00"))
    before = written()
    stored_before = ContractCijfers.objects.get(contract=contract).goedgekeurd

    result = recompute_contract_figures(today=night)

    changed = rewritten(before)
    last_year = min(contract.actuele_einddatum.year, night.year)
    # The totals and every year from the changed one on (they hold the value up to that year).
    assert changed == {("totaal", contract.pk)} | {(contract.pk, j) for j in range(year.jaar, last_year + 1)
                                                    if (contract.pk, j) in before}
    assert result.gewijzigd == len(changed) and result.gemeenten == {contract.gemeente_id}
    assert ContractCijfers.objects.get(contract=contract).goedgekeurd == stored_before + Decimal("1.00")
    # The stored value no longer matches its inputs (the engine would value it again), so compare with
    # what a fresh run over the same stored values gives.
    incremental = stored_figures()
    ContractCijfers.objects.all().delete()
    ContractJaarCijfers.objects.all().delete()
    recompute_contract_figures(today=night)
    assert incremental == stored_figures()


def test_the_day_after_only_running_contracts_are_rewritten(night):
    tomorrow = night + timedelta(days=1)

    def effective(contract, day):  # the expected value is 0 before the start, the obligation from the end on
        if contract.verplichting_bedrag == 0:  # and always 0 for an obligation of 0
            return None
        return min(max(day, contract.startdatum - timedelta(days=1)), contract.actuele_einddatum)

    def realised(contract, day):  # what is realised moves too while a placement runs
        return _realised_by_engine(contract, min(day, contract.actuele_einddatum))

    expected_moves = {c.pk for c in Contract.objects.all() if effective(c, night) != effective(c, tomorrow)}
    realised_moves = {c.pk for c in Contract.objects.all() if realised(c, night) != realised(c, tomorrow)}
    moving = expected_moves | realised_moves
    assert 0 < len(moving) < 60  # the generated region has running and ended contracts
    assert realised_moves - expected_moves or realised_moves  # placements still running were seen
    assert Contract.objects.filter(verplichting_bedrag=0, startdatum__lte=tomorrow,
                                   actuele_einddatum__gt=tomorrow).exists()  # and running ones without obligation
    before = written()

    result = recompute_contract_figures(today=tomorrow)

    changed = rewritten(before)
    assert {key[1] if key[0] == "totaal" else key[0] for key in changed} == moving
    assert all(key[0] == "totaal" or key[1] == tomorrow.year for key in changed)  # past years stay
    assert result.gewijzigd == len(changed)
    assert stored_figures() == engine_figures(tomorrow)
    assert recompute_contract_figures(today=tomorrow).gewijzigd == 0  # and once more: nothing
