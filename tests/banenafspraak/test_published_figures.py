"""The published figures reproduced: Zoetermeer's table 3 (reference 000) from the demo data, and
the national government's table 1 (reference 002) entered as yearly totals per ministry."""

from decimal import Decimal

import pytest
from django.urls import reverse

from banenafspraak import selectors
from banenafspraak.models import Werkgever

D = Decimal

TABLE_3 = [  # jaar, doel, gerealiseerd, percentage (API), percentage (page)
    (2018, "27.40", "13.60", "49.64", "49,6%"),
    (2019, "31.10", "30.70", "98.71", "98,7%"),
    (2020, "34.60", "33.70", "97.40", "97,4%"),
]


@pytest.mark.parametrize("jaar, doel, gerealiseerd, percentage, _page", TABLE_3)
def test_the_api_reproduces_zoetermeers_table_3(zoetermeer_demo, team, api, jaar, doel, gerealiseerd, percentage, _page):
    response = api(team["srteam"]).get(f"/api/v1/werkgevers/{zoetermeer_demo.pk}/banenafspraak?jaar={jaar}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["jaar"] == jaar
    assert body["doel"] == doel
    assert body["banenTotaal"] == gerealiseerd
    assert body["banenDienstverband"] == gerealiseerd
    assert body["banenInleen"] == "0.00"
    assert body["percentage"] == percentage
    assert body["tekort"] == f"{D(doel) - D(gerealiseerd):.2f}"
    assert body["bron"] == "telling"


@pytest.mark.parametrize("jaar, doel, gerealiseerd, _api, percentage", TABLE_3)
def test_the_page_reproduces_zoetermeers_table_3_in_dutch_notation(zoetermeer_demo, team, client, jaar, doel,
                                                                    gerealiseerd, _api, percentage):
    client.force_login(team["srteam"])
    response = client.get(reverse("banenafspraak:werkgever", args=[zoetermeer_demo.pk]), {"jaar": jaar})
    assert response.status_code == 200
    html = response.content.decode()
    assert percentage in html
    assert doel.replace(".", ",") in html and gerealiseerd.replace(".", ",") in html


def test_the_council_view_shows_table_3_as_a_trend(zoetermeer_demo, team, client):
    client.force_login(team["raadslid"])
    response = client.get(reverse("banenafspraak:raad"), {"jaar": 2020})
    html = response.content.decode()
    assert response.status_code == 200
    for _jaar, doel, gerealiseerd, _api, percentage in TABLE_3:
        assert percentage in html
        assert doel.replace(".", ",") in html and gerealiseerd.replace(".", ",") in html
    # The region: Zuid-Holland Centraal -146, 14th of 35, regional target 2020 = 750 + 240.
    assert "-146" in html and "plaats 14 van 35" in html and "990" in html


def test_without_a_year_the_council_sees_the_latest_year_with_figures(organisatie, team, client):
    from banenafspraak import services

    for jaar, doel, gerealiseerd, _api, _page in TABLE_3:
        services.create_doel(werkgever=organisatie, jaar=jaar, banen=D(doel))
        services.record_telling(werkgever=organisatie, jaar=jaar, banen_dienstverband=D(gerealiseerd),
                                banen_inleen=D("0"), bron="publicatie")
    client.force_login(team["raadslid"])
    response = client.get(reverse("banenafspraak:raad"))
    assert response.status_code == 200
    assert response.context["jaar"] == 2020
    assert "97,4%" in response.content.decode()


# --- reference 002, table 1 -------------------------------------------------------------------------

TABLE_1 = [  # ministry, formal (incl. Binnenwerk), hired in, target, printed %
    ("AZ", "11", "0", "15", 71), ("BZ", "58", "13", "109", 65), ("BZK", "333", "18", "422", 83),
    ("EZK", "250", "2", "294", 86), ("Fin", "693", "167", "1180", 73), ("IenW", "318", "0", "506", 63),
    ("JenV", "569", "132", "1450", 48), ("LNV", "114", "0", "119", 96), ("OCW", "137", "26", "177", 93),
    ("SZW", "159", "0", "143", 111), ("VWS", "142", "24", "200", 83), ("HCvS", "30", "7", "59", 62),
]


@pytest.fixture
def rijk(team, api):
    """Table 1 entered through the API as one unit per ministry with a target and yearly totals."""
    client = api(team["beheerder"])
    root = client.post("/api/v1/werkgevers", {"naam": "Sector Rijk"}, format="json")
    assert root.status_code == 201, root.content
    ids = {}
    for naam, formeel, inleen, doel, _pct in TABLE_1:
        unit = client.post("/api/v1/werkgevers", {"naam": naam, "bovenliggende": root.json()["id"]}, format="json")
        assert unit.status_code == 201, unit.content
        ids[naam] = unit.json()["id"]
        assert client.post("/api/v1/banenafspraakdoelen", {"werkgever": ids[naam], "jaar": 2021, "banen": doel},
                           format="json").status_code == 201
        telling = client.post("/api/v1/banenafspraaktellingen", {
            "werkgever": ids[naam], "jaar": 2021, "banenDienstverband": formeel, "banenInleen": inleen,
            "bron": "publicatie", "toelichting": "Kamerbrief 2022, tabel 1",
        }, format="json")
        assert telling.status_code == 201, telling.content
    return client, root.json()["id"], ids


def test_table_1_reproduces_the_target_of_4674_jobs_and_the_realisation_of_69_percent(rijk):
    client, root_id, _ids = rijk
    body = client.get(f"/api/v1/werkgevers/{root_id}/banenafspraak?jaar=2021").json()
    assert body["doel"] == "4674.00"
    assert body["banenTotaal"] == "3203.00"
    # The printed rows are rounded: entered as printed, formal and hired-in differ by one from the
    # printed totals (2,815 and 388) while their sum is the printed 3,203.
    assert (body["banenDienstverband"], body["banenInleen"]) == ("2814.00", "389.00")
    assert body["percentage"] == "68.53"
    assert round(D(body["percentage"])) == 69
    assert body["tekort"] == "1471.00"
    assert body["banenViaSocialReturn"] is None  # no municipality: no spoor 3


@pytest.mark.parametrize("naam, formeel, inleen, doel, printed", TABLE_1)
def test_a_rows_percentage_follows_the_numbers_entered(rijk, naam, formeel, inleen, doel, printed):
    client, _root, ids = rijk
    body = client.get(f"/api/v1/werkgevers/{ids[naam]}/banenafspraak?jaar=2021").json()
    expected = (D(formeel) + D(inleen)) / D(doel) * 100
    assert body["percentage"] == f"{expected.quantize(D('0.01'))}"
    assert body["doel"] == f"{D(doel):.2f}"
    # Within rounding of the printed row (the table warns its rows are rounded).
    assert abs(D(body["percentage"]) - printed) < 3


def test_the_rows_that_the_printed_table_rounded_differently(rijk):
    client, _root, ids = rijk
    assert client.get(f"/api/v1/werkgevers/{ids['AZ']}/banenafspraak?jaar=2021").json()["percentage"] == "73.33"
    assert client.get(f"/api/v1/werkgevers/{ids['Fin']}/banenafspraak?jaar=2021").json()["banenTotaal"] == "860.00"


def test_the_demo_data_holds_table_1_too(team, zoetermeer):
    from banenafspraak import demo

    rijk = demo.seed_rijk()
    demo.seed_rijk()  # idempotent
    figures = selectors.werkgever_figures(werkgever=rijk, jaar=2021)
    assert (figures.doel, figures.banen_totaal, figures.percentage) == (D("4674.00"), D("3203.00"), D("68.53"))
    assert Werkgever.objects.filter(bovenliggende=rijk).count() == 12
