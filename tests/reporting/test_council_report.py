"""The council report: with the demo data a raadslid downloads the PDF for Zoetermeer, and its
figures are the dashboard's and the API's; pdftotext shows every parameter."""

import json
import os
import re
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from contracts.models import Gemeente
from reporting.models import Raadsrapportage
from reporting.selectors import council_figures, default_year
from sroi_portal.templatetags.sroi import euro, procent
from tests.access.world import use_private_storage


@pytest.fixture
def demo(db, settings, tmp_path):
    use_private_storage(settings, tmp_path / "private")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(DEBUG=True):  # seed_demo refuses to run without DEBUG
        call_command("seed_demo", stdout=open(os.devnull, "w"))
    return Gemeente.objects.get(code="GM0637")


def pdf_text(content: bytes, tmp_path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed (bash scripts/system-deps.sh poppler)")
    path = tmp_path / "rapport.pdf"
    path.write_bytes(content)
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"[ \u00a0]+", " ", result.stdout)


def _normalise(html: str) -> str:
    return re.sub(r"[ \u00a0]+", " ", html)


def test_a_raadslid_downloads_the_pdf_with_the_dashboards_and_the_apis_figures(
    demo, client, tmp_path, django_capture_on_commit_callbacks
):
    jaar = default_year()
    client.force_login(demo.medewerkers.get(username="raadslid"))

    dashboard = client.get(reverse("reporting:dashboard", kwargs={"gemeentecode": "GM0637", "jaar": jaar}))
    assert dashboard.status_code == 200
    api = client.get(f"/api/v1/raadsrapportages/GM0637/{jaar}")
    assert api.status_code == 200
    api_figures = api.json()

    with django_capture_on_commit_callbacks(execute=True) as queued:
        requested = client.post(reverse("reporting:rapport_aanvragen", kwargs={"gemeentecode": "GM0637", "jaar": jaar}))
    assert len(queued) == 1  # the task is queued when the request's transaction commits
    report = Raadsrapportage.objects.get()
    assert requested.url == reverse("reporting:rapport", kwargs={"pk": report.pk})
    status_page = client.get(requested.url)
    assert "De PDF is klaar" in status_page.content.decode()  # no broker: made eagerly after the commit
    download = client.get(reverse("reporting:rapport_download", kwargs={"pk": report.pk}))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    content = b"".join(download.streaming_content)
    assert content.startswith(b"%PDF")

    # One definition, three outputs: the same fingerprint of all figures everywhere ...
    version = api_figures["gegevensversie"]
    html = _normalise(dashboard.content.decode())
    text = pdf_text(content, tmp_path)
    assert f"Gegevensversie {version}" in html
    # In the PDF the version is part of the accountability at the end (not in the header or footer).
    assert text.count(version) == 1 and text.index(f"Gegevensversie {version}") > text.rindex("Verantwoording")
    stored = json.loads(json.dumps(report.cijfers))
    assert {k: v for k, v in stored.items() if k != "berekendOp"} == {
        k: v for k, v in api_figures.items() if k != "berekendOp"
    }

    # ... and every parameter visibly the same on the dashboard and in the PDF.
    f = council_figures(gemeente=demo, jaar=jaar)
    shown = [
        str(f.contracten), euro(f.contractwaarde, 0), euro(f.verplichting, 0), euro(f.gerealiseerd, 0),
        procent(f.realisatie_percentage), f.personen.weergave, euro(f.budget.gerealiseerd_in_jaar, 0),
    ]
    shown += [procent(s.aandeel) for s in f.statussen]
    shown += [d.personen.weergave for d in f.doelgroepen]
    if f.budget.bedrag is not None:
        shown.append(euro(f.budget.bedrag, 0))
    for value in shown:
        value = _normalise(value)
        assert value in html, value
        assert value in text, value
    assert api_figures["verplichting"] == str(f.verplichting)
    assert api_figures["contracten"] == f.contracten
    for heading in (
        "Contracten met een verplichting", "Verplichting en realisatie", "Voldaan, op schema of achter",
        "Mensen aan het werk, per doelgroep", "Duurzaam werk", "Banenafspraak",
        "Budget van het SR-team en waarde per euro budget", "De mensen achter de cijfers", "Verantwoording",
    ):
        assert heading in text, heading
    for story in f.verhalen:
        assert story.titel in text
    assert "Van de bijstand naar een vaste baan in het groen" in text  # an approved demo story


@pytest.fixture
def small(contract, settings, tmp_path):
    """One Zoetermeer contract with an approved placement and an SR-team budget, figures computed."""
    from decimal import Decimal

    from reporting.figures import recompute_contract_figures, recompute_placement_figures
    from reporting.models import Teambudget

    from .conftest import place

    use_private_storage(settings, tmp_path / "private")
    place(contract)
    Teambudget.objects.create(gemeente=contract.gemeente, jaar=2025, bedrag=Decimal("20000.00"))
    recompute_contract_figures()
    recompute_placement_figures()
    return contract.gemeente


def test_generating_again_for_the_same_data_gives_the_same_figures(small):
    from reporting.services import generate_report

    first = Raadsrapportage.objects.create(gemeente=small, jaar=2025)
    second = Raadsrapportage.objects.create(gemeente=small, jaar=2025)
    generate_report(report_id=first.pk)
    generate_report(report_id=second.pk)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == "klaar"
    assert first.gegevensversie == second.gegevensversie
    assert {k: v for k, v in first.cijfers.items() if k != "berekendOp"} == {
        k: v for k, v in second.cijfers.items() if k != "berekendOp"
    }
    assert first.bestand.name != second.bestand.name


def test_a_finished_report_is_not_made_again(small):
    from reporting.services import generate_report

    report = Raadsrapportage.objects.create(gemeente=small, jaar=2025)
    generate_report(report_id=report.pk)
    report.refresh_from_db()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("reporting.pdf.render_council_report", lambda *a, **k: pytest.fail("rendered twice"))
        again = generate_report(report_id=report.pk)
    assert again.bestand.name == report.bestand.name


def test_the_pdf_is_tagged_pdf_ua_on_a4_with_title_and_language(small, tmp_path):
    from django.utils import timezone

    from reporting.pdf import render_council_report

    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo not installed (bash scripts/system-deps.sh poppler)")
    path = tmp_path / "r.pdf"
    path.write_bytes(render_council_report(council_figures(gemeente=small, jaar=2025), made_at=timezone.now()))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    meta = subprocess.run(["pdfinfo", "-meta", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert "595.276 x 841.89 pts (A4)" in info
    assert "Title:           Raadsrapportage social return Zoetermeer 2025" in info
    assert 'pdfuaid:part="1"' in meta
