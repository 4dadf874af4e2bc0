"""The raadslid's flow in a real browser: log in and read the municipality's figures (aggregates only)."""

from playwright.sync_api import expect

from contracts.models import Contract, Leverancier
from reporting.selectors import council_figures, default_year
from sroi_portal.templatetags.sroi import euro


def test_raadslid_reads_the_figures_of_zoetermeer(browser_page, live_server, demo_world, login):
    page = browser_page
    zoetermeer = demo_world["raadslid"].gemeenten.get()
    figures = council_figures(gemeente=zoetermeer, jaar=default_year())  # the dashboard's figures

    login(page, live_server, "raadslid")
    expect(page.get_by_role("heading", name="Zoetermeer")).to_be_visible()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Cijfers voor de raad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cijfers voor de raad")
    page.get_by_role("link", name=f"Alle cijfers van Zoetermeer in {default_year()}").click()

    # One council page per municipality and year: the dashboard with the PDF.
    expect(page).to_have_url(f"{live_server.url}/rapportage/GM0637/{default_year()}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Social return in Zoetermeer, {default_year()}")
    expect(page.get_by_text(euro(figures.verplichting, 0)).first).to_be_visible()
    expect(page.get_by_role("table", name="Contracten die moeten worden voldaan")).to_be_visible()
    expect(page.get_by_role("button", name="Raadsrapportage (PDF) maken")).to_be_visible()
    # The data version sits in the accountability part at the end.
    expect(page.get_by_role("heading", name="Verantwoording")).to_be_visible()
    expect(page.get_by_text(f"Gegevensversie {figures.gegevensversie}")).to_be_visible()
    body = page.locator("main").inner_text()
    for contract in Contract.objects.filter(gemeente=zoetermeer)[:5]:
        assert contract.kenmerk not in body
    for leverancier in Leverancier.objects.all()[:5]:
        assert leverancier.naam not in body

    # A raadslid never reaches a supplier's or a contract's page.
    response = page.goto(f"{live_server.url}/registraties/")
    assert response.status == 403
