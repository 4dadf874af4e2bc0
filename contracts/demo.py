"""Demo data: the SR-team shared by Zoetermeer, Lansingerland and Pijnacker-Nootdorp (Zoetermeer's
policy), 15 suppliers, 30 contracts over all categories and procedures, registrations in every
state, and one demo user per role. Deterministic and idempotent. Demo passwords: README."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model

from bouwblokken import services as registration_services
from bouwblokken.models import Registratie
from bouwblokken.seed import REGIO_CODE, REGIO_NAAM
from contracts import services
from contracts.models import Beleid, Contract, Gemeente, Leverancier, Regio
from sroi_portal.models import Role

DEMO_PASSWORD = "Demo-wachtwoord-2026"

# Two-step verification of the demo staff users (inkoop, srteam, beheerder): one fixed, published
# TOTP key, ONLY for demo data. In an authenticator app: SROIDEMOSROIDEMOSROIDEMOSROIDEMO (base32);
# or `manage.py demo_totp srteam` prints the current code. Never use this key for a real account.
DEMO_TOTP_SECRET_BASE32 = "SROIDEMOSROIDEMOSROIDEMOSROIDEMO"
DEMO_TOTP_KEY = "945c81918e945c81918e945c81918e945c81918e"  # the same key, hex (django-otp's format)
DEMO_TOTP_DEVICE_NAME = "demo-authenticator"

GEMEENTEN = [("GM0637", "Zoetermeer"), ("GM1621", "Lansingerland"), ("GM1926", "Pijnacker-Nootdorp")]

LEVERANCIERS = [
    ("30112233", "Groen & Grijs Infra B.V."), ("27140011", "Schoon Schip Facilitair B.V."),
    ("34250099", "Bouwcombinatie Dorp & Stad"), ("61230045", "Veilig Verkeer Markeringen B.V."),
    ("55320987", "De Groene Loper Hoveniers"), ("24370001", "IT-Kracht Overheid B.V."),
    ("29380456", "Rijnland Wegenbouw B.V."), ("70214567", "Sociaal Schoonmaak Coöperatie U.A."),
    ("81122334", "Blauwdruk Ingenieurs B.V."), ("27301234", "Haagse Bouwgroep B.V."),
    ("62345670", "Lichtpunt Installatietechniek B.V."), ("59871234", "Catering Met Zorg B.V."),
    ("73456120", "Stadsbeheer Totaal B.V."), ("24499887", "Vervoer Op Maat B.V."),
    ("68765432", "Kantoor & Meer Leveringen B.V."),
]

OMSCHRIJVINGEN = {
    "werken": ["Herinrichting Dorpsstraat", "Groot onderhoud fietspaden", "Vervanging riolering", "Renovatie sporthal",
               "Aanleg rotonde", "Onderhoud bruggen en kades"],
    "diensten": ["Schoonmaak gemeentehuis", "Groenonderhoud wijken", "Leerlingenvervoer", "ICT-beheer werkplekken",
                 "Catering raadszaal", "Gladheidsbestrijding"],
    "leveringen": ["Levering kantoorartikelen", "Levering straatmeubilair", "Levering laptops"],
}

USERS = [
    ("inkoop", "inkoop@zoetermeer.demo", Role.INKOOP, ["GM0637"], None),
    ("srteam", "srteam@werkgeversservicepunt.demo", Role.SR_TEAM, ["GM0637", "GM1621", "GM1926"], None),
    ("leverancier", "sroi@groengrijs.demo", Role.LEVERANCIER, [], "30112233"),
    ("leverancier2", "sroi@schoonschip.demo", Role.LEVERANCIER, [], "27140011"),
    ("raadslid", "raadslid@zoetermeer.demo", Role.RAADSLID, ["GM0637"], None),
    ("beheerder", "beheer@sroi-portaal.demo", Role.BEHEERDER, [], None),
]

PLAATSINGEN_2019 = ["zonder_uitkering", "ww", "participatiewet", "stage_mbo_hbo", "bbl", "wia", "banenafspraak",
                    "jongere_zonder_startkwalificatie"]
PLAATSINGEN_2023 = ["zonder_uitkering", "ww", "participatiewet", "stage_mbo_hbo", "bbl_niveau_1_2", "wia",
                    "banenafspraak", "bbl_niveau_3_plus"]


def _contracts_spec(rng: random.Random):
    """30 contracts: every category and procedure, award dates 2020-2025 (both catalogue versions)."""
    procedures = ["enkelvoudig_onderhands", "meervoudig_onderhands", "nationaal", "europees"]
    categories = ["werken", "diensten", "leveringen"]
    specs = []
    for n in range(30):
        categorie = categories[n % 3] if n % 5 else "werken"
        procedure = procedures[n % 4]
        gunning = date(2020, 3, 1) + timedelta(days=int(n * 2190 / 30) + rng.randint(0, 40))
        start = gunning + timedelta(days=rng.choice([30, 45, 60]))
        years = rng.choice([1, 2, 3, 4])
        end = date(start.year + years, start.month, 1) - timedelta(days=1)
        aanneemsom = Decimal(rng.randrange(150, 4000)) * 1000
        wage_share = rng.choice([Decimal("0.2"), Decimal("0.3"), Decimal("0.45"), Decimal("0.6")])
        specs.append({
            "kenmerk": f"DEMO-{gunning.year}-{n + 1:03d}",
            "gemeente": GEMEENTEN[n % 3][0] if n % 4 else "GM0637",
            "leverancier": LEVERANCIERS[n % 15][0],
            "omschrijving": rng.choice(OMSCHRIJVINGEN[categorie]),
            "categorie": categorie,
            "procedure": procedure,
            "gunningsdatum": gunning,
            "startdatum": start,
            "einddatum": end,
            "aanneemsom": aanneemsom,
            "loonsom": (aanneemsom * wage_share).quantize(Decimal("1")),
            "extra_percentage": Decimal("1") if n % 7 == 3 else Decimal("0"),
            "sebo_keurmerk": n % 9 == 5,
        })
    return specs


def _users(stdout):
    User = get_user_model()
    for username, email, role, gemeente_codes, kvk in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": email, "role": role,
                      "leverancier": Leverancier.objects.get(kvk_nummer=kvk) if kvk else None},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            if role == Role.BEHEERDER:
                user.is_staff = True
                user.is_superuser = True
            user.save()
            user.gemeenten.set(Gemeente.objects.filter(code__in=gemeente_codes))
            stdout.write(f"  demogebruiker {username} ({role.label})")
        if role in (Role.INKOOP, Role.SR_TEAM, Role.BEHEERDER):
            _enrol_demo_totp(user)


def _enrol_demo_totp(user):
    """Staff must pass two-step verification: the demo staff users get a confirmed app with the demo key."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.get_or_create(
        user=user, name=DEMO_TOTP_DEVICE_NAME, defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )


def _registrations(contract: Contract, rng: random.Random, candidate_numbers):
    """A handful of registrations per contract, in every state."""
    if not contract.verplichting_van_toepassing or contract.verplichting_status:
        return
    codes = PLAATSINGEN_2023 if contract.catalogus.geldig_vanaf.year >= 2023 else PLAATSINGEN_2019
    today = date(2026, 11, 1)
    for _i in range(rng.randint(3, 8)):
        kind = rng.random()
        start = contract.startdatum + timedelta(days=rng.randint(0, 300))
        if start > min(contract.actuele_einddatum, today):
            start = contract.startdatum
        if kind < 0.7:
            code = rng.choice(codes)
            number = next(candidate_numbers)
            registratie = registration_services.register(
                contract=contract, bouwblok_code=code,
                kandidaat={"referentie": f"WSP-{number}", "initialen": rng.choice(["A.B.", "J.", "M.K.", "S.", "R.T."]),
                           "geboortejaar": rng.randint(1962, 2006)},
                startdatum=start, einddatum=min(start + timedelta(days=rng.randint(120, 720)), contract.actuele_einddatum),
                uren_per_week=Decimal(rng.choice([16, 20, 24, 32, 36, 38, 40])),
            )
        elif kind < 0.85:
            registratie = registration_services.register(
                contract=contract, bouwblok_code="sociaal_inkopen", startdatum=start,
                bedrag=Decimal(rng.randrange(2000, 40000)), omschrijving="Factuur sociale onderneming",
            )
        else:
            registratie = registration_services.register(
                contract=contract, bouwblok_code="maatschappelijke_activiteit", startdatum=start,
                dagen=Decimal(rng.randint(1, 5)), omschrijving="Gastlessen op het ROC",
            )
        state = rng.choices([0, 1, 2, 3], weights=[2, 2, 5, 1])[0]
        if state >= 1:
            registration_services.submit(registratie=registratie)
        if state == 2:
            # Demo data has no evidence files: the approval records why (bouwblokken.services.decide).
            registration_services.decide(registratie=registratie, besluit="goedgekeurd",
                                         reden_zonder_bewijs="Demogegevens: zonder bewijsstukken.")
        if state == 3:
            registration_services.decide(
                registratie=registratie, besluit="afgekeurd",
                toelichting="De arbeidsovereenkomst ontbreekt; voeg die toe en dien opnieuw in.",
            )


def seed(stdout):
    regio, _ = Regio.objects.get_or_create(code=REGIO_CODE, defaults={"naam": REGIO_NAAM})
    for code, naam in GEMEENTEN:
        gemeente, _ = Gemeente.objects.get_or_create(code=code, defaults={"naam": naam, "regio": regio})
        # Zoetermeer's policy (rules §1), shared by the three municipalities of the SR-team.
        Beleid.objects.get_or_create(gemeente=gemeente, geldig_vanaf=date(2015, 1, 1))
    for kvk, naam in LEVERANCIERS:
        Leverancier.objects.get_or_create(kvk_nummer=kvk, defaults={"naam": naam})
    _users(stdout)

    rng = random.Random(2026)
    candidate_numbers = iter(range(10001, 99999))
    created = 0
    for spec in _contracts_spec(rng):
        if Contract.objects.filter(kenmerk=spec["kenmerk"]).exists():
            continue
        contract = services.create_contract(
            **{**spec, "gemeente": Gemeente.objects.get(code=spec["gemeente"]),
               "leverancier": Leverancier.objects.get(kvk_nummer=spec["leverancier"])}
        )
        _registrations(contract, random.Random(contract.kenmerk), candidate_numbers)
        created += 1
    if created:
        _overlap_example(stdout)
        _exemption_example()
    stdout.write(f"  {created} democontracten aangemaakt ({Contract.objects.count()} in totaal, "
                 f"{Registratie.objects.count()} registraties)")


def _overlap_example(stdout):
    """One candidate registered by two suppliers for overlapping months: the SR-team sees a flag."""
    first, second = (Contract.objects.filter(kenmerk__startswith="DEMO-2024", verplichting_van_toepassing=True,
                                             verplichting_status="").order_by("kenmerk")[:2])
    for contract in (first, second):
        registration_services.register(
            contract=contract, bouwblok_code="participatiewet",
            kandidaat={"referentie": "WSP-77777", "initialen": "D.", "geboortejaar": 1975},
            startdatum=max(first.startdatum, second.startdatum) + timedelta(days=10), uren_per_week=Decimal(32),
            einddatum=min(first.actuele_einddatum, second.actuele_einddatum),
        )


def _exemption_example():
    contract = Contract.objects.filter(verplichting_van_toepassing=True, verplichting_status="").order_by("kenmerk").last()
    services.record_exemption(
        contract=contract, soort="gedeeltelijk", bedrag=(contract.verplichting_bedrag / 2).quantize(Decimal("0.01")),
        besluitdatum=contract.startdatum, besloten_door="L. de Vries, gemeentesecretaris",
        reden="Het werk is grotendeels geautomatiseerd; er is minder arbeid in te zetten.",
    )
