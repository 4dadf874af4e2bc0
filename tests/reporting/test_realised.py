"""Honest figures (issue #12, SROI-RULES.md §2 "Realised, committed and pending"): an approved placement
counts as realised month by month up to the reference date, everywhere a figure appears (contract
pages, API, stored figures, council figures, exports); committed is shown beside it; the status and
forecast follow; a contract falling behind gets one reminder per threshold; and the stored figures
are refreshed on every way in (import, admin, settlement, retention)."""

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bouwblokken import services as registrations
from bouwblokken.models import Bouwblok, Registratie
from contracts.models import Afrekening, Beleid
from contracts.selectors import fulfilment_of, realisation
from reporting.figures import recompute_contract_figures
from reporting.models import ContractCijfers, ContractJaarCijfers, Herinnering
from reporting.reminders import send_reminders
from reporting.selectors import council_figures
from tests.factories import make_contract

ON_2_DECEMBER = date(2026, 12, 2)


def approve(registratie):
    """Approved as the SR-team's decision leaves it (the figures only read the status)."""
    Registratie.objects.filter(pk=registratie.pk).update(
        status="goedgekeurd", ingediend_op=timezone.now(), beoordeeld_op=timezone.now())
    return Registratie.objects.get(pk=registratie.pk)


def ww(contract, *, start=date(2026, 11, 1), end=date(2027, 10, 31), hours="36", referentie="WSP-WW-1"):
    registratie = registrations.register(
        contract=contract, bouwblok_code="ww", startdatum=start, einddatum=end, uren_per_week=Decimal(hours),
        kandidaat={"referentie": referentie, "initialen": "W.", "geboortejaar": 1980},
    )
    return approve(registratie)


@pytest.fixture
def running(zoetermeer, leverancier_a):
    """Awarded in 2026 (2023 catalogue: WW 20,000 a year): 1 Jan 2026 - 31 Dec 2027, obligation 50,000."""
    return make_contract(gemeente=zoetermeer, leverancier=leverancier_a, gunningsdatum=date(2025, 12, 1),
                         startdatum=date(2026, 1, 1), einddatum=date(2027, 12, 31))


def test_the_worked_example_everywhere_a_contract_figure_appears(running):
    ww(running)
    live = realisation(contract_ids=[running.pk], today=ON_2_DECEMBER)[running.pk]
    assert live.gerealiseerd == Decimal("1774.19")  # 20,000 × (1 + 2/31) / 12
    assert live.goedgekeurd == Decimal("20000.00")  # committed, shown beside it
    assert [(y.jaar, y.gerealiseerd, y.goedgekeurd) for y in live.per_jaar] == [
        (2026, Decimal("1774.19"), Decimal("3333.33")), (2027, Decimal("0.00"), Decimal("16666.67"))]

    figures = fulfilment_of(running, peildatum=ON_2_DECEMBER)
    assert figures.gerealiseerd == Decimal("1774.19") and figures.goedgekeurd == Decimal("20000.00")
    assert figures.percentage == Decimal("3.55")  # of 50,000: on what is realised, not 40% on what is agreed
    assert figures.status == "achter"  # 11 of 24 months passed: 23,000 or so expected
    assert figures.prognose.verwacht_eindbedrag == Decimal("20000.00") and not figures.prognose.haalbaar

    recompute_contract_figures(contract_ids=[running.pk], today=ON_2_DECEMBER)
    stored = ContractCijfers.objects.get(contract=running)
    assert (stored.gerealiseerd, stored.goedgekeurd, stored.percentage, stored.status) == (
        Decimal("1774.19"), Decimal("20000.00"), Decimal("3.55"), "achter")
    year = ContractJaarCijfers.objects.get(contract=running, jaar=2026)
    assert (year.gerealiseerd, year.gerealiseerd_in_jaar, year.goedgekeurd_in_jaar) == (
        Decimal("1774.19"), Decimal("1774.19"), Decimal("3333.33"))


def test_the_council_figures_of_2026_count_november_and_december(running, zoetermeer):
    ww(running)
    recompute_contract_figures(contract_ids=[running.pk], today=date(2027, 3, 1))
    figures = council_figures(gemeente=zoetermeer, jaar=2026, today=date(2027, 3, 1))
    assert figures.peildatum == date(2026, 12, 31)
    assert figures.gerealiseerd == Decimal("3333.33") and figures.gerealiseerd_in_jaar == Decimal("3333.33")
    assert figures.realisatie_percentage == Decimal("6.67")
    # During 2026 itself the council sees what was realised by today.
    recompute_contract_figures(contract_ids=[running.pk], today=ON_2_DECEMBER)
    assert council_figures(gemeente=zoetermeer, jaar=2026, today=ON_2_DECEMBER).gerealiseerd == Decimal("1774.19")


def test_the_api_gives_realised_committed_and_the_forecast(running, team, settings):
    ww(running)
    settings.SROI_TODAY = "2026-12-02"
    token, _ = Token.objects.get_or_create(user=team["leverancier_a"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for url in (f"/api/v1/contracten/{running.pk}", "/api/v1/contracten"):
        data = client.get(url).json()
        realisatie = (data if "realisatie" in data else data["results"][0])["realisatie"]
        assert realisatie["peildatum"] == "2026-12-02"
        assert realisatie["gerealiseerd"] == "1774.19"
        assert realisatie["goedgekeurd"] == "20000.00"
        assert realisatie["percentage"] == "3.55" and realisatie["status"] == "achter"
        assert realisatie["prognose"] == {"verwachtEindbedrag": "20000.00", "haalbaar": False}
        assert realisatie["perJaar"][0] == {"jaar": 2026, "gerealiseerd": "1774.19", "goedgekeurd": "3333.33",
                                            "inBehandeling": "0.00"}


def test_the_supplier_and_the_sr_team_see_realised_beside_committed(running, team, client, settings):
    ww(running)
    settings.SROI_TODAY = "2026-12-02"
    client.force_login(team["leverancier_a"])
    html = client.get(reverse("bouwblokken:contract", kwargs={"pk": running.pk})).text
    assert "Gerealiseerd op 02-12-2026</dt><dd>€\u00a01.774,19</dd>" in html
    assert "Toegezegd (goedgekeurd)</dt><dd>€\u00a020.000,00</dd>" in html
    assert "Met wat nu is afgesproken wordt de verplichting niet gehaald." in html
    overview = client.get(reverse("bouwblokken:overzicht")).text
    assert "€\u00a01.774,19" in overview and "3,6% gerealiseerd" in overview


def test_a_placement_ended_before_today_is_realised_and_one_starting_later_is_not(running):
    ww(running, start=date(2026, 1, 1), end=date(2026, 6, 30), referentie="WSP-A")  # 10,000, over
    ww(running, start=date(2027, 1, 1), end=date(2027, 6, 30), referentie="WSP-B")  # 10,000, still to come
    live = realisation(contract_ids=[running.pk], today=ON_2_DECEMBER)[running.pk]
    assert (live.gerealiseerd, live.goedgekeurd) == (Decimal("10000.00"), Decimal("20000.00"))


def test_a_one_off_bonus_and_an_activity_over_days(running):
    invoice = registrations.register(contract=running, bouwblok_code="sociaal_inkopen", startdatum=date(2026, 12, 10),
                                     bedrag=Decimal("5000"), omschrijving="Factuur")
    activity = registrations.register(contract=running, bouwblok_code="maatschappelijke_activiteit",
                                      startdatum=date(2026, 12, 1), einddatum=date(2026, 12, 4), dagen=Decimal("4"),
                                      omschrijving="Schoonmaakdag")
    approve(invoice), approve(activity)
    live = realisation(contract_ids=[running.pk], today=ON_2_DECEMBER)[running.pk]
    assert live.gerealiseerd == Decimal("2000.00")  # two of the four days; the invoice is dated later
    after = realisation(contract_ids=[running.pk], today=date(2026, 12, 10))[running.pk]
    assert after.gerealiseerd == Decimal("9000.00")
    recompute_contract_figures(contract_ids=[running.pk], today=ON_2_DECEMBER)
    assert ContractCijfers.objects.get(contract=running).gerealiseerd == Decimal("2000.00")


def test_the_window_caps_and_the_contract_end_cuts(zoetermeer, leverancier_a):
    short = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, gunningsdatum=date(2025, 12, 1),
                          startdatum=date(2026, 1, 1), einddatum=date(2026, 9, 30))
    ww(short, start=date(2026, 7, 1), end=date(2027, 6, 30))  # cut at the contract end: 3 months
    long = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, gunningsdatum=date(2025, 12, 1),
                         startdatum=date(2026, 1, 1), einddatum=date(2028, 12, 31))
    ww(long, start=date(2026, 1, 1), end=date(2027, 6, 30), referentie="WSP-L")  # window of 12 months
    found = realisation(contract_ids=[short.pk, long.pk], today=ON_2_DECEMBER)
    assert found[short.pk].gerealiseerd == found[short.pk].goedgekeurd == Decimal("5000.00")
    assert found[short.pk].peildatum == date(2026, 9, 30)  # an ended contract: its end date
    assert found[long.pk].gerealiseerd == Decimal("18440.86")  # 11 months and 2 of 31 days
    assert realisation(contract_ids=[long.pk], today=date(2027, 3, 1))[long.pk].gerealiseerd == Decimal("20000.00")


def test_a_settled_contract_is_measured_at_its_end_date(running, team):
    ww(running)
    Afrekening.objects.create(contract=running, datum=ON_2_DECEMBER, verplichting=Decimal("50000"),
                              gerealiseerd=Decimal("20000"), tekort=Decimal("30000"), sanctie_factor=Decimal("1"),
                              sanctie=Decimal("30000"), besluit="Afgerekend")
    live = realisation(contract_ids=[running.pk], today=ON_2_DECEMBER)[running.pk]
    assert live.afgerekend and live.peildatum == date(2027, 12, 31)
    assert live.gerealiseerd == Decimal("20000.00")
    recompute_contract_figures(contract_ids=[running.pk], today=ON_2_DECEMBER)
    assert ContractCijfers.objects.get(contract=running).gerealiseerd == Decimal("20000.00")


# --- behind schedule: one reminder per threshold ------------------------------------------------

def test_a_contract_behind_schedule_gets_one_reminder_per_threshold(running, team, mailoutbox):
    ww(running, start=date(2026, 1, 1), end=date(2026, 12, 31), hours="18")  # 10,000 over 2026
    # On 30 June 2026: 6 of 24 months → 12,500 expected, 5,000 realised: 60% behind (all three thresholds).
    day = date(2026, 6, 30)
    recompute_contract_figures(contract_ids=[running.pk], today=day)
    send_reminders(today=day)
    send_reminders(today=day)
    sent = Herinnering.objects.filter(contract=running, soort__in=["achter_leverancier", "achter_sr_team"])
    assert sorted(sent.filter(soort="achter_leverancier").values_list("aanleiding", flat=True)) == [
        f"contract:{running.pk}:achter:{t}" for t in (15, 25, 40)]
    assert sent.filter(soort="achter_sr_team").count() == 3
    behind = [m for m in mailoutbox if "achter op schema" in m.subject]
    assert len(behind) == 2  # one e-mail to the supplier, one to the SR-team, not again on the second run
    assert "meer dan 40% achter" in behind[0].body and behind[0].body.count(running.kenmerk) == 1


def test_the_thresholds_are_the_policys(running, team, mailoutbox):
    Beleid.objects.filter(pk=running.beleid_id).update(achterstand_drempels=[70])
    ww(running, start=date(2026, 1, 1), end=date(2026, 12, 31), hours="18")
    day = date(2026, 6, 30)
    recompute_contract_figures(contract_ids=[running.pk], today=day)
    send_reminders(today=day)
    assert not Herinnering.objects.filter(contract=running, soort__startswith="achter").exists()  # 60% < 70%


# --- every way in refreshes the stored figures -----------------------------------------------------

def settled_setup():
    """Forget the recomputes the test's setup queued: what follows must queue its own."""
    from django.db import connection

    connection.run_on_commit.clear()


@pytest.fixture
def queued(django_capture_on_commit_callbacks):
    """The recomputes queued after commit: [(contract_ids, gemeente_ids)]."""
    settled_setup()
    calls = []
    with mock.patch("reporting.outbox.enqueue_figures",
                    side_effect=lambda contract_ids, gemeente_ids: calls.append((set(contract_ids), set(gemeente_ids)))):
        yield calls, django_capture_on_commit_callbacks


def test_an_import_queues_the_recompute_of_the_new_contracts(team, queued, zoetermeer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from contracts.imports import import_contracts, template_csv

    calls, capture = queued
    header = template_csv().decode("utf-8-sig").splitlines()[0]
    columns = header.split(";") if ";" in header else header.split(",")
    sep = ";" if ";" in header else ","
    values = {"gemeente": zoetermeer.code, "gemeentecode": zoetermeer.code, "kenmerk": "IMP-1",
              "omschrijving": "Geïmporteerd", "leverancier_kvk": "12345678", "kvk_nummer": "12345678",
              "kvk": "12345678", "leverancier": "Bouwbedrijf A", "leverancier_naam": "Bouwbedrijf A",
              "categorie": "werken", "procedure": "europees", "gunningsdatum": "2025-12-01",
              "startdatum": "2026-01-01", "einddatum": "2027-12-31", "aanneemsom": "1000000", "loonsom": "400000",
              "extra_percentage": "0", "sebo_keurmerk": "nee"}
    row = sep.join(next((v for k, v in values.items() if k in column.lower().replace(" ", "_").replace("-", "_")), "")
                   for column in columns)
    upload = SimpleUploadedFile("contracten.csv", (header + "\n" + row + "\n").encode("utf-8"), content_type="text/csv")
    with capture(execute=True):
        result = import_contracts(upload=upload, user=team["inkoop"])
    assert not result.errors, result.errors
    created = set(result.created and [c.pk for c in result.created])
    assert created and any(created <= contract_ids for contract_ids, _g in calls)


def test_an_admin_change_of_the_catalogue_queues_the_contracts_using_it(running, team, queued):
    calls, capture = queued
    bouwblok = Bouwblok.objects.get(catalogus=running.catalogus, code="ww")
    with capture(execute=True):
        bouwblok.waarde = Decimal("21000")
        bouwblok.save()  # as the admin's change form does
    assert any(running.pk in contract_ids for contract_ids, _g in calls)


def test_an_admin_change_of_the_policy_queues_its_contracts(running, queued):
    calls, capture = queued
    with capture(execute=True):
        beleid = Beleid.objects.get(pk=running.beleid_id)
        beleid.achterstand_drempels = [10, 20]
        beleid.full_clean()
        beleid.save()
    assert any(running.pk in contract_ids for contract_ids, _g in calls)


def test_a_settlement_queues_its_contract(running, queued):
    calls, capture = queued
    with capture(execute=True):
        Afrekening.objects.create(contract=running, datum=ON_2_DECEMBER, verplichting=Decimal("50000"),
                                  gerealiseerd=Decimal("0"), tekort=Decimal("50000"), sanctie_factor=Decimal("1"),
                                  sanctie=Decimal("50000"), besluit="Afgerekend")
    assert any(running.pk in contract_ids for contract_ids, _g in calls)


def test_a_retention_run_queues_the_contracts_of_the_pseudonymised_candidates(running, queued):
    from bouwblokken.retention import run_retention

    calls, capture = queued
    ww(running)
    Afrekening.objects.create(contract=running, datum=date(2018, 1, 1), verplichting=Decimal("50000"),
                              gerealiseerd=Decimal("20000"), tekort=Decimal("30000"), sanctie_factor=Decimal("1"),
                              sanctie=Decimal("30000"), besluit="Afgerekend")
    calls.clear()
    settled_setup()
    with capture(execute=True):
        report = run_retention(peildatum=ON_2_DECEMBER)
    assert report.kandidaten == 1
    assert any(running.pk in contract_ids for contract_ids, _g in calls)


def test_a_policy_threshold_list_must_be_ascending_whole_percentages(running):
    from django.core.exceptions import ValidationError

    beleid = Beleid.objects.get(pk=running.beleid_id)
    for bad in ([40, 15], [0], ["15"], "15,25"):
        beleid.achterstand_drempels = bad
        with pytest.raises(ValidationError):
            beleid.full_clean()
