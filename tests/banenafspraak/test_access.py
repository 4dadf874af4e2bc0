"""Who sees and changes banenafspraak data: suppliers and anonymous users nothing; raadsleden the
council view only; staff of another municipality nothing of this one; people only for the SR-team."""

from datetime import date

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from banenafspraak.models import Dienstverband, Doel, Telling, Werkgever

from .conftest import dienstverband

STAFF_API = [
    "/api/v1/werkgevers",
    "/api/v1/werkgevers/{org}",
    "/api/v1/werkgevers/{org}/banenafspraak?jaar=2024",
    "/api/v1/banenafspraakdoelen",
    "/api/v1/banenafspraaktellingen",
    "/api/v1/banenafspraakdienstverbanden",
    "/api/v1/banenafspraakdienstverbanden/{dv}",
]
COUNCIL_API = [
    "/api/v1/banenafspraakoverzichten/GM0637?jaar=2024",
    "/api/v1/arbeidsmarktregios",
    "/api/v1/uwvtrendrapportages",
]
PAGES = [
    ("banenafspraak:overzicht", []),
    ("banenafspraak:werkgever", ["org"]),
    ("banenafspraak:doel_nieuw", ["org"]),
    ("banenafspraak:dienstverband_nieuw", ["org"]),
    ("banenafspraak:raad", []),
    ("banenafspraak:regio", []),
    ("banenafspraak:uwv_sjabloon", []),
]


@pytest.fixture
def data(organisatie, afdeling):
    dv = dienstverband(afdeling, referentie="GEHEIM-77", start=date(2024, 1, 1))
    Doel.objects.create(werkgever=organisatie, jaar=2024, banen=3)
    return {"org": organisatie.pk, "dv": dv.pk}


def page_url(name, args, data):
    return reverse(name, args=[data[a] for a in args])


@pytest.mark.parametrize("url", STAFF_API + COUNCIL_API)
def test_a_supplier_user_gets_no_banenafspraak_data_from_the_api(team, data, api, url):
    response = api(team["leverancier_a"]).get(url.format(**data))
    assert response.status_code in (403, 404)
    assert "GEHEIM" not in response.content.decode()


@pytest.mark.parametrize("url", STAFF_API + COUNCIL_API)
def test_an_anonymous_user_gets_no_banenafspraak_data_from_the_api(data, api, url):
    response = api().get(url.format(**data))
    assert response.status_code in (401, 403)


@pytest.mark.parametrize("name, args", PAGES)
def test_an_anonymous_user_is_sent_to_the_login_page(data, client, name, args):
    response = client.get(page_url(name, args, data))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")


@pytest.mark.parametrize("name, args", PAGES)
def test_a_supplier_user_gets_no_page(team, data, client, name, args):
    client.force_login(team["leverancier_a"])
    response = client.get(page_url(name, args, data))
    assert response.status_code in (403, 404)
    assert "GEHEIM" not in response.content.decode()


def test_a_supplier_user_sees_no_menu_item(team, client):
    client.force_login(team["leverancier_a"])
    html = client.get(reverse("home")).content.decode()
    assert reverse("banenafspraak:overzicht") not in html and reverse("banenafspraak:raad") not in html


def test_a_supplier_cannot_write(team, data, api):
    client = api(team["leverancier_a"])
    assert client.post("/api/v1/werkgevers", {"naam": "X", "gemeente": "GM0637"}, format="json").status_code == 403
    assert client.post("/api/v1/banenafspraakdoelen", {"werkgever": data["org"], "jaar": 2025, "banen": "1"},
                       format="json").status_code == 403


# --- raadslid --------------------------------------------------------------------------------------


def test_a_raadslid_sees_the_council_view(team, data, client, api):
    client.force_login(team["raadslid"])
    response = client.get(reverse("banenafspraak:raad"), {"jaar": 2024})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Banenafspraak Zoetermeer" in html
    assert "GEHEIM" not in html and "Stadsbeheer" not in html  # no people, no units
    assert api(team["raadslid"]).get("/api/v1/banenafspraakoverzichten/GM0637?jaar=2024").status_code == 200


def test_a_raadslid_sees_no_person_level_records_and_no_units(team, data, client, api):
    client.force_login(team["raadslid"])
    assert client.get(reverse("banenafspraak:werkgever", args=[data["org"]])).status_code == 403
    assert client.get(reverse("banenafspraak:dienstverband_nieuw", args=[data["org"]])).status_code == 403
    client_api = api(team["raadslid"])
    for url in STAFF_API:
        response = client_api.get(url.format(**data))
        assert response.status_code in (403, 404), url
        assert "GEHEIM" not in response.content.decode()


def test_a_raadslid_gets_no_staff_overview(team, data, client):
    client.force_login(team["raadslid"])
    response = client.get(reverse("banenafspraak:overzicht"))
    assert response.status_code == 403
    assert "Gemeente Zoetermeer" not in response.content.decode()


def test_a_raadslid_sees_only_its_own_municipality(team, data, lansingerland_werkgever, api, client):
    assert api(team["raadslid"]).get("/api/v1/banenafspraakoverzichten/GM1621?jaar=2024").status_code == 404
    client.force_login(team["raadslid"])
    assert client.get(reverse("banenafspraak:raad"), {"gemeente": "GM1621"}).status_code == 404


# --- staff of another municipality -----------------------------------------------------------------


def test_staff_of_another_municipality_cannot_see_this_municipalitys_employers(delft_staff, data, api, client):
    for role in ("srteam", "inkoop"):
        user = delft_staff[role]
        client_api = api(user)
        assert client_api.get("/api/v1/werkgevers").json()["results"] == []
        assert client_api.get(f"/api/v1/werkgevers/{data['org']}").status_code == 404
        assert client_api.get(f"/api/v1/werkgevers/{data['org']}/banenafspraak?jaar=2024").status_code == 404
        assert client_api.get("/api/v1/banenafspraakdoelen").json()["results"] == []
        assert client_api.get("/api/v1/banenafspraakoverzichten/GM0637?jaar=2024").status_code == 404
        client.force_login(user)
        assert client.get(reverse("banenafspraak:werkgever", args=[data["org"]])).status_code == 404
        assert "Gemeente Zoetermeer" not in client.get(reverse("banenafspraak:overzicht")).content.decode()
    records = api(delft_staff["srteam"]).get("/api/v1/banenafspraakdienstverbanden").json()["results"]
    assert records == []


def test_staff_of_another_municipality_cannot_write_this_municipalitys_employers(delft_staff, data, afdeling, api, client):
    client_api = api(delft_staff["srteam"])
    responses = [
        client_api.post("/api/v1/werkgevers", {"naam": "X", "bovenliggende": data["org"]}, format="json"),
        client_api.post("/api/v1/werkgevers", {"naam": "X", "gemeente": "GM0637"}, format="json"),
        client_api.post("/api/v1/banenafspraakdoelen", {"werkgever": data["org"], "jaar": 2025, "banen": "1"},
                        format="json"),
        client_api.post("/api/v1/banenafspraaktellingen", {"werkgever": data["org"], "jaar": 2025,
                        "banenDienstverband": "1", "banenInleen": "0", "bron": "uwv"}, format="json"),
        client_api.post("/api/v1/banenafspraakdienstverbanden", {
            "werkgever": afdeling.pk, "kandidaat": {"referentie": "P-2", "initialen": "A.", "geboortejaar": 1990},
            "soort": "dienstverband", "startdatum": "2024-01-01", "urenPerWeek": "10"}, format="json"),
        client_api.patch(f"/api/v1/werkgevers/{data['org']}", {"naam": "Gekaapt"}, format="json"),
        client_api.delete(f"/api/v1/banenafspraakdienstverbanden/{data['dv']}"),
    ]
    assert [r.status_code for r in responses] == [403, 403, 403, 403, 403, 404, 404]
    client.force_login(delft_staff["srteam"])
    assert client.post(reverse("banenafspraak:doel_nieuw", args=[data["org"]]),
                       {"jaar": 2025, "banen": "1"}).status_code == 404
    assert Werkgever.objects.get(pk=data["org"]).naam == "Gemeente Zoetermeer"
    assert Doel.objects.count() == 1 and Telling.objects.count() == 0 and Dienstverband.objects.count() == 1
    assert Werkgever.objects.count() == 2


# --- person-level records --------------------------------------------------------------------------


def test_inkoop_sees_the_counted_totals_but_not_the_people(team, data, api, client):
    client_api = api(team["inkoop"])
    assert client_api.get(f"/api/v1/werkgevers/{data['org']}/banenafspraak?jaar=2024").json()["banenTotaal"] == "1.00"
    assert client_api.get("/api/v1/banenafspraakdienstverbanden").status_code == 403
    client.force_login(team["inkoop"])
    html = client.get(reverse("banenafspraak:werkgever", args=[data["org"]]), {"jaar": 2024}).content.decode()
    assert "1,00" in html and "GEHEIM" not in html
    assert client.get(reverse("banenafspraak:dienstverband_nieuw", args=[data["org"]])).status_code == 403


def test_the_sr_team_of_the_municipality_sees_the_people(team, data, api, client):
    records = api(team["srteam"]).get("/api/v1/banenafspraakdienstverbanden").json()["results"]
    assert [r["kandidaat"]["referentie"] for r in records] == ["GEHEIM-77"]
    client.force_login(team["srteam"])
    assert "GEHEIM-77" in client.get(reverse("banenafspraak:werkgever", args=[data["org"]]), {"jaar": 2024}).content.decode()


def test_the_administrator_sees_everything(team, data, api):
    assert api(team["beheerder"]).get(f"/api/v1/banenafspraakdienstverbanden/{data['dv']}").status_code == 200
    assert len(api(team["beheerder"]).get("/api/v1/werkgevers").json()["results"]) == 2


def test_only_the_administrator_imports_regional_figures(team, client):
    for role in ("srteam", "inkoop", "raadslid"):
        client.force_login(team[role])
        assert client.get(reverse("banenafspraak:uwv_import")).status_code == 403
        assert client.get(reverse("banenafspraak:doelstellingen_import")).status_code == 403
    client.force_login(team["beheerder"])
    assert client.get(reverse("banenafspraak:uwv_import")).status_code == 200
