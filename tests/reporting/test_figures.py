"""The stored fulfilment figures: equal to what the contract pages compute, kept up to date after
every change (once per transaction, after the commit) and nightly, in batches of fixed query cost."""

from datetime import date, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from contracts import services as contract_services
from contracts.selectors import fulfilment_of
from reporting.figures import recompute_contract_figures, recompute_placement_figures
from reporting.models import ContractCijfers, ContractJaarCijfers, PlaatsingCijfers, Vervolg
from tests.factories import make_contract

from .conftest import invoice, place

TODAY = date(2026, 11, 22)

# Tests of what happens at COMMIT need real transactions (and the seeded catalogue restored after).
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_stored_totals_equal_the_fulfilment_the_contract_pages_show(contract):
    place(contract)  # 40,000 approved
    invoice(contract, bedrag="5000.00", state="ingediend")
    place(contract, state="afgekeurd")
    recompute_contract_figures(contract_ids=[contract.pk], today=TODAY)

    stored = ContractCijfers.objects.get(contract=contract)
    live = fulfilment_of(contract, peildatum=TODAY)
    assert (stored.verplichting, stored.goedgekeurd, stored.in_behandeling, stored.verwacht, stored.status) == (
        live.verplichting, live.goedgekeurd, live.in_behandeling, live.verwacht, live.status
    )
    assert stored.goedgekeurd == Decimal("40000.00") and stored.in_behandeling == Decimal("5000.00")
    assert stored.percentage == Decimal("80.00")
    assert stored.status == "achter"  # the contract ended on 31 March 2026: 40,000 of 50,000


def test_each_year_holds_the_value_up_to_that_year_and_the_status_on_31_december(contract):
    place(contract, start=date(2024, 5, 1), end=date(2025, 4, 30))  # 8 months in 2024, 4 in 2025
    recompute_contract_figures(contract_ids=[contract.pk], today=TODAY)

    years = {row.jaar: row for row in ContractJaarCijfers.objects.filter(contract=contract)}
    assert sorted(years) == [2024, 2025, 2026]
    assert years[2024].goedgekeurd_in_jaar == Decimal("26666.67")
    assert years[2025].goedgekeurd_in_jaar == Decimal("13333.33")
    assert years[2025].goedgekeurd == Decimal("40000.00")
    # On 31 December 2024, 9 of the 24 months had passed: 18,750 expected, 26,666.67 realised.
    assert years[2024].verwacht == Decimal("18750.00")
    assert years[2024].status == "op_schema"
    assert years[2026].status == "achter" and years[2026].verwacht == Decimal("50000.00")


@committing
def test_a_change_is_recomputed_once_after_the_commit(contract):
    registratie = place(contract, state="ingediend")
    with mock.patch("reporting.tasks.refresh_figures.delay") as delay:
        with transaction.atomic():
            from bouwblokken import services

            services.decide(registratie=registratie, besluit="goedgekeurd", reden_zonder_bewijs="Bewijs buiten het portaal gezien.")
            invoice(contract, bedrag="1000.00", state="concept")
            delay.assert_not_called()  # not before the commit
    delay.assert_called_once()
    assert delay.call_args.kwargs["contract_ids"] == [contract.pk]


@committing
def test_an_approval_updates_the_stored_figures(contract):
    registratie = place(contract, state="ingediend")
    from bouwblokken import services

    assert ContractCijfers.objects.get(contract=contract).goedgekeurd == Decimal("0.00")
    services.decide(registratie=registratie, besluit="goedgekeurd", reden_zonder_bewijs="Bewijs buiten het portaal gezien.")
    assert ContractCijfers.objects.get(contract=contract).goedgekeurd == Decimal("40000.00")
    assert PlaatsingCijfers.objects.filter(gemeente=contract.gemeente, doelgroep="participatiewet").exists()


@committing
def test_a_rolled_back_change_queues_nothing(contract):
    with mock.patch("reporting.tasks.refresh_figures.delay") as delay:
        try:
            with transaction.atomic():
                invoice(contract, state="concept")
                raise RuntimeError("the user's save failed")
        except RuntimeError:
            pass
    delay.assert_not_called()


@committing
def test_an_exemption_and_a_value_change_reach_the_stored_obligation(contract):
    contract_services.record_value_change(contract=contract, soort="meerwerk", datum=date(2025, 1, 10),
                                          bedrag=Decimal("200000.00"))
    assert ContractCijfers.objects.get(contract=contract).verplichting == Decimal("60000.00")
    contract_services.record_exemption(contract=contract, soort="volledig", besluitdatum=date(2025, 2, 1),
                                       besloten_door="L. de Vries", reden="Geautomatiseerd werk.")
    stored = ContractCijfers.objects.get(contract=contract)
    assert (stored.verplichting, stored.status) == (Decimal("0.00"), "vrijgesteld")


def test_a_shortened_contract_loses_the_years_it_no_longer_runs(contract):
    recompute_contract_figures(contract_ids=[contract.pk], today=TODAY)
    assert ContractJaarCijfers.objects.filter(contract=contract, jaar=2026).exists()
    contract_services.update_contract(contract=contract, einddatum=date(2025, 6, 30))
    result = recompute_contract_figures(contract_ids=[contract.pk], today=TODAY)
    assert result.verwijderd == 1
    assert sorted(ContractJaarCijfers.objects.filter(contract=contract).values_list("jaar", flat=True)) == [2024, 2025]


def test_a_second_run_on_unchanged_data_writes_nothing(contract):
    place(contract)
    first = recompute_contract_figures(contract_ids=[contract.pk], today=TODAY)
    second = recompute_contract_figures(contract_ids=[contract.pk], today=TODAY)
    assert first.gewijzigd == 4  # the totals and three years
    assert second.gewijzigd == 0


def _contracts_with_registrations(n, gemeente, leverancier):
    contracts = []
    for _i in range(n):
        c = make_contract(gemeente=gemeente, leverancier=leverancier)
        place(c)
        invoice(c, state="ingediend")
        contracts.append(c)
    return contracts


def test_the_recompute_runs_a_fixed_number_of_queries_per_batch(zoetermeer, leverancier_a):
    small = _contracts_with_registrations(2, zoetermeer, leverancier_a)
    with CaptureQueriesContext(connection) as few:
        recompute_contract_figures(contract_ids=[c.pk for c in small], today=TODAY)
    large = _contracts_with_registrations(8, zoetermeer, leverancier_a)
    with CaptureQueriesContext(connection) as many:
        recompute_contract_figures(contract_ids=[c.pk for c in large], today=TODAY)
    # contracts, registration years (grouped), registrations still growing today, stored rows, writes.
    assert len(many) == len(few) <= 9


def test_the_nightly_run_walks_every_contract_in_batches(zoetermeer, leverancier_a):
    contracts = _contracts_with_registrations(5, zoetermeer, leverancier_a)
    result = recompute_contract_figures(today=TODAY, batch_size=2)
    assert (result.contracten, result.batches) == (5, 3)
    assert ContractCijfers.objects.filter(contract__in=contracts).count() == 5


def test_people_are_counted_once_per_target_group_and_year(contract, zoetermeer, leverancier_a):
    other = make_contract(gemeente=zoetermeer, leverancier=leverancier_a)
    first = place(contract, referentie="WSP-SAME", start=date(2024, 5, 1), end=date(2024, 10, 31))
    place(other, referentie="WSP-SAME", start=date(2024, 11, 1), end=date(2025, 2, 28))  # same person again
    place(contract, code="ww", start=date(2024, 6, 1), end=date(2025, 5, 31))
    place(contract, code="ww", state="ingediend")  # not approved: not counted
    Vervolg.objects.create(registratie=first, vast_contract=True, in_dienst_na_12_maanden=True)

    recompute_placement_figures(gemeente_ids=[zoetermeer.pk])
    rows = {(r.jaar, r.doelgroep): r for r in PlaatsingCijfers.objects.filter(gemeente=zoetermeer)}
    assert rows[(2024, "participatiewet")].personen == 1
    assert rows[(2024, "ww")].personen == 1
    assert rows[(2024, "")].personen == 2
    assert rows[(2025, "")].personen == 2
    assert (rows[(2024, "")].gestart, rows[(2024, "")].vast_contract, rows[(2024, "")].na_12_maanden) == (2, 1, 1)


@pytest.mark.parametrize("batch_size", [1, 3, 1000])
def test_the_batch_size_does_not_change_the_figures(zoetermeer, leverancier_a, batch_size):
    contracts = _contracts_with_registrations(3, zoetermeer, leverancier_a)
    recompute_contract_figures(today=TODAY, batch_size=batch_size)
    stored = {
        row.contract_id: (row.goedgekeurd, row.in_behandeling, row.status)
        for row in ContractCijfers.objects.filter(contract__in=contracts)
    }
    assert stored == {
        c.pk: (fulfilment_of(c, TODAY).goedgekeurd, fulfilment_of(c, TODAY).in_behandeling, fulfilment_of(c, TODAY).status)
        for c in contracts
    }


def test_the_nightly_run_recounts_people_only_where_values_changed(contract, zoetermeer):
    from reporting.tasks import recompute_all_figures

    place(contract)
    first = recompute_all_figures.run()
    assert first["plaatsingsrijen"] > 0  # new values: Zoetermeer recounted
    assert PlaatsingCijfers.objects.filter(gemeente=zoetermeer, doelgroep="").exists()
    second = recompute_all_figures.run()
    assert second == {**second, "gewijzigd": 0, "plaatsingsrijen": 0}  # nothing changed, nothing written


def test_tomorrow_only_running_contracts_are_rewritten(zoetermeer, leverancier_a):
    ended = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, einddatum=date(2025, 3, 31))
    running = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, einddatum=date(2027, 3, 31))
    recompute_contract_figures(today=TODAY)
    result = recompute_contract_figures(today=TODAY + timedelta(days=1))
    assert result.gewijzigd == 2  # the running contract's totals and this year's row; the ended one is skipped
    assert ContractCijfers.objects.get(contract=running).verwacht > Decimal(0)
    assert ContractCijfers.objects.get(contract=ended).status == "achter"
