"""The council dashboard: the figures of one municipality and year, charts with tables, a fixed
number of queries, aggregates only and small counts suppressed."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.figures import recompute_contract_figures, recompute_placement_figures
from reporting.models import Raadsrapportage, Teambudget, Verhaal
from reporting.selectors import council_figures
from tests.factories import make_contract

from .conftest import invoice, place


def dashboard_url(code="GM0637", jaar=2025):
    return reverse("reporting:dashboard", kwargs={"gemeentecode": code, "jaar": jaar})


@pytest.fixture
def zoetermeer_figures(team, zoetermeer, leverancier_a, leverancier_b):
    """Two contracts: one with six people placed (2024-2025), one behind; a budget and a story."""
    first = make_contract(gemeente=zoetermeer, leverancier=leverancier_a)
    second = make_contract(gemeente=zoetermeer, leverancier=leverancier_b, aanneemsom=Decimal("500000.00"),
                           loonsom=Decimal("100000.00"))  # low wage share: 2% = 10,000
    for _i in range(5):
        place(first, code="participatiewet", start=date(2025, 1, 1), end=date(2025, 6, 30), hours="18")
    place(first, code="ww", start=date(2025, 2, 1), end=date(2025, 7, 31))
    invoice(second, bedrag="1000.00", start=date(2025, 3, 1), state="ingediend")
    Teambudget.objects.create(gemeente=zoetermeer, jaar=2025, bedrag=Decimal("20000.00"))
    Verhaal.objects.create(gemeente=zoetermeer, jaar=2025, titel="Een nieuwe start", tekst="Anoniem verhaal.",
                           toestemming=True, toestemming_op=date(2025, 5, 1), status="goedgekeurd",
                           beoordeeld_op=timezone.now())
    Verhaal.objects.create(gemeente=zoetermeer, jaar=2025, titel="Nog niet goedgekeurd", tekst="...",
                           toestemming=True, toestemming_op=date(2025, 5, 1))
    recompute_contract_figures(today=date(2026, 11, 22))
    recompute_placement_figures()
    return first, second


def test_the_figures_of_a_year(zoetermeer, zoetermeer_figures):
    f = council_figures(gemeente=zoetermeer, jaar=2025, today=date(2026, 11, 22))
    assert f.contracten == 2
    assert f.contractwaarde == Decimal("1500000.00")
    assert f.verplichting == Decimal("60000.00")  # 50,000 + 10,000
    # five Participatiewet placements: 40,000 × 18/36 × 6/12 = 10,000 each; WW 20,000 × 6/12 = 10,000
    assert f.gerealiseerd == Decimal("60000.00") and f.gerealiseerd_in_jaar == Decimal("60000.00")
    assert f.in_behandeling == Decimal("1000.00")
    assert f.realisatie_percentage == Decimal("100.00")
    assert {s.status: s.aantal for s in f.statussen} == {"voldaan": 1, "op_schema": 0, "achter": 1}
    # 5 and 1 people, total 6 shown: the 1 is suppressed, and so is the 5 (else 6 − 5 gives it away),
    # which says "onderdrukt" (not a false "< 5").
    assert [(d.doelgroep, d.personen.weergave) for d in f.doelgroepen] == [("participatiewet", "onderdrukt"), ("ww", "< 5")]
    assert f.personen.weergave == "6"
    assert f.budget.bedrag == Decimal("20000.00") and f.budget.opbrengst_per_euro == Decimal("3.00")
    assert [v.titel for v in f.verhalen] == ["Een nieuwe start"]  # only approved stories
    assert [t.jaar for t in f.trend] == [2024, 2025]


def test_one_suppressed_group_hides_the_next_smallest_too(zoetermeer, zoetermeer_figures, leverancier_a):
    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a)
    for _i in range(6):
        place(contract, code="wia", start=date(2025, 1, 1), end=date(2025, 3, 31))
    recompute_placement_figures()
    f = council_figures(gemeente=zoetermeer, jaar=2025)
    shown = {d.doelgroep: d.personen.weergave for d in f.doelgroepen}
    # participatiewet 5, wia 6, ww 1: with the total shown, ww (1) alone could be derived, so the
    # next smallest (participatiewet, 5) is hidden as well, as "onderdrukt" (it is not under 5).
    assert shown == {"wia": "6", "participatiewet": "onderdrukt", "ww": "< 5"}
    assert f.personen.weergave == "12"


def test_the_dashboard_shows_every_parameter_with_charts_and_tables(client, team, zoetermeer_figures):
    client.force_login(team["raadslid"])
    response = client.get(dashboard_url())
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("Contracten met een verplichting", "Gerealiseerd van de verplichting", "Voldaan of op schema",
                 "Geplaatste personen", "Vast contract", "Banenafspraak", "Budget SR-team", "Waarde per euro budget",
                 "Een nieuwe start", "&lt; 5"):
        assert text in html, text
    assert "Nog niet goedgekeurd" not in html
    assert html.count('role="img"') >= 3  # trend, status, target groups, budget
    assert html.count("<table") >= 5
    # No inline script (the CSP allows only the portal's own static files, such as the menu script).
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "WSP-" not in html  # no candidate references: aggregates only


def test_the_dashboard_runs_a_fixed_number_of_queries(client, team, zoetermeer, leverancier_a, zoetermeer_figures,
                                                      django_assert_max_num_queries):
    client.force_login(team["raadslid"])
    with django_assert_max_num_queries(14) as few:
        client.get(dashboard_url())
    for _i in range(10):
        place(make_contract(gemeente=zoetermeer, leverancier=leverancier_a), code="bbl_niveau_1_2",
              start=date(2025, 1, 1), end=date(2025, 12, 31))
    recompute_contract_figures()
    recompute_placement_figures()
    with django_assert_max_num_queries(len(few)):
        client.get(dashboard_url())


def test_a_council_member_of_another_municipality_gets_a_404(client, team, lansingerland):
    client.force_login(team["raadslid"])  # Zoetermeer only
    assert client.get(dashboard_url("GM1621")).status_code == 404
    assert client.get("/api/v1/raadsrapportages/GM1621/2025").status_code == 404


def test_the_index_sends_the_choice_to_the_dashboard(client, team):
    client.force_login(team["srteam"])
    response = client.get(reverse("reporting:index"), {"gemeente": "GM1621", "jaar": "2024"})
    assert response.url == dashboard_url("GM1621", 2024)


def test_a_future_year_is_not_found(client, team):
    client.force_login(team["raadslid"])
    assert client.get(dashboard_url(jaar=2099)).status_code == 404


def test_the_status_page_refreshes_itself_until_the_pdf_is_ready(client, team, zoetermeer):
    client.force_login(team["raadslid"])
    report = Raadsrapportage.objects.create(gemeente=zoetermeer, jaar=2025)
    page = client.get(reverse("reporting:rapport", kwargs={"pk": report.pk}))
    assert '<meta http-equiv="refresh" content="3">' in page.content.decode()
    assert "in de wachtrij" in page.content.decode()
    assert client.get(reverse("reporting:rapport_download", kwargs={"pk": report.pk})).status_code == 404


def test_asking_twice_while_it_is_being_made_gives_one_report(client, team, zoetermeer):
    client.force_login(team["raadslid"])
    url = reverse("reporting:rapport_aanvragen", kwargs={"gemeentecode": "GM0637", "jaar": 2025})
    first = client.post(url)  # the task runs at the commit, which a test transaction never reaches
    second = client.post(url)
    assert first.url == second.url
    assert Raadsrapportage.objects.count() == 1


def test_the_api_returns_camelcase_fields_and_decimal_strings(client, team, zoetermeer_figures):
    client.force_login(team["inkoop"])
    data = client.get("/api/v1/raadsrapportages/GM0637/2025").json()
    assert data["verplichting"] == "60000.00"
    assert data["realisatiePercentage"] == "100.00"
    assert data["doelgroepen"][1] == {
        "doelgroep": "ww", "label": "WW-uitkering", "personen": {"waarde": None, "onderdrukt": True, "weergave": "< 5"},
    }
    assert client.get("/api/v1/raadsrapportages/GM0637").json() == {"gemeente": "GM0637", "jaren": [2026, 2025, 2024]}
