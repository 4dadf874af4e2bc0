"""API v1 of the banenafspraak: employers and units, targets, records, measured totals, figures."""

from datetime import date
from decimal import Decimal

from banenafspraak.models import Dienstverband, Doel, Telling, Werkgever

from .conftest import dienstverband

D = Decimal


def test_create_a_municipalitys_employer_and_a_unit(team, zoetermeer, api):
    client = api(team["inkoop"])
    response = client.post("/api/v1/werkgevers", {"naam": "Gemeente Zoetermeer", "gemeente": "GM0637"}, format="json")
    assert response.status_code == 201, response.content
    root = response.json()
    assert (root["naam"], root["gemeente"], root["bovenliggende"], root["onderdelen"]) == (
        "Gemeente Zoetermeer", "GM0637", None, [])
    assert root["url"].endswith(f"/api/v1/werkgevers/{root['id']}")
    unit = client.post("/api/v1/werkgevers", {"naam": "Stadsbeheer", "bovenliggende": root["id"]}, format="json")
    assert unit.status_code == 201, unit.content
    assert unit.json()["gemeente"] == "GM0637"  # a unit belongs to its parent's municipality
    assert client.get(f"/api/v1/werkgevers/{root['id']}").json()["onderdelen"] == [unit.json()["id"]]
    listed = client.get("/api/v1/werkgevers").json()
    assert [w["naam"] for w in listed["results"]] == ["Gemeente Zoetermeer", "Stadsbeheer"]


def test_a_municipality_has_one_top_level_employer(team, organisatie, api):
    response = api(team["inkoop"]).post("/api/v1/werkgevers", {"naam": "Nog een", "gemeente": "GM0637"}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["invalidParams"][0]["name"] == "gemeente"


def test_a_unit_cannot_belong_to_another_municipality_than_its_parent(team, organisatie, api):
    response = api(team["srteam"]).post(
        "/api/v1/werkgevers", {"naam": "Afdeling", "gemeente": "GM1621", "bovenliggende": organisatie.pk}, format="json")
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "gemeente"


def test_only_the_administrator_creates_an_employer_without_municipality(team, api):
    assert api(team["srteam"]).post("/api/v1/werkgevers", {"naam": "Rijk"}, format="json").status_code == 403
    assert api(team["beheerder"]).post("/api/v1/werkgevers", {"naam": "Rijk"}, format="json").status_code == 201


def test_rename_a_unit(team, afdeling, api):
    response = api(team["inkoop"]).patch(f"/api/v1/werkgevers/{afdeling.pk}", {"naam": "Beheer openbare ruimte"},
                                         format="json")
    assert response.status_code == 200
    assert Werkgever.objects.get(pk=afdeling.pk).naam == "Beheer openbare ruimte"


def test_targets(team, organisatie, api):
    client = api(team["inkoop"])
    response = client.post("/api/v1/banenafspraakdoelen", {"werkgever": organisatie.pk, "jaar": 2024, "banen": "27.4"},
                           format="json")
    assert response.status_code == 201, response.content
    assert response.json() == {"id": response.json()["id"], "werkgever": organisatie.pk, "jaar": 2024, "banen": "27.40",
                               "verloondeUren": None, "toelichting": ""}
    again = client.post("/api/v1/banenafspraakdoelen", {"werkgever": organisatie.pk, "jaar": 2024, "banen": "30"},
                        format="json")
    assert again.status_code == 400
    assert again.json()["invalidParams"][0]["name"] == "jaar"
    patched = client.patch(f"/api/v1/banenafspraakdoelen/{response.json()['id']}", {"banen": "30"}, format="json")
    assert patched.json()["banen"] == "30.00"
    negative = client.post("/api/v1/banenafspraakdoelen", {"werkgever": organisatie.pk, "jaar": 2025, "banen": "-1"},
                           format="json")
    assert negative.status_code == 400 and negative.json()["invalidParams"][0]["name"] == "banen"


def test_register_a_job_and_see_it_counted(team, afdeling, organisatie, api):
    client = api(team["srteam"])
    response = client.post("/api/v1/banenafspraakdienstverbanden", {
        "werkgever": afdeling.pk,
        "kandidaat": {"referentie": "PNR-0042", "initialen": "J.", "geboortejaar": 1994},
        "soort": "dienstverband", "startdatum": "2024-07-01", "einddatum": "2025-06-30", "urenPerWeek": "51",
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kandidaat"] == {"referentie": "PNR-0042", "initialen": "J.", "geboortejaar": 1994}
    assert (body["soort"], body["urenPerWeek"], body["einddatum"]) == ("dienstverband", "51.00", "2025-06-30")
    inleen = client.post("/api/v1/banenafspraakdienstverbanden", {
        "werkgever": organisatie.pk, "kandidaat": {"referentie": "UZ-7", "initialen": "K.", "geboortejaar": 2001},
        "soort": "inleen", "inleenvorm": "payroll", "startdatum": "2024-01-01", "einddatum": "2024-12-31",
        "urenPerWeek": "12.75",
    }, format="json")
    assert inleen.status_code == 201, inleen.content
    figures = client.get(f"/api/v1/werkgevers/{organisatie.pk}/banenafspraak?jaar=2024").json()
    assert figures["banenDienstverband"] == "1.00"  # 51 h = 2 jobs, for half of 2024
    assert figures["banenInleen"] == "0.50"
    assert figures["banenTotaal"] == "1.50"
    assert figures["doel"] is None and figures["percentage"] is None
    assert figures["bron"] == "dienstverbanden"
    assert [q["banenTotaal"] for q in figures["kwartalen"]] == ["0.50", "0.50", "2.50", "2.50"]
    assert client.get(f"/api/v1/werkgevers/{afdeling.pk}/banenafspraak?jaar=2025").json()["banenTotaal"] == "1.00"


def test_a_bsn_is_refused_as_reference(team, afdeling, api):
    response = api(team["srteam"]).post("/api/v1/banenafspraakdienstverbanden", {
        "werkgever": afdeling.pk, "kandidaat": {"referentie": "111222333", "initialen": "J.", "geboortejaar": 1994},
        "soort": "dienstverband", "startdatum": "2024-07-01", "urenPerWeek": "20",
    }, format="json")
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "kandidaat.referentie"
    assert "BSN" in response.json()["invalidParams"][0]["reason"]
    assert not Dienstverband.objects.exists()


def test_invalid_records_name_their_fields(team, afdeling, api):
    response = api(team["srteam"]).post("/api/v1/banenafspraakdienstverbanden", {
        "werkgever": afdeling.pk, "kandidaat": {"referentie": "P-1", "initialen": "J.", "geboortejaar": 1994},
        "soort": "dienstverband", "inleenvorm": "payroll", "startdatum": "2024-07-01", "einddatum": "2024-06-01",
        "urenPerWeek": "20",
    }, format="json")
    assert response.status_code == 400
    assert {p["name"] for p in response.json()["invalidParams"]} == {"inleenvorm", "einddatum"}
    too_many = api(team["srteam"]).post("/api/v1/banenafspraakdienstverbanden", {
        "werkgever": afdeling.pk, "kandidaat": {"referentie": "P-1", "initialen": "J.", "geboortejaar": 1994},
        "soort": "dienstverband", "startdatum": "2024-07-01", "urenPerWeek": "61",
    }, format="json")
    assert too_many.json()["invalidParams"][0]["name"] == "urenPerWeek"


def test_the_same_person_is_not_counted_twice_at_a_unit_for_overlapping_months(team, afdeling, api):
    dienstverband(afdeling, referentie="P-1", start=date(2024, 1, 1), end=date(2024, 12, 31))
    response = api(team["srteam"]).post("/api/v1/banenafspraakdienstverbanden", {
        "werkgever": afdeling.pk, "kandidaat": {"referentie": "P-1", "initialen": "J.", "geboortejaar": 1990},
        "soort": "inleen", "startdatum": "2024-06-01", "urenPerWeek": "10",
    }, format="json")
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "startdatum"


def test_update_and_delete_a_record(team, afdeling, api):
    dv = dienstverband(afdeling, referentie="P-1", start=date(2024, 1, 1), end=date(2024, 12, 31))
    client = api(team["srteam"])
    patched = client.patch(f"/api/v1/banenafspraakdienstverbanden/{dv.pk}", {"urenPerWeek": "12.75"}, format="json")
    assert patched.status_code == 200 and patched.json()["urenPerWeek"] == "12.75"
    assert client.get(f"/api/v1/werkgevers/{afdeling.pk}/banenafspraak?jaar=2024").json()["banenTotaal"] == "0.50"
    assert client.delete(f"/api/v1/banenafspraakdienstverbanden/{dv.pk}").status_code == 204
    assert not Dienstverband.objects.exists()


def test_a_measured_yearly_total_replaces_the_counted_records_of_that_unit_and_year(team, organisatie, afdeling, api):
    dienstverband(afdeling, referentie="P-1", start=date(2024, 1, 1), end=date(2025, 12, 31), uren="51")
    client = api(team["inkoop"])
    response = client.post("/api/v1/banenafspraaktellingen", {
        "werkgever": afdeling.pk, "jaar": 2024, "banenDienstverband": "3.25", "banenInleen": "1.5",
        "bron": "salarisadministratie",
    }, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["kwartaal"] is None
    in_2024 = client.get(f"/api/v1/werkgevers/{organisatie.pk}/banenafspraak?jaar=2024").json()
    in_2025 = client.get(f"/api/v1/werkgevers/{organisatie.pk}/banenafspraak?jaar=2025").json()
    assert (in_2024["banenDienstverband"], in_2024["banenInleen"], in_2024["bron"]) == ("3.25", "1.50", "telling")
    assert (in_2025["banenDienstverband"], in_2025["bron"]) == ("2.00", "dienstverbanden")  # the records count
    duplicate = client.post("/api/v1/banenafspraaktellingen", {
        "werkgever": afdeling.pk, "jaar": 2024, "banenDienstverband": "3", "banenInleen": "0", "bron": "uwv",
    }, format="json")
    assert duplicate.status_code == 400 and duplicate.json()["invalidParams"][0]["name"] == "jaar"


def test_quarterly_totals(team, organisatie, api):
    client = api(team["inkoop"])
    for kwartaal, banen in ((1, "10"), (2, "12")):
        response = client.post("/api/v1/banenafspraaktellingen", {
            "werkgever": organisatie.pk, "jaar": 2024, "kwartaal": kwartaal, "banenDienstverband": banen,
            "banenInleen": "0", "bron": "uwv"}, format="json")
        assert response.status_code == 201, response.content
    body = client.get(f"/api/v1/werkgevers/{organisatie.pk}/banenafspraak?jaar=2024").json()
    assert body["banenTotaal"] == "11.00"  # mean of the measured quarters
    assert body["bron"] == "kwartaaltellingen"
    assert [q["banenTotaal"] for q in body["kwartalen"]] == ["10.00", "12.00", "0.00", "0.00"]
    bad = client.post("/api/v1/banenafspraaktellingen", {
        "werkgever": organisatie.pk, "jaar": 2024, "kwartaal": 5, "banenDienstverband": "1", "banenInleen": "0",
        "bron": "uwv"}, format="json")
    assert bad.status_code == 400 and bad.json()["invalidParams"][0]["name"] == "kwartaal"
    assert Telling.objects.count() == 2


def test_figures_of_a_unit_include_its_sub_units_and_its_own_target(team, organisatie, afdeling, api):
    team_unit = Werkgever.objects.create(naam="Team Groen", gemeente=organisatie.gemeente, bovenliggende=afdeling)
    dienstverband(team_unit, referentie="P-9", start=date(2024, 1, 1), end=date(2024, 12, 31), uren="25.5")
    dienstverband(afdeling, referentie="P-8", start=date(2024, 1, 1), end=date(2024, 12, 31), uren="25.5")
    Doel.objects.create(werkgever=afdeling, jaar=2024, banen=D("4"))
    client = api(team["srteam"])
    body = client.get(f"/api/v1/werkgevers/{afdeling.pk}/banenafspraak?jaar=2024").json()
    assert (body["doel"], body["banenTotaal"], body["percentage"], body["tekort"]) == ("4.00", "2.00", "50.00", "2.00")
    assert body["heffing"] == "10000.00"
    top = client.get(f"/api/v1/werkgevers/{organisatie.pk}/banenafspraak?jaar=2024").json()
    assert (top["doel"], top["banenTotaal"]) == ("4.00", "2.00")  # the sum of its units' targets


def test_the_year_is_required(team, organisatie, api):
    response = api(team["srteam"]).get(f"/api/v1/werkgevers/{organisatie.pk}/banenafspraak")
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "jaar"


def test_no_trailing_slash(team, organisatie, api):
    assert api(team["srteam"]).get("/api/v1/werkgevers/").status_code == 404


def test_the_council_overview_endpoint(zoetermeer_demo, team, api):
    body = api(team["raadslid"]).get("/api/v1/banenafspraakoverzichten/GM0637?jaar=2020").json()
    assert (body["gemeente"], body["doel"], body["banenTotaal"], body["percentage"]) == (
        "GM0637", "34.60", "33.70", "97.40")
    assert [(y["jaar"], y["percentage"]) for y in body["vorigeJaren"]] == [(2018, "49.64"), (2019, "98.71")]
    assert body["regio"]["naam"] == "Zuid-Holland Centraal"
    assert (body["regio"]["voortgang"], body["regio"]["rang"], body["regio"]["aantalRegios"]) == ("-146.00", 14, 35)
    assert body["regio"]["doel"] == "990.00"


def test_the_regions_endpoint(zoetermeer_demo, team, api):
    body = api(team["raadslid"]).get("/api/v1/arbeidsmarktregios").json()
    zhc = next(r for r in body if r["naam"] == "Zuid-Holland Centraal")
    assert zhc["gemeenten"] == ["GM0637", "GM1621"]
    assert zhc["uwv"]["voortgang"] == "-146.00" and zhc["uwv"]["rang"] == 14
    assert [d["jaar"] for d in zhc["doelstellingen"]] == [2019, 2020, 2021, 2022]
    assert len(body) == 35


def test_import_the_uwv_table_through_the_api(team, api):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from banenafspraak import seed

    upload = SimpleUploadedFile("bijlage3.csv", seed.UWV_2020K4_CSV.read_bytes(), content_type="text/csv")
    response = api(team["beheerder"]).post("/api/v1/uwvtrendrapportages", {"bestand": upload, "bron": "UWV Q4 2020"},
                                           format="multipart")
    assert response.status_code == 201, response.content
    controles = response.json()["controles"]
    assert controles[0] == {"kolom": "Nulmeting", "gepubliceerd": "247739.00", "somRegios": "247583.00",
                            "verschil": "156.00", "gelijk": False}
    bad = SimpleUploadedFile("x.csv", b"Arbeidsmarktregio;Nulmeting;2020-K4\nAtlantis;1;2\n", content_type="text/csv")
    refused = api(team["beheerder"]).post("/api/v1/uwvtrendrapportages", {"bestand": bad, "bron": "x"},
                                          format="multipart")
    assert refused.status_code == 400
    assert refused.json()["invalidParams"] == [{"name": "bestand", "code": "invalid",
                                                "reason": "Rij 2, kolom ‘Arbeidsmarktregio’: Onbekende arbeidsmarktregio ‘Atlantis’."}]
    upload2 = SimpleUploadedFile("b.csv", seed.UWV_2020K4_CSV.read_bytes(), content_type="text/csv")
    assert api(team["srteam"]).post("/api/v1/uwvtrendrapportages", {"bestand": upload2, "bron": "x"},
                                    format="multipart").status_code == 403


def test_openapi_documents_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/werkgevers", "/api/v1/werkgevers/{id}/banenafspraak", "/api/v1/banenafspraakdoelen",
                 "/api/v1/banenafspraakdienstverbanden", "/api/v1/banenafspraaktellingen",
                 "/api/v1/banenafspraakoverzichten/{gemeente}", "/api/v1/uwvtrendrapportages"):
        assert path in paths, path


def test_measured_totals_can_be_given_in_paid_hours(team, organisatie, api):
    client = api(team["inkoop"])
    response = client.post("/api/v1/banenafspraaktellingen", {
        "werkgever": organisatie.pk, "jaar": 2024, "verloondeUrenDienstverband": "13260", "banenInleen": "0.5",
        "bron": "salarisadministratie"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["banenDienstverband"], body["verloondeUrenDienstverband"]) == ("10.00", "13260.00")  # / 1,326
    assert (body["banenInleen"], body["verloondeUrenInleen"]) == ("0.50", None)
    quarter = client.post("/api/v1/banenafspraaktellingen", {
        "werkgever": organisatie.pk, "jaar": 2025, "kwartaal": 1, "verloondeUrenDienstverband": "331.5",
        "verloondeUrenInleen": "0", "bron": "salarisadministratie"}, format="json")
    assert quarter.json()["banenDienstverband"] == "1.00"  # 25.5 h × 13 weeks = one job in a quarter
    patched = client.patch(f"/api/v1/banenafspraaktellingen/{body['id']}", {"banenDienstverband": "9"}, format="json")
    assert (patched.json()["banenDienstverband"], patched.json()["verloondeUrenDienstverband"]) == ("9.00", None)


def test_jobs_and_hours_of_one_kind_are_not_both_given_and_one_of_them_is_needed(team, organisatie, api):
    client = api(team["inkoop"])
    both = client.post("/api/v1/banenafspraaktellingen", {
        "werkgever": organisatie.pk, "jaar": 2024, "banenDienstverband": "1", "verloondeUrenDienstverband": "1326",
        "banenInleen": "0", "bron": "uwv"}, format="json")
    assert both.status_code == 400
    assert [p["name"] for p in both.json()["invalidParams"]] == ["verloondeUrenDienstverband"]
    neither = client.post("/api/v1/banenafspraaktellingen", {
        "werkgever": organisatie.pk, "jaar": 2024, "banenDienstverband": "1", "bron": "uwv"}, format="json")
    assert [p["name"] for p in neither.json()["invalidParams"]] == ["banenInleen"]
    assert not Telling.objects.exists()
