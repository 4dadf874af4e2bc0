"""Four eyes (issue #11, rules §2): whoever entered or submitted a registration never decides it, the
functional administrator included, single and bulk, on the pages, the API and the admin. And "meer
informatie" is a decision kind of its own (back to concept), not a prefix on a rejection's reason.

The users log in through the real login form (password page, then the code of their authenticator
app), as in tests/accounts/test_mfa.py.
"""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from bouwblokken import services as registrations
from bouwblokken.models import Beoordeling, Registratie
from sroi_portal.models import Role
from tests.accounts.conftest import app_code, enrol
from tests.access.world import use_private_storage
from tests.factories import DEMO_PASSWORD, UserFactory, make_contract

FOUR_EYES_ENTERED = "U heeft deze registratie zelf ingevoerd"
FOUR_EYES_SUBMITTED = "U heeft deze registratie zelf ingediend"


@pytest.fixture(autouse=True)
def _fast_and_private(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    use_private_storage(settings, tmp_path / "private")


def real_login(user) -> Client:
    """A browser session through the login form and the verification page (no force_login)."""
    device = enrol(user)
    client = Client()
    password = client.post(reverse("login"), {"username": user.email, "password": DEMO_PASSWORD})
    assert password.status_code == 302 and password["Location"].startswith(reverse("mfa_verify"))
    verified = client.post(reverse("mfa_verify"), {"otp_token": app_code(device)})
    assert verified.status_code == 302 and not verified["Location"].startswith(reverse("mfa_verify"))
    return client


@pytest.fixture
def beheerder(db):
    return UserFactory(username="fb", role=Role.BEHEERDER, is_staff=True, is_superuser=True)


@pytest.fixture
def contract(team, zoetermeer, leverancier_a):
    return make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="VO-1")


def state(registratie):
    registratie.refresh_from_db()
    return registratie.status, registratie.versie, registratie.beoordelingen.count()


def try_every_way_to_approve(client, registratie):
    """Single decision page, bulk approval, and the API (session) — the responses."""
    # With a reason for the missing evidence (issue #12): what refuses is four eyes, not the evidence.
    reason = "Bewijs buiten het portaal gezien."
    single = client.post(reverse("controle:decide", args=[registratie.pk]),
                         {"besluit": "goedgekeurd", "versie": registratie.versie, "reden_zonder_bewijs": reason})
    bulk = client.post(reverse("controle:bulk_approve"),
                       {"registraties": [registratie.pk], "bevestig": "1", "reden_zonder_bewijs": reason,
                        f"versie_{registratie.pk}": registratie.versie}, follow=True)
    api = client.post(f"/api/v1/registraties/{registratie.pk}/beoordeling",
                      {"besluit": "goedgekeurd", "redenZonderBewijs": reason}, content_type="application/json")
    return single, bulk, api


def test_the_administrator_who_entered_a_registration_on_behalf_cannot_decide_it_anywhere(
        team, beheerder, contract):
    browser = real_login(beheerder)
    created = browser.post("/api/v1/registraties", {
        "contract": contract.pk, "bouwblok": "sociaal_inkopen", "startdatum": "2024-06-01", "bedrag": "2500.00",
        "omschrijving": "Factuur sociale onderneming",
    }, content_type="application/json")
    assert created.status_code == 201
    registratie = Registratie.objects.get(pk=created.json()["id"])
    assert registratie.aangemaakt_door == beheerder
    registrations.submit(registratie=registratie, user=team["leverancier_a"])
    registratie.refresh_from_db()
    before = state(registratie)

    page = browser.get(reverse("controle:registratie", args=[registratie.pk]))
    single, bulk, api = try_every_way_to_approve(browser, registratie)
    admin = browser.post(reverse("admin:bouwblokken_registratie_change", args=[registratie.pk]),
                         {"status": "goedgekeurd", "_save": "1"})

    assert FOUR_EYES_ENTERED in page.text and 'name="besluit"' not in page.text
    assert single.status_code == 400 and FOUR_EYES_ENTERED in single.text
    assert "Er is niets goedgekeurd" in bulk.text and FOUR_EYES_ENTERED in bulk.text
    assert api.status_code == 403 and FOUR_EYES_ENTERED in api.json()["detail"]
    assert admin.status_code in (200, 302, 403)
    assert state(registratie) == before  # still submitted, nothing decided

    # A colleague decides it.
    colleague = real_login(team["srteam"])
    done = colleague.post(reverse("controle:decide", args=[registratie.pk]),
                          {"besluit": "goedgekeurd", "versie": registratie.versie,
                           "reden_zonder_bewijs": "Factuur en betaalbewijs per mail ontvangen."})
    assert done.status_code == 302
    registratie.refresh_from_db()
    assert registratie.status == "goedgekeurd" and registratie.beoordeeld_door == team["srteam"]


def test_an_sr_team_member_who_created_a_registration_cannot_approve_it_on_the_page_in_bulk_or_on_the_api(
        team, zoetermeer, contract):
    # The functional administrator entered it on behalf of the supplier, then joined the SR-team.
    member = UserFactory(username="was_fb", role=Role.BEHEERDER)
    api = Client()
    api.force_login(member)
    created = api.post("/api/v1/registraties", {
        "contract": contract.pk, "bouwblok": "sociaal_inkopen", "startdatum": "2024-06-01", "bedrag": "900.00",
    }, content_type="application/json")
    assert created.status_code == 201
    registratie = Registratie.objects.get(pk=created.json()["id"])
    registrations.submit(registratie=registratie, user=team["leverancier_a"])
    member.role = Role.SR_TEAM
    member.save()
    member.gemeenten.set([zoetermeer])
    registratie.refresh_from_db()
    before = state(registratie)

    browser = real_login(member)
    single, bulk, api_response = try_every_way_to_approve(browser, registratie)

    assert single.status_code == 400 and FOUR_EYES_ENTERED in single.text
    assert "Er is niets goedgekeurd" in bulk.text and FOUR_EYES_ENTERED in bulk.text
    assert api_response.status_code == 403 and FOUR_EYES_ENTERED in api_response.json()["detail"]
    assert state(registratie) == before


def test_whoever_submitted_a_registration_never_decides_it_even_after_a_resubmission(team, beheerder, contract):
    registratie = registrations.register(contract=contract, bouwblok_code="sociaal_inkopen",
                                         startdatum=date(2024, 6, 1), bedrag=Decimal("1200.00"),
                                         user=team["leverancier_a"])
    browser = real_login(beheerder)
    submitted = browser.post(f"/api/v1/registraties/{registratie.pk}/indiening")  # on behalf of the supplier
    assert submitted.status_code == 200
    registratie.refresh_from_db()
    assert registratie.ingediend_door == beheerder

    refused = browser.post(f"/api/v1/registraties/{registratie.pk}/beoordeling",
                           {"besluit": "meer_informatie", "toelichting": "Stuur de factuur mee."},
                           content_type="application/json")
    assert refused.status_code == 403 and FOUR_EYES_SUBMITTED in refused.json()["detail"]

    # A colleague asks for more information; the supplier supplements and submits again.
    registrations.decide(registratie=registratie, besluit="meer_informatie", toelichting="Stuur de factuur mee.",
                         user=team["srteam"])
    registrations.submit(registratie=registratie, user=team["leverancier_a"])
    registratie.refresh_from_db()
    before = state(registratie)

    # The administrator submitted an earlier version: still not the one to decide.
    single, bulk, api = try_every_way_to_approve(browser, registratie)
    assert single.status_code == 400 and FOUR_EYES_SUBMITTED in single.text
    assert FOUR_EYES_SUBMITTED in bulk.text
    assert api.status_code == 403
    assert state(registratie) == before


# --- "meer informatie" is a decision of its own --------------------------------------------------

def test_asking_for_more_information_on_the_api_sends_the_registration_back_to_concept(team, contract):
    registratie = registrations.submit(
        registratie=registrations.register(contract=contract, bouwblok_code="sociaal_inkopen",
                                           startdatum=date(2024, 6, 1), bedrag=Decimal("700.00"),
                                           user=team["leverancier_a"]),
        user=team["leverancier_a"])
    srteam = real_login(team["srteam"])

    without_question = srteam.post(f"/api/v1/registraties/{registratie.pk}/beoordeling",
                                   {"besluit": "meer_informatie"}, content_type="application/json")
    asked = srteam.post(f"/api/v1/registraties/{registratie.pk}/beoordeling",
                        {"besluit": "meer_informatie", "toelichting": "Stuur het betaalbewijs mee."},
                        content_type="application/json")

    assert without_question.status_code == 400
    assert asked.status_code == 200
    body = asked.json()
    assert body["status"] == "concept"
    assert body["beoordeling"]["besluit"] == "meer_informatie"
    assert body["beoordeling"]["toelichting"] == "Stuur het betaalbewijs mee."
    decision = Beoordeling.objects.get(registratie=registratie)
    assert (decision.besluit, decision.toelichting) == ("meer_informatie", "Stuur het betaalbewijs mee.")

    supplier = Client()
    supplier.force_login(team["leverancier_a"])
    page = supplier.get(reverse("bouwblokken:registratie", args=[registratie.pk])).text
    assert "Het SR-team vraagt om meer informatie" in page and "Stuur het betaalbewijs mee." in page
    resubmitted = registrations.submit(registratie=registratie, user=team["leverancier_a"])
    assert resubmitted.status == "ingediend"


def test_the_data_migration_turns_old_prefixed_rejections_into_requests_for_more_information(team, contract):
    migration = importlib.import_module("bouwblokken.migrations.0006_meer_informatie_data")

    def submitted(bedrag):
        return registrations.submit(
            registratie=registrations.register(contract=contract, bouwblok_code="sociaal_inkopen",
                                               startdatum=date(2024, 6, 1), bedrag=Decimal(bedrag)),
            user=team["leverancier_a"])

    old_question = registrations.decide(registratie=submitted("100"), besluit="afgekeurd",
                                        toelichting="Meer informatie nodig: Stuur de factuur mee.", user=team["srteam"])
    rejection = registrations.decide(registratie=submitted("200"), besluit="afgekeurd",
                                     toelichting="Geen sociale onderneming.", user=team["srteam"])
    approval = registrations.decide(registratie=submitted("300"), besluit="goedgekeurd", user=team["srteam"],
                                    reden_zonder_bewijs="Bewijs buiten het portaal gezien.")
    # As the rows were before this change: no last decision, no submitter; the history knows who submitted.
    Registratie.objects.update(beoordeling_besluit="", ingediend_door=None)
    Registratie.history.filter(status="ingediend").update(history_user=team["leverancier_a"])

    migration.forwards(apps, None)

    old_question.refresh_from_db()
    rejection.refresh_from_db()
    approval.refresh_from_db()
    assert (old_question.status, old_question.beoordeling_besluit, old_question.beoordeling_toelichting) == (
        "concept", "meer_informatie", "Stuur de factuur mee.")
    assert old_question.beoordelingen.get().besluit == "meer_informatie"
    assert old_question.beoordelingen.get().toelichting == "Stuur de factuur mee."
    assert (rejection.status, rejection.beoordeling_besluit) == ("afgekeurd", "afgekeurd")
    assert rejection.beoordelingen.get().toelichting == "Geen sociale onderneming."
    assert (approval.status, approval.beoordeling_besluit) == ("goedgekeurd", "goedgekeurd")
    assert {r.ingediend_door for r in (old_question, rejection, approval)} == {team["leverancier_a"]}

    migration.backwards(apps, None)
    old_question.refresh_from_db()
    assert old_question.status == "afgekeurd"
    assert old_question.beoordeling_toelichting == "Meer informatie nodig: Stuur de factuur mee."
