"""Every API write endpoint refuses bad input with a clear Dutch message and stores nothing.

Each case is sent by a user who may otherwise use the endpoint; the answer is problem+json naming
the field (400) or explaining the state (409), and the database is exactly as before.
"""

import re
from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from bouwblokken import services
from bouwblokken.models import Beoordeling, Bewijsstuk, Kandidaat, Registratie, RegistratieJaar
from contracts.models import Contract, Leverancier
from sroi_portal.models import Role
from tests.factories import UserFactory, make_contract

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(r"\b(the|this|field|must|ensure|valid|invalid|required|not a|may not|greater|less)\b", re.I)

CONTRACT = {
    "gemeente": "GM0637", "leverancier": "12345678", "kenmerk": "ZM-2025-001", "omschrijving": "Groenonderhoud",
    "categorie": "werken", "procedure": "europees", "gunningsdatum": "2024-02-01", "startdatum": "2024-04-01",
    "einddatum": "2026-03-31", "aanneemsom": "1000000.00", "loonsom": "400000.00",
}


class World:
    pass


@pytest.fixture
def world(zoetermeer, lansingerland, leverancier_a, leverancier_b):
    w = World()
    # No password: these users only use the API (and hashing is slow).
    w.inkoop = UserFactory(username="inkoop", role=Role.INKOOP, gemeenten=[zoetermeer], password=None)
    w.srteam = UserFactory(username="srteam", role=Role.SR_TEAM, gemeenten=[zoetermeer, lansingerland], password=None)
    w.leverancier_a = UserFactory(username="lev_a", role=Role.LEVERANCIER, leverancier=leverancier_a, password=None)
    w.leverancier_b = UserFactory(username="lev_b", role=Role.LEVERANCIER, leverancier=leverancier_b, password=None)
    w.contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="ZM-A")
    w.contract_b = make_contract(gemeente=zoetermeer, leverancier=leverancier_b, kenmerk="ZM-B")
    kandidaat = {"referentie": "WSP-1", "initialen": "A.", "geboortejaar": 1980}
    w.concept = services.register(contract=w.contract, bouwblok_code="ww", kandidaat=kandidaat,
                                  startdatum=date(2024, 5, 1), einddatum=date(2025, 4, 30), uren_per_week=Decimal(36))
    w.ingediend = services.register(contract=w.contract, bouwblok_code="sociaal_inkopen", startdatum=date(2024, 6, 1),
                                    bedrag=Decimal("5000.00"))
    services.submit(registratie=w.ingediend)
    w.other = services.register(contract=w.contract_b, bouwblok_code="sociaal_inkopen", startdatum=date(2024, 6, 1),
                                bedrag=Decimal("1000.00"))
    return w


def snapshot():
    from contracts.models import Afrekening, ContractWijziging

    counts = {model.__name__: model.objects.count() for model in
              (Contract, Leverancier, Registratie, RegistratieJaar, Kandidaat, Beoordeling, Bewijsstuk,
               ContractWijziging, Afrekening)}
    counts["history"] = Registratie.history.count() + Contract.history.count()
    rows = list(Registratie.objects.order_by("pk").values_list(
        "pk", "status", "versie", "waarde", "startdatum", "einddatum", "uren_per_week", "bedrag"))
    contracts = list(Contract.objects.order_by("pk").values_list(
        "pk", "einddatum", "aanneemsom", "loonsom", "verplichting_bedrag", "gemeente_id"))
    return counts, rows, contracts


def problem(response):
    assert response["Content-Type"].startswith("application/problem+json"), response.content
    body = response.json()
    assert body["status"] == response.status_code
    assert body["title"] and body["detail"]
    return body


R = "/api/v1/registraties"
C = "/api/v1/contracten"

# (id, user, method, url(world), payload(world), status, field or None, fragment of the Dutch message)
CASES = [
    # contracts
    ("contract-dates-out-of-order", "inkoop", "post", lambda w: C, lambda w: {**CONTRACT, "einddatum": "2024-01-01"},
     400, "einddatum", "vóór de startdatum"),
    ("contract-negative-amount", "inkoop", "post", lambda w: C, lambda w: {**CONTRACT, "aanneemsom": "-1.00"},
     400, "aanneemsom", ""),
    ("contract-absurd-amount", "inkoop", "post", lambda w: C,
     lambda w: {**CONTRACT, "aanneemsom": "20000000000.00", "loonsom": "1.00"}, 400, "aanneemsom", "10 miljard"),
    ("contract-absurd-loonsom", "inkoop", "post", lambda w: C, lambda w: {**CONTRACT, "loonsom": "99999999999.00"},
     400, "loonsom", ""),
    ("contract-loonsom-above-aanneemsom", "inkoop", "post", lambda w: C, lambda w: {**CONTRACT, "loonsom": "2000000"},
     400, "loonsom", "aanneemsom"),
    ("contract-unknown-gemeente", "inkoop", "post", lambda w: C, lambda w: {**CONTRACT, "gemeente": "GM9999"},
     400, "gemeente", "GM9999"),
    ("contract-unknown-leverancier", "inkoop", "post", lambda w: C, lambda w: {**CONTRACT, "leverancier": "99999999"},
     400, "leverancier", "99999999"),
    ("contract-unknown-categorie", "inkoop", "post", lambda w: C, lambda w: {**CONTRACT, "categorie": "bouw"},
     400, "categorie", "bouw"),
    ("contract-impossible-date", "inkoop", "post", lambda w: C, lambda w: {**CONTRACT, "gunningsdatum": "2024-02-30"},
     400, "gunningsdatum", ""),
    ("contract-amount-not-a-number", "inkoop", "post", lambda w: C, lambda w: {**CONTRACT, "aanneemsom": "veel"},
     400, "aanneemsom", ""),
    ("contract-extra-percentage-above-100", "inkoop", "post", lambda w: C,
     lambda w: {**CONTRACT, "extraPercentage": "150"}, 400, "extraPercentage", ""),
    ("contract-patch-dates-out-of-order", "inkoop", "patch", lambda w: f"{C}/{w.contract.pk}",
     lambda w: {"einddatum": "2023-01-01"}, 400, "einddatum", "vóór de startdatum"),
    ("contract-patch-absurd-amount", "inkoop", "patch", lambda w: f"{C}/{w.contract.pk}",
     lambda w: {"aanneemsom": "10000000000.01"}, 400, "aanneemsom", "10 miljard"),
    # suppliers
    ("leverancier-kvk-too-short", "inkoop", "post", lambda w: "/api/v1/leveranciers",
     lambda w: {"kvkNummer": "1234", "naam": "Kort B.V."}, 400, "kvkNummer", "8 cijfers"),
    ("leverancier-duplicate-kvk", "inkoop", "post", lambda w: "/api/v1/leveranciers",
     lambda w: {"kvkNummer": "12345678", "naam": "Dubbel B.V."}, 400, "kvkNummer", "al een leverancier"),
    # registrations
    ("registratie-dates-out-of-order", "leverancier_a", "post", lambda w: R,
     lambda w: {"contract": w.contract.pk, "bouwblok": "ww", "startdatum": "2024-06-01", "einddatum": "2024-05-01",
                "urenPerWeek": "36", "kandidaat": {"referentie": "WSP-9", "initialen": "B.", "geboortejaar": 1990}},
     400, "einddatum", ""),
    ("registratie-hours-above-60", "leverancier_a", "post", lambda w: R,
     lambda w: {"contract": w.contract.pk, "bouwblok": "ww", "startdatum": "2024-06-01", "urenPerWeek": "61",
                "kandidaat": {"referentie": "WSP-9", "initialen": "B.", "geboortejaar": 1990}}, 400, "urenPerWeek", "60"),
    ("registratie-negative-amount", "leverancier_a", "post", lambda w: R,
     lambda w: {"contract": w.contract.pk, "bouwblok": "sociaal_inkopen", "startdatum": "2024-06-01", "bedrag": "-5"},
     400, "bedrag", ""),
    ("registratie-absurd-amount", "leverancier_a", "post", lambda w: R,
     lambda w: {"contract": w.contract.pk, "bouwblok": "sociaal_inkopen", "startdatum": "2024-06-01",
                "bedrag": "20000000000"}, 400, "bedrag", "10 miljard"),
    ("registratie-unknown-bouwblok", "leverancier_a", "post", lambda w: R,
     lambda w: {"contract": w.contract.pk, "bouwblok": "onbekend", "startdatum": "2024-06-01", "bedrag": "5"},
     400, "bouwblok", "bestaat niet"),
    ("registratie-on-someone-elses-contract", "leverancier_a", "post", lambda w: R,
     lambda w: {"contract": w.contract_b.pk, "bouwblok": "sociaal_inkopen", "startdatum": "2024-06-01", "bedrag": "5"},
     404, None, "Onbekend contract"),
    ("registratie-on-missing-contract", "leverancier_a", "post", lambda w: R,
     lambda w: {"contract": 987654, "bouwblok": "sociaal_inkopen", "startdatum": "2024-06-01", "bedrag": "5"},
     404, None, "Onbekend contract"),
    ("registratie-bonus-on-someone-elses-placement", "leverancier_a", "post", lambda w: R,
     lambda w: {"contract": w.contract.pk, "bouwblok": "bonus_55_plus", "hoofdregistratie": w.other.pk,
                "startdatum": "2024-06-01"}, 400, "hoofdregistratie", ""),
    ("registratie-bsn-as-reference", "leverancier_a", "post", lambda w: R,
     lambda w: {"contract": w.contract.pk, "bouwblok": "ww", "startdatum": "2024-06-01", "urenPerWeek": "36",
                "kandidaat": {"referentie": "111222333", "initialen": "B.", "geboortejaar": 1990}},
     400, "kandidaat.referentie", "burgerservicenummer"),
    ("registratie-absurd-birth-year", "leverancier_a", "post", lambda w: R,
     lambda w: {"contract": w.contract.pk, "bouwblok": "ww", "startdatum": "2024-06-01", "urenPerWeek": "36",
                "kandidaat": {"referentie": "WSP-9", "initialen": "B.", "geboortejaar": 2020}},
     400, "kandidaat.geboortejaar", ""),
    ("registratie-patch-zero-hours", "leverancier_a", "patch", lambda w: f"{R}/{w.concept.pk}",
     lambda w: {"urenPerWeek": "0"}, 400, "urenPerWeek", ""),
    ("registratie-patch-stale-version", "leverancier_a", "patch", lambda w: f"{R}/{w.concept.pk}",
     lambda w: {"urenPerWeek": "20", "versie": w.concept.versie - 1}, 409, None, "intussen gewijzigd"),
    ("registratie-patch-submitted", "leverancier_a", "patch", lambda w: f"{R}/{w.ingediend.pk}",
     lambda w: {"bedrag": "6000"}, 409, None, "ingediende"),
    ("indiening-twice", "leverancier_a", "post", lambda w: f"{R}/{w.ingediend.pk}/indiening",
     lambda w: None, 409, None, "Alleen een concept"),
    ("beoordeling-of-a-concept", "srteam", "post", lambda w: f"{R}/{w.concept.pk}/beoordeling",
     lambda w: {"besluit": "goedgekeurd"}, 409, None, "Alleen een ingediende registratie"),
    ("beoordeling-unknown-decision", "srteam", "post", lambda w: f"{R}/{w.ingediend.pk}/beoordeling",
     lambda w: {"besluit": "misschien"}, 400, "besluit", "misschien"),
    ("beoordeling-rejection-without-reason", "srteam", "post", lambda w: f"{R}/{w.ingediend.pk}/beoordeling",
     lambda w: {"besluit": "afgekeurd", "toelichting": "  "}, 400, "toelichting", "reden"),
]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_bad_input_is_refused_in_dutch_and_stores_nothing(world, case):
    _id, who, method, url, payload, status, field, fragment = case
    client = APIClient()
    client.force_authenticate(getattr(world, who))
    before = snapshot()
    response = getattr(client, method)(url(world), payload(world), format="json")
    assert response.status_code == status, response.content
    body = problem(response)
    if field:
        reasons = {p["name"]: p["reason"] for p in body["invalidParams"]}
        assert field in reasons, reasons
        message = reasons[field]
    else:
        message = body["detail"]
    assert fragment in message
    assert not ENGLISH.search(message), message
    assert snapshot() == before


def test_malformed_json_is_a_dutch_400(world):
    client = APIClient()
    client.force_authenticate(world.inkoop)
    before = snapshot()
    response = client.post(C, data='{"gemeente": ', content_type="application/json")
    assert response.status_code == 400
    assert not ENGLISH.search(problem(response)["detail"])
    assert snapshot() == before


def test_wrong_content_type_is_a_415_problem(world):
    client = APIClient()
    client.force_authenticate(world.inkoop)
    response = client.post(C, data="gemeente=GM0637", content_type="text/plain")
    assert response.status_code == 415
    problem(response)
