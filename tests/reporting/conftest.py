from datetime import date
from decimal import Decimal

import pytest

from bouwblokken import services as registrations
from tests.factories import make_contract

_candidates = iter(range(500000, 600000))


def place(contract, *, code="participatiewet", start=date(2024, 5, 1), end=date(2025, 4, 30), hours="36",
          state="goedgekeurd", referentie=None):
    """A placement registration through the real services, brought to ``state``."""
    registratie = registrations.register(
        contract=contract, bouwblok_code=code,
        kandidaat={"referentie": referentie or f"WSP-{next(_candidates)}", "initialen": "T.", "geboortejaar": 1980},
        startdatum=start, einddatum=end, uren_per_week=Decimal(hours),
    )
    return advance(registratie, state)


def invoice(contract, *, bedrag="10000.00", start=date(2024, 6, 1), state="goedgekeurd"):
    registratie = registrations.register(
        contract=contract, bouwblok_code="sociaal_inkopen", startdatum=start, bedrag=Decimal(bedrag),
        omschrijving="Factuur sociale onderneming",
    )
    return advance(registratie, state)


def advance(registratie, state):
    if state in ("ingediend", "goedgekeurd", "afgekeurd"):
        registratie = registrations.submit(registratie=registratie)
    if state == "goedgekeurd":
        registratie = registrations.decide(registratie=registratie, besluit="goedgekeurd", reden_zonder_bewijs="Bewijs buiten het portaal gezien.")
    if state == "afgekeurd":
        registratie = registrations.decide(registratie=registratie, besluit="afgekeurd", toelichting="Bewijs ontbreekt.")
    return registratie


@pytest.fixture
def contract(zoetermeer, leverancier_a):
    """1,000,000 aanneemsom, 5%: obligation 50,000; runs 1 April 2024 - 31 March 2026."""
    return make_contract(gemeente=zoetermeer, leverancier=leverancier_a)

