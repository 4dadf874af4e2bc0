"""The SR-team's inbox with the contact deadline (5 working days after award) and the intake: log the
contact, attach the plan of approach, invite supplier users, record an exemption."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from contracts.intake import add_working_days, contact_deadline, contact_term, working_days_between
from contracts.models import ContactMoment, Contract, Ontheffing, PlanVanAanpak
from tests.factories import make_contract

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# --- the deadline --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("award", "deadline"),
    [
        (date(2026, 11, 16), date(2026, 11, 23)),  # Monday -> next Monday
        (date(2026, 11, 20), date(2026, 11, 27)),  # Friday -> next Friday
        (date(2026, 11, 21), date(2026, 11, 27)),  # Saturday: counting starts Monday
        (date(2026, 11, 22), date(2026, 11, 27)),  # Sunday
        (date(2026, 11, 18), date(2026, 11, 25)),  # Wednesday -> next Wednesday
    ],
)
def test_the_deadline_is_five_working_days_after_award(award, deadline):
    assert contact_deadline(award, 5) == deadline


def test_working_days_count_only_monday_to_friday():
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 27)) == 5
    assert working_days_between(date(2026, 11, 20), date(2026, 12, 4)) == 10
    assert working_days_between(date(2026, 11, 27), date(2026, 11, 20)) == 0


def test_overdue_starts_the_day_after_the_deadline():
    award = date(2026, 11, 16)  # deadline Monday 23 November
    on_time = contact_term(award, today=date(2026, 11, 23), working_days=5)
    late = contact_term(award, today=date(2026, 11, 24), working_days=5)
    weekend = contact_term(award, today=date(2026, 11, 28), working_days=5)

    assert not on_time.overdue and on_time.working_days_left == 0
    assert contact_term(award, today=date(2026, 11, 18), working_days=5).working_days_left == 3
    assert late.overdue and late.working_days_late == 1
    assert weekend.overdue and weekend.working_days_late == 4


def test_the_number_of_working_days_is_a_setting(settings):
    settings.SROI_CONTACT_WORKING_DAYS = 2
    assert contact_deadline(date(2026, 11, 20)) == date(2026, 11, 24)


# --- the inbox -----------------------------------------------------------------------------------


@pytest.fixture
def new_contracts(team, zoetermeer, lansingerland, leverancier_a, leverancier_b):
    today = timezone.localdate()
    return {
        "late": make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="LAAT",
                              gunningsdatum=today - timedelta(days=30)),
        "fresh": make_contract(gemeente=lansingerland, leverancier=leverancier_b, kenmerk="VERS", gunningsdatum=today),
        "no_obligation": make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="GEEN",
                                       categorie="leveringen", gunningsdatum=today),
    }


def test_the_inbox_lists_new_contracts_and_marks_overdue_ones_in_words(srteam_client, new_contracts):
    response = srteam_client.get(reverse("contracts:inbox"))

    page = response.content.decode()
    assert response.status_code == 200
    assert [row.contract.kenmerk for row in response.context["page"].object_list] == ["LAAT", "VERS"]
    late_row = re.search(r'<tr class="is-overdue">.*?</tr>', page, re.S).group(0)
    assert "LAAT" in late_row and "Verlopen" in late_row and "werkdagen te laat" in late_row
    assert "nog 5 werkdagen" in page
    assert "GEEN" not in page  # no obligation: nothing to take in
    assert "bij 1 contract de contacttermijn verstreken" in page


def test_logging_contact_takes_a_contract_out_of_the_inbox(srteam_client, team, new_contracts):
    contract = new_contracts["late"]
    response = srteam_client.post(reverse("contracts:contact", args=[contract.pk]),
                                  {"datum": timezone.localdate().isoformat(), "soort": "telefoon", "notitie": "WSP gebeld"})

    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.contact_opgenomen_op is not None
    assert ContactMoment.objects.get().door == team["srteam"]
    inbox = srteam_client.get(reverse("contracts:inbox")).content.decode()
    assert "LAAT" not in inbox and "VERS" in inbox
    intake = srteam_client.get(reverse("contracts:intake", args=[contract.pk])).content.decode()
    assert "WSP gebeld" in intake and "Contact opgenomen op" in intake


def test_contact_in_the_future_is_refused(srteam_client, new_contracts):
    contract = new_contracts["late"]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = srteam_client.post(reverse("contracts:contact", args=[contract.pk]), {"datum": tomorrow, "soort": "email"})

    assert response.status_code == 400
    assert "De datum van het contact mag niet in de toekomst liggen." in response.content.decode()
    contract.refresh_from_db()
    assert contract.contact_opgenomen_op is None and not ContactMoment.objects.exists()


def test_inkoop_and_suppliers_have_no_inbox_or_intake(client, team, new_contracts):
    contract = new_contracts["late"]
    for role in ("inkoop", "leverancier_a", "raadslid"):
        client.force_login(team[role])
        assert client.get(reverse("contracts:inbox")).status_code == 403
        assert client.get(reverse("contracts:intake", args=[contract.pk])).status_code in (403, 404)
        assert client.post(reverse("contracts:contact", args=[contract.pk]),
                           {"datum": "2024-01-01", "soort": "email"}).status_code in (403, 404)
    assert not ContactMoment.objects.exists()


# --- plan of approach ----------------------------------------------------------------------------


def test_the_plan_of_approach_is_stored_privately_and_downloaded_through_a_check(srteam_client, client, team, contract):
    upload = SimpleUploadedFile("Plan van aanpak.pdf", PDF, content_type="application/pdf")
    response = srteam_client.post(reverse("contracts:plan_upload", args=[contract.pk]), {"bestand": upload})

    assert response.status_code == 302
    plan = PlanVanAanpak.objects.get()
    assert plan.oorspronkelijke_naam == "Plan van aanpak.pdf"
    assert "Plan van aanpak" not in plan.bestand.name  # a server-made name
    url = reverse("contracts:plan_download", args=[contract.pk, plan.pk])
    download = srteam_client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"

    client.force_login(team["leverancier_b"])  # not this contract's supplier
    assert client.get(url).status_code == 404
    client.force_login(team["leverancier_a"])
    assert client.get(url).status_code == 200


def test_a_plan_that_is_not_a_pdf_is_refused(srteam_client, contract):
    upload = SimpleUploadedFile("plan.pdf", b"<html>geen pdf</html>", content_type="application/pdf")
    response = srteam_client.post(reverse("contracts:plan_upload", args=[contract.pk]), {"bestand": upload})

    assert response.status_code == 400
    assert "Dit is geen PDF-bestand." in response.content.decode()
    assert not PlanVanAanpak.objects.exists()


# --- invitations ---------------------------------------------------------------------------------


def test_inviting_a_supplier_user_sends_the_invitation(srteam_client, contract, mailoutbox):
    from sroi_portal.models import Invitation

    response = srteam_client.post(reverse("contracts:invite", args=[contract.pk]), {"email": "Contact@GroenGrijs.nl"})

    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.leverancier == contract.leverancier and invitation.contract == contract
    assert [m.to for m in mailoutbox] == [["contact@groengrijs.nl"]]
    page = srteam_client.get(reverse("contracts:intake", args=[contract.pk])).content.decode()
    assert "contact@groengrijs.nl" in page  # listed as an open invitation


def test_an_address_of_another_user_cannot_be_invited(srteam_client, team, contract, mailoutbox):
    from sroi_portal.models import Invitation

    response = srteam_client.post(reverse("contracts:invite", args=[contract.pk]), {"email": team["inkoop"].email})

    assert response.status_code == 400
    assert "Dit e-mailadres hoort al bij een andere gebruiker." in response.content.decode()
    assert not Invitation.objects.exists() and not mailoutbox


# --- exemption -----------------------------------------------------------------------------------


def test_an_exemption_is_recorded_only_after_confirmation(srteam_client, team, contract):
    url = reverse("contracts:exemption", args=[contract.pk])
    data = {"soort": "gedeeltelijk", "bedrag": "20.000", "besluitdatum": "2024-03-01",
            "besloten_door": "L. de Vries, gemeentesecretaris", "reden": "Weinig arbeid in te zetten"}

    check = srteam_client.post(url, data)
    assert check.status_code == 200
    assert "Controleer en bevestig" in check.content.decode()
    assert "€\u00a020.000,00" in check.content.decode()
    assert not Ontheffing.objects.exists()

    confirmed = srteam_client.post(url, {**data, "bevestig": "1"})
    assert confirmed.status_code == 302
    contract.refresh_from_db()
    assert contract.verplichting_bedrag == Decimal("20000.00")
    ontheffing = Ontheffing.objects.get()
    assert ontheffing.besloten_door == "L. de Vries, gemeentesecretaris"
    assert ontheffing.geregistreerd_door == team["srteam"]


def test_an_exemption_needs_decider_and_reason_and_not_more_than_the_obligation(srteam_client, contract):
    url = reverse("contracts:exemption", args=[contract.pk])
    response = srteam_client.post(url, {"soort": "gedeeltelijk", "bedrag": "80.000", "besluitdatum": "2024-03-01",
                                        "besloten_door": "", "reden": "", "bevestig": "1"})

    errors = response.context["form"].errors
    assert response.status_code == 400
    assert "besloten_door" in errors and "reden" in errors
    response = srteam_client.post(url, {"soort": "gedeeltelijk", "bedrag": "80.000", "besluitdatum": "2024-03-01",
                                        "besloten_door": "Secretaris", "reden": "x", "bevestig": "1"})
    assert "Een gedeeltelijke ontheffing mag niet hoger zijn dan de berekende verplichting." in response.context["form"].errors["bedrag"]
    assert not Ontheffing.objects.exists()
    assert Contract.objects.get().verplichting_bedrag == Decimal("50000.00")
