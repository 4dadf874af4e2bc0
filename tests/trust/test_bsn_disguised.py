"""No BSN, also not in disguise (issue #11, item 9).

A number of 8 or 9 digits that passes the eleven test is refused in every reference and free-text
field, also written with spaces, dots, dashes, slashes or underscores between the digits and after a
prefix ("BSN: 1234.56.782"). Amounts, dates and phone numbers pass. One function finds such numbers
(``sroi_portal.validation.find_citizen_service_numbers``), one validator applies it
(``refuse_citizen_service_numbers``), and the services call it: here through the services (the way
pages, API, imports and commands all go), the pages, the API and the Django admin; nothing is stored.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from banenafspraak import services as banen
from banenafspraak.models import Dienstverband, Doel, Telling, Werkgever
from bouwblokken import services as registrations
from bouwblokken.models import Beoordeling, Bewijsstuk, Kandidaat, Registratie
from contracts import services as contracts
from contracts.models import Afrekening, ContactMoment, Contract, ContractWijziging, Ontheffing, PlanVanAanpak
from reporting import services as reporting
from reporting.models import Teambudget, Verhaal
from sroi_portal.validation import find_citizen_service_numbers, looks_like_citizen_service_number
from tests.factories import make_contract

# 123456782 and 12345672 (8 digits: a BSN without its leading zero) pass the eleven test.
DISGUISED = [
    "BSN: 1234.56.782", "123 456 782", "12-34-56-782", "123/456/782", "0123_45672", "bsn123456782",
    "Kandidaat (burgerservicenummer 12345672) gestart", "zie 123.456.782.", "nummers 2024 123456782",
]
HARMLESS = [
    "€ 1.234.567,89", "€ 12.345.678", "12.345.678,00 euro", "bedrag 123456782 EUR", "01-02-2024", "2024-01-15",
    "20240115", "06-12345678", "06 1234 5678", "0612345678", "+31 6 12345678", "070-1234567", "1234567820",
    "123456789", "WSP-10001", "NL91 ABNA 0417 1643 00", "Loonstrook maart 2025", "00000000",
]

# The message names the field.
MESSAGE = "Het veld ‘{label}’ bevat een nummer dat op een BSN lijkt. Verwijder het."


@pytest.mark.parametrize("text", DISGUISED)
def test_a_disguised_bsn_is_found(text):
    assert find_citizen_service_numbers(text)
    assert looks_like_citizen_service_number(text)


@pytest.mark.parametrize("text", HARMLESS)
def test_amounts_dates_phone_numbers_and_other_numbers_pass(text):
    assert find_citizen_service_numbers(text) == []


def test_the_number_is_reported_as_typed():
    assert find_citizen_service_numbers("Tel 06-12345678, BSN: 1234.56.782 en 12-34-56-782") == [
        "1234.56.782", "12-34-56-782"
    ]


# --- every free-text field through its service -------------------------------------------------------

@pytest.fixture
def scene(team, zoetermeer, leverancier_a):
    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="ZM-BSN-1",
                             einddatum=date(2025, 3, 31))
    placement = registrations.register(
        contract=contract, bouwblok_code="ww", kandidaat={"referentie": "WSP-1", "initialen": "A.", "geboortejaar": 1980},
        startdatum=date(2024, 5, 1), einddatum=date(2024, 12, 31), uren_per_week=Decimal("36"),
    )
    registrations.submit(registratie=placement)
    werkgever = banen.create_werkgever(naam="Gemeente Zoetermeer", gemeente=zoetermeer)
    verhaal = reporting.submit_story(user=team["leverancier_a"], gemeente=zoetermeer, contract=contract, jaar=2024,
                                     titel="Een baan", tekst="Na een jaar in vaste dienst.", toestemming=True,
                                     toestemming_op=date(2024, 6, 1))
    return {"team": team, "contract": contract, "placement": placement, "werkgever": werkgever, "verhaal": verhaal,
            "gemeente": zoetermeer}


BSN = "BSN: 1234.56.782"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (id, field in the error, label in the message, call(scene), model counted for "nothing stored")
SERVICE_CASES = [
    ("registratie-omschrijving", "omschrijving", "Omschrijving", lambda s: registrations.register(
        contract=s["contract"], bouwblok_code="sociaal_inkopen", startdatum=date(2024, 6, 1), bedrag=Decimal("100"),
        omschrijving=f"Factuur {BSN}"), Registratie),
    ("registratie-omschrijving-correctie", "omschrijving", "Omschrijving", lambda s: registrations.update_registration(
        registratie=registrations.register(contract=s["contract"], bouwblok_code="sociaal_inkopen",
                                           startdatum=date(2024, 6, 1), bedrag=Decimal("100"), omschrijving="Factuur"),
        omschrijving="123 456 782"), None),
    ("kandidaat-referentie", "kandidaat.referentie", None, lambda s: registrations.register(
        contract=s["contract"], bouwblok_code="ww", startdatum=date(2024, 6, 1), uren_per_week=Decimal("36"),
        kandidaat={"referentie": "BSN-12-34-56-782", "initialen": "B.", "geboortejaar": 1990}), Kandidaat),
    ("kandidaat-initialen", "kandidaat.initialen", "Initialen", lambda s: registrations.register(
        contract=s["contract"], bouwblok_code="ww", startdatum=date(2024, 6, 1), uren_per_week=Decimal("36"),
        kandidaat={"referentie": "WSP-2", "initialen": "12345672", "geboortejaar": 1990}), Kandidaat),
    ("beoordeling-toelichting", "toelichting", "Toelichting", lambda s: registrations.decide(
        registratie=s["placement"], besluit="afgekeurd", toelichting=f"Klopt niet met {BSN}"), Beoordeling),
    ("bewijsstuk-omschrijving", "omschrijving", "Omschrijving", lambda s: registrations.add_evidence(
        registratie=s["placement"], bestand=SimpleUploadedFile("a.pdf", PDF), omschrijving="loonstrook 123456782"),
     Bewijsstuk),
    ("contract-omschrijving", "omschrijving", "Omschrijving", lambda s: make_contract(
        gemeente=s["gemeente"], omschrijving="Werk voor 123.456.782"), Contract),
    ("waardewijziging-toelichting", "toelichting", "Toelichting", lambda s: contracts.record_value_change(
        contract=s["contract"], soort="meerwerk", datum=date(2024, 9, 1), bedrag=Decimal("1000"),
        toelichting=f"Meerwerk, {BSN}"), ContractWijziging),
    ("ontheffing-reden", "reden", "Reden", lambda s: contracts.record_exemption(
        contract=s["contract"], soort="volledig", besluitdatum=date(2024, 9, 1), besloten_door="L. de Vries",
        reden="Besluit over 12-34-56-782"), Ontheffing),
    ("afrekening-besluit", "besluit", "Besluit", lambda s: contracts.settle_contract(
        contract=s["contract"], besluit=f"Vastgesteld {BSN}", datum=date(2025, 4, 1)), Afrekening),
    ("intake-notitie", "notitie", "Notitie", lambda s: contracts.log_contact(
        contract=s["contract"], datum=date(2024, 5, 1), soort="email", notitie="Gebeld over 123 456 782"),
     ContactMoment),
    ("plan-omschrijving", "omschrijving", "Omschrijving", lambda s: contracts.attach_plan(
        contract=s["contract"], upload=SimpleUploadedFile("plan.pdf", PDF), omschrijving=BSN), PlanVanAanpak),
    ("verhaal-tekst", "tekst", "Verhaal", lambda s: reporting.submit_story(
        user=s["team"]["leverancier_a"], gemeente=s["gemeente"], jaar=2024, titel="Een baan",
        tekst=f"Kandidaat {BSN} werkt nu vast.", toestemming=True, toestemming_op=date(2024, 6, 1)), Verhaal),
    ("verhaal-titel", "titel", "Titel", lambda s: reporting.submit_story(
        user=s["team"]["leverancier_a"], gemeente=s["gemeente"], jaar=2024, titel="123456782",
        tekst="Een baan.", toestemming=True, toestemming_op=date(2024, 6, 1)), Verhaal),
    ("verhaal-beoordeling", "toelichting", "Toelichting", lambda s: reporting.review_story(
        verhaal=s["verhaal"], user=s["team"]["srteam"], besluit="afgewezen", toelichting=f"Noemt {BSN}"), None),
    ("teambudget-toelichting", "toelichting", "Toelichting", lambda s: reporting.set_team_budget(
        gemeente=s["gemeente"], jaar=2024, bedrag=Decimal("1000"), toelichting=BSN), Teambudget),
    ("banenafspraak-doel", "toelichting", "Toelichting", lambda s: banen.create_doel(
        werkgever=s["werkgever"], jaar=2024, banen=Decimal("10"), toelichting=f"Afspraak {BSN}"), Doel),
    ("banenafspraak-telling", "toelichting", "Toelichting", lambda s: banen.record_telling(
        werkgever=s["werkgever"], jaar=2024, bron="salarisadministratie", banen_dienstverband=Decimal("3"),
        toelichting="Geteld, 123 456 782"), Telling),
    ("banenafspraak-referentie", "referentie", None, lambda s: banen.record_dienstverband(
        werkgever=s["werkgever"], referentie="P-1234.56.782", initialen="C.", geboortejaar=1990,
        soort="dienstverband", startdatum=date(2024, 1, 1), uren_per_week=Decimal("30")), Dienstverband),
    ("banenafspraak-initialen", "initialen", "Initialen", lambda s: banen.record_dienstverband(
        werkgever=s["werkgever"], referentie="P-1", initialen="12345672", geboortejaar=1990,
        soort="dienstverband", startdatum=date(2024, 1, 1), uren_per_week=Decimal("30")), Dienstverband),
]


@pytest.mark.parametrize("case", SERVICE_CASES, ids=[case[0] for case in SERVICE_CASES])
def test_every_free_text_field_refuses_a_disguised_bsn_and_stores_nothing(scene, case):
    _id, field, label, call, model = case
    before = model.objects.count() if model else None
    history = Registratie.history.count() + Verhaal.history.count()

    with pytest.raises(ValidationError) as error:
        call(scene)

    messages = error.value.message_dict[field]
    if label:
        assert messages == [MESSAGE.format(label=label)]
    else:
        assert "BSN" in messages[0] or "burgerservicenummer" in messages[0]
    if model:
        assert model.objects.count() == before
    assert Registratie.history.count() + Verhaal.history.count() <= history + 1  # the set-up story/correction only


def test_the_corrected_and_reviewed_rows_keep_their_text(scene):
    """The two cases on existing rows (a correction, a story review) change nothing either."""
    verhaal = scene["verhaal"]
    with pytest.raises(ValidationError):
        reporting.review_story(verhaal=verhaal, user=scene["team"]["srteam"], besluit="afgewezen", toelichting=BSN)
    verhaal.refresh_from_db()
    assert (verhaal.status, verhaal.beoordeling_toelichting) == ("ingediend", "")


# --- through the pages ------------------------------------------------------------------------------

def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_registration_page_names_the_field_and_stores_nothing(scene):
    client = client_for(scene["team"]["leverancier_a"])
    url = reverse("bouwblokken:nieuw", kwargs={"pk": scene["contract"].pk, "code": "sociaal_inkopen"})
    before = Registratie.objects.count()

    response = client.post(url, {"startdatum": "2024-06-01", "bedrag": "100,00", "omschrijving": f"Factuur {BSN}",
                                 "actie": "opslaan"})

    assert response.status_code == 200
    assert MESSAGE.format(label="Omschrijving") in response.text
    assert Registratie.objects.count() == before


def test_the_decision_page_names_the_field_and_stores_nothing(scene):
    placement = scene["placement"]
    client = client_for(scene["team"]["srteam"])

    response = client.post(reverse("controle:decide", kwargs={"pk": placement.pk}),
                           {"besluit": "afgekeurd", "toelichting": "Zie 12-34-56-782", "versie": placement.versie})

    assert response.status_code == 400
    assert MESSAGE.format(label="Toelichting") in response.text
    placement.refresh_from_db()
    assert placement.status == "ingediend" and not Beoordeling.objects.filter(registratie=placement).exists()


def test_the_story_page_names_the_field_and_stores_nothing(scene):
    client = client_for(scene["team"]["leverancier_a"])
    before = Verhaal.objects.count()

    response = client.post(reverse("reporting:verhaal_nieuw"), {
        "contract": scene["contract"].pk, "jaar": "2024", "titel": "Vaste baan", "tekst": f"Het gaat goed. {BSN}",
        "toestemming": "on", "toestemming_op": "2024-06-01",
    })

    assert MESSAGE.format(label="Verhaal") in response.text
    assert Verhaal.objects.count() == before


# --- through the API --------------------------------------------------------------------------------

def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def reasons(response) -> dict:
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return {p["name"]: p["reason"] for p in response.json()["invalidParams"]}


def test_the_api_refuses_it_in_a_registration_and_its_candidate(scene):
    api = api_for(scene["team"]["leverancier_a"])
    before = (Registratie.objects.count(), Kandidaat.objects.count())

    invoice = api.post("/api/v1/registraties", {"contract": scene["contract"].pk, "bouwblok": "sociaal_inkopen",
                                                "startdatum": "2024-06-01", "bedrag": "100.00",
                                                "omschrijving": f"Factuur {BSN}"}, format="json")
    placement = api.post("/api/v1/registraties", {
        "contract": scene["contract"].pk, "bouwblok": "ww", "startdatum": "2024-06-01", "urenPerWeek": "36",
        "kandidaat": {"referentie": "BSN: 1234.56.782", "initialen": "B.", "geboortejaar": 1990}}, format="json")

    assert reasons(invoice) == {"omschrijving": MESSAGE.format(label="Omschrijving")}
    assert "burgerservicenummer" in reasons(placement)["kandidaat.referentie"]
    assert (Registratie.objects.count(), Kandidaat.objects.count()) == before


def test_the_api_refuses_it_in_a_decision(scene):
    placement = scene["placement"]

    response = api_for(scene["team"]["srteam"]).post(
        f"/api/v1/registraties/{placement.pk}/beoordeling", {"besluit": "afgekeurd", "toelichting": f"Zie {BSN}"},
        format="json")

    assert reasons(response) == {"toelichting": MESSAGE.format(label="Toelichting")}
    placement.refresh_from_db()
    assert placement.status == "ingediend"


def test_the_api_refuses_it_in_a_contract(scene):
    before = Contract.objects.count()
    response = api_for(scene["team"]["inkoop"]).post("/api/v1/contracten", {
        "gemeente": "GM0637", "leverancier": "12345678", "kenmerk": "ZM-2025-001", "omschrijving": "Werk 123 456 782",
        "categorie": "werken", "procedure": "europees", "gunningsdatum": "2024-02-01", "startdatum": "2024-04-01",
        "einddatum": "2026-03-31", "aanneemsom": "1000000.00", "loonsom": "400000.00"}, format="json")

    assert reasons(response) == {"omschrijving": MESSAGE.format(label="Omschrijving")}
    assert Contract.objects.count() == before


# --- through the Django admin -----------------------------------------------------------------------

def test_the_admin_refuses_it_in_a_story(scene, team):
    admin = team["beheerder"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    verhaal = scene["verhaal"]
    client = client_for(admin)
    url = reverse("admin:reporting_verhaal_change", args=[verhaal.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    data.update({"tekst": f"Nu met {BSN}", "toestemming": "on"})

    response = client.post(url, data)

    assert response.status_code == 200  # the form again, with the error
    assert MESSAGE.format(label="Verhaal") in response.text
    verhaal.refresh_from_db()
    assert verhaal.tekst == "Na een jaar in vaste dienst."
