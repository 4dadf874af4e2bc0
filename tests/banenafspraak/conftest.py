from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from banenafspraak import demo, services
from banenafspraak.models import Werkgever
from sroi_portal.models import Role
from tests.factories import LeverancierFactory, UserFactory, make_contract


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The team fixture creates several users; the production hasher takes a second per password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api():
    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


@pytest.fixture
def zoetermeer_demo(team, zoetermeer):
    """Zoetermeer's employer with the published targets and realised jobs 2018-2020, the regional
    targets of Zuid-Holland Centraal and the UWV table of Bijlage 3 (the demo data)."""
    organisatie = demo.seed_zoetermeer()
    demo.seed_region()
    return organisatie


@pytest.fixture
def organisatie(zoetermeer):
    return services.create_werkgever(naam="Gemeente Zoetermeer", gemeente=zoetermeer)


@pytest.fixture
def afdeling(organisatie):
    return services.create_werkgever(naam="Stadsbeheer", bovenliggende=organisatie)


@pytest.fixture
def lansingerland_werkgever(lansingerland):
    return services.create_werkgever(naam="Gemeente Lansingerland", gemeente=lansingerland)


@pytest.fixture
def delft_staff(db):
    """SR-team and inkoop of a municipality that is not Zoetermeer."""
    from tests.factories import gemeente_with_policy

    delft = gemeente_with_policy("GM0503", "Delft")
    return {
        "srteam": UserFactory(username="srteam_delft", role=Role.SR_TEAM, gemeenten=[delft]),
        "inkoop": UserFactory(username="inkoop_delft", role=Role.INKOOP, gemeenten=[delft]),
        "gemeente": delft,
    }


def dienstverband(werkgever, *, referentie="P-1", start=date(2024, 1, 1), end=None, uren="25.5", soort="dienstverband",
                  **extra):
    return services.record_dienstverband(
        werkgever=werkgever, referentie=referentie, initialen="A.B.", geboortejaar=1990, soort=soort,
        startdatum=start, einddatum=end, uren_per_week=Decimal(uren), **extra,
    )


def approved_banenafspraak_registration(*, gemeente, leverancier=None, start, end, uren="25.5", bouwblok="banenafspraak",
                                        referentie="WSP-1", decide="goedgekeurd", sr_user=None):
    """A social-return placement at a supplier, through the real bouwblokken services."""
    from bouwblokken import services as registrations

    contract = make_contract(gemeente=gemeente, leverancier=leverancier or LeverancierFactory())
    registratie = registrations.register(
        contract=contract, bouwblok_code=bouwblok,
        kandidaat={"referentie": referentie, "initialen": "X.Y.", "geboortejaar": 1995},
        startdatum=start, einddatum=end, uren_per_week=Decimal(uren),
    )
    if decide in ("ingediend", "goedgekeurd", "afgekeurd"):
        registratie = registrations.submit(registratie=registratie)
    if decide in ("goedgekeurd", "afgekeurd"):
        registratie = registrations.decide(registratie=registratie, besluit=decide,
                                           toelichting="" if decide == "goedgekeurd" else "Geen bewijs", user=sr_user,
                                           reden_zonder_bewijs="Bewijs buiten het portaal gezien.")
    return registratie


__all__ = ["dienstverband", "approved_banenafspraak_registration", "Werkgever"]
