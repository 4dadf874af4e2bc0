"""A supplier learns nothing about another supplier's candidates (issue #11, item 8).

Supplier B registers a candidate reference that supplier A already used for a candidate with other
initials and another year of birth. Before, B was told "hoort bij een kandidaat met andere initialen
of een ander geboortejaar" (and the API listed the flags with A's registration number). Now B's
registration is stored with B's own candidate record; B's answer (HTML and JSON) says nothing about
A's candidate, registration, contract or organisation; the SR-team sees the flags.
"""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bouwblokken import services
from bouwblokken.models import Kandidaat, Registratie, Signaal
from tests.factories import make_contract

ANDERE_GEGEVENS = "Dezelfde referentie is ook geregistreerd met andere initialen of een ander geboortejaar"
OVERLAP = "Dezelfde kandidaat telt al mee voor overlappende maanden"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(team, zoetermeer, lansingerland, leverancier_a, leverancier_b):
    contract_a = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="ZM-GEHEIM-A")
    contract_b = make_contract(gemeente=lansingerland, leverancier=leverancier_b, kenmerk="LL-B-1")
    theirs = services.register(
        contract=contract_a, bouwblok_code="participatiewet", user=team["leverancier_a"],
        kandidaat={"referentie": "WSP-4242", "initialen": "X.Y.", "geboortejaar": 1966},
        startdatum=date(2024, 5, 1), einddatum=date(2025, 4, 30), uren_per_week=Decimal("36"),
        omschrijving="Hovenier bij Groen",
    )
    return {"a": contract_a, "b": contract_b, "theirs": theirs}


def leaks(text: str, world) -> list[str]:
    """What of supplier A's candidate and registration shows in ``text``."""
    theirs = world["theirs"]
    needles = ["X.Y.", "1966", "andere initialen", "ander geboortejaar", "ZM-GEHEIM-A", "Groen &amp; Grijs",
               "Groen & Grijs", "Groen \\u0026 Grijs", "Hovenier bij Groen", f"/controle/{theirs.pk}/",
               f"registraties/{theirs.pk}", ANDERE_GEGEVENS, OVERLAP, "overlap", "andere_gegevens"]
    return [needle for needle in needles if needle in text]


def flags_of(registratie) -> set:
    return set(Signaal.objects.filter(registratie=registratie).values_list("andere_registratie_id", "soort"))


def test_through_the_supplier_page_nothing_about_the_other_candidate(team, world):
    client = Client()
    client.force_login(team["leverancier_b"])
    url = reverse("bouwblokken:nieuw", kwargs={"pk": world["b"].pk, "code": "participatiewet"})
    form = {"referentie": "WSP-4242", "initialen": "P.Q.", "geboortejaar": "1990", "startdatum": "2024-06-01",
            "einddatum": "2025-05-31", "uren_per_week": "32", "omschrijving": "", "actie": "opslaan"}

    response = client.post(url, form, follow=True)

    assert response.status_code == 200
    assert "De registratie is opgeslagen als concept" in response.text
    assert leaks(response.text, world) == []
    mine = Registratie.objects.get(contract=world["b"])
    assert (mine.kandidaat.referentie, mine.kandidaat.initialen, mine.kandidaat.geboortejaar) == ("WSP-4242", "P.Q.", 1990)
    assert mine.kandidaat_id != world["theirs"].kandidaat_id
    # A's candidate record is untouched.
    assert Kandidaat.objects.filter(pk=world["theirs"].kandidaat_id, initialen="X.Y.", geboortejaar=1966).exists()
    # B's own pages about the registration say nothing either.
    for page in ("bouwblokken:registratie", "bouwblokken:wijzigen"):
        assert leaks(client.get(reverse(page, kwargs={"pk": mine.pk})).text, world) == [], page
    assert leaks(client.get(reverse("bouwblokken:contract", kwargs={"pk": world["b"].pk})).text, world) == []
    # The flags exist, for the SR-team.
    assert flags_of(mine) == {(world["theirs"].pk, "andere_gegevens"), (world["theirs"].pk, "overlap")}


def api_for(user) -> APIClient:
    token, _created = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_through_the_api_nothing_about_the_other_candidate(team, world):
    api = api_for(team["leverancier_b"])
    body = {"contract": world["b"].pk, "bouwblok": "participatiewet",
            "kandidaat": {"referentie": "WSP-4242", "initialen": "P.Q.", "geboortejaar": 1990},
            "startdatum": "2024-06-01", "einddatum": "2025-05-31", "urenPerWeek": "32"}

    response = api.post("/api/v1/registraties", body, format="json")

    assert response.status_code == 201, response.content
    created = response.json()
    assert created["kandidaat"] == {"referentie": "WSP-4242", "initialen": "P.Q.", "geboortejaar": 1990}
    assert created["signalen"] == []
    mine = Registratie.objects.get(pk=created["id"])
    assert flags_of(mine) == {(world["theirs"].pk, "andere_gegevens"), (world["theirs"].pk, "overlap")}
    for text in (response.content.decode(),
                 api.get(f"/api/v1/registraties/{mine.pk}").content.decode(),
                 api.get("/api/v1/registraties").content.decode()):
        assert leaks(text, world) == []
    # Correcting through the API (PATCH) says nothing either.
    patched = api.patch(f"/api/v1/registraties/{mine.pk}", {"urenPerWeek": "30", "versie": created["versie"]},
                        format="json")
    assert patched.status_code == 200, patched.content
    assert leaks(patched.content.decode(), world) == []


def test_the_same_data_under_the_same_reference_says_nothing_either(team, world):
    """Typing A's exact data gives the same answer as any other data: no way to test a guess."""
    api = api_for(team["leverancier_b"])
    body = {"contract": world["b"].pk, "bouwblok": "participatiewet",
            "kandidaat": {"referentie": "WSP-4242", "initialen": "X.Y.", "geboortejaar": 1966},
            "startdatum": "2024-06-01", "einddatum": "2025-05-31", "urenPerWeek": "32"}

    response = api.post("/api/v1/registraties", body, format="json")

    assert response.status_code == 201
    assert response.json()["signalen"] == []
    assert "ZM-GEHEIM-A" not in response.content.decode() and "Groen" not in response.content.decode()


def test_the_srteam_sees_the_flag_in_the_queue_the_detail_and_the_api(team, world):
    mine = services.register(
        contract=world["b"], bouwblok_code="participatiewet", user=team["leverancier_b"],
        kandidaat={"referentie": "WSP-4242", "initialen": "P.Q.", "geboortejaar": 1990},
        startdatum=date(2025, 6, 1), einddatum=date(2025, 12, 31), uren_per_week=Decimal("32"),
    )  # after A's months: only the "other data" flag
    services.submit(registratie=mine, user=team["leverancier_b"])
    client = Client()
    client.force_login(team["srteam"])

    queue = client.get(reverse("controle:queue")).text
    detail = client.get(reverse("controle:registratie", kwargs={"pk": mine.pk})).text
    api = api_for(team["srteam"]).get(f"/api/v1/registraties/{mine.pk}").json()

    assert ANDERE_GEGEVENS in queue and ANDERE_GEGEVENS in detail
    assert f"registratie {world['theirs'].pk} bij contract ZM-GEHEIM-A" in detail
    assert OVERLAP not in detail
    assert api["signalen"] == [{"soort": "andere_gegevens", "omschrijving": ANDERE_GEGEVENS,
                                "registratie": world["theirs"].pk}]


def test_the_overlap_rule_used_is_the_tested_one(monkeypatch, team, world):
    """``refresh_overlap_signals`` decides with ``calculation.counted_periods_overlap`` (tested in
    tests/bouwblokken/test_valuation.py), not a copy of its own."""
    from bouwblokken import calculation

    calls = []
    real = calculation.counted_periods_overlap

    def spy(a, b):
        calls.append((a.pk, b.pk))
        return real(a, b)

    monkeypatch.setattr(calculation, "counted_periods_overlap", spy)
    services.register(
        contract=world["b"], bouwblok_code="participatiewet",
        kandidaat={"referentie": "WSP-4242", "initialen": "X.Y.", "geboortejaar": 1966},
        startdatum=date(2025, 5, 1), uren_per_week=Decimal("36"),  # starts the day after A's last counted day
    )
    assert calls, "the tested rule was not used"
    assert Signaal.objects.filter(soort="overlap").count() == 0
    assert json.dumps(sorted(Signaal.objects.values_list("soort", flat=True))) == "[]"
