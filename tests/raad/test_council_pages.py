"""The council pages (/raad/) show the reporting app's council figures: for the same municipality
and year they equal the dashboard's and the API's (one definition, reporting.selectors), and take a
fixed number of queries."""

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
from sroi_portal.templatetags.sroi import euro, procent
from tests.factories import make_contract
from tests.reporting.conftest import invoice, place


def _text(html: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip(" ")


def shown_figures(html: str) -> dict[str, str]:
    """The headline figures as the user reads them: label -> value of each <dt>/<dd> pair."""
    return {_text(dt): _text(dd) for dt, dd in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", html, re.S)}


def status_rows(html: str) -> list[tuple[str, str, str]]:
    table = re.search(r'<caption id="status-caption">.*?</table>', html, re.S).group(0)
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S).group(1)
    return [tuple(_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S))
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def raad_url(code="GM0637", jaar=2025):
    return reverse("raad:gemeente", kwargs={"code": code}) + f"?jaar={jaar}"


def expected_from_api(api: dict) -> dict[str, str]:
    jaar = api["jaar"]
    return {
        f"Contracten met een verplichting in {jaar}": str(api["contracten"]),
        "Verplichting": euro(Decimal(api["verplichting"]), 0),
        f"Gerealiseerd (goedgekeurd) tot en met {jaar}": euro(Decimal(api["gerealiseerd"]), 0),
        "In behandeling bij het SR-team": euro(Decimal(api["inBehandeling"]), 0),
        "Gerealiseerd van de verplichting": procent(api["realisatiePercentage"]),
        "Geplaatste personen": api["personen"]["weergave"],
    }


@pytest.mark.parametrize("jaar", [2025, 2024])
def test_the_council_page_shows_the_figures_of_the_dashboard_and_the_api(client, team, zoetermeer_2025, jaar):
    client.force_login(team["raadslid"])
    raad = client.get(raad_url(jaar=jaar))
    dashboard = client.get(reverse("reporting:dashboard", kwargs={"gemeentecode": "GM0637", "jaar": jaar}))
    api = client.get(f"/api/v1/raadsrapportages/GM0637/{jaar}")
    assert raad.status_code == dashboard.status_code == api.status_code == 200
    api = api.json()

    shown = shown_figures(raad.text)
    assert shown == expected_from_api(api)
    # What the raadslid reads (the contracts ran in 2024 and 2025; everything was approved in 2025).
    if jaar == 2025:
        assert shown["Verplichting"] == "€\u00a060.000"
        assert shown["Gerealiseerd (goedgekeurd) tot en met 2025"] == "€\u00a060.000"
        assert shown["Gerealiseerd van de verplichting"] == "100,0%"
        assert shown["In behandeling bij het SR-team"] == "€\u00a01.000"
        assert shown["Geplaatste personen"] == "6"
    else:
        assert shown["Gerealiseerd (goedgekeurd) tot en met 2024"] == "€\u00a00"
        assert shown["Gerealiseerd van de verplichting"] == "0,0%"
    assert shown[f"Contracten met een verplichting in {jaar}"] == "2"

    # The dashboard shows every one of these values, and all three have the same data version.
    dashboard_text = _text(dashboard.content.decode())
    for value in shown.values():
        assert value in dashboard_text, value
    assert f"Gegevensversie {api['gegevensversie']}" in _text(raad.text)
    assert f"Gegevensversie {api['gegevensversie']}" in dashboard_text
    # The status table: the API's statuses, counts and shares.
    assert [(count, share) for _label, count, share in status_rows(raad.text)] == [
        (str(s["aantal"]), procent(s["aandeel"])) for s in api["statussen"]
    ]
    assert [label for label, _c, _s in status_rows(raad.text)] == [s["label"] for s in api["statussen"]]


def test_the_overview_and_the_start_page_show_the_same_figures_for_the_year(client, team, zoetermeer_2025):
    client.force_login(team["raadslid"])
    api = client.get(f"/api/v1/raadsrapportages/GM0637/{default_year()}").json()
    overview = client.get(reverse("raad:index"))  # no ?jaar=: the year the council reports on
    home = client.get(reverse("home"))
    assert shown_figures(overview.text) == expected_from_api(api)
    assert shown_figures(home.text) == expected_from_api(api)
    assert 'href="/rapportage/GM0637/{}/"'.format(default_year()) in overview.text
    # Another year through the picker.
    api_2024 = client.get("/api/v1/raadsrapportages/GM0637/2024").json()
    assert shown_figures(client.get(reverse("raad:index") + "?jaar=2024").text) == expected_from_api(api_2024)


def test_a_year_outside_the_range_falls_back_to_the_year_the_council_reports_on(client, team, zoetermeer_2025):
    client.force_login(team["raadslid"])
    for value in ("1999", "3000", "abc"):
        html = client.get(reverse("raad:gemeente", kwargs={"code": "GM0637"}) + f"?jaar={value}").text
        assert f"Contracten met een verplichting in {default_year()}" in shown_figures(html)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_council_pages_take_a_fixed_number_of_queries(client, team, zoetermeer_2025, leverancier_a):
    client.force_login(team["raadslid"])
    urls = [raad_url(), reverse("raad:index") + "?jaar=2025", reverse("home")]
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
    assert shown_figures(client.get(raad_url()).text)["Contracten met een verplichting in 2025"] == "6"


def test_another_municipality_is_not_shown(client, team, zoetermeer_2025, lansingerland):
    client.force_login(team["raadslid"])
    assert client.get(raad_url(code=lansingerland.code)).status_code == 404
    overview = client.get(reverse("raad:index")).text
    assert "Lansingerland" not in overview
