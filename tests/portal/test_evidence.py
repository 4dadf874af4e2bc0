"""Evidence upload: PDF/PNG/JPEG by content, a size limit, server-made names, private storage,
served only through the permission-checked download view."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bouwblokken import services
from bouwblokken.models import Bewijsstuk
from tests.access.world import TINY_PDF
from tests.factories import UserFactory, make_contract
from sroi_portal.models import Role

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


@pytest.fixture
def registratie(team, zoetermeer, leverancier_a):
    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="ZM-BEWIJS")
    return services.register(
        contract=contract, bouwblok_code="participatiewet", user=team["leverancier_a"],
        kandidaat={"referentie": "WSP-100", "initialen": "J.", "geboortejaar": 1980},
        startdatum=date(2024, 5, 1), einddatum=date(2025, 4, 30), uren_per_week=Decimal("24"),
    )


def _upload(client, registratie, name, content, content_type="application/pdf"):
    return client.post(
        reverse("bouwblokken:bewijs_toevoegen", kwargs={"pk": registratie.pk}),
        {"soort": "arbeidsovereenkomst", "bestand": SimpleUploadedFile(name, content, content_type=content_type),
         "omschrijving": "contract"},
    )


def _stored_files(folder):
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_pdf_is_stored_privately_under_a_server_made_name(client, team, registratie, private_storage):
    client.force_login(team["leverancier_a"])
    response = _upload(client, registratie, "Arbeidsovereenkomst Jan.pdf", TINY_PDF)
    assert response.status_code == 302
    bewijs = Bewijsstuk.objects.get()
    assert bewijs.oorspronkelijke_naam == "Arbeidsovereenkomst Jan.pdf"
    assert bewijs.content_type == "application/pdf"
    assert "Jan" not in bewijs.bestand.name and bewijs.bestand.name.startswith(f"bewijs/{registratie.contract_id}/")
    assert [p.read_bytes() for p in _stored_files(private_storage)] == [TINY_PDF]
    page = client.get(reverse("bouwblokken:registratie", kwargs={"pk": registratie.pk}))
    assert reverse("bouwblokken:bewijs", kwargs={"pk": bewijs.pk}) in page.text
    assert "/private/" not in page.text and bewijs.bestand.name not in page.text


def test_a_png_photo_is_accepted_whatever_its_name(client, team, registratie):
    client.force_login(team["leverancier_a"])
    assert _upload(client, registratie, "loonstrook", PNG, "application/octet-stream").status_code == 302
    assert Bewijsstuk.objects.get().content_type == "image/png"


@pytest.mark.parametrize("name, content", [
    ("contract.pdf", EXE),  # a program renamed to .pdf
    ("loonstrook.pdf", b"Dit is gewoon tekst, geen PDF.\n"),  # a text file renamed to .pdf
])
def test_a_renamed_file_is_refused_in_dutch_and_nothing_is_stored(client, team, registratie, private_storage, name, content):
    client.force_login(team["leverancier_a"])
    response = _upload(client, registratie, name, content)
    assert response.status_code == 400
    assert "Dit bestand is geen PDF, PNG of JPEG." in response.text
    assert 'id="id_bestand_error"' in response.text
    assert not Bewijsstuk.objects.exists()
    assert _stored_files(private_storage) == []


def test_a_file_over_the_limit_is_refused_in_dutch_and_nothing_is_stored(client, team, registratie, private_storage, settings):
    settings.SROI_EVIDENCE_MAX_BYTES = 1024 * 1024
    client.force_login(team["leverancier_a"])
    response = _upload(client, registratie, "scan.pdf", TINY_PDF + b"0" * (1024 * 1024))
    assert response.status_code == 400
    assert "Het bestand is te groot: het mag hoogstens 1 MB zijn." in response.text
    assert not Bewijsstuk.objects.exists()
    assert _stored_files(private_storage) == []


def test_the_default_limit_is_10_mb(settings):
    assert settings.SROI_EVIDENCE_MAX_BYTES == 10 * 1024 * 1024


def test_download_only_for_the_supplier_and_the_sr_team_of_the_contract(client, team, registratie, utrecht_srteam):
    bewijs = services.add_evidence(
        registratie=registratie, bestand=SimpleUploadedFile("a.pdf", TINY_PDF), user=team["leverancier_a"],
        soort="arbeidsovereenkomst",
    )
    url = reverse("bouwblokken:bewijs", kwargs={"pk": bewijs.pk})
    for name in ("leverancier_a", "srteam", "beheerder"):
        client.force_login(team[name])
        response = client.get(url)
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content) == TINY_PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Cache-Control"] == "private, no-store"
    for user in (team["leverancier_b"], team["inkoop"], team["raadslid"], utrecht_srteam):
        client.force_login(user)
        assert client.get(url).status_code in (403, 404), user.username
    client.logout()
    assert client.get(url).status_code == 302


def test_evidence_of_special_category_data_is_hidden_from_the_administrator(client, team, zoetermeer, leverancier_a):
    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="ZM-GEVOELIG")
    registratie = services.register(
        contract=contract, bouwblok_code="banenafspraak", user=team["leverancier_a"],
        kandidaat={"referentie": "WSP-200", "initialen": "K.", "geboortejaar": 1995},
        startdatum=date(2024, 5, 1), uren_per_week=Decimal("20"),
    )
    bewijs = services.add_evidence(registratie=registratie, bestand=SimpleUploadedFile("a.pdf", TINY_PDF),
                                   soort="doelgroepverklaring")
    client.force_login(team["beheerder"])
    assert client.get(reverse("bouwblokken:bewijs", kwargs={"pk": bewijs.pk})).status_code == 403
    assert client.get(reverse("bouwblokken:registratie", kwargs={"pk": registratie.pk})).status_code == 403
    contract_page = client.get(reverse("bouwblokken:contract", kwargs={"pk": contract.pk})).text
    assert "Banenafspraak (Wajong" not in contract_page and "WSP-200" not in contract_page
    assert "Plaatsing (afgeschermd persoonsgegeven)" in contract_page
    for name in ("leverancier_a", "srteam"):
        client.force_login(team[name])
        assert client.get(reverse("bouwblokken:bewijs", kwargs={"pk": bewijs.pk})).status_code == 200


@pytest.fixture
def utrecht_srteam(db):
    from tests.access.world import other_region_gemeente

    return UserFactory(username="srteam_utrecht", role=Role.SR_TEAM, gemeenten=[other_region_gemeente()])
