"""Two defects users hit (issue #11, item 12), in a real browser on the demo data:

- the SR-team's page of a registration answered 500 for a decision without an author (most
  decisions in the demo data are made by the seed, without a user);
- the supplier's "Corrigeren" and "Wijzigen" opened an empty form whose save failed with an empty
  error summary.
"""

import re

from playwright.sync_api import expect

from bouwblokken.models import Beoordeling, Registratie


def test_srteam_opens_a_registration_whose_decision_has_no_author(browser_page, live_server, demo_world, login):
    page = browser_page
    decision = (Beoordeling.objects.filter(door__isnull=True, besluit="afgekeurd")
                .select_related("registratie").order_by("pk").first())
    assert decision is not None, "the demo data has decisions without an author"
    registratie = decision.registratie

    login(page, live_server, "srteam")
    response = page.goto(f"{live_server.url}/controle/{registratie.pk}/")

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text(registratie.bouwblok.naam)
    decisions = page.get_by_role("table", name="Alle besluiten over deze registratie")
    row = decisions.get_by_role("row").filter(has_text=decision.toelichting)
    expect(row.get_by_role("cell").nth(1)).to_have_text("–")


def _rejected_placement():
    return (
        Registratie.objects.filter(contract__leverancier__kvk_nummer="30112233", status="afgekeurd",
                                   bouwblok__soort="plaatsing", bouwblok__gevoelig=False,
                                   contract__afrekening__isnull=True)
        .select_related("kandidaat").order_by("pk").first()
    )


def test_supplier_corrects_a_rejected_placement_from_the_overview(browser_page, live_server, demo_world, login):
    page = browser_page
    registratie = _rejected_placement()
    assert registratie is not None, "the demo data has a rejected placement of Groen & Grijs"
    kandidaat = registratie.kandidaat

    login(page, live_server, "leverancier")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn contracten").click()
    page.locator(f'a[href="/registraties/{registratie.pk}/wijzigen/"]').first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Registratie corrigeren")
    expect(page.get_by_label("Referentie van de kandidaat")).to_have_value(kandidaat.referentie)
    expect(page.get_by_label("Initialen")).to_have_value(kandidaat.initialen)
    expect(page.get_by_label("Geboortejaar")).to_have_value(str(kandidaat.geboortejaar))
    expect(page.get_by_label("Startdatum van de plaatsing")).to_have_value(registratie.startdatum.isoformat())
    expect(page.get_by_label("Uren per week")).to_have_value(f"{registratie.uren_per_week:.1f}".replace(".", ","))

    # A wrong value first: the summary says what is wrong, nothing is stored.
    page.get_by_label("Uren per week").fill("70")
    page.get_by_role("button", name="Wijziging opslaan").click()
    summary = page.get_by_role("alert").filter(has_text="Controleer de gegevens")
    expect(summary).to_contain_text("Uren per week:")
    expect(summary.get_by_role("listitem")).to_have_count(1)
    registratie.refresh_from_db()
    assert registratie.status == "afgekeurd"

    page.get_by_label("Uren per week").fill("20")
    page.get_by_role("button", name="Wijziging opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("De wijziging is opgeslagen")
    registratie.refresh_from_db()
    assert registratie.status == "concept" and str(registratie.uren_per_week) == "20.0"
    assert registratie.kandidaat.referentie == kandidaat.referentie


def test_supplier_changes_a_concept_registration_from_its_page(browser_page, live_server, demo_world, login):
    page = browser_page
    registratie = (
        Registratie.objects.filter(contract__leverancier__kvk_nummer="30112233", status="concept",
                                   bouwblok__code="sociaal_inkopen", contract__afrekening__isnull=True)
        .order_by("pk").first()
    )
    assert registratie is not None, "the demo data has a concept invoice of Groen & Grijs"

    login(page, live_server, "leverancier")
    page.goto(f"{live_server.url}/registraties/{registratie.pk}/")
    page.get_by_role("link", name="Wijzigen", exact=True).click()

    expect(page.get_by_label("Factuurdatum")).to_have_value(registratie.startdatum.isoformat())
    expect(page.get_by_label("Factuurbedrag excl. btw (€)")).to_have_value(re.compile(r"^\d+,00$"))
    expect(page.get_by_label("Omschrijving")).to_have_value(registratie.omschrijving)

    page.get_by_label("Omschrijving").fill("Factuur sociale onderneming, betaald")
    page.get_by_role("button", name="Wijziging opslaan").click()
    expect(page.get_by_role("status").first).to_contain_text("De wijziging is opgeslagen")
    registratie.refresh_from_db()
    assert registratie.omschrijving == "Factuur sociale onderneming, betaald"
