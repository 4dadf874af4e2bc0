"""Two defects users hit (issue #11, item 12), through the test client:

- the SR-team's page of a registration answered 500 when a decision had no author (``door`` NULL);
- "Corrigeren"/"Wijzigen" opened an empty form whose save failed with an empty error summary.
The browser versions are in tests/e2e/test_registration_defects.py.
"""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from bouwblokken import services
from bouwblokken.models import Registratie
from tests.factories import make_contract


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_values(html: str) -> dict:
    """What a browser would send for the registration form as shown (inputs and textareas)."""
    form = html[html.index('<form method="post" class="form"'):]
    form = form[:form.index("</form>")]
    values = {}
    for tag in re.findall(r"<input\b[^>]*>", form):
        name = re.search(r'name="([^"]*)"', tag)
        if name:
            value = re.search(r'value="([^"]*)"', tag)
            values[name.group(1)] = unescape(value.group(1)) if value else ""
    for name, text in re.findall(r'<textarea[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', form, flags=re.S):
        values[name] = unescape(text).strip("\r\n")
    return values


def error_summary(html: str) -> list[str]:
    match = re.search(r'<div class="notice notice--error error-summary".*?<ul>(.*?)</ul>', html, flags=re.S)
    assert match, "no error summary on the page"
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)]


@pytest.fixture
def contract(team, zoetermeer, leverancier_a):
    return make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="ZM-DEF-1")


def rejected_placement(contract, *, user=None):
    registratie = services.register(
        contract=contract, bouwblok_code="participatiewet",
        kandidaat={"referentie": "WSP-812", "initialen": "K.L.", "geboortejaar": 1984},
        startdatum=date(2024, 5, 1), einddatum=date(2025, 4, 30), uren_per_week=Decimal("32"),
        omschrijving="Medewerker groenonderhoud",
    )
    services.submit(registratie=registratie)
    return services.decide(registratie=registratie, besluit="afgekeurd", toelichting="Loonstrook ontbreekt.", user=user)


# --- (a) the SR-team's page with a decision without an author --------------------------------------

def test_the_srteam_page_of_a_registration_decided_without_an_author_opens(team, contract):
    registratie = rejected_placement(contract, user=None)  # as most decisions in the demo data
    services.update_registration(registratie=registratie, uren_per_week=Decimal("36"))
    services.submit(registratie=registratie)
    team["srteam"].first_name, team["srteam"].last_name = "Sanne", "de Rooij"
    team["srteam"].save()
    services.decide(registratie=registratie, besluit="goedgekeurd", user=team["srteam"],
                    reden_zonder_bewijs="Bewijs buiten het portaal gezien.")

    response = client_for(team["srteam"]).get(reverse("controle:registratie", kwargs={"pk": registratie.pk}))

    assert response.status_code == 200
    table = re.search(r"<caption[^>]*>Alle besluiten over deze registratie</caption>.*?<tbody>(.*?)</tbody>",
                      response.text, re.S).group(1)
    rows = [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]
    assert [(row[1], row[3]) for row in rows] == [("–", "Loonstrook ontbreekt."), ("Sanne de Rooij", "–")]


# --- (b) "Corrigeren" / "Wijzigen" ------------------------------------------------------------------

def test_correcting_opens_the_form_with_the_registrations_current_values(team, contract):
    registratie = rejected_placement(contract)

    html = client_for(team["leverancier_a"]).get(reverse("bouwblokken:wijzigen", kwargs={"pk": registratie.pk})).text

    values = form_values(html)
    assert values["referentie"] == "WSP-812" and values["initialen"] == "K.L." and values["geboortejaar"] == "1984"
    assert values["startdatum"] == "2024-05-01" and values["einddatum"] == "2025-04-30"
    assert values["uren_per_week"] == "32,0"
    assert values["omschrijving"] == "Medewerker groenonderhoud"
    assert values["versie"] == str(registratie.versie)


def test_saving_the_prefilled_correction_form_stores_the_change(team, contract):
    registratie = rejected_placement(contract)
    client = client_for(team["leverancier_a"])
    url = reverse("bouwblokken:wijzigen", kwargs={"pk": registratie.pk})
    values = form_values(client.get(url).text)

    response = client.post(url, {**values, "uren_per_week": "36", "actie": "opslaan"})

    assert response.status_code == 302
    registratie.refresh_from_db()
    assert registratie.status == "concept" and registratie.uren_per_week == Decimal("36.0")
    assert registratie.kandidaat.referentie == "WSP-812"


def test_editing_a_bonus_keeps_its_placement(team, contract):
    placement = services.register(
        contract=contract, bouwblok_code="participatiewet",
        kandidaat={"referentie": "WSP-813", "initialen": "M.", "geboortejaar": 1990},
        startdatum=date(2024, 5, 1), einddatum=date(2025, 4, 30), uren_per_week=Decimal("36"),
    )
    bonus = services.register(contract=contract, bouwblok_code="bonus_opleiding", hoofdregistratie=placement,
                              startdatum=date(2024, 6, 1), bedrag=Decimal("1500.00"))
    client = client_for(team["leverancier_a"])
    url = reverse("bouwblokken:wijzigen", kwargs={"pk": bonus.pk})
    values = form_values(client.get(url).text)
    assert values["bedrag"] == "1500,00"

    response = client.post(url, {**values, "bedrag": "1.750,00", "actie": "opslaan"})

    assert response.status_code == 302
    bonus.refresh_from_db()
    assert bonus.bedrag == Decimal("1750.00") and bonus.hoofdregistratie_id == placement.pk


def test_a_failed_save_shows_what_is_wrong(team, contract):
    registratie = rejected_placement(contract)
    client = client_for(team["leverancier_a"])
    url = reverse("bouwblokken:wijzigen", kwargs={"pk": registratie.pk})
    values = form_values(client.get(url).text)

    without_version = client.post(url, {**values, "versie": "", "actie": "opslaan"})
    # Someone else changed it meanwhile: the version on the page is stale.
    services.update_registration(registratie=registratie, uren_per_week=Decimal("20"))
    stale = client.post(url, {**values, "actie": "opslaan"})

    assert error_summary(without_version.text) == [
        "Deze pagina is niet volledig geladen. Open de registratie opnieuw en probeer het nog eens."
    ]
    assert error_summary(stale.text) == ["Deze registratie is intussen gewijzigd. Laad de pagina opnieuw."]
    registratie.refresh_from_db()
    assert registratie.uren_per_week == Decimal("20.0")  # only the other change is stored
    assert Registratie.objects.filter(contract=contract).count() == 1
