"""Contract workflows through the database: versions at award, value changes, exemption, settlement."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bouwblokken import services as registrations
from contracts import services
from contracts.models import Beleid, Contract
from contracts.selectors import fulfilment_of
from sroi_portal.errors import StateConflict
from tests.factories import LeverancierFactory, make_contract

pytestmark = pytest.mark.django_db


def test_policy_version_in_force_at_award_date_is_kept(zoetermeer):
    Beleid.objects.create(gemeente=zoetermeer, geldig_vanaf=date(2025, 1, 1), hoog_percentage=Decimal("6"))
    old = make_contract(gemeente=zoetermeer, gunningsdatum=date(2024, 12, 31))
    new = make_contract(gemeente=zoetermeer, gunningsdatum=date(2025, 1, 1), startdatum=date(2025, 2, 1))
    assert old.verplichting_bedrag == Decimal("50000.00")
    assert new.verplichting_bedrag == Decimal("60000.00")
    # A later policy does not change contracts awarded before it.
    Beleid.objects.create(gemeente=zoetermeer, geldig_vanaf=date(2025, 6, 1), hoog_percentage=Decimal("7"))
    services.update_contract(contract=new, omschrijving="Gewijzigde omschrijving")
    new.refresh_from_db()
    assert new.verplichting_bedrag == Decimal("60000.00")


def test_catalogue_by_award_date(zoetermeer):
    before = make_contract(gemeente=zoetermeer, gunningsdatum=date(2023, 6, 30))
    after = make_contract(gemeente=zoetermeer, gunningsdatum=date(2023, 7, 1))
    assert before.catalogus.geldig_vanaf == date(2019, 1, 1)
    assert after.catalogus.geldig_vanaf == date(2023, 7, 1)


def test_award_date_without_policy_is_refused_with_a_clear_message(zoetermeer):
    with pytest.raises(ValidationError) as error:
        make_contract(gemeente=zoetermeer, gunningsdatum=date(2014, 6, 1), startdatum=date(2014, 7, 1),
                      einddatum=date(2015, 6, 30))
    assert "geen social-returnbeleid" in str(error.value.message_dict["gunningsdatum"])
    assert Contract.objects.count() == 0


def test_award_date_in_the_future_is_refused(zoetermeer):
    with pytest.raises(ValidationError) as error:
        make_contract(gemeente=zoetermeer, gunningsdatum=date(2099, 1, 1))
    assert "toekomst" in str(error.value.message_dict["gunningsdatum"])


def test_value_changes_recompute_the_obligation_and_keep_history(zoetermeer):
    contract = make_contract(gemeente=zoetermeer)
    services.record_value_change(contract=contract, soort="meerwerk", datum=date(2024, 9, 1), bedrag=Decimal("200000"),
                                 loonsom_bedrag=Decimal("80000"))
    contract.refresh_from_db()
    assert contract.actuele_aanneemsom == Decimal("1200000.00")
    assert contract.verplichting_bedrag == Decimal("60000.00")
    services.record_value_change(contract=contract, soort="minderwerk", datum=date(2024, 10, 1), bedrag=Decimal("-700000"),
                                 loonsom_bedrag=Decimal("-400000"))
    contract.refresh_from_db()
    # 500,000 left with a wage share of 16% -> the low percentage: 2%.
    assert contract.actuele_aanneemsom == Decimal("500000.00")
    assert contract.verplichting_bedrag == Decimal("10000.00")
    assert contract.verplichting_reden == "laag_percentage"
    assert contract.aanneemsom == Decimal("1000000.00")
    assert [w.soort for w in contract.wijzigingen.all()] == ["meerwerk", "minderwerk"]


def test_a_minderwerk_with_a_positive_amount_is_refused_and_stores_nothing(zoetermeer):
    contract = make_contract(gemeente=zoetermeer)
    with pytest.raises(ValidationError) as error:
        services.record_value_change(contract=contract, soort="minderwerk", datum=date(2024, 9, 1), bedrag=Decimal("100"))
    assert "negatief" in str(error.value.message_dict["bedrag"])
    assert contract.wijzigingen.count() == 0


def test_an_extension_revalues_open_ended_placements(zoetermeer):
    contract = make_contract(gemeente=zoetermeer, einddatum=date(2024, 9, 30))
    registratie = registrations.register(
        contract=contract, bouwblok_code="banenafspraak", startdatum=date(2024, 4, 1), uren_per_week=Decimal(36),
        kandidaat={"referentie": "WSP-9", "initialen": "P.", "geboortejaar": 1990},
    )
    assert registratie.waarde == Decimal("25000.00")  # 6 months of 50,000
    services.record_value_change(contract=contract, soort="verlenging", datum=date(2024, 9, 1),
                                 nieuwe_einddatum=date(2025, 3, 31))
    registratie.refresh_from_db()
    assert registratie.waarde == Decimal("50000.00")  # 12 months, no cap for banenafspraak


def test_full_and_partial_exemption(zoetermeer):
    contract = make_contract(gemeente=zoetermeer)
    with pytest.raises(ValidationError) as error:
        services.record_exemption(contract=contract, soort="volledig", besluitdatum=date(2024, 3, 1), besloten_door="",
                                  reden="")
    assert set(error.value.message_dict) == {"besloten_door", "reden"}
    services.record_exemption(contract=contract, soort="gedeeltelijk", bedrag=Decimal("20000"), besluitdatum=date(2024, 3, 1),
                              besloten_door="L. de Vries", reden="Weinig arbeid in het werk.")
    contract.refresh_from_db()
    assert contract.verplichting_bedrag == Decimal("20000.00")
    with pytest.raises(ValidationError):
        services.record_exemption(contract=contract, soort="gedeeltelijk", bedrag=Decimal("90000"),
                                  besluitdatum=date(2024, 3, 1), besloten_door="L. de Vries", reden="Te hoog.")
    contract.refresh_from_db()
    assert contract.ontheffing.bedrag == Decimal("20000.00")
    services.record_exemption(contract=contract, soort="volledig", besluitdatum=date(2024, 3, 2),
                              besloten_door="L. de Vries", reden="Geen arbeid.")
    contract.refresh_from_db()
    assert contract.verplichting_bedrag == Decimal("0.00")
    assert fulfilment_of(contract).status == "vrijgesteld"


def test_settlement_and_its_correction_with_a_reason(zoetermeer, leverancier_a):
    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a)
    registratie = registrations.register(contract=contract, bouwblok_code="sociaal_inkopen", startdatum=date(2024, 6, 1),
                                         bedrag=Decimal("30000"))
    registrations.submit(registratie=registratie)
    registrations.decide(registratie=registratie, besluit="goedgekeurd", reden_zonder_bewijs="Bewijs buiten het portaal gezien.")
    afrekening = services.settle_contract(contract=contract, besluit="Tekort wordt verrekend.")
    assert (afrekening.verplichting, afrekening.gerealiseerd, afrekening.tekort, afrekening.sanctie) == (
        Decimal("50000.00"), Decimal("30000.00"), Decimal("20000.00"), Decimal("20000.00"))
    with pytest.raises(ValidationError):
        services.settle_contract(contract=contract, besluit="Opnieuw.")
    afrekening = services.settle_contract(contract=contract, besluit="Gecorrigeerd.", correctie_reden="Rekenfout hersteld.")
    assert afrekening.history.count() == 2
    # A settled contract takes no new registrations and no changes.
    contract.refresh_from_db()
    with pytest.raises(StateConflict):
        registrations.register(contract=contract, bouwblok_code="sociaal_inkopen", startdatum=date(2024, 6, 1),
                               bedrag=Decimal("1"))


def test_sanction_factor_is_policy_data(zoetermeer):
    Beleid.objects.filter(gemeente=zoetermeer).update(sanctie_factor=Decimal("0.5"))
    contract = make_contract(gemeente=zoetermeer)
    afrekening = services.settle_contract(contract=contract, besluit="Niets gerealiseerd.")
    assert afrekening.tekort == Decimal("50000.00")
    assert afrekening.sanctie == Decimal("25000.00")


def test_database_refuses_a_loonsom_above_the_aanneemsom(zoetermeer):
    contract = make_contract(gemeente=zoetermeer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=contract.pk).update(loonsom=Decimal("2000000"))


def test_database_refuses_a_kvk_number_that_is_not_eight_digits(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        LeverancierFactory._meta.model.objects.create(kvk_nummer="1234567X", naam="Fout")
