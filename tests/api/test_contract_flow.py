"""API v1 end to end with a token: create a contract, see its obligation, register, submit, approve,
see the realisation; bad input gets a 400 problem+json naming the field and stores nothing."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bouwblokken.models import Registratie
from contracts.models import Contract, Leverancier

pytestmark = pytest.mark.django_db

CONTRACT = {
    "gemeente": "GM0637",
    "leverancier": "12345678",
    "kenmerk": "ZM-2024-017",
    "omschrijving": "Groot onderhoud fietspaden",
    "categorie": "werken",
    "procedure": "europees",
    "gunningsdatum": "2023-03-01",
    "startdatum": "2024-04-01",
    "einddatum": "2026-03-31",
    "aanneemsom": "1000000.00",
    "loonsom": "400000.00",
    "extraPercentage": "1.00",
    "seboKeurmerk": False,
}


def client_for(user):
    token, _ = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_whole_flow_with_tokens(team):
    inkoop, supplier, srteam = (client_for(team[name]) for name in ("inkoop", "leverancier_a", "srteam"))

    response = inkoop.post("/api/v1/contracten", CONTRACT, format="json")
    assert response.status_code == 201, response.json()
    contract = response.json()
    # 5% + 1% extra of EUR 1,000,000: the wage share is 40%, above the 30% threshold.
    assert contract["verplichting"]["vanToepassing"] is True
    assert contract["verplichting"]["percentage"] == "6.00"
    assert contract["verplichting"]["bedrag"] == "60000.00"
    assert contract["verplichting"]["reden"]
    assert contract["realisatie"]["status"] in {"op_schema", "achter"}
    assert contract["url"].endswith(f"/api/v1/contracten/{contract['id']}")

    # The supplier registers a Participatiewet placement: 24 h/week for 18 months -> EUR 40,000.00.
    response = supplier.post(
        "/api/v1/registraties",
        {
            "contract": contract["id"],
            "bouwblok": "participatiewet",
            "kandidaat": {"referentie": "WSP-4711", "initialen": "J.", "geboortejaar": 1988},
            "startdatum": "2024-04-01",
            "einddatum": "2025-09-30",
            "urenPerWeek": "24",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    registratie = response.json()
    assert registratie["status"] == "concept"
    # The 2019 catalogue applies (award before 1 July 2023): Participatiewet is EUR 30,000 a year.
    assert registratie["waarde"] == "30000.00"
    assert registratie["perJaar"] == [{"jaar": 2024, "waarde": "15000.00"}, {"jaar": 2025, "waarde": "15000.00"}]

    response = supplier.post(f"/api/v1/registraties/{registratie['id']}/indiening")
    assert response.status_code == 200
    assert response.json()["status"] == "ingediend"
    realisatie = srteam.get(f"/api/v1/contracten/{contract['id']}").json()["realisatie"]
    assert realisatie["goedgekeurd"] == "0.00"
    assert realisatie["inBehandeling"] == "30000.00"

    # No evidence was uploaded (the API has no upload): the approval records why (SROI-RULES §3 step 6).
    response = srteam.post(f"/api/v1/registraties/{registratie['id']}/beoordeling",
                           {"besluit": "goedgekeurd", "redenZonderBewijs": "Bewijs buiten het portaal gezien."},
                           format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "goedgekeurd"

    realisatie = supplier.get(f"/api/v1/contracten/{contract['id']}").json()["realisatie"]
    assert realisatie["goedgekeurd"] == "30000.00"
    assert realisatie["inBehandeling"] == "0.00"
    assert realisatie["percentage"] == "50.00"
    assert realisatie["perJaar"] == [
        {"jaar": 2024, "gerealiseerd": "15000.00", "goedgekeurd": "15000.00", "inBehandeling": "0.00"},
        {"jaar": 2025, "gerealiseerd": "15000.00", "goedgekeurd": "15000.00", "inBehandeling": "0.00"},
    ]


def test_contract_in_2023_catalogue_values_participatiewet_higher(team):
    inkoop, supplier = client_for(team["inkoop"]), client_for(team["leverancier_a"])
    contract = inkoop.post(
        "/api/v1/contracten",
        {**CONTRACT, "gunningsdatum": "2023-07-01", "kenmerk": "ZM-2023-100"},
        format="json",
    ).json()
    assert contract["catalogus"]["geldigVanaf"] == "2023-07-01"
    registratie = supplier.post(
        "/api/v1/registraties",
        {"contract": contract["id"], "bouwblok": "participatiewet",
         "kandidaat": {"referentie": "WSP-4712", "initialen": "K.", "geboortejaar": 1990},
         "startdatum": "2024-04-01", "einddatum": "2025-09-30", "urenPerWeek": "24"},
        format="json",
    ).json()
    # The rules doc's worked example: 40,000 × 24/36 × 18/12.
    assert registratie["waarde"] == "40000.00"


def problem_fields(response):
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == response.status_code
    return {param["name"]: param["reason"] for param in body.get("invalidParams", [])}


def test_bad_contract_input_names_the_field_and_stores_nothing(team):
    inkoop = client_for(team["inkoop"])
    response = inkoop.post(
        "/api/v1/contracten",
        {**CONTRACT, "loonsom": "1500000.00", "einddatum": "2024-01-01", "categorie": "bouw"},
        format="json",
    )
    assert response.status_code == 400
    fields = problem_fields(response)
    assert "categorie" in fields

    response = inkoop.post("/api/v1/contracten", {**CONTRACT, "loonsom": "1500000.00"}, format="json")
    assert response.status_code == 400
    assert "aanneemsom" in problem_fields(response)["loonsom"]

    response = inkoop.post("/api/v1/contracten", {**CONTRACT, "einddatum": "2024-01-01"}, format="json")
    assert response.status_code == 400
    assert "vóór de startdatum" in problem_fields(response)["einddatum"]

    response = inkoop.post("/api/v1/contracten", {**CONTRACT, "leverancier": "99999999"}, format="json")
    assert response.status_code == 400
    assert "99999999" in problem_fields(response)["leverancier"]
    assert Contract.objects.count() == 0


def test_bad_registration_input_names_the_nested_field_and_stores_nothing(team, zoetermeer, leverancier_a):
    from tests.factories import make_contract

    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a)
    supplier = client_for(team["leverancier_a"])
    base = {"contract": contract.pk, "bouwblok": "ww", "startdatum": "2024-05-01", "urenPerWeek": "36",
            "kandidaat": {"referentie": "WSP-1", "initialen": "A.", "geboortejaar": 1980}}

    response = supplier.post("/api/v1/registraties", {**base, "urenPerWeek": "70"}, format="json")
    assert response.status_code == 400
    assert "urenPerWeek" in problem_fields(response)

    response = supplier.post("/api/v1/registraties", {**base, "kandidaat": {"referentie": "111222333", "initialen": "A.",
                                                                            "geboortejaar": 1980}}, format="json")
    assert response.status_code == 400
    assert "burgerservicenummer" in problem_fields(response)["kandidaat.referentie"]

    response = supplier.post("/api/v1/registraties", {**base, "bouwblok": "onbekend"}, format="json")
    assert response.status_code == 400
    assert "bouwblok" in problem_fields(response)

    response = supplier.post("/api/v1/registraties", {**base, "startdatum": "2022-01-01"}, format="json")
    assert response.status_code == 400
    assert "12 maanden" in problem_fields(response)["startdatum"]
    assert Registratie.objects.count() == 0


def test_a_rejection_needs_a_reason_and_only_submitted_ones_are_decided(team, zoetermeer, leverancier_a):
    from tests.factories import make_contract

    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a)
    supplier, srteam = client_for(team["leverancier_a"]), client_for(team["srteam"])
    registratie = supplier.post(
        "/api/v1/registraties",
        {"contract": contract.pk, "bouwblok": "sociaal_inkopen", "startdatum": "2024-06-01", "bedrag": "12500.00"},
        format="json",
    ).json()
    assert registratie["waarde"] == "12500.00"

    response = srteam.post(f"/api/v1/registraties/{registratie['id']}/beoordeling", {"besluit": "goedgekeurd"}, format="json")
    assert response.status_code == 409
    assert "ingediende" in response.json()["detail"]

    supplier.post(f"/api/v1/registraties/{registratie['id']}/indiening")
    response = srteam.post(f"/api/v1/registraties/{registratie['id']}/beoordeling", {"besluit": "afgekeurd"}, format="json")
    assert response.status_code == 400
    assert "toelichting" in problem_fields(response)

    response = srteam.post(
        f"/api/v1/registraties/{registratie['id']}/beoordeling",
        {"besluit": "afgekeurd", "toelichting": "De factuur ontbreekt."},
        format="json",
    )
    assert response.json()["status"] == "afgekeurd"
    # Rejected ones do not count at all; the supplier sees the reason and corrects.
    seen = supplier.get(f"/api/v1/registraties/{registratie['id']}").json()
    assert seen["beoordeling"]["toelichting"] == "De factuur ontbreekt."
    realisatie = supplier.get(f"/api/v1/contracten/{contract.pk}").json()["realisatie"]
    assert realisatie["goedgekeurd"] == "0.00" and realisatie["inBehandeling"] == "0.00"

    response = supplier.patch(f"/api/v1/registraties/{registratie['id']}", {"bedrag": "13000.00"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "concept"
    assert response.json()["waarde"] == "13000.00"


def test_suppliers_see_only_their_own_data(team, zoetermeer, leverancier_a, leverancier_b):
    from tests.factories import make_contract

    own = make_contract(gemeente=zoetermeer, leverancier=leverancier_a)
    other = make_contract(gemeente=zoetermeer, leverancier=leverancier_b)
    supplier = client_for(team["leverancier_a"])
    listed = [c["id"] for c in supplier.get("/api/v1/contracten").json()["results"]]
    assert listed == [own.pk]
    assert supplier.get(f"/api/v1/contracten/{other.pk}").status_code == 404
    response = supplier.post(
        "/api/v1/registraties",
        {"contract": other.pk, "bouwblok": "sociaal_inkopen", "startdatum": "2024-06-01", "bedrag": "100.00"},
        format="json",
    )
    # Someone else's contract is as unknown as a contract that does not exist.
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert Registratie.objects.count() == 0
    assert [l["kvkNummer"] for l in supplier.get("/api/v1/leveranciers").json()["results"]] == ["12345678"]


def test_roles_are_limited_to_what_they_may_do(team, zoetermeer, lansingerland, leverancier_a):
    from tests.factories import make_contract

    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a)
    # Inkoop of Zoetermeer may not enter a contract for Lansingerland.
    response = client_for(team["inkoop"]).post("/api/v1/contracten", {**CONTRACT, "gemeente": "GM1621"}, format="json")
    assert response.status_code == 403
    # A council member sees aggregates only: no individual contracts.
    assert client_for(team["raadslid"]).get("/api/v1/contracten").json()["count"] == 0
    assert client_for(team["raadslid"]).get(f"/api/v1/contracten/{contract.pk}").status_code == 404
    # Suppliers cannot decide; staff cannot register on a supplier's behalf.
    registratie = client_for(team["leverancier_a"]).post(
        "/api/v1/registraties",
        {"contract": contract.pk, "bouwblok": "sociaal_inkopen", "startdatum": "2024-06-01", "bedrag": "100.00"},
        format="json",
    ).json()
    client_for(team["leverancier_a"]).post(f"/api/v1/registraties/{registratie['id']}/indiening")
    response = client_for(team["leverancier_a"]).post(
        f"/api/v1/registraties/{registratie['id']}/beoordeling", {"besluit": "goedgekeurd"}, format="json"
    )
    assert response.status_code == 403
    response = client_for(team["srteam"]).post(
        "/api/v1/registraties",
        {"contract": contract.pk, "bouwblok": "sociaal_inkopen", "startdatum": "2024-06-01", "bedrag": "100.00"},
        format="json",
    )
    assert response.status_code == 403
    # Anonymous: 401 with problem+json.
    response = APIClient().get("/api/v1/contracten")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")


def test_suppliers_can_be_registered_with_a_valid_kvk_number(team):
    inkoop = client_for(team["inkoop"])
    response = inkoop.post("/api/v1/leveranciers", {"kvkNummer": "1234567", "naam": "Te kort B.V."}, format="json")
    assert response.status_code == 400
    assert "8 cijfers" in problem_fields(response)["kvkNummer"]
    response = inkoop.post("/api/v1/leveranciers", {"kvkNummer": "11223344", "naam": "Nieuw B.V."}, format="json")
    assert response.status_code == 201
    assert response.json() == {"kvkNummer": "11223344", "naam": "Nieuw B.V."}
    response = inkoop.post("/api/v1/leveranciers", {"kvkNummer": "11223344", "naam": "Dubbel B.V."}, format="json")
    assert response.status_code == 400
    assert Leverancier.objects.filter(kvk_nummer="11223344").count() == 1
    response = client_for(team["leverancier_a"]).post("/api/v1/leveranciers", {"kvkNummer": "55667788", "naam": "X"}, format="json")
    assert response.status_code == 403


def test_catalogue_is_filtered_by_the_version_in_force(team):
    client = client_for(team["inkoop"])
    before = client.get("/api/v1/bouwblokken", {"peildatum": "2023-06-30", "pageSize": 100}).json()["results"]
    after = client.get("/api/v1/bouwblokken", {"peildatum": "2023-07-01", "pageSize": 100}).json()["results"]
    ww_before = next(b for b in before if b["code"] == "ww")
    ww_after = next(b for b in after if b["code"] == "ww")
    assert (ww_before["waarde"], ww_after["waarde"]) == ("10000.00", "20000.00")
    assert {b["code"] for b in before} >= {"bbl"} and "bbl" not in {b["code"] for b in after}
    assert {"bbl_niveau_1_2", "bbl_niveau_3_plus"} <= {b["code"] for b in after}
    assert ww_after["maxMaanden"] == 12 and ww_after["waarderingswijze"] == "per_jaar"


def test_conventions_openapi_version_header_and_no_trailing_slash(team):
    anonymous = APIClient()
    response = anonymous.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in ("/api/v1/contracten", "/api/v1/registraties/{id}/beoordeling", "/api/v1/registraties/{id}/indiening",
                 "/api/v1/gemeenten", "/api/v1/leveranciers", "/api/v1/bouwblokken"):
        assert path in schema["paths"], path
    assert response["API-Version"]
    inkoop = client_for(team["inkoop"])
    assert inkoop.get("/api/v1/gemeenten").status_code == 200
    response = inkoop.get("/api/v1/gemeenten/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert [g["code"] for g in inkoop.get("/api/v1/gemeenten").json()["results"]] == ["GM0637", "GM1621"]


def test_token_is_made_with_drf_create_token(team):
    call_command("drf_create_token", "inkoop")
    token = Token.objects.get(user=team["inkoop"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/contracten").status_code == 200


def test_money_in_the_api_is_a_two_decimal_string(team):
    inkoop = client_for(team["inkoop"])
    contract = inkoop.post("/api/v1/contracten", {**CONTRACT, "aanneemsom": 123456.7, "loonsom": 20000}, format="json").json()
    # Wage share 16% < 30%: 2% + 1% extra of 123,456.70 = 3,703.701 -> 3,703.70.
    assert contract["aanneemsom"] == "123456.70"
    assert contract["verplichting"]["bedrag"] == "3703.70"
    assert Decimal(contract["verplichting"]["percentage"]) == Decimal("3")
