"""Retention: evidence and candidate details go a set time after settlement, figures stay.
AVG export: everything the portal holds about one candidate reference."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from bouwblokken import services
from bouwblokken.models import Beoordeling, Bewijsstuk, Kandidaat, Registratie, RegistratieJaar
from bouwblokken.privacy import export_candidate
from bouwblokken.retention import REMOVED_TEXT, run_retention
from bouwblokken.tasks import retention_run
from contracts import services as contract_services
from contracts.selectors import fulfilment_of
from tests.factories import make_contract

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 loonstrook van de kandidaat"


def placement(contract, referentie, **values):
    values = {"startdatum": date(2024, 4, 1), "einddatum": date(2025, 3, 31), "uren_per_week": Decimal(36),
              "omschrijving": "Hovenier bij de buitendienst", **values}
    return services.register(contract=contract, bouwblok_code="ww",
                             kandidaat={"referentie": referentie, "initialen": "A.B.", "geboortejaar": 1987}, **values)


@pytest.fixture
def settled(zoetermeer, leverancier_a, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, gunningsdatum=date(2024, 2, 1))
    approved = placement(contract, "WSP-1")
    services.add_evidence(registratie=approved, bestand=ContentFile(PDF, name="loonstrook.pdf"), soort="overig")
    services.submit(registratie=approved)
    services.decide(registratie=approved, besluit="goedgekeurd", toelichting="Loonstroken van A.B. gezien.",
                    reden_zonder_bewijs="Verklaring van A.B. bij het WSP ingezien.")
    rejected = placement(contract, "WSP-2", omschrijving="Schoonmaak")
    services.submit(registratie=rejected)
    services.decide(registratie=rejected, besluit="afgekeurd", toelichting="Contract van A.B. ontbreekt.")
    contract_services.settle_contract(contract=contract, besluit="Vastgesteld", datum=date(2026, 5, 1))
    return contract


def test_nothing_is_deleted_within_the_retention_period(settled, settings):
    settings.SROI_RETENTION_YEARS = 7
    report = run_retention(peildatum=date(2033, 4, 30))
    assert report.contracten == []
    assert Bewijsstuk.objects.count() == 1
    assert Kandidaat.objects.filter(referentie="WSP-1", initialen="A.B.").exists()


def test_retention_deletes_evidence_and_candidate_details_and_keeps_figures(settled, settings):
    settings.SROI_RETENTION_YEARS = 7
    before = fulfilment_of(settled, peildatum=date(2026, 3, 31))
    per_year_before = sorted(RegistratieJaar.objects.values_list("registratie_id", "jaar", "waarde"))
    bewijs = Bewijsstuk.objects.get()
    file_name = bewijs.bestand.name
    assert default_storage.exists(file_name)
    assert Registratie.history.filter(beoordeling_toelichting__contains="A.B.").exists()

    report = run_retention(peildatum=date(2033, 5, 1))

    assert report.contracten == [settled.pk]
    assert report.bewijsstukken == 1 and report.kandidaten == 2
    assert not Bewijsstuk.objects.exists()
    for kandidaat in Kandidaat.objects.all():
        assert kandidaat.referentie.startswith("verwijderd-")
        assert kandidaat.initialen == ""
        assert kandidaat.geboortejaar == 1980
    for registratie in Registratie.objects.all():
        assert registratie.omschrijving == ""
        assert registratie.beoordeling_toelichting == REMOVED_TEXT
    assert set(Beoordeling.objects.values_list("toelichting", flat=True)) == {REMOVED_TEXT}
    # Also the reason to approve without the required evidence (issue #12).
    assert set(Registratie.objects.values_list("beoordeling_reden_zonder_bewijs", flat=True)) == {"", REMOVED_TEXT}
    assert set(Beoordeling.objects.values_list("reden_zonder_bewijs", flat=True)) == {"", REMOVED_TEXT}
    assert not Beoordeling.objects.filter(reden_zonder_bewijs__contains="A.B.").exists()
    assert not Registratie.history.filter(id__in=Registratie.objects.values("pk")).exists()
    # The figures are untouched.
    assert fulfilment_of(settled, peildatum=date(2026, 3, 31)) == before
    assert sorted(RegistratieJaar.objects.values_list("registratie_id", "jaar", "waarde")) == per_year_before
    assert export_candidate(referentie="WSP-1")["kandidaten"] == []

    # Safe to run twice.
    again = run_retention(peildatum=date(2033, 5, 2))
    assert (again.bewijsstukken, again.kandidaten, again.registraties_opgeschoond, again.historie) == (0, 0, 0, 0)


def test_evidence_file_is_removed_from_storage(settled, settings, django_capture_on_commit_callbacks):
    settings.SROI_RETENTION_YEARS = 7
    file_name = Bewijsstuk.objects.get().bestand.name
    with django_capture_on_commit_callbacks(execute=True):
        run_retention(peildatum=date(2033, 5, 1))
    assert not default_storage.exists(file_name)


def test_candidate_on_a_running_contract_keeps_its_details(settled, zoetermeer, settings):
    settings.SROI_RETENTION_YEARS = 7
    running = make_contract(gemeente=zoetermeer, gunningsdatum=date(2024, 2, 1))
    placement(running, "WSP-1", startdatum=date(2025, 4, 1), einddatum=date(2025, 12, 31))
    run_retention(peildatum=date(2033, 5, 1))
    assert Kandidaat.objects.filter(referentie="WSP-1", initialen="A.B.", geboortejaar=1987).exists()
    assert Kandidaat.objects.get(registraties__contract=settled, registraties__bouwblok__code="ww",
                                 registraties__status="afgekeurd").referentie.startswith("verwijderd-")


def test_retention_years_is_configurable(settled, settings):
    settings.SROI_RETENTION_YEARS = 1
    assert run_retention(peildatum=date(2027, 5, 1)).contracten == [settled.pk]


def test_retention_task_and_command(settled, settings, capsys):
    settings.SROI_RETENTION_YEARS = 0
    result = retention_run.apply(kwargs={"dry_run": True}).get()
    assert result["bewijsstukken"] == 1 and result["dry_run"] is True
    assert Bewijsstuk.objects.count() == 1  # a dry run deletes nothing
    call_command("retention_run", "--peildatum", "2026-05-02")
    assert json.loads(capsys.readouterr().out)["kandidaten"] == 2
    assert not Bewijsstuk.objects.exists()


def test_avg_export_lists_what_the_portal_holds(settled, tmp_path, capsys):
    data = export_candidate(referentie="WSP-1")
    (kandidaat,) = data["kandidaten"]
    assert (kandidaat["initialen"], kandidaat["geboortejaar"]) == ("A.B.", 1987)
    (registratie,) = kandidaat["registraties"]
    assert registratie["contract"]["kenmerk"] == settled.kenmerk
    assert registratie["status"] == "goedgekeurd"
    assert registratie["waarde"] == "20000.00"
    assert registratie["beoordelingen"][0]["toelichting"] == "Loonstroken van A.B. gezien."
    assert registratie["bewijsstukken"][0]["bestandsnaam"] == "loonstrook.pdf"
    assert [h["status"] for h in registratie["historie"]][-1] == "goedgekeurd"
    assert "BSN" in data["toelichting"]
    json.dumps(data)  # JSON-ready

    out = tmp_path / "inzage.json"
    call_command("avg_export", "WSP-1", "--output", str(out))
    assert json.loads(out.read_text())["kandidaten"][0]["referentie"] == "WSP-1"
    call_command("avg_export", "WSP-onbekend")
    captured = capsys.readouterr()
    assert json.loads(captured.out[captured.out.index("{"):])["kandidaten"] == []
    assert "niets" in captured.err
