"""The council overview (/raad/) and the raadslid's start page for someone who covers many
municipalities: a fixed number of queries whatever their number (``council_figures_many``), and
for each municipality exactly the figures ``council_figures`` gives for it alone (the dashboard's,
the PDF report's and the API's)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from banenafspraak import services as banen
from reporting.api.serializers import RaadsrapportageSerializer
from reporting.figures import recompute_contract_figures, recompute_placement_figures
from reporting.models import Teambudget, Verhaal, VerhaalStatus
from reporting.selectors import council_figures, council_figures_many
from sroi_portal.models import Role
from sroi_portal.raad import figures_for
from tests.factories import UserFactory, gemeente_with_policy, make_contract
from tests.reporting.conftest import invoice, place

from .test_council_pages import expected_from_api, shown_figures

JAAR = 2025


def municipality(i: int, leverancier):
    """Municipality ``i`` with its own figures for 2025: a contract of its own size, i % 3 + 1 people
    placed, an approved invoice, an SR-team budget, an approved story and an employer with a
    banenafspraak target and one job."""
    gemeente = gemeente_with_policy(f"GM{9000 + i}", f"Teststad {i:02d}")
    contract = make_contract(gemeente=gemeente, leverancier=leverancier,
                             aanneemsom=Decimal(1_000_000 + 100_000 * i), loonsom=Decimal(400_000))
    for _n in range(i % 3 + 1):
        place(contract, code="participatiewet", start=date(JAAR, 1, 1), end=date(JAAR, 6, 30), hours="18")
    invoice(contract, bedrag=f"{1000 * i}.00", start=date(JAAR, 3, 1))
    Teambudget.objects.create(gemeente=gemeente, jaar=JAAR, bedrag=Decimal(20_000 + 1000 * i))
    Verhaal.objects.create(gemeente=gemeente, jaar=JAAR, titel=f"Aan het werk in Teststad {i:02d}",
                           tekst="Een anoniem verhaal.", toestemming=True, toestemming_op=date(JAAR, 2, 1),
                           status=VerhaalStatus.GOEDGEKEURD, beoordeeld_op=timezone.now())
    werkgever = banen.create_werkgever(naam=f"Gemeente Teststad {i:02d}", gemeente=gemeente)
    banen.create_doel(werkgever=werkgever, jaar=JAAR, banen=Decimal(10 + i))
    banen.record_dienstverband(werkgever=werkgever, referentie=f"P-{i}", initialen="A.B.", geboortejaar=1990,
                               soort="dienstverband", startdatum=date(JAAR, 1, 1), einddatum=None,
                               uren_per_week=Decimal("25.5"))
    return gemeente


def recompute():
    recompute_contract_figures()
    recompute_placement_figures()


def expected_card(f) -> dict[str, str]:
    """What the card of a municipality shows, from ``council_figures`` of that municipality alone
    (as the API represents it: the card says what the council page and the API say)."""
    return expected_from_api(RaadsrapportageSerializer(f).data)


def cards(html: str) -> dict[str, dict[str, str]]:
    """The figures shown per municipality card (by the code in the card's heading id)."""
    return {
        code: shown_figures(body)
        for code, body in re.findall(r'<section class="card" aria-labelledby="gemeente-([^"]+)">(.*?)</section>',
                                     html, re.S)
    }


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def raadslid_of_two(db, leverancier_a):
    gemeenten = [municipality(i, leverancier_a) for i in (1, 2)]
    recompute()
    return UserFactory(username="raadslid_regio", role=Role.RAADSLID, gemeenten=gemeenten), gemeenten


def test_the_overview_takes_the_same_number_of_queries_for_2_and_12_municipalities(client, raadslid_of_two,
                                                                                   leverancier_a):
    user, gemeenten = raadslid_of_two
    client.force_login(user)
    urls = [reverse("raad:index") + f"?jaar={JAAR}", reverse("home") + f"?jaar={JAAR}"]
    client.get(urls[0])  # warm-up: session and content types
    with_two = {url: _queries(client, url) for url in urls}

    gemeenten += [municipality(i, leverancier_a) for i in range(3, 13)]
    user.gemeenten.set(gemeenten)
    recompute()
    with_twelve = {url: _queries(client, url) for url in urls}

    assert with_twelve == with_two
    # ... and the twelve municipalities are all on both pages, each with its own figures.
    for url in urls:
        shown = cards(client.get(url).text)
        assert sorted(shown) == sorted(g.code for g in gemeenten)
        for gemeente in gemeenten:
            assert shown[gemeente.code] == expected_card(council_figures(gemeente=gemeente, jaar=JAAR)), gemeente
    assert len({card["Verplichting (contracten met bouwblokken)"] for card in shown.values()}) == 12  # really twelve different sets of figures


def test_the_batched_figures_equal_council_figures_of_each_municipality(raadslid_of_two, leverancier_a):
    _user, gemeenten = raadslid_of_two
    gemeenten += [municipality(i, leverancier_a) for i in range(3, 7)]
    recompute()

    many = figures_for(gemeenten, jaar=JAAR)
    alone = [council_figures(gemeente=gemeente, jaar=JAAR) for gemeente in gemeenten]
    assert [f.gemeente_code for f in many] == [g.code for g in gemeenten]  # in the order asked
    assert many == alone  # every figure, including the banenafspraak part, budget, stories and trend
    assert [f.gegevensversie for f in many] == [f.gegevensversie for f in alone]
    # The parts that come from other tables than the contract figures differ per municipality too.
    assert [f.banenafspraak.doel for f in many] == [Decimal(10 + i) for i in range(1, 7)]
    assert [f.banenafspraak.werkgever for f in many] == [f"Gemeente Teststad {i:02d}" for i in range(1, 7)]
    assert [f.budget.bedrag for f in many] == [Decimal(20_000 + 1000 * i) for i in range(1, 7)]
    assert [[v.titel for v in f.verhalen] for f in many] == [[f"Aan het werk in Teststad {i:02d}"] for i in range(1, 7)]
    # One municipality through the batch is the single call.
    assert council_figures_many(gemeenten=gemeenten[:1], jaar=JAAR) == alone[:1]
    assert council_figures_many(gemeenten=[], jaar=JAAR) == []


def test_another_year_is_the_same_code_path(client, raadslid_of_two):
    user, gemeenten = raadslid_of_two
    client.force_login(user)
    shown = cards(client.get(reverse("raad:index") + "?jaar=2024").text)
    for gemeente in gemeenten:
        assert shown[gemeente.code] == expected_card(council_figures(gemeente=gemeente, jaar=2024))
