"""A council member in a real browser: from "Cijfers voor de raad" chooses a year and Zoetermeer's
dashboard, reads it, asks for the PDF council report, waits on the self-refreshing status page and
downloads the PDF, whose figures are the dashboard's (same data version)."""

import re
import shutil
import subprocess

import pytest
from playwright.sync_api import expect

from reporting.selectors import council_figures, default_year
from sroi_portal.templatetags.sroi import euro, procent


def test_raadslid_downloads_the_council_report_of_zoetermeer(browser_page, live_server, demo_world, login, tmp_path):
    page = browser_page
    jaar = default_year()
    zoetermeer = demo_world["raadslid"].gemeenten.get()
    figures = council_figures(gemeente=zoetermeer, jaar=jaar)

    login(page, live_server, "raadslid")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Cijfers voor de raad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cijfers voor de raad")
    page.get_by_label("Jaar", exact=True).select_option(str(jaar))
    page.get_by_role("button", name="Tonen").click()
    page.get_by_role("link", name=f"Alle cijfers van Zoetermeer in {jaar}").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Social return in Zoetermeer, {jaar}")
    expect(page.get_by_text(f"Gegevensversie {figures.gegevensversie}")).to_be_visible()
    expect(page.get_by_role("img", name="Verplichting en realisatie per jaar")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Contracten die moeten worden voldaan"))).to_be_visible()
    main = page.locator("main").inner_text().replace("\u00a0", " ")
    assert euro(figures.verplichting, 0).replace("\u00a0", " ") in main
    assert procent(figures.realisatie_percentage) in main

    page.get_by_role("button", name="Raadsrapportage (PDF) maken").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Raadsrapportage Zoetermeer {jaar}")
    expect(page.get_by_role("status")).to_contain_text("De PDF is klaar")  # no broker: made at the commit

    with page.expect_download() as info:
        page.get_by_role("link", name="PDF downloaden").click()
    download = info.value
    assert download.suggested_filename == f"raadsrapportage-GM0637-{jaar}.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed (bash scripts/system-deps.sh poppler)")
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    text = text.replace("\u00a0", " ")
    # The data version is in the accountability part at the end, no longer in every page footer.
    assert text.count(f"Gegevensversie {figures.gegevensversie}") == 1
    assert text.rindex("Verantwoording") < text.index(f"Gegevensversie {figures.gegevensversie}")
    assert euro(figures.verplichting, 0).replace("\u00a0", " ") in text
