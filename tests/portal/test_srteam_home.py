"""The SR-team's start page says what waits for it, each count a link to the list it counts: new
contracts not yet taken in (the inbox), intakes past the contact deadline (the inbox filtered on
'verlopen', rule in contracts.intake), registrations waiting for a decision and how long the oldest
has waited (the verification queue). A fixed number of queries, however much waits.

Today is pinned with settings.SROI_TODAY (Wednesday 25 November 2026); the deadline is 5 working
days after the award."""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from bouwblokken import services as registrations
from bouwblokken.models import Registratie
from contracts.intake import contact_term, last_overdue_award
from contracts.models import Contract
from tests.factories import gemeente_with_policy, make_contract

TODAY = date(2026, 11, 25)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(autouse=True)
def today(settings):
    settings.SROI_TODAY = TODAY.isoformat()
    return TODAY


def make(**values):
    """A contract that runs from 2027 (awarded in autumn 2026)."""
    return make_contract(startdatum=date(2027, 1, 1), einddatum=date(2028, 12, 31), **values)


def _taken_in(contract):
    Contract.objects.filter(pk=contract.pk).update(contact_opgenomen_op=datetime(2026, 11, 20, 9, tzinfo=AMSTERDAM))
    return contract


def _submitted(contract, *, on: datetime, kenmerk="F"):
    """A submitted invoice registration (made by the service; its submission moment set as given)."""
    registratie = registrations.register(
        contract=contract, bouwblok_code="sociaal_inkopen", startdatum=date(2027, 1, 15),
        bedrag=Decimal("1000.00"), omschrijving=f"Factuur {kenmerk}",
    )
    Registratie.objects.filter(pk=registratie.pk).update(status="ingediend", ingediend_op=on)
    return registratie


@pytest.fixture
def work(team, zoetermeer, lansingerland, leverancier_a, leverancier_b):
    late_1 = make(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="LAAT-1", gunningsdatum=date(2026, 11, 10))
    # Tuesday 17 November: deadline Tuesday 24 November, so overdue today.
    late_2 = make(gemeente=lansingerland, leverancier=leverancier_b, kenmerk="LAAT-2", gunningsdatum=date(2026, 11, 17))
    # Wednesday 18 November: deadline today, not yet overdue.
    fresh = make(gemeente=zoetermeer, leverancier=leverancier_b, kenmerk="VERS", gunningsdatum=date(2026, 11, 18))
    taken_in = _taken_in(make(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="GEDAAN",
                                       gunningsdatum=date(2026, 10, 1)))
    make(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="GEEN", categorie="leveringen",
                  gunningsdatum=date(2026, 10, 1))  # no obligation: nothing to take in
    elsewhere = gemeente_with_policy("GM0503", "Delft")  # not the SR-team's municipality
    make(gemeente=elsewhere, leverancier=leverancier_a, kenmerk="DELFT", gunningsdatum=date(2026, 10, 1))

    oldest = _submitted(taken_in, on=datetime(2026, 11, 16, 14, tzinfo=AMSTERDAM), kenmerk="1")  # 9 days ago
    for day, kenmerk in ((20, "2"), (24, "3"), (25, "4")):
        _submitted(taken_in, on=datetime(2026, 11, day, 10, tzinfo=AMSTERDAM), kenmerk=kenmerk)
    registrations.register(contract=taken_in, bouwblok_code="sociaal_inkopen", startdatum=date(2027, 1, 15),
                           bedrag=Decimal("500.00"), omschrijving="Concept")  # a concept waits for the supplier
    return {"late": [late_1, late_2], "fresh": fresh, "oldest": oldest}


def counts(html: str) -> dict:
    """Link text (its title) -> (href, explanation) of the start page's 'Wat op u wacht' list."""
    block = re.search(r'<ul class="choice-list work-counts".*?</ul>', html, re.DOTALL).group(0)
    found = {}
    for href, title, meta in re.findall(
        r'<a href="([^"]*)"[^>]*><span class="choice__title">(.*?)</span>\s*<span class="choice__meta">(.*?)</span></a>',
        block, re.DOTALL,
    ):
        found[title.strip()] = (href.replace("&amp;", "&"), meta.strip())
    return found


def test_the_srteam_start_page_counts_what_waits_with_links_to_the_lists(client, team, work):
    client.force_login(team["srteam"])
    found = counts(client.get(reverse("home")).content.decode())

    assert found["3 nieuwe contracten"][0] == "/contracten/inbox"
    assert found["2 intakes te laat"][0] == "/contracten/inbox?termijn=verlopen"
    assert found["4 registraties wachten op een besluit"] == ("/controle/", "De oudste wacht al 9 dagen.")


def test_each_count_leads_to_a_list_with_that_many_rows(client, team, work):
    client.force_login(team["srteam"])
    found = counts(client.get(reverse("home")).content.decode())
    inbox = client.get(found["3 nieuwe contracten"][0])
    assert [row.contract.kenmerk for row in inbox.context["page"].object_list] == ["LAAT-1", "LAAT-2", "VERS"]
    overdue = client.get(found["2 intakes te laat"][0])
    assert [row.contract.kenmerk for row in overdue.context["page"].object_list] == ["LAAT-1", "LAAT-2"]
    assert all(row.term.overdue for row in overdue.context["page"].object_list)
    assert "VERS" not in overdue.content.decode()
    queue = client.get(found["4 registraties wachten op een besluit"][0])
    assert len(queue.context["rows"]) == 4 and queue.context["rows"][0].pk == work["oldest"].pk


def test_taking_a_contract_in_lowers_the_counts(client, team, work):
    _taken_in(work["late"][0])
    client.force_login(team["srteam"])
    found = counts(client.get(reverse("home")).content.decode())
    assert "2 nieuwe contracten" in found and "1 intake te laat" in found


def test_nothing_waiting_is_said_in_words(client, team):
    client.force_login(team["srteam"])
    found = counts(client.get(reverse("home")).content.decode())
    assert set(found) == {"Geen nieuwe contracten", "Geen intakes te laat", "Geen registraties die op een besluit wachten"}
    assert found["Geen registraties die op een besluit wachten"][1] == "Alles wat is ingediend, is beoordeeld."


def test_other_roles_get_no_counts(client, team, work):
    for role in ("inkoop", "raadslid", "leverancier_a"):
        client.force_login(team[role])
        assert "Wat op u wacht" not in client.get(reverse("home")).content.decode(), role


def test_the_start_page_runs_a_fixed_number_of_queries(client, team, work, zoetermeer, leverancier_a,
                                                       django_assert_max_num_queries):
    client.force_login(team["srteam"])
    client.get(reverse("home"))  # the session's first request out of the way
    # Session, user, the two-step device; the inbox's counts; the queue's count and oldest submission.
    with django_assert_max_num_queries(5):
        client.get(reverse("home"))
    for number in range(6):
        make(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk=f"MEER-{number}",
             gunningsdatum=TODAY - timedelta(days=3 * number))
        _submitted(work["oldest"].contract, on=datetime(2026, 11, 20, 10, tzinfo=AMSTERDAM), kenmerk=f"M{number}")
    with django_assert_max_num_queries(5):
        response = client.get(reverse("home"))
    found = counts(response.content.decode())
    assert "9 nieuwe contracten" in found and "10 registraties wachten op een besluit" in found


@pytest.mark.parametrize("working_days", [5, 2, 10])
def test_the_overdue_filter_follows_the_contact_deadline_rule(working_days):
    """Awarded on or before last_overdue_award(today) is exactly contact_term(...).overdue."""
    for today in (TODAY + timedelta(days=offset) for offset in range(14)):  # every weekday and weekend day
        cutoff = last_overdue_award(today, working_days)
        for award in (today - timedelta(days=back) for back in range(30)):
            assert (award <= cutoff) == contact_term(award, today=today, working_days=working_days).overdue, (today, award)
