"""Registration workflows through the database: bonuses, what counts, overlap flags, corrections."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from bouwblokken import services
from bouwblokken.models import Beoordeling, Registratie, Signaal
from contracts.selectors import fulfilment_of
from sroi_portal.errors import StateConflict
from tests.factories import gemeente_with_policy, make_contract

pytestmark = pytest.mark.django_db


def placement(contract, code="ww", referentie="WSP-1", geboortejaar=1980, **values):
    values = {"startdatum": date(2024, 4, 1), "einddatum": date(2025, 3, 31), "uren_per_week": Decimal(36), **values}
    return services.register(contract=contract, bouwblok_code=code,
                             kandidaat={"referentie": referentie, "initialen": "A.", "geboortejaar": geboortejaar}, **values)


def approve(registratie):
    services.submit(registratie=registratie)
    return services.decide(registratie=registratie, besluit="goedgekeurd", reden_zonder_bewijs="Bewijs buiten het portaal gezien.")


@pytest.fixture
def contract(zoetermeer):
    # Awarded after 1 July 2023: the 2023 catalogue.
    return make_contract(gemeente=zoetermeer, gunningsdatum=date(2024, 2, 1))


def test_only_approved_registrations_count_as_realised(contract):
    approved = approve(placement(contract, referentie="WSP-1"))
    submitted = placement(contract, referentie="WSP-2")
    services.submit(registratie=submitted)
    rejected = placement(contract, referentie="WSP-3")
    services.submit(registratie=rejected)
    services.decide(registratie=rejected, besluit="afgekeurd", toelichting="Geen loonstroken.")
    placement(contract, referentie="WSP-4")  # concept
    figures = fulfilment_of(contract, peildatum=date(2025, 3, 31))
    assert approved.waarde == Decimal("20000.00")
    assert figures.goedgekeurd == Decimal("20000.00")
    assert figures.in_behandeling == Decimal("20000.00")
    assert figures.percentage == Decimal("40.00")
    # 12 of 24 months elapsed: 25,000 expected, 20,000 realised -> behind.
    assert figures.verwacht == Decimal("25000.00")
    assert figures.status == "achter"


def test_status_on_schedule_and_fulfilled(contract):
    # 24 months of banenafspraak (50,000 a year): committed 100,000 at once, realised month by month.
    approve(placement(contract, code="banenafspraak", referentie="WSP-1", einddatum=date(2026, 3, 31)))
    half_a_year = fulfilment_of(contract, peildatum=date(2024, 10, 1))
    assert half_a_year.goedgekeurd == Decimal("100000.00")  # committed: more than the 50,000 obligation
    assert half_a_year.status == "op_schema"  # realised (6 months and a day) is ahead of expected, not yet 50,000
    assert fulfilment_of(contract, peildatum=date(2025, 4, 1)).status == "voldaan"  # 12 months realised


def test_55_plus_bonus_follows_the_placement_and_checks_the_age(contract):
    older = placement(contract, code="participatiewet", referentie="WSP-55", geboortejaar=1969, uren_per_week=Decimal(24),
                      einddatum=date(2025, 9, 30))
    bonus = services.register(contract=contract, bouwblok_code="bonus_55_plus", hoofdregistratie=older,
                              startdatum=date(2024, 4, 1))
    # Valued like the placement: 10,000 × 24/36 × 18/12.
    assert bonus.waarde == Decimal("10000.00")
    assert bonus.kandidaat == older.kandidaat
    younger = placement(contract, code="ww", referentie="WSP-54", geboortejaar=1970)
    with pytest.raises(ValidationError) as error:
        services.register(contract=contract, bouwblok_code="bonus_55_plus", hoofdregistratie=younger,
                          startdatum=date(2024, 4, 1))
    assert "jonger dan 55" in str(error.value.message_dict["hoofdregistratie"])
    # Changing the placement's hours moves the bonus with it.
    services.update_registration(registratie=older, uren_per_week=Decimal(36))
    bonus.refresh_from_db()
    assert bonus.waarde == Decimal("15000.00")


def test_work_limitation_bonus_is_one_off_and_not_with_banenafspraak(contract):
    ww = placement(contract, referentie="WSP-7")
    bonus = services.register(contract=contract, bouwblok_code="bonus_arbeidsbeperking", hoofdregistratie=ww,
                              startdatum=date(2024, 5, 1))
    assert bonus.waarde == Decimal("10000.00")
    assert list(bonus.jaren.values_list("jaar", "waarde")) == [(2024, Decimal("10000.00"))]
    ba = placement(contract, code="banenafspraak", referentie="WSP-8")
    with pytest.raises(ValidationError):
        services.register(contract=contract, bouwblok_code="bonus_arbeidsbeperking", hoofdregistratie=ba,
                          startdatum=date(2024, 5, 1))


def test_vso_employment_bonus_needs_an_internship_of_six_months(contract):
    short = placement(contract, code="stage_vso_pro", referentie="WSP-20", einddatum=date(2024, 8, 31))
    with pytest.raises(ValidationError) as error:
        services.register(contract=contract, bouwblok_code="bonus_dienstverband_vso_pro", hoofdregistratie=short,
                          startdatum=date(2024, 9, 1))
    assert "6 maanden" in str(error.value.message_dict["hoofdregistratie"])
    long = placement(contract, code="stage_vso_pro", referentie="WSP-21", einddatum=date(2024, 9, 30))
    bonus = services.register(contract=contract, bouwblok_code="bonus_dienstverband_vso_pro", hoofdregistratie=long,
                              startdatum=date(2024, 10, 1))
    assert bonus.waarde == Decimal("25000.00")


def test_invoice_activity_and_project(contract):
    invoice = services.register(contract=contract, bouwblok_code="sociaal_inkopen", startdatum=date(2024, 6, 1),
                                bedrag=Decimal("12345.67"))
    activity = services.register(contract=contract, bouwblok_code="maatschappelijke_activiteit",
                                 startdatum=date(2024, 6, 1), dagen=Decimal(3))
    project = services.register(contract=contract, bouwblok_code="sr_project", startdatum=date(2024, 6, 1),
                                bedrag=Decimal("8000"))
    assert (invoice.waarde, activity.waarde, project.waarde) == (Decimal("12345.67"), Decimal("3000.00"), Decimal("8000.00"))
    with pytest.raises(ValidationError) as error:
        services.register(contract=contract, bouwblok_code="sociaal_inkopen", startdatum=date(2024, 6, 1))
    assert "bedrag" in error.value.message_dict


def test_same_candidate_on_two_contracts_is_flagged_on_both(zoetermeer, lansingerland):
    first = make_contract(gemeente=zoetermeer)
    second = make_contract(gemeente=lansingerland)
    a = placement(first, referentie="WSP-77", startdatum=date(2024, 4, 1), einddatum=date(2024, 12, 31))
    b = placement(second, referentie="WSP-77", startdatum=date(2024, 10, 1), einddatum=date(2025, 3, 31))
    assert set(Signaal.objects.values_list("registratie_id", "andere_registratie_id")) == {(a.pk, b.pk), (b.pk, a.pk)}
    # Moving one placement so the months no longer overlap clears both flags.
    services.update_registration(registratie=b, startdatum=date(2025, 1, 1))
    assert Signaal.objects.count() == 0


def test_a_rejected_registration_is_not_flagged(zoetermeer):
    first, second = make_contract(gemeente=zoetermeer), make_contract(gemeente=zoetermeer)
    a = placement(first, referentie="WSP-78")
    b = placement(second, referentie="WSP-78")
    assert Signaal.objects.count() == 2
    services.submit(registratie=b)
    services.decide(registratie=b, besluit="afgekeurd", toelichting="Dubbel geteld.")
    assert Signaal.objects.count() == 0
    assert a.signalen.count() == 0


def test_correct_and_resubmit_a_rejected_registration(contract):
    registratie = placement(contract)
    services.submit(registratie=registratie)
    services.decide(registratie=registratie, besluit="afgekeurd", toelichting="Arbeidsovereenkomst ontbreekt.")
    registratie = services.update_registration(registratie=registratie, uren_per_week=Decimal(18))
    assert registratie.status == "concept"
    assert registratie.waarde == Decimal("10000.00")
    services.submit(registratie=registratie)
    services.decide(registratie=registratie, besluit="goedgekeurd", reden_zonder_bewijs="Bewijs buiten het portaal gezien.")
    assert list(Beoordeling.objects.filter(registratie=registratie).values_list("besluit", flat=True)) == [
        "afgekeurd", "goedgekeurd"]


def test_a_submitted_or_approved_registration_cannot_be_changed(contract):
    registratie = placement(contract)
    services.submit(registratie=registratie)
    with pytest.raises(StateConflict):
        services.update_registration(registratie=registratie, uren_per_week=Decimal(10))
    with pytest.raises(StateConflict):
        services.submit(registratie=registratie)
    services.decide(registratie=registratie, besluit="goedgekeurd", reden_zonder_bewijs="Bewijs buiten het portaal gezien.")
    with pytest.raises(StateConflict):
        services.decide(registratie=registratie, besluit="afgekeurd", toelichting="Toch niet.")
    registratie.refresh_from_db()
    assert registratie.status == "goedgekeurd"


def test_a_stale_version_is_refused(contract):
    registratie = placement(contract)
    stale = registratie.versie
    services.update_registration(registratie=registratie, uren_per_week=Decimal(30))
    with pytest.raises(StateConflict):
        services.update_registration(registratie=registratie, versie=stale, uren_per_week=Decimal(20))


def test_submit_a_year(contract):
    placement(contract, referentie="WSP-31", startdatum=date(2024, 4, 1), einddatum=date(2024, 12, 31))
    placement(contract, referentie="WSP-32", startdatum=date(2025, 2, 1), einddatum=date(2025, 6, 30))
    assert services.submit_year(contract=contract, jaar=2024) == 1
    assert list(Registratie.objects.order_by("pk").values_list("status", flat=True)) == ["ingediend", "concept"]


def test_a_reference_with_other_data_is_a_candidate_of_its_own_and_a_flag(contract):
    first = placement(contract, referentie="WSP-90", geboortejaar=1980, einddatum=date(2024, 6, 30))
    second = placement(contract, referentie="WSP-90", geboortejaar=1981, startdatum=date(2024, 9, 1))

    assert first.kandidaat_id != second.kandidaat_id
    assert (first.kandidaat.geboortejaar, second.kandidaat.geboortejaar) == (1980, 1981)
    # No overlapping months, but the same reference with other data: both flagged for the SR-team.
    assert set(Signaal.objects.values_list("registratie_id", "andere_registratie_id", "soort")) == {
        (first.pk, second.pk, "andere_gegevens"), (second.pk, first.pk, "andere_gegevens"),
    }
    # Corrected to the same data: one candidate, no flag.
    services.update_registration(registratie=second, kandidaat={"referentie": "WSP-90", "initialen": "A.",
                                                                "geboortejaar": 1980})
    second.refresh_from_db()
    assert second.kandidaat_id == first.kandidaat_id
    assert Signaal.objects.count() == 0


def test_catalogue_of_another_region_is_not_usable(db):
    gemeente = gemeente_with_policy("GM0637", "Zoetermeer")
    contract = make_contract(gemeente=gemeente)
    with pytest.raises(ValidationError) as error:
        services.register(contract=contract, bouwblok_code="werkervaringsplek", startdatum=date(2024, 6, 1))
    assert "bouwblok" in error.value.message_dict
