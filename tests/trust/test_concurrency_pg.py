"""Concurrency on PostgreSQL with real, separate connections: two transactions really overlap
(a barrier lets both start before either locks the row) and the row lock plus ``versie`` decide
who wins. The loser is told in Dutch (StateConflict, HTTP 409); nothing is lost or overwritten.
"""

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from bouwblokken import services
from bouwblokken.models import Beoordeling, Registratie
from sroi_portal.errors import StateConflict
from sroi_portal.models import Role
from tests.factories import UserFactory, make_contract

from .pg import Worker, backends_waiting_for_a_lock, require_postgres

# The scene's registrations carry no evidence files: approving them needs a recorded reason.
REASON = "Bewijs bij het WSP ingezien."

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def scene(zoetermeer, leverancier_a):
    require_postgres()
    users = {
        "srteam_1": UserFactory(username="sr1", role=Role.SR_TEAM, gemeenten=[zoetermeer], password=None),
        "srteam_2": UserFactory(username="sr2", role=Role.SR_TEAM, gemeenten=[zoetermeer], password=None),
        "leverancier": UserFactory(username="lev", role=Role.LEVERANCIER, leverancier=leverancier_a, password=None),
    }
    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a)
    registratie = services.register(
        contract=contract, bouwblok_code="ww",
        kandidaat={"referentie": "WSP-7", "initialen": "C.", "geboortejaar": 1985},
        startdatum=date(2024, 5, 1), einddatum=date(2025, 4, 30), uren_per_week=Decimal(36),
    )
    return users, contract, registratie


@pytest.fixture
def overlapping(monkeypatch):
    """Make every locking service call meet the others first, then hold the first lock until the
    other transaction is seen waiting for it in pg_stat_activity (proof that they overlap)."""

    state = {"barrier": None, "first": threading.Event(), "seen_waiting": threading.Event()}
    met = threading.local()  # a transaction meets the others once, at its first lock
    # The first lock a write takes is the contract row (contracts.services.ensure_open, which every
    # registration service calls before it locks the registration: one lock order).
    original = services.ensure_open

    def ensure_open(contract, **kwargs):
        if state["barrier"] is None or getattr(met, "done", False):  # set-up, or already met
            return original(contract, **kwargs)
        met.done = True
        state["barrier"].wait(timeout=10)  # both are inside their transaction now
        result = original(contract, **kwargs)
        if not state["first"].is_set():
            state["first"].set()
            state["seen_waiting"].wait(timeout=10)  # keep the lock until the other one queues
        return result

    monkeypatch.setattr(services, "ensure_open", ensure_open)

    def run(*funcs):
        state["barrier"] = threading.Barrier(len(funcs))
        workers = [Worker(func, f"worker-{i}") for i, func in enumerate(funcs)]
        for worker in workers:
            worker.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not state["seen_waiting"].is_set():
            if state["first"].is_set() and backends_waiting_for_a_lock() >= 1:
                state["seen_waiting"].set()
            time.sleep(0.02)
        for worker in workers:
            worker.join(timeout=30)
            assert not worker.is_alive(), "a transaction hung"
        state["barrier"] = None
        assert state["seen_waiting"].is_set(), "the two transactions did not overlap"
        return workers

    return run


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_two_sr_team_members_decide_at_once_exactly_one_wins(scene, overlapping):
    users, contract, registratie = scene
    services.submit(registratie=registratie)
    url = f"/api/v1/registraties/{registratie.pk}/beoordeling"

    workers = overlapping(
        lambda: api_as(users["srteam_1"]).post(url, {"besluit": "goedgekeurd", "redenZonderBewijs": REASON}, format="json"),
        lambda: api_as(users["srteam_2"]).post(url, {"besluit": "afgekeurd", "toelichting": "Geen contract."},
                                               format="json"),
    )
    for worker in workers:
        assert worker.error is None, worker.error
    statuses = sorted(worker.result.status_code for worker in workers)
    assert statuses == [200, 409]
    loser = next(worker.result for worker in workers if worker.result.status_code == 409)
    assert loser["Content-Type"] == "application/problem+json"
    assert "Alleen een ingediende registratie kan worden beoordeeld" in loser.json()["detail"]
    winner = next(worker.result for worker in workers if worker.result.status_code == 200).json()

    registratie.refresh_from_db()
    assert registratie.status == winner["status"]
    assert Beoordeling.objects.filter(registratie=registratie).count() == 1
    assert registratie.versie == 3  # register 1, submit 2, one decision 3


def test_supplier_cannot_change_what_is_being_decided(scene, overlapping):
    users, contract, registratie = scene
    services.submit(registratie=registratie)
    registratie.refresh_from_db()
    seen_by_team = (registratie.uren_per_week, registratie.waarde, registratie.einddatum)

    workers = overlapping(
        lambda: services.decide(registratie=registratie, besluit="goedgekeurd", user=users["srteam_1"],
                                versie=registratie.versie, reden_zonder_bewijs=REASON),
        lambda: services.update_registration(registratie=registratie, user=users["leverancier"],
                                             versie=registratie.versie, uren_per_week=Decimal(40),
                                             einddatum=date(2026, 3, 31)),
    )
    decided, edited = workers
    assert decided.error is None, decided.error
    assert isinstance(edited.error, StateConflict)
    registratie.refresh_from_db()
    assert registratie.status == "goedgekeurd"
    assert (registratie.uren_per_week, registratie.waarde, registratie.einddatum) == seen_by_team


def test_no_lost_update_between_two_edits_of_the_same_version(scene, overlapping):
    users, contract, registratie = scene
    versie = registratie.versie

    def edit(hours):
        return lambda: services.update_registration(registratie=registratie, user=users["leverancier"],
                                                    versie=versie, uren_per_week=Decimal(hours))

    workers = overlapping(edit(20), edit(30))
    errors = [worker.error for worker in workers]
    assert sum(error is None for error in errors) == 1
    (conflict,) = [error for error in errors if error is not None]
    assert isinstance(conflict, StateConflict)
    assert "intussen gewijzigd" in conflict.message
    winner = next(worker.result for worker in workers if worker.error is None)

    registratie.refresh_from_db()
    assert registratie.versie == versie + 1
    assert registratie.uren_per_week == winner.uren_per_week
    # The stored value belongs to the stored hours (WW placement: 36 h/week is the norm).
    assert registratie.waarde == winner.waarde
    assert sum(j.waarde for j in registratie.jaren.all()) == registratie.waarde


def test_submitting_a_year_while_deciding_leaves_a_consistent_state(scene, overlapping):
    users, contract, registratie = scene
    services.submit(registratie=registratie)
    second = services.register(contract=contract, bouwblok_code="sociaal_inkopen", startdatum=date(2024, 6, 1),
                               bedrag=Decimal("2500.00"))

    workers = overlapping(
        lambda: services.decide(registratie=registratie, besluit="goedgekeurd", user=users["srteam_1"], reden_zonder_bewijs=REASON),
        lambda: services.decide(registratie=registratie, besluit="goedgekeurd", user=users["srteam_2"], reden_zonder_bewijs=REASON),
    )
    assert sorted(type(w.error).__name__ for w in workers) == ["NoneType", "StateConflict"]
    assert Registratie.objects.get(pk=second.pk).status == "concept"
    assert Beoordeling.objects.filter(registratie=registratie).count() == 1
