"""Fixtures of the council-page tests: one Zoetermeer with stored figures for 2024 and 2025."""

from datetime import date
from decimal import Decimal

import pytest

from reporting.figures import recompute_contract_figures, recompute_placement_figures
from tests.access.world import use_private_storage
from tests.factories import make_contract
from tests.reporting.conftest import invoice, place


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    use_private_storage(settings, tmp_path / "private")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def zoetermeer_2025(team, zoetermeer, leverancier_a, leverancier_b):
    """Two Zoetermeer contracts (obligations 50,000 and 10,000), six people placed in 2025 (60,000
    approved), one invoice of 1,000 still being checked; the stored figures computed."""
    first = make_contract(gemeente=zoetermeer, leverancier=leverancier_a)
    second = make_contract(gemeente=zoetermeer, leverancier=leverancier_b, aanneemsom=Decimal("500000.00"),
                           loonsom=Decimal("100000.00"))
    for _i in range(5):
        place(first, code="participatiewet", start=date(2025, 1, 1), end=date(2025, 6, 30), hours="18")
    place(first, code="ww", start=date(2025, 2, 1), end=date(2025, 7, 31))
    invoice(second, bedrag="1000.00", start=date(2025, 3, 1), state="ingediend")
    recompute_contract_figures()
    recompute_placement_figures()
    return zoetermeer
