"""The load-data generator (issue #7) at smoke-test size: the rows are what the services would store."""

from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from bouwblokken import services as registration_services
from bouwblokken.models import Kandidaat, Registratie, RegistratieJaar, Signaal
from contracts import services as contract_services
from contracts.models import Contract
from sroi_portal import loaddata
from sroi_portal.models import Role
from sroi_portal.validation import looks_like_citizen_service_number

MINI = loaddata.SCALES["mini"]


def test_generates_the_requested_numbers_and_fixed_points(load_mini):
    assert Contract.objects.filter(kenmerk__startswith="LOAD-").count() == MINI.contracten
    assert Registratie.objects.count() == MINI.registraties
    fixed = loaddata.fixtures()
    assert fixed["leverancier"].contracten.count() == MINI.special_supplier_contracts
    assert fixed["contract"].leverancier_id == fixed["leverancier"].pk
    assert fixed["contract_registraties"] == MINI.special_contract_registrations
    assert fixed["users"]["srteam"].role == Role.SR_TEAM
    assert fixed["users"]["leverancier"].leverancier_id == fixed["leverancier"].pk
    assert list(fixed["users"]["raadslid"].gemeenten.all()) == [fixed["gemeente"]]
    # A realistic mix: several categories, procedures, states, bouwblokken and years.
    assert len(set(Contract.objects.values_list("categorie", flat=True))) >= 2
    assert len(set(Contract.objects.values_list("procedure", flat=True))) >= 3
    statuses = Counter(Registratie.objects.values_list("status", flat=True))
    assert set(statuses) == {"concept", "ingediend", "goedgekeurd", "afgekeurd"}
    assert Registratie.objects.values("bouwblok__soort").distinct().count() >= 4
    assert RegistratieJaar.objects.values("jaar").distinct().count() >= 4


def test_obligations_match_the_contract_service(load_mini):
    for contract in Contract.objects.select_related("beleid").order_by("pk"):
        stored = (contract.verplichting_van_toepassing, contract.verplichting_bedrag, contract.verplichting_reden,
                  contract.verplichting_status, contract.beleid_id, contract.catalogus_id)
        beleid, catalogus = contract_services.versions_in_force(gemeente=contract.gemeente,
                                                               gunningsdatum=contract.gunningsdatum)
        contract_services._apply_changes(contract)
        contract_services._apply_obligation(contract)
        assert stored == (contract.verplichting_van_toepassing, contract.verplichting_bedrag,
                          contract.verplichting_reden, contract.verplichting_status, beleid.pk, catalogus.pk), contract.kenmerk


def test_registration_values_and_years_match_the_registration_service(load_mini):
    registraties = Registratie.objects.select_related(
        "contract", "bouwblok__catalogus", "hoofdregistratie__bouwblok"
    ).prefetch_related("jaren")
    for registratie in registraties:
        valuation = registration_services._value(registratie)
        assert registratie.waarde == valuation.waarde, registratie.pk
        assert (registratie.geteld_van, registratie.geteld_tot) == (valuation.geteld_van, valuation.geteld_tot)
        assert {j.jaar: j.waarde for j in registratie.jaren.all()} == valuation.per_jaar
        if registratie.status != "concept":
            assert registratie.ingediend_op is not None
        if registratie.bouwblok.vereist_kandidaat:
            assert registratie.kandidaat_id is not None


def test_overlap_flags_are_the_ones_the_service_makes(load_mini):
    before = set(Signaal.objects.values_list("registratie_id", "andere_registratie_id"))
    for kandidaat in Kandidaat.objects.all():
        registration_services.refresh_overlap_signals(kandidaat=kandidaat)
    assert set(Signaal.objects.values_list("registratie_id", "andere_registratie_id")) == before


def test_candidates_are_pseudonymous(load_mini):
    for referentie in Kandidaat.objects.values_list("referentie", flat=True):
        assert not looks_like_citizen_service_number(referentie)
        assert referentie.startswith("WSP-")


def test_same_seed_same_rows(db):
    loaddata.generate(scale=MINI, seed=11, figures=False)
    first = list(Registratie.objects.order_by("pk").values_list("contract__kenmerk", "bouwblok__code", "waarde"))
    Registratie.objects.all().delete()
    Kandidaat.objects.all().delete()
    Contract.objects.all().delete()
    from contracts.models import Leverancier
    from sroi_portal.models import User

    User.objects.filter(username__startswith="load-").delete()
    Leverancier.objects.filter(kvk_nummer__startswith="9").delete()
    loaddata.generate(scale=MINI, seed=11, chunk=7, figures=False)
    second = list(Registratie.objects.order_by("pk").values_list("contract__kenmerk", "bouwblok__code", "waarde"))
    assert first == second
    assert sum(v for _k, _c, v in first) > Decimal(0)


def test_refuses_a_second_run_and_land_on_sqlite(load_mini, settings):
    with pytest.raises(CommandError, match="al gegenereerde"):
        call_command("generate_load_data", "--scale", "mini")
    from django.db import connection

    if connection.vendor == "sqlite":
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("generate_load_data", "--scale", "land")
