"""Evidence before approval (issue #12 item 5; SROI-RULES.md §3 step 6, revised December 2026).

Which evidence a bouwblok needs is data of its catalogue version; an upload says which kind it is; the
SR-team cannot approve a registration that lacks a required kind (single page, bulk, API) unless it
records why, and that reason is kept with the decision. The supplier sees what is still needed and
may still submit. The rule lives in ``bouwblokken.services.decide``.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bouwblokken import services
from bouwblokken.models import Beoordeling, Bewijssoort, Bewijsstuk, Bouwblok, Catalogus
from bouwblokken.seed import REGIO_CODE
from tests.access.world import TINY_PDF, use_private_storage
from tests.factories import make_contract
from tests.trust.test_four_eyes import real_login

STILL_NEEDED_PLACEMENT = "Nog nodig: arbeidsovereenkomst, doelgroepverklaring van het WSP of de gemeente"
REFUSED = "Bij deze registratie ontbreekt vereist bewijs"


@pytest.fixture(autouse=True)
def _fast_and_private(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    use_private_storage(settings, tmp_path / "private")


@pytest.fixture
def contract(team, zoetermeer, leverancier_a):
    return make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="BW-1")


def placement(contract, supplier, *, referentie="WSP-700", submit=True):
    registratie = services.register(
        contract=contract, bouwblok_code="participatiewet", user=supplier,
        kandidaat={"referentie": referentie, "initialen": "K.", "geboortejaar": 1985},
        startdatum=date(2024, 3, 1), einddatum=date(2025, 2, 28), uren_per_week=Decimal("24"),
    )
    if submit:
        registratie = services.submit(registratie=registratie, user=supplier)
    return registratie


def upload(registratie, soort, user=None):
    return services.add_evidence(registratie=registratie, bestand=ContentFile(TINY_PDF, name=f"{soort}.pdf"),
                                 soort=soort, user=user)


def required(catalogus, code):
    return list(catalogus.bouwblokken.get(code=code).vereist_bewijs.order_by("volgorde").values_list("code", flat=True))


# --- Data of the catalogue version ----------------------------------------------------------------

def test_both_shipped_catalogue_versions_say_which_evidence_each_bouwblok_needs(db):
    v2019 = Catalogus.objects.get(regio__code=REGIO_CODE, geldig_vanaf=date(2019, 1, 1))
    v2023 = Catalogus.objects.get(regio__code=REGIO_CODE, geldig_vanaf=date(2023, 7, 1))
    for catalogus in (v2019, v2023):
        for code in ("zonder_uitkering", "jongere_zonder_startkwalificatie", "ww", "wia", "participatiewet",
                     "banenafspraak"):
            assert required(catalogus, code) == ["arbeidsovereenkomst", "doelgroepverklaring"], code
        assert required(catalogus, "stage_mbo_hbo") == ["stageovereenkomst"]
        assert required(catalogus, "stage_vso_pro") == ["stageovereenkomst"]
        assert required(catalogus, "sociaal_inkopen") == ["factuur", "betaalbewijs"]
        assert required(catalogus, "maatschappelijke_activiteit") == ["plan", "presentielijst"]
        assert required(catalogus, "sr_project") == ["plan"]
        assert required(catalogus, "bonus_opleiding") == ["kostenbewijs"]
        assert required(catalogus, "bonus_dienstverband_vso_pro") == ["arbeidsovereenkomst"]
        assert required(catalogus, "bonus_arbeidsbeperking") == ["arbeidsovereenkomst"]
    assert required(v2019, "bbl") == ["bbl_overeenkomst", "doelgroepverklaring"]
    assert required(v2023, "bbl_niveau_1_2") == required(v2023, "bbl_niveau_3_plus") == [
        "bbl_overeenkomst", "doelgroepverklaring"]
    # Every bouwblok of both versions has its requirement set, none requires "overig".
    assert not Bouwblok.objects.filter(catalogus__in=[v2019, v2023], vereist_bewijs__code=Bewijssoort.OVERIG).exists()


def test_the_requirement_is_data_a_catalogue_version_can_change(team, contract):
    """The functional administrator edits the requirement per version (admin: Bouwblok, vereist bewijs);
    decide follows the data of the registration's own catalogue version."""
    registratie = placement(contract, team["leverancier_a"])
    with pytest.raises(ValidationError):
        services.decide(registratie=registratie, besluit="goedgekeurd", user=team["srteam"])
    registratie.bouwblok.vereist_bewijs.set(Bewijssoort.objects.filter(code="doelgroepverklaring"))
    upload(registratie, "doelgroepverklaring")
    approved = services.decide(registratie=registratie, besluit="goedgekeurd", user=team["srteam"])
    assert approved.status == "goedgekeurd" and approved.beoordeling_reden_zonder_bewijs == ""


# --- The service: the one place of the rule -------------------------------------------------------

def test_approval_without_required_evidence_is_refused_without_a_reason_and_nothing_is_stored(team, contract):
    registratie = placement(contract, team["leverancier_a"])
    upload(registratie, "arbeidsovereenkomst")
    upload(registratie, "overig")  # a payslip: allowed, but not the statement
    Bewijsstuk.objects.filter(registratie=registratie, soort__code="overig").update(soort=None)  # an old upload
    with pytest.raises(ValidationError) as refused:
        services.decide(registratie=registratie, besluit="goedgekeurd", user=team["srteam"], reden_zonder_bewijs="  ")
    assert refused.value.message_dict["reden_zonder_bewijs"] == [(
        "Bij deze registratie ontbreekt vereist bewijs: doelgroepverklaring van het WSP of de gemeente. Keur haar "
        "pas goed als dat bewijs er is, of leg vast waarom u zonder dit bewijs goedkeurt."
    )]
    registratie.refresh_from_db()
    assert registratie.status == "ingediend" and not registratie.beoordelingen.exists()
    # A rejection and a question need no evidence.
    rejected = services.decide(registratie=registratie, besluit="afgekeurd", toelichting="Geen verklaring.",
                               user=team["srteam"])
    assert rejected.status == "afgekeurd"


def test_approval_with_a_reason_is_allowed_and_the_reason_is_kept_with_the_decision(team, contract):
    registratie = placement(contract, team["leverancier_a"])
    upload(registratie, "arbeidsovereenkomst")
    approved = services.decide(registratie=registratie, besluit="goedgekeurd", user=team["srteam"],
                               reden_zonder_bewijs="Het WSP bevestigde de doelgroep per mail van 3 maart.")
    assert approved.status == "goedgekeurd"
    assert approved.beoordeling_reden_zonder_bewijs == "Het WSP bevestigde de doelgroep per mail van 3 maart."
    decision = Beoordeling.objects.get(registratie=registratie)
    assert decision.reden_zonder_bewijs == "Het WSP bevestigde de doelgroep per mail van 3 maart."
    assert decision.ontbrekend_bewijs == [
        {"code": "doelgroepverklaring", "naam": "doelgroepverklaring van het WSP of de gemeente"}]


def test_with_all_required_evidence_no_reason_is_needed_nor_kept(team, contract):
    registratie = placement(contract, team["leverancier_a"])
    upload(registratie, "arbeidsovereenkomst")
    upload(registratie, "doelgroepverklaring")
    approved = services.decide(registratie=registratie, besluit="goedgekeurd", user=team["srteam"],
                               reden_zonder_bewijs="overbodig")
    assert approved.status == "goedgekeurd" and approved.beoordeling_reden_zonder_bewijs == ""
    assert Beoordeling.objects.get(registratie=registratie).ontbrekend_bewijs == []


# --- The pages -------------------------------------------------------------------------------------

def test_decision_page_refuses_without_a_reason_and_approves_with_one_through_the_real_login(team, contract):
    registratie = placement(contract, team["leverancier_a"])
    browser = real_login(team["srteam"])
    url = reverse("controle:registratie", args=[registratie.pk])
    page = browser.get(url)
    assert "Ontbrekend vereist bewijs:</strong> arbeidsovereenkomst, doelgroepverklaring" in page.text
    assert 'name="reden_zonder_bewijs"' in page.text

    refused = browser.post(reverse("controle:decide", args=[registratie.pk]),
                           {"besluit": "goedgekeurd", "versie": registratie.versie})
    assert refused.status_code == 400 and REFUSED in refused.text
    registratie.refresh_from_db()
    assert registratie.status == "ingediend" and not registratie.beoordelingen.exists()

    done = browser.post(reverse("controle:decide", args=[registratie.pk]), {
        "besluit": "goedgekeurd", "versie": registratie.versie,
        "reden_zonder_bewijs": "Contract en verklaring ter plekke ingezien bij de werkgever.",
    })
    assert done.status_code == 302
    registratie.refresh_from_db()
    assert registratie.status == "goedgekeurd"
    history = browser.get(url).text
    assert "Goedgekeurd zonder vereist bewijs" in history
    assert "Contract en verklaring ter plekke ingezien bij de werkgever." in history
    supplier = Client()
    supplier.force_login(team["leverancier_a"])
    own = supplier.get(reverse("bouwblokken:registratie", args=[registratie.pk])).text
    assert "Goedgekeurd zonder vereist bewijs" in own and "ter plekke ingezien" in own


def test_bulk_approval_names_those_without_evidence_and_approves_nothing_without_a_reason(team, contract):
    complete = placement(contract, team["leverancier_a"], referentie="WSP-701")
    upload(complete, "arbeidsovereenkomst")
    upload(complete, "doelgroepverklaring")
    lacking = placement(contract, team["leverancier_a"], referentie="WSP-702")
    invoice = services.submit(registratie=services.register(
        contract=contract, bouwblok_code="sociaal_inkopen", user=team["leverancier_a"],
        startdatum=date(2024, 6, 1), bedrag=Decimal("1200.00")), user=team["leverancier_a"])
    upload(invoice, "factuur")
    chosen = [complete, lacking, invoice]
    browser = Client()
    browser.force_login(team["srteam"])
    post = {"registraties": [r.pk for r in chosen], **{f"versie_{r.pk}": r.versie for r in chosen}}

    confirm = browser.post(reverse("controle:bulk_approve"), post)
    assert confirm.status_code == 200
    assert f"Registratie {lacking.pk}" in confirm.text and f"Registratie {invoice.pk}" in confirm.text
    assert "nog nodig: betaalbewijs" in confirm.text and 'name="reden_zonder_bewijs"' in confirm.text

    refused = browser.post(reverse("controle:bulk_approve"), {**post, "bevestig": "1"})
    assert refused.status_code == 400
    assert "Er is niets goedgekeurd" in refused.text
    assert (f"registratie {lacking.pk} (arbeidsovereenkomst, doelgroepverklaring van het WSP of de gemeente); "
            f"registratie {invoice.pk} (betaalbewijs)") in refused.text
    assert {r.status for r in type(complete).objects.filter(pk__in=[r.pk for r in chosen])} == {"ingediend"}
    assert not Beoordeling.objects.exists()

    done = browser.post(reverse("controle:bulk_approve"),
                        {**post, "bevestig": "1", "reden_zonder_bewijs": "Afgesproken met het WSP: volgt na."})
    assert done.status_code == 302
    for registratie in chosen:
        registratie.refresh_from_db()
        assert registratie.status == "goedgekeurd"
    assert complete.beoordeling_reden_zonder_bewijs == ""
    assert lacking.beoordeling_reden_zonder_bewijs == invoice.beoordeling_reden_zonder_bewijs == (
        "Afgesproken met het WSP: volgt na.")


def test_the_supplier_sees_what_is_still_needed_says_which_kind_an_upload_is_and_may_still_submit(
        team, contract):
    supplier = Client()
    supplier.force_login(team["leverancier_a"])
    registratie = placement(contract, team["leverancier_a"], submit=False)
    page = supplier.get(reverse("bouwblokken:registratie", args=[registratie.pk])).text
    assert f"{STILL_NEEDED_PLACEMENT.replace(': ', ':</strong> ', 1)}" in page
    # The kinds offered: those of the bouwblok, then "overig"; a kind of another bouwblok is refused.
    assert 'value="arbeidsovereenkomst"' in page and 'value="overig"' in page and 'value="factuur"' not in page
    url = reverse("bouwblokken:bewijs_toevoegen", args=[registratie.pk])
    wrong = supplier.post(url, {"soort": "factuur", "bestand": SimpleUploadedFile("f.pdf", TINY_PDF)})
    none = supplier.post(url, {"bestand": SimpleUploadedFile("f.pdf", TINY_PDF)})
    assert wrong.status_code == none.status_code == 400
    assert "Kies wat voor bewijsstuk dit is." in none.text
    assert not Bewijsstuk.objects.exists()
    with pytest.raises(ValidationError) as by_service:
        upload(registratie, "factuur")
    assert "soort" in by_service.value.message_dict

    assert supplier.post(url, {"soort": "arbeidsovereenkomst",
                               "bestand": SimpleUploadedFile("ao.pdf", TINY_PDF)}).status_code == 302
    assert Bewijsstuk.objects.get().soort.code == "arbeidsovereenkomst"
    page = supplier.get(reverse("bouwblokken:registratie", args=[registratie.pk])).text
    assert "Nog nodig:</strong> doelgroepverklaring van het WSP of de gemeente" in page
    assert "Arbeidsovereenkomst</strong>: " in page

    year = supplier.get(reverse("bouwblokken:jaar_indienen", kwargs={"pk": contract.pk, "jaar": 2024})).text
    assert "Nog nodig: doelgroepverklaring van het WSP of de gemeente" in year
    assert supplier.post(reverse("bouwblokken:jaar_indienen", kwargs={"pk": contract.pk, "jaar": 2024})).status_code == 302
    registratie.refresh_from_db()
    assert registratie.status == "ingediend"  # submitting is not blocked: only approving


# --- The API ---------------------------------------------------------------------------------------

def test_api_refuses_approval_without_evidence_unless_redenZonderBewijs_and_shows_it(team, contract):
    registratie = placement(contract, team["leverancier_a"])
    upload(registratie, "doelgroepverklaring")
    api = Client()
    api.force_login(team["srteam"])
    url = f"/api/v1/registraties/{registratie.pk}"
    shown = api.get(url).json()
    assert shown["ontbrekendBewijs"] == [{"code": "arbeidsovereenkomst", "naam": "arbeidsovereenkomst"}]
    assert [b["soort"] for b in shown["bewijsstukken"]] == ["doelgroepverklaring"]

    refused = api.post(f"{url}/beoordeling", {"besluit": "goedgekeurd"}, content_type="application/json")
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    [param] = refused.json()["invalidParams"]
    assert param["name"] == "redenZonderBewijs" and "arbeidsovereenkomst" in param["reason"]
    registratie.refresh_from_db()
    assert registratie.status == "ingediend"

    done = api.post(f"{url}/beoordeling", {"besluit": "goedgekeurd", "redenZonderBewijs": "Getekend exemplaar gezien."},
                    content_type="application/json")
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == "goedgekeurd"
    assert body["beoordeling"]["redenZonderBewijs"] == "Getekend exemplaar gezien."
    assert Beoordeling.objects.get(registratie=registratie).reden_zonder_bewijs == "Getekend exemplaar gezien."


def test_openapi_documents_the_reason_the_missing_kinds_and_the_kind_of_an_upload(db):
    schema = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "redenZonderBewijs" in schema["BeoordelingRequest"]["properties"]
    assert "ontbrekendBewijs" in schema["Registratie"]["properties"]
    assert "redenZonderBewijs" in schema["RegistratieBeoordelingStand"]["properties"]
    assert {"soort", "soortNaam"} <= set(schema["RegistratieBewijsstuk"]["properties"])
    assert {"code", "naam"} <= set(schema["Bewijssoort"]["properties"])
