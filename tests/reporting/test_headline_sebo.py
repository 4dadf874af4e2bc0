"""Headline figures and contracts that need no bouwblokken (SROI-RULES.md §6, issue #12 item 3).

The realisation percentage is realised / obligation over the contracts that must be filled with
bouwblokken (not exempted, not fulfilled through SEBO). SEBO contracts count as fulfilled in the
shares of contracts and are listed with their obligation; exempted contracts have their own line.
The council page (dashboard), the PDF, the API and the open data say the same for the same
municipality and year, also for a year whose only contract is fulfilled through SEBO (no "0%").
"""

import json
import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts import services as contract_services
from reporting import opendata
from reporting.figures import recompute_contract_figures, recompute_placement_figures
from reporting.pdf import render_council_report
from reporting.selectors import council_figures
from sroi_portal.templatetags.sroi import euro, procent
from tests.access.world import use_private_storage
from tests.factories import make_contract

from .conftest import place
from .test_council_report import pdf_text

TODAY = date(2026, 4, 15)  # 2023 and 2025 closed and their open data publishable


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).replace("\u00a0", " ")


def plain(value: str) -> str:
    return value.replace("\u00a0", " ")


def squeezed(value: str) -> str:
    """Without any spaces: pdftotext drops some non-breaking spaces ("€0", "<5")."""
    return re.sub(r"[\s\u00a0]+", "", value)


@pytest.fixture
def sebo_world(settings, tmp_path, monkeypatch, team, zoetermeer, leverancier_a, leverancier_b):
    """Zoetermeer: in 2023 one contract only, fulfilled through SEBO (obligation 30,000); in 2025 a
    contract to fill with bouwblokken (obligation 50,000, 10,000 realised), a SEBO contract
    (obligation 30,000) and a contract with a full exemption."""
    # Evidence is not what these tests are about: the placement is approved as if it were complete.
    monkeypatch.setattr("bouwblokken.services.missing_evidence", lambda registratie: [], raising=False)
    settings.SROI_TODAY = TODAY.isoformat()
    use_private_storage(settings, tmp_path / "private")
    sebo = {"procedure": "meervoudig_onderhands", "sebo_keurmerk": True, "aanneemsom": Decimal("600000.00"),
            "loonsom": Decimal("300000.00")}
    make_contract(gemeente=zoetermeer, leverancier=leverancier_b, gunningsdatum=date(2023, 1, 10),
                  startdatum=date(2023, 2, 1), einddatum=date(2023, 12, 31), **sebo)
    bouwblokken = make_contract(gemeente=zoetermeer, leverancier=leverancier_a)  # 2024-04 .. 2026-03, 50,000
    make_contract(gemeente=zoetermeer, leverancier=leverancier_b, gunningsdatum=date(2024, 12, 1),
                  startdatum=date(2025, 1, 1), einddatum=date(2025, 12, 31), **sebo)
    exempted = make_contract(gemeente=zoetermeer, leverancier=leverancier_b, gunningsdatum=date(2024, 12, 1),
                             startdatum=date(2025, 1, 1), einddatum=date(2025, 12, 31))
    contract_services.record_exemption(contract=exempted, soort="volledig", besluitdatum=date(2024, 12, 15),
                                       besloten_door="De gemeentesecretaris", reden="Maatwerk voor de wijk")
    # 40,000 x 18/36 x 6/12 = 10,000, all of it in 2025
    place(bouwblokken, code="participatiewet", start=date(2025, 1, 1), end=date(2025, 6, 30), hours="18")
    recompute_contract_figures(today=TODAY)
    recompute_placement_figures()
    return zoetermeer


def test_the_percentage_covers_only_the_contracts_to_fill_with_bouwblokken(sebo_world):
    f = council_figures(gemeente=sebo_world, jaar=2025, today=TODAY)
    assert f.contracten == 3
    assert f.contracten_met_bouwblokken == 1
    assert f.verplichting == Decimal("50000.00")  # not 80,000: the SEBO contract's obligation is its own line
    assert f.gerealiseerd == Decimal("10000.00")
    assert f.realisatie_percentage == Decimal("20.00")  # was 10,000 / 80,000 = 12.5%
    assert (f.sebo.aantal, f.sebo.verplichting) == (1, Decimal("30000.00"))
    assert f.vrijgesteld.aantal == 1
    # Shares over the contracts to fulfil (bouwblokken or SEBO): SEBO counts as fulfilled.
    shares = {s.status: (s.aantal, s.aandeel) for s in f.statussen}
    assert shares == {"voldaan": (1, Decimal("50.00")), "op_schema": (0, Decimal("0.00")),
                      "achter": (1, Decimal("50.00"))}
    assert f.status("voldaan").waarvan_sebo == 1


def test_a_year_whose_only_contract_is_fulfilled_through_sebo_shows_no_percentage(sebo_world):
    f = council_figures(gemeente=sebo_world, jaar=2023, today=TODAY)
    assert f.contracten == 1 and f.contracten_met_bouwblokken == 0
    assert f.realisatie_percentage is None  # was 0.00: "0% realised"
    assert "SEBO" in f.realisatie_toelichting
    assert (f.sebo.aantal, f.sebo.verplichting) == (1, Decimal("30000.00"))
    assert {s.status: s.aandeel for s in f.statussen}["voldaan"] == Decimal("100.00")


@pytest.mark.parametrize("jaar", [2025, 2023])
def test_page_pdf_api_and_open_data_say_the_same(client, team, sebo_world, jaar, tmp_path):
    f = council_figures(gemeente=sebo_world, jaar=jaar, today=TODAY)
    client.force_login(team["raadslid"])

    # The council page.
    page = client.get(reverse("reporting:dashboard", kwargs={"gemeentecode": "GM0637", "jaar": jaar}))
    assert page.status_code == 200
    page_text = text_of(page.content.decode())

    # The PDF, as the raadslid reads it.
    pdf = re.sub(r"\s+", " ", pdf_text(render_council_report(f, made_at=timezone.now()), tmp_path))

    # The API.
    api = client.get(f"/api/v1/raadsrapportages/GM0637/{jaar}").json()

    # The open data (the version published for the closed year).
    version = opendata.publish_version(gemeente=sebo_world, jaar=jaar, today=TODAY)
    cells = {(c["indicator"], c["categorie"]): c for c in json.loads(bytes(version.json))["cellen"]}

    sebo_line = plain(f"Voldaan via SEBO: 1 contract, {euro(Decimal('30000.00'), 0)}")
    exempt_line = "Vrijgesteld: 1 contract"
    for text in (page_text, pdf):
        assert sebo_line in text
        for amount in (f.gerealiseerd, f.toegezegd, f.in_behandeling, f.verplichting):
            assert squeezed(euro(amount, 0)) in squeezed(text), amount
    assert api["gerealiseerd"] == cells[("gerealiseerd", "")]["waarde"] == str(f.gerealiseerd)
    assert api["toegezegd"] == cells[("toegezegd", "")]["waarde"] == str(f.toegezegd)
    assert api["inBehandeling"] == cells[("in_behandeling", "")]["waarde"] == str(f.in_behandeling)
    assert api["verplichting"] == cells[("verplichting", "")]["waarde"] == str(f.verplichting)
    assert api["contractenMetBouwblokken"] == int(cells[("contracten_met_bouwblokken", "")]["waarde"])
    assert api["sebo"] == {"aantal": 1, "verplichting": "30000.00"}
    assert cells[("contracten_voldaan_via_sebo", "")]["waarde"] == "1"
    assert cells[("verplichting_voldaan_via_sebo", "")]["waarde"] == "30000.00"
    for text in (page_text, pdf):
        assert (exempt_line in text) == (jaar == 2025)
    assert api["vrijgesteld"]["aantal"] == (1 if jaar == 2025 else 0)
    assert cells[("contracten_vrijgesteld", "")]["waarde"] == ("1" if jaar == 2025 else "0")
    assert api["statussen"][0]["aantal"] == int(cells[("contracten_naar_status", "voldaan")]["waarde"]) == 1

    if jaar == 2025:
        assert api["realisatiePercentage"] == cells[("realisatie_percentage", "")]["waarde"] == "20.00"
        for text in (page_text, pdf):
            assert plain(procent(Decimal("20.00"))) in text
            assert "12,5%" not in text
    else:
        # No misleading 0%: "niet van toepassing", with the reason, everywhere.
        assert api["realisatiePercentage"] is None
        assert "SEBO" in api["realisatieToelichting"]
        assert cells[("realisatie_percentage", "")]["waarde"] is None
        for text in (page_text, pdf):
            assert not re.search(r"Gerealiseerd van de verplichting\s*0,0", text)  # the old "0% realised"
            assert "Gerealiseerd van de verplichting niet van toepassing" in text
            assert f.realisatie_toelichting in text

