"""Stories (only with consent, shown after the SR-team's approval), follow-ups of placements
(permanent contract, still employed after 12 months) and the SR-team budget."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from reporting.models import PlaatsingCijfers, Teambudget, Verhaal, Vervolg
from reporting.figures import recompute_placement_figures
from reporting.selectors import council_figures

from .conftest import place


def story_form(contract, **overrides):
    return {"contract": contract.pk, "jaar": 2025, "titel": "Weer aan het werk", "tekst": "Een anoniem verhaal.",
            "toestemming": "on", "toestemming_op": "2025-06-01", **overrides}


def test_a_supplier_submits_a_story_the_sr_team_approves_it_and_the_council_sees_it(client, team, contract):
    client.force_login(team["leverancier_a"])
    response = client.post(reverse("reporting:verhaal_nieuw"), story_form(contract))
    assert response.status_code == 302
    verhaal = Verhaal.objects.get()
    assert (verhaal.gemeente, verhaal.status) == (contract.gemeente, "ingediend")
    assert council_figures(gemeente=contract.gemeente, jaar=2025).verhalen == ()

    client.force_login(team["srteam"])
    assert "Weer aan het werk" in client.get(reverse("reporting:verhalen")).content.decode()
    client.post(reverse("reporting:verhaal", kwargs={"pk": verhaal.pk}), {"besluit": "goedgekeurd"})
    verhaal.refresh_from_db()
    assert verhaal.status == "goedgekeurd" and verhaal.beoordeeld_door == team["srteam"]
    assert [v.titel for v in council_figures(gemeente=contract.gemeente, jaar=2025).verhalen] == ["Weer aan het werk"]


def test_a_story_without_consent_is_refused(client, team, contract):
    client.force_login(team["leverancier_a"])
    response = client.post(reverse("reporting:verhaal_nieuw"), story_form(contract, toestemming=""))
    assert response.status_code == 200
    assert "toestemming van de persoon is vastgelegd" in response.content.decode()
    assert not Verhaal.objects.exists()


def test_a_rejection_needs_a_reason_and_the_supplier_cannot_decide(client, team, contract):
    verhaal = Verhaal.objects.create(gemeente=contract.gemeente, contract=contract, jaar=2025, titel="T", tekst="X",
                                     toestemming=True, toestemming_op=date(2025, 1, 1))
    client.force_login(team["leverancier_a"])
    assert client.post(reverse("reporting:verhaal", kwargs={"pk": verhaal.pk}),
                       {"besluit": "goedgekeurd"}).status_code == 403
    client.force_login(team["srteam"])
    response = client.post(reverse("reporting:verhaal", kwargs={"pk": verhaal.pk}), {"besluit": "afgewezen"})
    assert "Geef bij een afwijzing de reden" in response.content.decode()
    verhaal.refresh_from_db()
    assert verhaal.status == "ingediend"


def test_another_supplier_does_not_see_the_story(client, team, contract):
    verhaal = Verhaal.objects.create(gemeente=contract.gemeente, contract=contract, jaar=2025, titel="Geheim",
                                     tekst="X", toestemming=True, toestemming_op=date(2025, 1, 1))
    client.force_login(team["leverancier_b"])
    assert client.get(reverse("reporting:verhaal", kwargs={"pk": verhaal.pk})).status_code == 404
    assert "Geheim" not in client.get(reverse("reporting:verhalen")).content.decode()


def test_a_supplier_records_the_follow_up_of_a_placement(client, team, contract):
    placement = place(contract, start=date(2024, 5, 1), end=date(2025, 4, 30))
    client.force_login(team["leverancier_a"])
    listing = client.get(reverse("reporting:vervolg_lijst")).content.decode()
    assert placement.kandidaat.referentie in listing  # the supplier's own candidate
    response = client.post(reverse("reporting:vervolg", kwargs={"registratie_id": placement.pk}),
                           {"vast_contract": "ja", "in_dienst_na_12_maanden": "ja"})
    assert response.status_code == 302
    vervolg = Vervolg.objects.get(registratie=placement)
    assert (vervolg.vast_contract, vervolg.in_dienst_na_12_maanden) == (True, True)
    recompute_placement_figures(gemeente_ids=[contract.gemeente_id])
    row = PlaatsingCijfers.objects.get(gemeente=contract.gemeente, jaar=2024, doelgroep="")
    assert (row.gestart, row.vast_contract, row.na_12_maanden) == (1, 1, 1)


def test_the_12_month_outcome_waits_for_12_months(client, team, zoetermeer, leverancier_a):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import make_contract

    today = timezone.localdate()
    running = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, gunningsdatum=today - timedelta(days=60),
                            startdatum=today - timedelta(days=60), einddatum=today + timedelta(days=700))
    placement = place(running, start=today - timedelta(days=30), end=today + timedelta(days=300))
    client.force_login(team["leverancier_a"])
    response = client.post(reverse("reporting:vervolg", kwargs={"registratie_id": placement.pk}),
                           {"vast_contract": "ja", "in_dienst_na_12_maanden": "nee"})
    assert "kunt u vanaf" in response.content.decode()
    assert not Vervolg.objects.exists()
    client.post(reverse("reporting:vervolg", kwargs={"registratie_id": placement.pk}),
                {"vast_contract": "ja", "in_dienst_na_12_maanden": "onbekend"})
    assert Vervolg.objects.get().vast_contract is True  # the permanent contract can be recorded at once


def test_no_follow_up_on_a_placement_that_is_not_approved_or_not_ones_own(client, team, contract):
    submitted = place(contract, state="ingediend")
    client.force_login(team["leverancier_a"])
    assert client.get(reverse("reporting:vervolg", kwargs={"registratie_id": submitted.pk})).status_code == 404
    approved = place(contract)
    client.force_login(team["leverancier_b"])
    assert client.get(reverse("reporting:vervolg", kwargs={"registratie_id": approved.pk})).status_code == 404


def test_the_sr_team_records_its_budget(client, team, zoetermeer, lansingerland):
    client.force_login(team["srteam"])
    form = {"gemeente": zoetermeer.pk, "jaar": 2025, "bedrag": "25000,00", "toelichting": "2 fte"}
    assert client.post(reverse("reporting:teambudget"), form).status_code == 302
    form["bedrag"] = "26000,00"
    client.post(reverse("reporting:teambudget"), form)
    budget = Teambudget.objects.get()
    assert (budget.gemeente, budget.jaar, budget.bedrag) == (zoetermeer, 2025, Decimal("26000.00"))
    assert budget.history.count() == 2


def test_the_sr_team_cannot_set_a_budget_for_a_municipality_outside_its_scope(client, team, zoetermeer):
    from tests.factories import gemeente_with_policy

    pijnacker = gemeente_with_policy("GM1926", "Pijnacker-Nootdorp")
    client.force_login(team["srteam"])  # Zoetermeer and Lansingerland
    response = client.post(reverse("reporting:teambudget"), {"gemeente": pijnacker.pk, "jaar": 2025, "bedrag": "1"})
    assert response.status_code == 200
    assert not Teambudget.objects.exists()


@pytest.mark.parametrize("role", ["inkoop", "raadslid", "leverancier_a"])
def test_only_the_sr_team_and_the_administrator_set_budgets(client, team, role):
    client.force_login(team[role])
    assert client.get(reverse("reporting:teambudget")).status_code == 403


def test_the_lists_run_a_fixed_number_of_queries(client, team, contract):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pages = [("leverancier_a", reverse("reporting:vervolg_lijst")), ("srteam", reverse("reporting:verhalen")),
             ("leverancier_a", reverse("reporting:verhalen")), ("srteam", reverse("reporting:teambudget"))]

    def measure():
        counts = []
        for role, url in pages:
            client.force_login(team[role])
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    def add(n, year):
        for _i in range(n):
            Vervolg.objects.create(registratie=place(contract), vast_contract=True)
            Verhaal.objects.create(gemeente=contract.gemeente, contract=contract, jaar=2025, titel="T", tekst="X",
                                   toestemming=True, toestemming_op=date(2025, 1, 1))
        Teambudget.objects.create(gemeente=contract.gemeente, jaar=year, bedrag=Decimal("1000.00"))

    add(1, 2024)
    few = measure()
    add(4, 2025)
    assert measure() == few
    assert max(few) <= 8
