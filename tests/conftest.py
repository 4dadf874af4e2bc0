import pytest

from sroi_portal.models import Role

from .factories import LeverancierFactory, UserFactory, gemeente_with_policy


@pytest.fixture
def zoetermeer(db):
    return gemeente_with_policy("GM0637", "Zoetermeer")


@pytest.fixture
def lansingerland(db):
    return gemeente_with_policy("GM1621", "Lansingerland")


@pytest.fixture
def leverancier_a(db):
    return LeverancierFactory(kvk_nummer="12345678", naam="Groen & Grijs B.V.")


@pytest.fixture
def leverancier_b(db):
    return LeverancierFactory(kvk_nummer="87654321", naam="Schoon Schip B.V.")


@pytest.fixture
def team(db, zoetermeer, lansingerland, leverancier_a, leverancier_b):
    """A small team: one user per role, scoped like in production."""
    return {
        "inkoop": UserFactory(username="inkoop", role=Role.INKOOP, gemeenten=[zoetermeer]),
        "srteam": UserFactory(username="srteam", role=Role.SR_TEAM, gemeenten=[zoetermeer, lansingerland]),
        "leverancier_a": UserFactory(username="leverancier_a", role=Role.LEVERANCIER, leverancier=leverancier_a),
        "leverancier_b": UserFactory(username="leverancier_b", role=Role.LEVERANCIER, leverancier=leverancier_b),
        "raadslid": UserFactory(username="raadslid", role=Role.RAADSLID, gemeenten=[zoetermeer]),
        "beheerder": UserFactory(username="beheerder", role=Role.BEHEERDER),
    }
