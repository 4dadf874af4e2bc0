"""python manage.py create_load_accounts --output FILE: accounts for the load test (tests/load/, issue #6).

Every simulated user of the load test logs in with its OWN account, as people do:

* ``--suppliers N`` supplier users, each of another supplier with running contracts (not settled, an
  obligation, at least 60 days run and 30 to go) in the municipalities of the first region;
* ``--srteam N`` SR-team members for every municipality of that region;
* ``--council N`` council members, each for one municipality of that region.

Passwords are random and written, with what the simulated users need (contract ids and dates, the
placement bouwblokken of each contract's catalogue, the suppliers' ids, municipality codes), to the
JSON file ``--output`` (outside the repository: the load test puts it in its temporary directory, mode
0600). Passwords are hashed with PBKDF2, the production hasher, so gunicorn with the production
settings accepts them whatever settings this command runs with.

MFA: when django-otp's TOTP plugin is installed (``django_otp.plugins.otp_totp`` in INSTALLED_APPS),
each SR-team and council account gets one confirmed TOTP device named "load"; its key and parameters
go into the JSON, so the simulated user can answer the verification step after its password.

Running it again for the same accounts gives them new passwords (and new devices); their earlier
registrations stay. Made for generated data (``generate_load_data``); never run it on real data.
"""

from __future__ import annotations

import json
import os
import random
import secrets
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from sroi_portal import clock
from sroi_portal.models import Role

PREFIX = "lt"
EMAIL_DOMAIN = "belasting.example"
KINDS = {"supplier": Role.LEVERANCIER, "srteam": Role.SR_TEAM, "council": Role.RAADSLID}
MAX_CONTRACTS_PER_SUPPLIER = 8


def _hash(password: str) -> str:
    hasher = PBKDF2PasswordHasher()
    return hasher.encode(password, hasher.salt())


def _hashes(passwords: list[str]) -> list[str]:
    """PBKDF2 is slow on purpose (about 0.8 s each here): spread over the cores for many accounts."""
    if len(passwords) < 8 or (os.cpu_count() or 1) < 2:
        return [_hash(p) for p in passwords]
    with ProcessPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        return list(pool.map(_hash, passwords))


def totp_installed() -> bool:
    return apps.is_installed("django_otp.plugins.otp_totp")


def _enrol_totp(user) -> dict | None:
    """One confirmed TOTP device "load" for ``user`` (its other devices removed); None without django-otp."""
    if not totp_installed():
        return None
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="load", confirmed=True)
    return {"key": device.key, "step": device.step, "t0": device.t0, "digits": device.digits, "drift": device.drift}


def _region_gemeenten():
    """The municipalities of the first region (the one the generated fixed users work for)."""
    from contracts.models import Gemeente

    first = Gemeente.objects.order_by("pk").first()
    if first is None:
        raise CommandError("Er zijn geen gemeenten. Genereer eerst data: manage.py generate_load_data --scale regio.")
    if first.regio_id is None:
        return [first]
    return list(Gemeente.objects.filter(regio_id=first.regio_id).order_by("pk"))


def _running_contracts(gemeenten, today):
    from bouwblokken.models import Soort
    from contracts.models import Contract

    return (
        Contract.objects.filter(
            gemeente__in=gemeenten, startdatum__lte=today - timedelta(days=60),
            actuele_einddatum__gte=today + timedelta(days=30), verplichting_bedrag__gt=0, afrekening__isnull=True,
        )
        .annotate(plaatsingen=Count("catalogus__bouwblokken", filter=Q(catalogus__bouwblokken__soort=Soort.PLAATSING)))
        .filter(plaatsingen__gt=0)
        .select_related("gemeente")
        .order_by("leverancier_id", "pk")
    )


def _placement_codes(catalogus_ids):
    from bouwblokken.models import Bouwblok, Soort

    codes = {}
    for catalogus_id, code in (
        Bouwblok.objects.filter(catalogus_id__in=catalogus_ids, soort=Soort.PLAATSING)
        .order_by("volgorde", "code").values_list("catalogus_id", "code")
    ):
        codes.setdefault(catalogus_id, []).append(code)
    return codes


def _upsert_user(kind, index, password_hash, *, leverancier_id=None):
    username = f"{PREFIX}-{kind}-{index:03d}"
    user, _created = get_user_model().objects.update_or_create(
        username=username,
        defaults={"email": f"{username}@{EMAIL_DOMAIN}", "password": password_hash, "role": KINDS[kind],
                  "leverancier_id": leverancier_id, "is_active": True, "is_staff": False, "is_superuser": False,
                  "first_name": "Belasting", "last_name": f"{kind} {index}"},
    )
    return user


def create_accounts(*, suppliers: int, srteam: int, council: int, seed: int = 11) -> dict:
    """Create (or reset) the load-test accounts; returns what the JSON file holds."""
    today = clock.today()
    gemeenten = _region_gemeenten()
    by_supplier: dict[int, list] = {}
    for contract in _running_contracts(gemeenten, today):
        by_supplier.setdefault(contract.leverancier_id, []).append(contract)
    if len(by_supplier) < suppliers:
        raise CommandError(
            f"Er zijn {len(by_supplier)} leveranciers met lopende contracten in de regio; {suppliers} gevraagd."
        )
    rng = random.Random(seed)
    chosen = rng.sample(sorted(by_supplier), suppliers)
    codes = _placement_codes({c.catalogus_id for lev in chosen for c in by_supplier[lev]})

    kinds = [("supplier", suppliers), ("srteam", srteam), ("council", council)]
    passwords = {kind: [secrets.token_urlsafe(18) + "-Lt1" for _ in range(n)] for kind, n in kinds}
    hashes = _hashes([p for kind, _n in kinds for p in passwords[kind]])
    hash_iter = iter(hashes)

    result = {"created": timezone.now().isoformat(), "today": today.isoformat(), "mfa": totp_installed(),
              "gemeenten": [g.code for g in gemeenten], "accounts": {kind: [] for kind, _n in kinds}}
    with transaction.atomic():
        for index, leverancier_id in enumerate(chosen, start=1):
            password = passwords["supplier"][index - 1]
            user = _upsert_user("supplier", index, next(hash_iter), leverancier_id=leverancier_id)
            contracts = by_supplier[leverancier_id][:MAX_CONTRACTS_PER_SUPPLIER]
            result["accounts"]["supplier"].append({
                "username": user.username, "email": user.email, "password": password,
                "leverancier_id": leverancier_id,
                "contracts": [{"id": c.pk, "startdatum": c.startdatum.isoformat(),
                               "einddatum": c.actuele_einddatum.isoformat(), "gemeente": c.gemeente.code,
                               "plaatsingen": codes.get(c.catalogus_id, [])} for c in contracts],
            })
        for index in range(1, srteam + 1):
            password = passwords["srteam"][index - 1]
            user = _upsert_user("srteam", index, next(hash_iter))
            user.gemeenten.set(gemeenten)
            result["accounts"]["srteam"].append({
                "username": user.username, "email": user.email, "password": password, "totp": _enrol_totp(user),
            })
        for index in range(1, council + 1):
            password = passwords["council"][index - 1]
            gemeente = gemeenten[(index - 1) % len(gemeenten)]
            user = _upsert_user("council", index, next(hash_iter))
            user.gemeenten.set([gemeente])
            result["accounts"]["council"].append({
                "username": user.username, "email": user.email, "password": password, "totp": _enrol_totp(user),
                "gemeente": gemeente.code, "jaren": [today.year, today.year - 1],
            })
    return result


def write_accounts(data: dict, path: Path) -> None:
    """Write the JSON readable by its owner only (it holds passwords)."""
    path = Path(path)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(data, handle, indent=1)


class Command(BaseCommand):
    help = "Maakt de accounts voor de belastingtest (leveranciers, SR-team, raadsleden) met elk een eigen wachtwoord."

    def add_arguments(self, parser):
        parser.add_argument("--suppliers", type=int, default=32, help="Aantal leveranciersaccounts (standaard 32).")
        parser.add_argument("--srteam", type=int, default=8, help="Aantal SR-teamaccounts (standaard 8).")
        parser.add_argument("--council", type=int, default=10, help="Aantal raadsleden (standaard 10).")
        parser.add_argument("--seed", type=int, default=11, help="Welke leveranciers gekozen worden (standaard 11).")
        parser.add_argument("--output", required=True,
                            help="JSON-bestand voor de wachtwoorden (buiten de repository; alleen voor de eigenaar leesbaar).")

    def handle(self, *args, suppliers, srteam, council, seed, output, **options):
        if min(suppliers, srteam, council) < 0 or suppliers + srteam + council == 0:
            raise CommandError("Geef aantallen van 0 of meer, samen minstens 1.")
        data = create_accounts(suppliers=suppliers, srteam=srteam, council=council, seed=seed)
        write_accounts(data, Path(output))
        self.stdout.write(self.style.SUCCESS(
            f"{suppliers} leveranciers, {srteam} SR-team, {council} raadsleden"
            f"{' (met TOTP)' if data['mfa'] else ''}; gegevens in {output}."
        ))
