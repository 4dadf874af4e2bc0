"""Settlement at the end of a contract (shortfall and sanction, corrected only with a reason) and the audit
trail the SR-team sees on the contract's page."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from bouwblokken import services as registration_services
from contracts import services
from contracts.models import Afrekening
from sroi_portal.errors import StateConflict
from tests.factories import make_contract

from .conftest import invoice


@pytest.fixture
def ended_contract(team, zoetermeer, leverancier_a):
    """Ended on 31-12-2024; obligation € 50.000; € 30.000 approved, € 5.000 still pending."""
    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="AF-1",
                             gunningsdatum=date(2023, 11, 1), startdatum=date(2024, 1, 1), einddatum=date(2024, 12, 31))
    approved = invoice(contract, bedrag=Decimal("30000.00"), start=date(2024, 3, 1))
    registration_services.decide(registratie=approved, besluit="goedgekeurd", user=team["srteam"],
                                 reden_zonder_bewijs="Bewijs buiten het portaal gezien.")
    invoice(contract, bedrag=Decimal("5000.00"), start=date(2024, 6, 1))
    return contract


def test_the_settlement_page_computes_shortfall_and_sanction(srteam_client, ended_contract):
    response = srteam_client.get(reverse("contracts:settlement", args=[ended_contract.pk]))

    computed = response.context["computed"]
    assert (computed.verplichting, computed.gerealiseerd, computed.tekort, computed.sanctie) == (
        Decimal("50000.00"), Decimal("30000.00"), Decimal("20000.00"), Decimal("20000.00"))
    page = response.content.decode()
    assert "€\u00a020.000,00" in page
    assert "Er is nog 1 ingediende registratie niet beoordeeld" in page


def test_settling_records_the_decision(srteam_client, team, ended_contract):
    url = reverse("contracts:settlement", args=[ended_contract.pk])
    unconfirmed = srteam_client.post(url, {"besluit": "Sanctie opgelegd"})
    assert unconfirmed.status_code == 400
    assert "Bevestig dat u de afrekening vaststelt." in unconfirmed.content.decode()
    assert not Afrekening.objects.exists()

    response = srteam_client.post(url, {"besluit": "Sanctie opgelegd", "bevestigd": "on"})

    assert response.status_code == 302
    afrekening = Afrekening.objects.get()
    assert afrekening.tekort == Decimal("20000.00") and afrekening.sanctie == Decimal("20000.00")
    assert afrekening.vastgesteld_door == team["srteam"] and afrekening.besluit == "Sanctie opgelegd"
    detail = srteam_client.get(reverse("contracts:detail", args=[ended_contract.pk])).content.decode()
    assert "Sanctie opgelegd" in detail


def test_a_correction_needs_a_reason_and_the_history_keeps_both_versions(srteam_client, team, ended_contract):
    url = reverse("contracts:settlement", args=[ended_contract.pk])
    srteam_client.post(url, {"besluit": "Sanctie opgelegd", "bevestigd": "on"})
    # A settled contract is closed: the pending registration can no longer be decided (issue #11);
    # only the settlement itself can be corrected, with a reason.
    pending = ended_contract.registraties.get(status="ingediend")
    with pytest.raises(StateConflict):
        registration_services.decide(registratie=pending, besluit="goedgekeurd", user=team["srteam"])

    without_reason = srteam_client.post(url, {"besluit": "Lagere sanctie", "bevestigd": "on"})
    assert "Een vastgestelde afrekening wijzigt u alleen met een reden." in without_reason.content.decode()
    assert Afrekening.objects.get().besluit == "Sanctie opgelegd"

    srteam_client.post(url, {"besluit": "Lagere sanctie", "correctie_reden": "Laat beoordeelde factuur",
                             "bevestigd": "on"})
    afrekening = Afrekening.objects.get()
    assert afrekening.tekort == Decimal("20000.00") and afrekening.correctie_reden == "Laat beoordeelde factuur"
    assert afrekening.history.count() == 2
    page = srteam_client.get(url).content.decode()
    assert "Historie van de afrekening" in page and "Sanctie opgelegd → Lagere sanctie" in page


def test_a_running_contract_cannot_be_settled(srteam_client, zoetermeer, leverancier_a):
    from datetime import timedelta

    from django.utils import timezone

    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="LOOPT",
                             einddatum=timezone.localdate() + timedelta(days=365))
    response = srteam_client.post(reverse("contracts:settlement", args=[contract.pk]),
                                  {"besluit": "Te vroeg", "bevestigd": "on"})

    assert response.status_code == 400
    assert "afrekenen kan vanaf de einddatum" in response.content.decode()
    assert not Afrekening.objects.exists()


def test_inkoop_may_not_settle(inkoop_client, ended_contract):
    url = reverse("contracts:settlement", args=[ended_contract.pk])
    assert inkoop_client.get(url).status_code == 403
    assert inkoop_client.post(url, {"besluit": "x", "bevestigd": "on"}).status_code == 403
    assert not Afrekening.objects.exists()


# --- audit trail ---------------------------------------------------------------------------------


def test_the_srteam_sees_who_changed_what_on_the_contract(srteam_client, inkoop_client, team, contract):
    inkoop_client.post(reverse("contracts:value_change", args=[contract.pk]),
                       {"soort": "meerwerk", "datum": "2024-06-01", "bedrag": "100.000"})
    services.update_contract(contract=contract, user=team["inkoop"], omschrijving="Onderhoud groen en grijs")
    services.record_exemption(contract=contract, soort="volledig", besluitdatum=date(2024, 7, 1),
                              besloten_door="Secretaris", reden="Geen arbeid", user=team["srteam"])

    response = srteam_client.get(reverse("contracts:detail", args=[contract.pk]))

    page = response.content.decode()
    assert "Wijzigingshistorie" in page
    entries = response.context["audit"]
    subjects = [(e.onderwerp, e.actie) for e in entries]
    assert ("Ontheffing", "aangemaakt") in subjects and ("Waardewijziging", "aangemaakt") in subjects
    assert "Onderhoud openbare ruimte → Onderhoud groen en grijs" in page
    assert "€\u00a055.000,00" in page or "55.000,00" in page  # obligation after the meerwerk, in the diff
    assert "inkoop" in [e.wie for e in entries]


def test_inkoop_does_not_see_the_audit_trail(inkoop_client, contract):
    page = inkoop_client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Wijzigingshistorie" not in page
