"""The test world of the access matrix: one user per role of ``tests/access/rules.py`` and the objects
the rules point at.

- ``x`` = Zoetermeer (GM0637) and Lansingerland (GM1621), both of the seeded region; Utrecht (GM0344)
  is in another region ("regio-utrecht") with its own policy and a copy of the seeded catalogue.
- ``contract_a`` (Zoetermeer) of ``leverancier_a`` with ``registratie_a`` (a concept placement,
  Participatiewet) and its evidence ``bewijs_a`` (a small PDF), plus ``registratie_a_ingediend``
  (a submitted invoice registration, for the SR-team's pages).
- ``contract_b`` (Zoetermeer) of ``leverancier_b`` with ``registratie_b`` (concept).
- ``contract_other`` (Utrecht) of ``leverancier_b``: what ``srteam_other`` works on.
- ``invitation_token``: a valid, unused invitation link for a new contact of ``leverancier_a``.

Use it as a fixture: ``from tests.access.world import world`` in a test module (or conftest).
Users have no usable password: tests sign them in with ``client.force_login(world.users[role])``.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from bouwblokken import services as registration_services
from bouwblokken.models import Bouwblok, Catalogus
from bouwblokken.seed import REGIO_CODE
from contracts.models import Beleid, Gemeente, Regio
from sroi_portal.accounts.invitations import invite_supplier_user
from sroi_portal.models import Role
from tests.factories import LeverancierFactory, gemeente_with_policy, make_contract
from tests.access.rules import ROLES

#: The smallest file that passes the evidence check (PDF magic bytes).
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role name -> User (None for "anonymous")
    zoetermeer: object = None
    lansingerland: object = None
    utrecht: object = None
    leverancier_a: object = None
    leverancier_b: object = None
    contract_a: object = None
    contract_b: object = None
    contract_other: object = None
    registratie_a: object = None
    registratie_a_ingediend: object = None
    registratie_b: object = None
    bewijs_a: object = None
    invitation_token: str = ""
    admin_objects: dict = field(default_factory=dict)  # model label -> object (tests/access/matrix_admin.py)


def other_region_gemeente(code="GM0344", naam="Utrecht") -> Gemeente:
    """A municipality outside the seeded region, with a policy and a copy of the newest seeded catalogue."""
    regio, _ = Regio.objects.get_or_create(code="regio-utrecht", defaults={"naam": "Regio Utrecht"})
    gemeente, _ = Gemeente.objects.get_or_create(code=code, defaults={"naam": naam, "regio": regio})
    if not gemeente.beleid.exists():
        Beleid.objects.create(gemeente=gemeente, geldig_vanaf=date(2015, 1, 1))
    if not regio.catalogi.exists():
        source = Catalogus.objects.filter(regio__code=REGIO_CODE).order_by("-geldig_vanaf").first()
        copy = Catalogus.objects.create(
            regio=regio, naam=f"{source.naam} (Utrecht)", geldig_vanaf=date(2019, 1, 1),
            norm_uren_per_week=source.norm_uren_per_week,
        )
        Bouwblok.objects.bulk_create([
            Bouwblok(**{
                f.name: getattr(blok, f.name)
                for f in Bouwblok._meta.concrete_fields
                if f.name not in ("id", "catalogus")
            }, catalogus=copy)
            for blok in source.bouwblokken.all()
        ])
    return gemeente


def _user(username, role="", *, gemeenten=(), leverancier=None, **extra):
    user = get_user_model().objects.create(
        username=username, email=f"{username}@matrix.example", role=role, leverancier=leverancier, **extra
    )
    if gemeenten:
        user.gemeenten.set(gemeenten)
    return user


def build_world() -> World:
    w = World()
    w.zoetermeer = gemeente_with_policy("GM0637", "Zoetermeer")
    w.lansingerland = gemeente_with_policy("GM1621", "Lansingerland")
    w.utrecht = other_region_gemeente()
    w.leverancier_a = LeverancierFactory(kvk_nummer="11223344", naam="Matrix Groen B.V.")
    w.leverancier_b = LeverancierFactory(kvk_nummer="55667788", naam="Matrix Schoon B.V.")

    w.users = {
        "anonymous": None,
        "leverancier_a": _user("leverancier_a", Role.LEVERANCIER, leverancier=w.leverancier_a),
        "leverancier_b": _user("leverancier_b", Role.LEVERANCIER, leverancier=w.leverancier_b),
        "inkoop_x": _user("inkoop_x", Role.INKOOP, gemeenten=[w.zoetermeer]),
        "srteam_x": _user("srteam_x", Role.SR_TEAM, gemeenten=[w.zoetermeer, w.lansingerland]),
        "srteam_other": _user("srteam_other", Role.SR_TEAM, gemeenten=[w.utrecht]),
        "raadslid_x": _user("raadslid_x", Role.RAADSLID, gemeenten=[w.zoetermeer]),
        "beheerder": _user("beheerder", Role.BEHEERDER),
    }
    assert set(w.users) == set(ROLES)
    # The functional administrator may use the Django admin (is_staff) with every model permission,
    # as an operator sets it up with a group; not a superuser (tests/access/matrix_admin.py).
    w.users["beheerder"].is_staff = True
    w.users["beheerder"].save(update_fields=["is_staff"])
    w.users["beheerder"].user_permissions.set(Permission.objects.all())

    period = {"gunningsdatum": date(2024, 2, 1), "startdatum": date(2024, 4, 1), "einddatum": date(2026, 12, 31)}
    w.contract_a = make_contract(gemeente=w.zoetermeer, leverancier=w.leverancier_a, kenmerk="MATRIX-A", **period)
    w.contract_b = make_contract(gemeente=w.zoetermeer, leverancier=w.leverancier_b, kenmerk="MATRIX-B", **period)
    w.contract_other = make_contract(gemeente=w.utrecht, leverancier=w.leverancier_b, kenmerk="MATRIX-U", **period)

    w.registratie_a = registration_services.register(
        contract=w.contract_a, bouwblok_code="participatiewet", user=w.users["leverancier_a"],
        kandidaat={"referentie": "WSP-A-001", "initialen": "A.B.", "geboortejaar": 1990},
        startdatum=date(2024, 5, 1), einddatum=date(2025, 4, 30), uren_per_week=Decimal("32"),
    )
    w.bewijs_a = registration_services.add_evidence(
        registratie=w.registratie_a,
        bestand=SimpleUploadedFile("arbeidsovereenkomst.pdf", TINY_PDF, content_type="application/pdf"),
        soort="arbeidsovereenkomst", user=w.users["leverancier_a"],
    )
    ingediend = registration_services.register(
        contract=w.contract_a, bouwblok_code="sociaal_inkopen", user=w.users["leverancier_a"],
        startdatum=date(2024, 9, 1), bedrag=Decimal("12500.00"), omschrijving="Factuur SW-bedrijf",
    )
    w.registratie_a_ingediend = registration_services.submit(registratie=ingediend, user=w.users["leverancier_a"])
    w.registratie_b = registration_services.register(
        contract=w.contract_b, bouwblok_code="ww", user=w.users["leverancier_b"],
        kandidaat={"referentie": "WSP-B-001", "initialen": "C.D.", "geboortejaar": 1985},
        startdatum=date(2024, 6, 1), uren_per_week=Decimal("36"),
    )
    w.registratie_a.refresh_from_db()

    invite_supplier_user(
        leverancier=w.leverancier_a, email="nieuw@matrix.example", invited_by=w.users["srteam_x"], contract=w.contract_a
    )
    from django.core import mail

    w.invitation_token = _token_from_mail(mail.outbox[-1].body)
    mail.outbox.clear()
    return w


def _token_from_mail(body: str) -> str:
    import re

    match = re.search(r"/account/uitnodiging/([^/\s]+)/", body)
    assert match, body
    return match.group(1)


def use_private_storage(settings, folder):
    """Evidence goes to a throw-away folder instead of var/private (``settings`` is pytest-django's fixture)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(folder)}},
    }
    return folder


@pytest.fixture
def world(db, settings, tmp_path, mailoutbox) -> World:
    use_private_storage(settings, tmp_path / "private")
    return build_world()
