"""One council page per municipality and year (``/rapportage/<code>/<jaar>/``): the old page
``/raad/<code>/`` leads to it, ``/raad/`` is the index of municipalities with the same headline
figures (the same partial, the same words), and every figure equals the API's (one definition,
reporting.selectors), in a fixed number of queries."""

import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.figures import recompute_contract_figures, recompute_placement_figures
from reporting.selectors import default_year
from sroi_portal.templatetags.sroi import euro, getal, procent
from tests.factories import make_contract
from tests.reporting.conftest import invoice, place


def _text(html: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip(" ")


def shown_figures(html: str) -> dict[str, str]:
    """The headline figures as the user reads them: label -> value of each <dt>/<dd> pair of the
    key figures (the value without its explanation in <small>)."""
    return {
        _text(dt): _text(re.sub(r"<small>.*?</small>", "", dd, flags=re.S))
        for dt, dd in re.findall(r'<div class="figure"><dt>(.*?)</dt><dd>(.*?)</dd></div>', html, re.S)
    }


def status_rows(html: str) -> list[tuple[str, ...]]:
    table = re.search(r"<caption>\s*Contracten die moeten worden voldaan.*?</table>", html, re.S).group(0)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    return [tuple(_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S))
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def raad_url(code="GM0637", jaar=2025):
    return reverse("raad:gemeente", kwargs={"code": code}) + f"?jaar={jaar}"


def page_url(code="GM0637", jaar=2025):
    return reverse("reporting:dashboard", kwargs={"gemeentecode": code, "jaar": jaar})


def _contracts(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def expected_from_api(api: dict, *, page: bool = False) -> dict[str, str]:
    """The headline figures a card must show (``page``: the council page, which adds the last three
    parameters), from the API's representation of the same year."""
    jaar = api["jaar"]
    statussen = {s["status"]: s for s in api["statussen"]}
    shown = {
        f"Contracten met een verplichting in {jaar}": str(api["contracten"]),
        "Gerealiseerd van de verplichting": (procent(api["realisatiePercentage"])
                                             if api["realisatiePercentage"] is not None else "niet van toepassing"),
        "Verplichting (contracten met bouwblokken)": euro(Decimal(api["verplichting"]), 0),
        f"Gerealiseerd tot en met {jaar}": euro(Decimal(api["gerealiseerd"]), 0),
        f"Toegezegd tot en met {jaar}": euro(Decimal(api["toegezegd"]), 0),
        "In behandeling bij het SR-team": euro(Decimal(api["inBehandeling"]), 0),
        "Voldaan of op schema": f"{statussen['voldaan']['aantal'] + statussen['op_schema']['aantal']} "
                                f"van {api['contractenTeVoldoen']}",
        f"Geplaatste personen in {jaar}": api["personen"]["weergave"],
    }
    if api["sebo"]["aantal"]:
        shown["Voldaan via SEBO"] = _contracts(api["sebo"]["aantal"], "contract", "contracten")
    if api["vrijgesteld"]["aantal"]:
        shown["Vrijgesteld"] = _contracts(api["vrijgesteld"]["aantal"], "contract", "contracten")
    if page:
        banen, budget = api["banenafspraak"], api["budget"]
        shown["Vast contract"] = api["duurzaam"]["vastContract"]["weergave"]
        shown["Banenafspraak: banen"] = getal(banen["banenTotaal"], 1) if banen["banenTotaal"] is not None else "–"
        shown["Waarde per euro budget"] = euro(budget["opbrengstPerEuro"]) if budget["opbrengstPerEuro"] else "–"
    return shown


@pytest.mark.parametrize("jaar", [2025, 2024])
def test_the_council_page_of_a_year_shows_the_apis_figures(client, team, zoetermeer_2025, jaar):
    client.force_login(team["raadslid"])
    old = client.get(raad_url(jaar=jaar))
    assert old.status_code == 302 and old.url == page_url(jaar=jaar)  # one page per municipality and year
    page = client.get(old.url)
    api = client.get(f"/api/v1/raadsrapportages/GM0637/{jaar}")
    assert page.status_code == api.status_code == 200
    api = api.json()
    html = page.content.decode()

    shown = shown_figures(html)
    assert shown == expected_from_api(api, page=True)
    # What the raadslid reads (the contracts ran in 2024 and 2025; everything realised in 2025).
    if jaar == 2025:
        assert shown["Verplichting (contracten met bouwblokken)"] == "€\u00a060.000"
        assert shown["Gerealiseerd tot en met 2025"] == "€\u00a060.000"
        assert shown["Gerealiseerd van de verplichting"] == "100,0%"
        assert shown["In behandeling bij het SR-team"] == "€\u00a01.000"
        assert shown["Geplaatste personen in 2025"] == "6"
    else:
        assert shown["Gerealiseerd tot en met 2024"] == "€\u00a00"
        assert shown["Gerealiseerd van de verplichting"] == "0,0%"  # two contracts ran, nothing realised yet
    assert shown[f"Contracten met een verplichting in {jaar}"] == "2"

    # The status table: the API's statuses, counts and shares.
    assert status_rows(html) == [(s["label"], str(s["aantal"]), procent(s["aandeel"])) for s in api["statussen"]]
    # The data version is accounted for at the end, not in the page's head.
    version = f"Gegevensversie {api['gegevensversie']}"
    text = _text(html)
    assert text.count(version) == 1 and text.index(version) > text.index("Verantwoording")


def test_the_index_and_the_start_page_show_the_same_headline_as_the_page(client, team, zoetermeer_2025):
    client.force_login(team["raadslid"])
    api = client.get(f"/api/v1/raadsrapportages/GM0637/{default_year()}").json()
    overview = client.get(reverse("raad:index"))  # no ?jaar=: the year the council reports on
    home = client.get(reverse("home"))
    page = client.get(page_url(jaar=default_year()))
    assert shown_figures(overview.text) == shown_figures(home.text) == expected_from_api(api)
    assert shown_figures(page.text) == expected_from_api(api, page=True)  # the same words, and three more
    assert f'href="/rapportage/GM0637/{default_year()}/"' in overview.text
    # Another year through the picker.
    api_2024 = client.get("/api/v1/raadsrapportages/GM0637/2024").json()
    assert shown_figures(client.get(reverse("raad:index") + "?jaar=2024").text) == expected_from_api(api_2024)


def test_the_other_entries_lead_to_the_one_page(client, team, zoetermeer_2025):
    client.force_login(team["raadslid"])
    for value in ("1999", "3000", "abc"):  # a year outside the range: the year the council reports on
        response = client.get(reverse("raad:gemeente", kwargs={"code": "GM0637"}) + f"?jaar={value}")
        assert response.url == page_url(jaar=default_year())
    # The chooser of the reporting app is the council's index; a choice goes to the page.
    assert client.get(reverse("reporting:index")).url == reverse("raad:index")
    assert client.get(reverse("reporting:index"), {"gemeente": "GM0637", "jaar": "2024"}).url == page_url(jaar=2024)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_council_pages_take_a_fixed_number_of_queries(client, team, zoetermeer_2025, leverancier_a):
    client.force_login(team["raadslid"])
    urls = [page_url(), reverse("raad:index") + "?jaar=2025", reverse("home")]
    client.get(urls[0])  # warm-up: session and content types
    before = {url: _queries(client, url) for url in urls}

    for _i in range(4):
        contract = make_contract(gemeente=zoetermeer_2025, leverancier=leverancier_a)
        place(contract, code="wia", start=date(2025, 3, 1), end=date(2025, 8, 31))
        invoice(contract, bedrag="2500.00", start=date(2025, 4, 1))
    recompute_contract_figures()
    recompute_placement_figures()

    after = {url: _queries(client, url) for url in urls}
    assert after == before
    assert shown_figures(client.get(page_url()).text)["Contracten met een verplichting in 2025"] == "6"


def test_another_municipality_is_not_shown(client, team, zoetermeer_2025, lansingerland):
    client.force_login(team["raadslid"])
    assert client.get(raad_url(code=lansingerland.code)).status_code == 404
    assert client.get(page_url(code=lansingerland.code)).status_code == 404
    overview = client.get(reverse("raad:index")).text
    assert "Lansingerland" not in overview
