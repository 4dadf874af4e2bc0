"""The supplier's main flow in a real browser: log in with the e-mail address, register a placement,
see its value before saving, add evidence, submit, see the SR-team's decision and the counter move."""

import re
from datetime import timedelta

from playwright.sync_api import expect

from bouwblokken import services
from bouwblokken.models import Registratie
from contracts.models import Contract
from contracts.selectors import fulfilment_of
from sroi_portal.templatetags.sroi import euro
from tests.access.world import TINY_PDF


def _open_contract(demo_world):
    """A running Groen & Grijs contract with an obligation that the supplier can still register on."""
    return (
        Contract.objects.filter(
            leverancier__kvk_nummer="30112233", verplichting_van_toepassing=True, verplichting_status="",
            afrekening__isnull=True,
        )
        .order_by("-startdatum")
        .first()
    )


def test_supplier_registers_a_placement_with_evidence_and_sees_it_approved(browser_page, live_server, demo_world, login,
                                                                            tmp_path):
    page = browser_page
    contract = _open_contract(demo_world)
    assert contract is not None, "the demo data has a running Groen & Grijs contract with an obligation"
    approved_before = fulfilment_of(contract).goedgekeurd

    login(page, live_server, "leverancier")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Mijn contracten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn contracten")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=contract.kenmerk, exact=True))
    expect(row).to_contain_text(euro(contract.verplichting_bedrag))
    expect(row).to_contain_text(euro(approved_before))
    row.get_by_role("link", name=contract.kenmerk, exact=True).click()

    page.get_by_role("link", name="Nieuwe registratie").click()
    page.get_by_role("link", name=re.compile("Participatiewet")).click()
    start = contract.startdatum + timedelta(days=14)
    page.get_by_label("Referentie van de kandidaat").fill("WSP-E2E-001")
    page.get_by_label("Initialen").fill("E.E.")
    page.get_by_label("Geboortejaar").fill("1984")
    page.get_by_label("Startdatum van de plaatsing").fill(start.isoformat())
    page.get_by_label("Uren per week").fill("24")

    page.get_by_role("button", name="Bereken waarde").click()
    preview = page.get_by_role("region", name="Berekende waarde")
    expect(preview).to_contain_text("Deze registratie telt mee voor")
    shown_value = preview.locator(".figure--preview dd").inner_text()
    assert shown_value.startswith("€")
    assert not Registratie.objects.filter(kandidaat__referentie="WSP-E2E-001").exists()

    page.get_by_role("button", name="Opslaan als concept").click()
    expect(page.get_by_role("status").first).to_contain_text("opgeslagen als concept")
    registratie = Registratie.objects.get(kandidaat__referentie="WSP-E2E-001")
    assert euro(registratie.waarde) == shown_value

    evidence = tmp_path / "arbeidsovereenkomst.pdf"
    evidence.write_bytes(TINY_PDF)
    expect(page.get_by_text("Nog nodig:")).to_be_visible()
    page.get_by_label("Soort bewijsstuk").select_option("arbeidsovereenkomst")
    page.get_by_label("Bestand").set_input_files(str(evidence))
    page.get_by_label("Omschrijving").fill("Getekend contract")
    page.get_by_role("button", name="Bewijsstuk toevoegen").click()
    expect(page.get_by_role("link", name="arbeidsovereenkomst.pdf")).to_be_visible()

    page.get_by_role("link", name="Indienen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registratie indienen")
    page.get_by_role("button", name="Ja, dien in").click()
    expect(page.get_by_role("status").first).to_contain_text("De registratie is ingediend")
    registratie.refresh_from_db()
    assert registratie.status == "ingediend"

    services.decide(registratie=registratie, besluit="goedgekeurd", toelichting="Akkoord, contract gezien.",
                    reden_zonder_bewijs="Doelgroepverklaring van het WSP per mail ontvangen.",
                    user=demo_world["srteam"])

    page.get_by_role("link", name="Mijn contracten").first.click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=contract.kenmerk, exact=True))
    expect(row).to_contain_text(euro(approved_before + registratie.waarde))
    row.get_by_role("link", name=contract.kenmerk, exact=True).click()
    page.locator(f'a[href="/registraties/{registratie.pk}/"]').click()
    expect(page.get_by_text("Goedgekeurd door het SR-team")).to_be_visible()
    expect(page.get_by_text("Akkoord, contract gezien.").first).to_be_visible()
