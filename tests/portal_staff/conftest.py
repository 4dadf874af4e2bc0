"""Fixtures for the staff pages: the small team of tests/conftest.py, signed-in clients and helpers to
make registrations in a given state."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from bouwblokken import services as registration_services
from tests.factories import make_contract


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    # Fast password hashing for the team's users (the default PBKDF2 costs about a second per user).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "private")}},
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def inkoop_client(team):
    return client_for(team["inkoop"])


@pytest.fixture
def srteam_client(team):
    return client_for(team["srteam"])


@pytest.fixture
def contract(team, zoetermeer, leverancier_a):
    """A Zoetermeer contract of supplier A: obligation 5% of € 1.000.000 = € 50.000."""
    return make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="ZM-TEST-1")


def placement(contract, *, referentie="WSP-1", code="participatiewet", start=date(2024, 5, 1), end=date(2025, 4, 30),
              hours=Decimal("36"), submit=True):
    registratie = registration_services.register(
        contract=contract, bouwblok_code=code,
        kandidaat={"referentie": referentie, "initialen": "A.B.", "geboortejaar": 1980},
        startdatum=start, einddatum=end, uren_per_week=hours,
    )
    if submit:
        registratie = registration_services.submit(registratie=registratie)
    return registratie


def invoice(contract, *, bedrag=Decimal("10000.00"), start=date(2024, 9, 1), submit=True):
    registratie = registration_services.register(
        contract=contract, bouwblok_code="sociaal_inkopen", startdatum=start, bedrag=bedrag, omschrijving="Factuur",
    )
    if submit:
        registratie = registration_services.submit(registratie=registratie)
    return registratie
