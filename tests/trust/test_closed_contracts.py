"""Closed means closed (issue #11, rules §2 "Progress, status and settlement").

Once a contract is settled no registration is added, changed, submitted or decided, and no value
change or exemption is recorded, on any way in: the service guard (``contracts.services.ensure_open``),
the pages, the API (token and session), the Django admin and the import. Only a correction of the
settlement itself, with a reason, stays possible. A refused write changes nothing in the database.

Also here: settling before the end date is refused by the service, and a contract's supplier cannot
change once it has registrations (``contracts.services.ensure_supplier_may_change``).
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bouwblokken import services as registrations
from bouwblokken.models import Beoordeling, Bewijsstuk, Registratie
from contracts import imports, services
from contracts.models import Afrekening, Contract, ContractWijziging, Ontheffing
from sroi_portal.errors import StateConflict
from sroi_portal.models import Role
from tests.access.world import use_private_storage
from tests.factories import UserFactory, make_contract

CLOSED = "Dit contract is afgerekend en daarmee gesloten"
SUPPLIER_CHANGE = "De leverancier van dit contract kan niet meer worden gewijzigd"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SETTLED_ON = date(2025, 1, 15)


@pytest.fixture(autouse=True)
def _fast_and_private(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    use_private_storage(settings, tmp_path / "private")


def invoice(contract, *, bedrag="10000.00", start=date(2024, 6, 1), user=None):
    return registrations.register(contract=contract, bouwblok_code="sociaal_inkopen", startdatum=start,
                                  bedrag=Decimal(bedrag), omschrijving="Factuur", user=user)


@pytest.fixture
def world(team, zoetermeer, leverancier_a):
    """A contract of supplier A that ended on 31-12-2024, with a concept, a submitted and an approved
    registration and an exemption, settled on 15-01-2025."""
    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="AF-CLOSED",
                             gunningsdatum=date(2023, 11, 1), startdatum=date(2024, 1, 1), einddatum=date(2024, 12, 31))
    concept = invoice(contract, user=team["leverancier_a"])
    submitted = registrations.submit(registratie=invoice(contract, bedrag="5000.00", user=team["leverancier_a"]),
                                     user=team["leverancier_a"])
    approved = registrations.submit(registratie=invoice(contract, bedrag="20000.00", user=team["leverancier_a"]),
                                    user=team["leverancier_a"])
    approved = registrations.decide(registratie=approved, besluit="goedgekeurd", user=team["srteam"],
                                    reden_zonder_bewijs="Bewijs buiten het portaal gezien.")
    services.record_exemption(contract=contract, soort="gedeeltelijk", bedrag=Decimal("40000.00"),
                              besluitdatum=date(2024, 2, 1), besloten_door="L. de Vries", reden="Weinig arbeid.")
    services.settle_contract(contract=contract, besluit="Tekort verrekend", datum=SETTLED_ON, user=team["srteam"])
    contract.refresh_from_db()
    return {"contract": contract, "concept": concept, "submitted": submitted, "approved": approved}


def snapshot():
    """Everything a refused write might have touched."""
    return {
        "registraties": sorted(Registratie.objects.values_list(
            "pk", "status", "versie", "waarde", "startdatum", "bedrag", "omschrijving", "ingediend_op",
            "beoordeeld_op", "gewijzigd_op")),
        "historie": Registratie.history.count(),
        "beoordelingen": Beoordeling.objects.count(),
        "bewijsstukken": Bewijsstuk.objects.count(),
        "wijzigingen": ContractWijziging.objects.count(),
        "ontheffingen": sorted(Ontheffing.objects.values_list("pk", "soort", "bedrag", "reden")),
        "contracten": sorted(Contract.objects.values_list(
            "pk", "leverancier_id", "kenmerk", "omschrijving", "actuele_aanneemsom", "actuele_einddatum",
            "verplichting_bedrag")),
        "afrekeningen": sorted(Afrekening.objects.values_list("pk", "besluit", "tekort", "correctie_reden")),
    }


# --- the service guard ---------------------------------------------------------------------------

def test_every_write_service_refuses_a_settled_contract_and_changes_nothing(team, world):
    contract, concept, submitted = world["contract"], world["concept"], world["submitted"]
    before = snapshot()
    attempts = {
        "register": lambda: invoice(contract),
        "update_registration": lambda: registrations.update_registration(registratie=concept, omschrijving="Nieuw"),
        "submit": lambda: registrations.submit(registratie=concept, user=team["leverancier_a"]),
        "submit_year": lambda: registrations.submit_year(contract=contract, jaar=2024, user=team["leverancier_a"]),
        "decide": lambda: registrations.decide(registratie=submitted, besluit="goedgekeurd", user=team["srteam"]),
        "add_evidence": lambda: registrations.add_evidence(
            registratie=concept, bestand=SimpleUploadedFile("factuur.pdf", PDF), user=team["leverancier_a"]),
        "record_value_change": lambda: services.record_value_change(
            contract=contract, soort="meerwerk", datum=date(2024, 6, 1), bedrag=Decimal("1000")),
        "record_exemption": lambda: services.record_exemption(
            contract=contract, soort="volledig", besluitdatum=date(2024, 6, 1), besloten_door="L. de Vries",
            reden="Geen arbeid."),
        "update_contract": lambda: services.update_contract(contract=contract, omschrijving="Anders"),
    }
    for name, attempt in attempts.items():
        with pytest.raises(StateConflict) as refused:
            attempt()
        assert CLOSED in refused.value.message, name
    assert snapshot() == before

    # Only the settlement itself can still be corrected, with a reason.
    with pytest.raises(ValidationError):
        services.settle_contract(contract=contract, besluit="Opnieuw", datum=SETTLED_ON)
    afrekening = services.settle_contract(contract=contract, besluit="Gecorrigeerd", datum=date(2025, 2, 1),
                                          correctie_reden="Rekenfout in de sanctie", user=team["srteam"])
    assert afrekening.besluit == "Gecorrigeerd" and afrekening.history.count() == 2


def test_settling_before_the_end_date_is_refused_by_the_service(zoetermeer, leverancier_a):
    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, gunningsdatum=date(2023, 11, 1),
                             startdatum=date(2024, 1, 1), einddatum=date(2024, 12, 31))

    with pytest.raises(ValidationError) as refused:
        services.settle_contract(contract=contract, besluit="Te vroeg", datum=date(2024, 12, 30))

    assert "afrekenen kan vanaf de einddatum" in str(refused.value) and "31-12-2024" in str(refused.value)
    assert not Afrekening.objects.exists()
    services.settle_contract(contract=contract, besluit="Op de einddatum", datum=date(2024, 12, 31))
    assert Afrekening.objects.get().besluit == "Op de einddatum"


# --- pages ---------------------------------------------------------------------------------------

def test_the_pages_refuse_a_settled_contract(client, team, world):
    submitted = world["submitted"]
    client.force_login(team["srteam"])
    before = snapshot()

    detail = client.get(reverse("controle:registratie", args=[submitted.pk]))
    single = client.post(reverse("controle:decide", args=[submitted.pk]),
                         {"besluit": "goedgekeurd", "versie": submitted.versie})
    bulk = client.post(reverse("controle:bulk_approve"),
                       {"registraties": [submitted.pk], "bevestig": "1", f"versie_{submitted.pk}": submitted.versie},
                       follow=True)

    assert CLOSED in detail.text and 'name="besluit"' not in detail.text  # no decision form, the reason instead
    assert single.status_code == 400 and CLOSED in single.text
    assert "Er is niets goedgekeurd" in bulk.text and CLOSED in bulk.text
    assert snapshot() == before

    # The supplier's pages: no new registration, no submission.
    client.force_login(team["leverancier_a"])
    new = client.post(reverse("bouwblokken:nieuw", args=[world["contract"].pk, "sociaal_inkopen"]),
                      {"startdatum": "2024-06-01", "bedrag": "100", "omschrijving": "Factuur"})
    submit = client.post(reverse("bouwblokken:indienen", args=[world["concept"].pk]))

    assert new.status_code in (302, 400, 403) and submit.status_code in (302, 403)
    assert snapshot() == before


# --- API: token and session ------------------------------------------------------------------------

def api_with_token(user):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api


def api_with_session(user):
    api = APIClient()
    api.force_login(user)
    return api


@pytest.mark.parametrize("make_client", [api_with_token, api_with_session], ids=["token", "session"])
def test_the_api_refuses_every_write_on_a_settled_contract(team, world, make_client):
    contract, concept, submitted = world["contract"], world["concept"], world["submitted"]
    supplier, srteam, inkoop = (make_client(team[name]) for name in ("leverancier_a", "srteam", "inkoop"))
    before = snapshot()

    responses = {
        "create": supplier.post("/api/v1/registraties", {
            "contract": contract.pk, "bouwblok": "sociaal_inkopen", "startdatum": "2024-06-01", "bedrag": "100.00",
        }, format="json"),
        "patch": supplier.patch(f"/api/v1/registraties/{concept.pk}", {"omschrijving": "Nieuw"}, format="json"),
        "indiening": supplier.post(f"/api/v1/registraties/{concept.pk}/indiening"),
        "beoordeling": srteam.post(f"/api/v1/registraties/{submitted.pk}/beoordeling",
                                   {"besluit": "goedgekeurd"}, format="json"),
        "contract": inkoop.patch(f"/api/v1/contracten/{contract.pk}", {"omschrijving": "Anders"}, format="json"),
    }

    for name, response in responses.items():
        assert response.status_code == 409, (name, response.status_code, response.content)
        assert response["Content-Type"].startswith("application/problem+json")
        assert CLOSED in response.json()["detail"], name
    assert snapshot() == before


# --- Django admin ----------------------------------------------------------------------------------

@pytest.fixture
def admin_client(db):
    beheerder = UserFactory(username="opperbeheerder", role=Role.BEHEERDER, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(beheerder)
    return client


def test_the_admin_cannot_change_or_delete_what_a_settled_contract_holds(admin_client, world):
    contract, concept = world["contract"], world["concept"]
    afrekening, ontheffing = contract.afrekening, contract.ontheffing
    before = snapshot()

    page = admin_client.get(reverse("admin:bouwblokken_registratie_change", args=[concept.pk]))
    change = admin_client.post(reverse("admin:bouwblokken_registratie_change", args=[concept.pk]), {"_save": "1"})
    delete = admin_client.post(reverse("admin:bouwblokken_registratie_delete", args=[concept.pk]), {"post": "yes"})
    bulk = admin_client.post(reverse("admin:bouwblokken_registratie_changelist"),
                             {"action": "delete_selected", "_selected_action": [concept.pk], "post": "yes"})
    settlement = admin_client.post(reverse("admin:contracts_afrekening_delete", args=[afrekening.pk]), {"post": "yes"})
    exemption = admin_client.post(reverse("admin:contracts_ontheffing_delete", args=[ontheffing.pk]), {"post": "yes"})
    contract_change = admin_client.post(reverse("admin:contracts_contract_change", args=[contract.pk]), {"_save": "1"})

    assert page.status_code == 200 and 'name="_save"' not in page.text  # a view page, no save button
    assert change.status_code == 403 and delete.status_code == 403
    assert bulk.status_code in (200, 403)
    assert settlement.status_code == 403 and exemption.status_code == 403 and contract_change.status_code == 403
    assert snapshot() == before


# --- import ------------------------------------------------------------------------------------------

def sheet(**overrides):
    values = {
        "gemeente": "GM0637", "leverancierKvk": "12345678", "leverancierNaam": "", "kenmerk": "IMP-1",
        "omschrijving": "Groenonderhoud", "categorie": "diensten", "procedure": "europees",
        "gunningsdatum": "01-11-2023", "startdatum": "01-01-2024", "einddatum": "31-12-2024",
        "aanneemsom": "1.000.000,00", "loonsom": "400.000,00", "extraPercentage": "0", "seboKeurmerk": "nee",
    }
    values.update(overrides)
    text = ";".join(imports.COLUMNS) + "\r\n" + ";".join(values[c] for c in imports.COLUMNS) + "\r\n"
    return SimpleUploadedFile("contracten.csv", text.encode("utf-8"), content_type="text/csv")


def test_the_import_does_not_touch_a_settled_contract_nor_move_registrations_to_another_supplier(
        client, team, world, zoetermeer, leverancier_a, leverancier_b):
    running = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="LOOPT-1")
    invoice(running)
    client.force_login(team["inkoop"])
    before = snapshot()

    closed = client.post(reverse("contracts:import"), {"bestand": sheet(kenmerk="AF-CLOSED", omschrijving="Nieuw")})
    moved = client.post(reverse("contracts:import"), {"bestand": sheet(kenmerk="LOOPT-1", leverancierKvk="87654321")})

    assert closed.status_code == 400 and CLOSED in closed.text
    assert moved.status_code == 400 and SUPPLIER_CHANGE in moved.text
    assert snapshot() == before


# --- changing the supplier -----------------------------------------------------------------------------

@pytest.fixture
def running_with_registrations(zoetermeer, leverancier_a):
    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="LOOPT-2")
    registrations.register(contract=contract, bouwblok_code="banenafspraak", startdatum=date(2024, 6, 1),
                           einddatum=date(2025, 5, 31), uren_per_week=Decimal("36"),
                           kandidaat={"referentie": "WSP-4711", "initialen": "K.", "geboortejaar": 1990})
    return contract


def test_the_supplier_of_a_contract_with_registrations_cannot_change(team, admin_client, running_with_registrations,
                                                                    zoetermeer, leverancier_a, leverancier_b):
    contract = running_with_registrations
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        services.update_contract(contract=contract, leverancier=leverancier_b)
    api = api_with_token(team["inkoop"])
    response = api.patch(f"/api/v1/contracten/{contract.pk}", {"leverancier": leverancier_b.kvk_nummer}, format="json")

    assert SUPPLIER_CHANGE in refused.value.message_dict["leverancier"][0]
    assert response.status_code == 400
    assert [p["name"] for p in response.json()["invalidParams"]] == ["leverancier"]
    assert SUPPLIER_CHANGE in response.json()["invalidParams"][0]["reason"]
    assert snapshot() == before
    # The new supplier does not see the old one's (health-related) placement.
    supplier_b = api_with_token(team["leverancier_b"])
    assert supplier_b.get(f"/api/v1/contracten/{contract.pk}").status_code == 404
    # Nor through the admin (the contract's fields are read-only there).
    admin_client.post(reverse("admin:contracts_contract_change", args=[contract.pk]),
                      {"leverancier": leverancier_b.pk, "_save": "1"})
    assert snapshot() == before

    # A contract without registrations can still get its supplier corrected.
    empty = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="LOOPT-3")
    corrected = api.patch(f"/api/v1/contracten/{empty.pk}", {"leverancier": leverancier_b.kvk_nummer}, format="json")
    assert corrected.status_code == 200 and corrected.json()["leverancier"] == leverancier_b.kvk_nummer
