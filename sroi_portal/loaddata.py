"""Load-test data (issue #7): ``python manage.py generate_load_data --scale regio|land``.

Generates municipalities with their policy versions, suppliers, contracts, registrations with their
per-year values, verification decisions, pseudonymous candidates and overlap flags, exactly as the
services would have stored them, but without the ORM per row:

* a contract's obligation comes from :func:`contracts.calculation.compute_obligation` with the
  policy version in force at its award date, its catalogue is the version in force at award, its
  ``actuele_*`` fields follow the recorded value changes (meerwerk, verlenging);
* a registration's ``waarde``, ``geteld_van``/``geteld_tot`` and ``RegistratieJaar`` rows come from
  :func:`bouwblokken.calculation.value_registration` with the parameters
  :mod:`bouwblokken.services` uses (a 55+ bonus is valued like its placement);
* candidates are pseudonymous (reference, initials, year of birth; never a BSN); a few candidates
  are placed twice with overlapping months and get the ``Signaal`` rows the services would make.

Not generated: simple-history rows (``history``), evidence files, contact moments, plans. Rows are
written with PostgreSQL ``COPY`` (psycopg2 ``copy_expert``) or, on SQLite, ``bulk_create``; primary
keys are assigned here (so foreign keys need no round trip) and the sequences are reset afterwards.
Contracts are generated in chunks with a random generator seeded per contract, so memory stays flat
and the same seed gives the same rows whatever the chunk size. On SQLite ``bulk_create`` fills the
``auto_now``/``auto_now_add`` timestamps with the time of generation; COPY stores the historical ones.

Fixed points for the performance measurements (:func:`fixtures`): supplier ``LOAD_SUPPLIER_KVK``
with exactly ``scale.special_supplier_contracts`` contracts (50), one of which (kenmerk
``LOAD_CONTRACT_KENMERK``) has ``scale.special_contract_registrations`` registrations (500); users
``load-srteam`` and ``load-inkoop`` and ``load-raadslid`` for the first municipality,
``load-leverancier`` for that supplier, ``load-beheerder``; password :data:`LOAD_PASSWORD`.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import math
import random
import time
from array import array
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time as dtime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from bouwblokken import calculation as bb_calc
from contracts import calculation as c_calc
from sroi_portal import clock
from sroi_portal.periods import add_months

LOAD_PASSWORD = "Belasting-test-2026!"
LOAD_SUPPLIER_KVK = "90000000"
LOAD_CONTRACT_KENMERK = "LOAD-500-REGISTRATIES"
KENMERK_PREFIX = "LOAD-"
USERNAMES = {
    "srteam": "load-srteam",
    "inkoop": "load-inkoop",
    "raadslid": "load-raadslid",
    "leverancier": "load-leverancier",
    "beheerder": "load-beheerder",
}

#: The day "now" is for the generated history (fixed, so that a seed gives the same rows).
REFERENCE_DATE = date(2026, 11, 1)


class LoadDataError(Exception):
    pass


@dataclass(frozen=True)
class Scale:
    name: str
    gemeenten: int
    regios: int
    leveranciers: int
    contracten: int
    registraties: int
    jaren: int = 5
    special_supplier_contracts: int = 50
    special_contract_registrations: int = 500
    postgres_only: bool = False


SCALES = {
    # A smoke-test size (the test suite), a few hundred rows.
    "mini": Scale("mini", gemeenten=2, regios=1, leveranciers=30, contracten=60, registraties=300,
                  special_supplier_contracts=8, special_contract_registrations=40),
    "regio": Scale("regio", gemeenten=11, regios=1, leveranciers=1_500, contracten=6_000, registraties=120_000),
    "land": Scale("land", gemeenten=342, regios=35, leveranciers=25_000, contracten=100_000,
                  registraties=2_000_000, postgres_only=True),
}

# The eleven municipalities of Haaglanden and Zuid-Holland Centraal (relative size: weight).
REGIO_GEMEENTEN = [
    ("GM0637", "Zoetermeer", 6), ("GM0518", "'s-Gravenhage", 20), ("GM0503", "Delft", 5),
    ("GM1916", "Leidschendam-Voorburg", 4), ("GM0603", "Rijswijk", 3), ("GM1783", "Westland", 5),
    ("GM1926", "Pijnacker-Nootdorp", 3), ("GM1621", "Lansingerland", 3), ("GM0629", "Wassenaar", 2),
    ("GM1842", "Midden-Delfland", 1), ("GM0484", "Alphen aan den Rijn", 4),
]

OMSCHRIJVINGEN = {
    "werken": ["Herinrichting centrum", "Groot onderhoud fietspaden", "Vervanging riolering", "Renovatie sporthal",
               "Aanleg rotonde", "Onderhoud bruggen en kades", "Nieuwbouw brede school", "Verduurzaming gemeentehuis"],
    "diensten": ["Schoonmaak gemeentelijke gebouwen", "Groenonderhoud wijken", "Leerlingenvervoer",
                 "ICT-beheer werkplekken", "Catering", "Gladheidsbestrijding", "Beveiliging", "Afvalinzameling"],
    "leveringen": ["Levering kantoorartikelen", "Levering straatmeubilair", "Levering laptops",
                   "Levering bedrijfskleding", "Levering energie"],
}
SUPPLIER_WORDS = ["Groen", "Grijs", "Bouw", "Infra", "Schoon", "Stad", "Dorp", "Polder", "Kust", "Rijn", "Delta",
                  "Noord", "Zuid", "Techniek", "Facilitair", "Service", "Vervoer", "Installatie", "Wegen", "Water"]
LEGAL_FORMS = ["B.V.", "B.V.", "B.V.", "V.O.F.", "N.V.", "Coöperatie U.A."]
INITIALEN = ["A.", "B.", "C.J.", "D.", "E.M.", "F.", "G.H.", "H.", "I.", "J.", "J.P.", "K.", "L.", "M.", "M.K.",
             "N.", "P.", "R.", "R.T.", "S.", "T.", "W.", "Y."]
AFKEUR_REDENEN = [
    "De arbeidsovereenkomst ontbreekt; voeg die toe en dien opnieuw in.",
    "De uren per week komen niet overeen met de loonstrook.",
    "De factuur is niet van een erkende sociale onderneming.",
    "De kandidaat stond al op een ander contract geregistreerd voor deze maanden.",
]

CATEGORIE_WEIGHTS = (("werken", 45), ("diensten", 40), ("leveringen", 15))
PLACEMENT_WEIGHTS = {
    "participatiewet": 22, "ww": 18, "zonder_uitkering": 14, "jongere_zonder_startkwalificatie": 8,
    "stage_mbo_hbo": 8, "stage_vso_pro": 3, "bbl": 8, "bbl_niveau_1_2": 4, "bbl_niveau_3_plus": 4, "wia": 5,
    "banenafspraak": 8,
}
# Kind of registration -> weight. Bonuses need a placement on the same contract first.
KIND_WEIGHTS = (("plaatsing", 56), ("bonus_55_plus", 4), ("bonus_opleiding", 6), ("bonus_arbeidsbeperking", 2),
                ("sociaal_inkopen", 17), ("maatschappelijke_activiteit", 10), ("sr_project", 5))


def _weighted(rng: random.Random, pairs):
    total = sum(w for _v, w in pairs)
    x = rng.random() * total
    for value, weight in pairs:
        x -= weight
        if x < 0:
            return value
    return pairs[-1][0]


def _rand_date(rng, start: date, end: date) -> date:
    if end <= start:
        return start
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _aware(d: date, hour=10) -> datetime:
    return timezone.make_aware(datetime.combine(d, dtime(hour, 0)))


def reference_date() -> date:
    return min(REFERENCE_DATE, clock.today())


# --- Writing rows -------------------------------------------------------------------------------


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (list, dict)):
        value = json.dumps(value)
    elif isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


class Writer:
    """Buffers rows (dicts of column attnames) per model; COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self, batch_size=2_000):
        self.use_copy = connection.vendor == "postgresql"
        self.batch_size = batch_size
        self.buffers: dict = {}
        self.counts: dict = {}
        self.models: list = []

    def add(self, model, row: dict):
        buf = self.buffers.get(model)
        if buf is None:
            buf = self.buffers[model] = []
            if model not in self.models:
                self.models.append(model)
        buf.append(row)

    def flush(self, order=None):
        for model in order or list(self.buffers):
            rows = self.buffers.get(model)
            if not rows:
                continue
            if self.use_copy:
                self._copy(model, rows)
            else:
                model.objects.bulk_create([model(**row) for row in rows], batch_size=self.batch_size)
            self.counts[model] = self.counts.get(model, 0) + len(rows)
            rows.clear()

    def _copy(self, model, rows):
        # Every column, so that a field added later (with a Python default) still gets its value.
        fields = list(model._meta.concrete_fields)
        defaults = {f.attname: f.get_default() for f in fields if f.attname not in rows[0]}
        columns = [f.attname for f in fields]
        out = io.StringIO()
        for row in rows:
            out.write("\t".join(_copy_text(row[c] if c in row else defaults[c]) for c in columns))
            out.write("\n")
        out.seek(0)
        table = connection.ops.quote_name(model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            while hasattr(raw, "cursor") and not hasattr(raw, "copy_expert"):
                raw = raw.cursor
            raw.copy_expert(f"COPY {table} ({cols}) FROM STDIN", out)

    def reset_sequences(self):
        sql = connection.ops.sequence_reset_sql(no_style(), self.models)
        if sql:
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)


def _next_id(model) -> int:
    from django.db.models import Max

    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


# --- Static parts: regions, catalogues, municipalities, policies --------------------------------


@dataclass
class CatalogueInfo:
    id: int
    geldig_vanaf: date
    blocks: dict  # code -> (bouwblok id, BouwblokParams, soort, hoort_bij, combineerbaar)
    placement_codes: list
    vereist_bewijs: dict = field(default_factory=dict)  # code -> [{"code", "naam"}] of the required evidence


def _regions_and_catalogues(scale: Scale, rng: random.Random):
    from bouwblokken import seed
    from bouwblokken.models import Bouwblok, Catalogus
    from contracts.models import Regio

    regio = Regio.objects.filter(code=seed.REGIO_CODE).first() or seed.load(Regio, Catalogus, Bouwblok)
    regios = [regio]
    for n in range(1, scale.regios):
        r, _ = Regio.objects.get_or_create(code=f"load-regio-{n:02d}", defaults={"naam": f"Arbeidsmarktregio {n:02d}"})
        regios.append(r)
        for spec in seed.CATALOGI:
            catalogus, created = Catalogus.objects.get_or_create(
                regio=r, geldig_vanaf=spec["geldig_vanaf"], defaults={"naam": spec["naam"]}
            )
            if created:
                Bouwblok.objects.bulk_create(
                    Bouwblok(catalogus=catalogus, volgorde=i, **blok) for i, blok in enumerate(spec["bouwblokken"], 1)
                )
    catalogues = {}
    for r in regios:
        infos = []
        for catalogus in (Catalogus.objects.filter(regio=r).order_by("geldig_vanaf")
                          .prefetch_related("bouwblokken__vereist_bewijs")):
            blocks, vereist = {}, {}
            for b in catalogus.bouwblokken.all():
                b.catalogus = catalogus
                blocks[b.code] = (b.pk, b.as_params(), b.soort, list(b.hoort_bij or []), b.combineerbaar_met_banenafspraak)
                vereist[b.code] = [{"code": k.code, "naam": k.naam} for k in b.vereist_bewijs.all()]
            placements = [c for c, v in blocks.items() if v[2] == "plaatsing"]
            infos.append(CatalogueInfo(catalogus.pk, catalogus.geldig_vanaf, blocks, placements, vereist))
        if not infos:
            raise LoadDataError(f"Regio {r.code} heeft geen bouwblokkencatalogus.")
        catalogues[r.pk] = infos
    return regios, catalogues


def _gemeenten(scale: Scale, regios, rng: random.Random):
    """(gemeente, weight) pairs; existing municipalities with the same code are reused."""
    from contracts.models import Beleid, Gemeente

    specs = []
    for i in range(scale.gemeenten):
        if i < len(REGIO_GEMEENTEN):
            code, naam, weight = REGIO_GEMEENTEN[i]
            regio = regios[0]
        else:
            code, naam = f"GM{2000 + i:04d}", f"Gemeente {2000 + i}"
            weight = max(1, int(rng.paretovariate(1.2) * 2))
            regio = regios[1 + (i - len(REGIO_GEMEENTEN)) % max(1, len(regios) - 1)] if len(regios) > 1 else regios[0]
        specs.append((code, naam, weight, regio))
    result = []
    for code, naam, weight, regio in specs:
        gemeente, _ = Gemeente.objects.get_or_create(code=code, defaults={"naam": naam, "regio": regio})
        # Every municipality applies the shared rule set from 2015; about a third revised it in 2024.
        Beleid.objects.get_or_create(gemeente=gemeente, geldig_vanaf=date(2015, 1, 1))
        local = random.Random(f"beleid-{code}")
        if local.random() < 0.35:
            Beleid.objects.get_or_create(
                gemeente=gemeente, geldig_vanaf=date(2024, 1, 1),
                defaults={"hoog_percentage": Decimal(local.choice(["5", "6"])), "leveringen": local.random() < 0.4,
                          "minimum_waarde": local.choice([None, Decimal("50000"), Decimal("100000")])},
            )
        result.append((gemeente, weight))
    policies = {}
    for gemeente, _w in result:
        policies[gemeente.pk] = [(b.geldig_vanaf, b.pk, b.as_params()) for b in gemeente.beleid.order_by("geldig_vanaf")]
    return result, policies


def _in_force(versions, on: date):
    found = None
    for version in versions:
        if version[0] <= on:
            found = version
    return found


# --- Contracts ----------------------------------------------------------------------------------


@dataclass
class ContractSpec:
    id: int
    index: int
    gemeente_id: int
    regio_id: int
    leverancier_id: int
    kenmerk: str
    categorie: str
    procedure: str
    gunningsdatum: date
    startdatum: date
    einddatum: date
    aanneemsom: Decimal
    loonsom: Decimal
    extra: Decimal
    sebo: bool
    beleid: tuple
    catalogus: CatalogueInfo
    actuele_aanneemsom: Decimal
    actuele_loonsom: Decimal
    actuele_einddatum: date
    wijziging: dict | None
    ontheffing: dict | None
    obligation: c_calc.Obligation


class Plan:
    """Everything decided once for the whole run (the per-contract random draws are seeded per contract)."""

    def __init__(self, scale: Scale, seed: int, gemeenten, policies, catalogues, leverancier_first_id, today):
        self.scale = scale
        self.seed = seed
        self.gemeenten = gemeenten  # [(Gemeente, weight)]
        self.policies = policies
        self.catalogues = catalogues
        self.leverancier_first_id = leverancier_first_id
        self.today = today
        self.cum_weights = []
        total = 0
        for _g, w in gemeenten:
            total += w
            self.cum_weights.append(total)
        self.region0_gemeenten = [g for g, _w in gemeenten if g.regio_id == gemeenten[0][0].regio_id]
        self.start = date(today.year - scale.jaren, today.month, 1)
        rng = random.Random(seed)
        n = scale.contracten
        # Contracts of the special supplier: index 0 (the one with many registrations) and a spread of others.
        self.special = {0} | set(rng.sample(range(1, n), scale.special_supplier_contracts - 1))

    def rng_for(self, index: int) -> random.Random:
        return random.Random(self.seed * 1_000_003 + index)

    def _pick_gemeente(self, rng):
        x = rng.random() * self.cum_weights[-1]
        lo, hi = 0, len(self.cum_weights) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if self.cum_weights[mid] > x:
                hi = mid
            else:
                lo = mid + 1
        return self.gemeenten[lo][0]

    def _pick_leverancier(self, rng):
        # Pareto-like: a few suppliers hold many contracts. Index 0 is the special supplier.
        n = self.scale.leveranciers - 1
        k = min(n - 1, int(n * (rng.random() ** 2.2)))
        return self.leverancier_first_id + 1 + k

    def contract(self, index: int, first_id: int) -> ContractSpec:
        rng = self.rng_for(index)
        if index == 0:
            gemeente = self.gemeenten[0][0]
            categorie, procedure = "werken", "europees"
            gunning = date(self.start.year, 3, 15)
            start = gunning + timedelta(days=45)
            end = add_months(start, 72) - timedelta(days=1)
            aanneemsom = Decimal("14250000.00")
            loonsom = Decimal("5700000.00")
            extra, sebo = Decimal("0"), False
        else:
            if index in self.special:
                gemeente = rng.choice(self.region0_gemeenten)
            else:
                gemeente = self._pick_gemeente(rng)
            categorie = _weighted(rng, CATEGORIE_WEIGHTS)
            gunning = _rand_date(rng, add_months(self.start, -6), self.today - timedelta(days=7))
            start = gunning + timedelta(days=rng.randint(14, 90))
            end = add_months(start, rng.choice([12, 12, 24, 24, 36, 48])) - timedelta(days=1)
            amount = math.exp(rng.gauss(math.log(350_000), 1.3))
            amount = min(max(amount, 8_000), 60_000_000)
            aanneemsom = Decimal(int(amount * 100)) / 100
            share = {"werken": (0.2, 0.5), "diensten": (0.35, 0.8), "leveringen": (0.03, 0.25)}[categorie]
            loonsom = (aanneemsom * Decimal(str(round(rng.uniform(*share), 3)))).quantize(Decimal("0.01"))
            if amount < 50_000:
                procedure = "enkelvoudig_onderhands"
            elif amount < 250_000:
                procedure = "meervoudig_onderhands"
            elif amount < (5_500_000 if categorie == "werken" else 220_000 * 4):
                procedure = "nationaal" if rng.random() < 0.6 else "meervoudig_onderhands"
            else:
                procedure = "europees"
            extra = Decimal(rng.choice(["0.50", "1.00", "2.00"])) if rng.random() < 0.1 else Decimal("0")
            sebo = rng.random() < 0.03
        leverancier_id = self.leverancier_first_id if index in self.special else self._pick_leverancier(rng)
        beleid = _in_force(self.policies[gemeente.pk], gunning)
        catalogus = None
        for info in self.catalogues[gemeente.regio_id]:
            if info.geldig_vanaf <= gunning:
                catalogus = info
        if beleid is None or catalogus is None:
            raise LoadDataError(f"Geen beleid of catalogus voor {gemeente} op {gunning}.")
        actuele_aanneemsom, actuele_loonsom, actuele_einddatum = aanneemsom, loonsom, end
        wijziging = None
        if index and start < self.today and rng.random() < 0.08:
            datum = _rand_date(rng, start, min(end, self.today))
            if rng.random() < 0.7:
                bedrag = (aanneemsom * Decimal(str(round(rng.uniform(0.05, 0.2), 2)))).quantize(Decimal("0.01"))
                loonsom_bedrag = (bedrag * loonsom / aanneemsom).quantize(Decimal("0.01")) if aanneemsom else Decimal(0)
                wijziging = {"soort": "meerwerk", "datum": datum, "bedrag": bedrag, "loonsom_bedrag": loonsom_bedrag,
                             "nieuwe_einddatum": None, "toelichting": "Meerwerk volgens opdrachtbrief."}
                actuele_aanneemsom += bedrag
                actuele_loonsom += loonsom_bedrag
            else:
                nieuw = add_months(end, rng.choice([6, 12]))
                wijziging = {"soort": "verlenging", "datum": datum, "bedrag": Decimal("0"),
                             "loonsom_bedrag": Decimal("0"), "nieuwe_einddatum": nieuw,
                             "toelichting": "Optie tot verlenging ingelost."}
                actuele_einddatum = nieuw
        params = beleid[2]
        obligation = c_calc.compute_obligation(
            policy=params, categorie=categorie, procedure=procedure, aanneemsom=actuele_aanneemsom,
            loonsom=actuele_loonsom, extra_percentage=extra, sebo_keurmerk=sebo,
        )
        ontheffing = None
        if index and obligation.van_toepassing and obligation.status is None and rng.random() < 0.01:
            if rng.random() < 0.5:
                ontheffing = {"soort": "volledig", "bedrag": None}
            else:
                ontheffing = {"soort": "gedeeltelijk", "bedrag": (obligation.bedrag / 2).quantize(Decimal("0.01"))}
            obligation = c_calc.compute_obligation(
                policy=params, categorie=categorie, procedure=procedure, aanneemsom=actuele_aanneemsom,
                loonsom=actuele_loonsom, extra_percentage=extra, sebo_keurmerk=sebo,
                exemption=c_calc.Exemption(soort=ontheffing["soort"], bedrag=ontheffing["bedrag"]),
            )
        kenmerk = LOAD_CONTRACT_KENMERK if index == 0 else f"{KENMERK_PREFIX}{gunning.year}-{index:06d}"
        return ContractSpec(
            id=first_id + index, index=index, gemeente_id=gemeente.pk, regio_id=gemeente.regio_id,
            leverancier_id=leverancier_id, kenmerk=kenmerk, categorie=categorie, procedure=procedure,
            gunningsdatum=gunning, startdatum=start, einddatum=end, aanneemsom=aanneemsom, loonsom=loonsom,
            extra=extra, sebo=sebo, beleid=beleid, catalogus=catalogus, actuele_aanneemsom=actuele_aanneemsom,
            actuele_loonsom=actuele_loonsom, actuele_einddatum=actuele_einddatum, wijziging=wijziging,
            ontheffing=ontheffing, obligation=obligation,
        )

    def registration_weight(self, spec: ContractSpec) -> float:
        """How many registrations a contract gets, relatively: only running contracts with an open obligation."""
        ob = spec.obligation
        if not ob.van_toepassing or ob.status is not None or ob.bedrag <= 0 or spec.startdatum >= self.today:
            return 0.0
        elapsed = (min(self.today, spec.actuele_einddatum) - spec.startdatum).days + 1
        return math.sqrt(float(ob.bedrag)) * elapsed / 365.0


def _apportion(weights: array, total: int) -> array:
    """Largest-remainder apportionment of ``total`` over ``weights`` (integers, summing exactly)."""
    counts = array("i", [0] * len(weights))
    wsum = sum(weights)
    if wsum <= 0 or total <= 0:
        return counts
    remainders = []
    given = 0
    for i, w in enumerate(weights):
        exact = total * w / wsum
        counts[i] = int(exact)
        given += counts[i]
        if w > 0:
            remainders.append((exact - counts[i], i))
    remainders.sort(reverse=True)
    for _r, i in remainders[: total - given]:
        counts[i] += 1
    return counts


# --- Registrations ------------------------------------------------------------------------------


class Ids:
    def __init__(self, **starts):
        self.__dict__.update(starts)

    def take(self, name: str) -> int:
        value = self.__dict__[name]
        self.__dict__[name] = value + 1
        return value


class CandidatePool:
    """Candidates per region; a few are placed again (overlap flags), tracked until the end."""

    def __init__(self):
        self.recent: dict[int, list] = {}  # regio -> recent [kandidaat_id, geboortejaar]
        self.placements: dict[int, list] = {}  # kandidaat id -> [(reg id, geteld_van, geteld_tot, afgekeurd)]
        self.multi: set[int] = set()

    def remember(self, regio_id, kandidaat_id, geboortejaar):
        recent = self.recent.setdefault(regio_id, [])
        recent.append((kandidaat_id, geboortejaar))
        if len(recent) > 400:
            for old, _gj in recent[:200]:
                if old not in self.multi:
                    self.placements.pop(old, None)
            del recent[:200]

    def reuse(self, rng, regio_id):
        recent = self.recent.get(regio_id)
        if not recent:
            return None
        kandidaat_id, geboortejaar = rng.choice(recent)
        self.multi.add(kandidaat_id)
        return kandidaat_id, geboortejaar

    def add_placement(self, kandidaat_id, reg_id, van, tot, afgekeurd):
        self.placements.setdefault(kandidaat_id, []).append((reg_id, van, tot, afgekeurd))

    def signals(self):
        """(registratie, andere_registratie) pairs as ``refresh_overlap_signals`` would store them."""
        for kandidaat_id in sorted(self.multi):
            rows = [p for p in self.placements.get(kandidaat_id, []) if p[1] is not None and not p[3]]
            for i, a in enumerate(rows):
                for b in rows[i + 1:]:
                    if a[1] <= b[2] and b[1] <= a[2]:
                        yield a[0], b[0]
                        yield b[0], a[0]


def _status_for(rng, start: date, today: date) -> str:
    if (today - start).days > 365:
        pairs = (("concept", 3), ("ingediend", 7), ("goedgekeurd", 82), ("afgekeurd", 8))
    else:
        pairs = (("concept", 25), ("ingediend", 30), ("goedgekeurd", 38), ("afgekeurd", 7))
    return _weighted(rng, pairs)


class RegistrationMaker:
    def __init__(self, plan: Plan, writer: Writer, ids: Ids, pool: CandidatePool, beoordelaar_id, regio0_id):
        from bouwblokken.models import Beoordeling, Kandidaat, Registratie, RegistratieJaar

        self.plan, self.writer, self.ids, self.pool = plan, writer, ids, pool
        self.beoordelaar_id, self.regio0_id = beoordelaar_id, regio0_id
        self.Kandidaat, self.Registratie, self.Jaar, self.Beoordeling = Kandidaat, Registratie, RegistratieJaar, Beoordeling
        self.max_before = settings.SROI_MAX_MONTHS_BEFORE_CONTRACT_START
        self.bonus_age = getattr(settings, "SROI_BONUS_55_PLUS_AGE", 55)
        self.written = 0

    def _kandidaat(self, rng, regio_id, startdatum, oud=False):
        if not oud and rng.random() < 0.03:
            reused = self.pool.reuse(rng, regio_id)
            if reused:
                return reused
        kid = self.ids.take("kandidaat")
        if oud:
            geboortejaar = startdatum.year - rng.randint(55, 64)
        else:
            geboortejaar = rng.randint(max(1962, startdatum.year - 66), startdatum.year - 17)
        self.writer.add(self.Kandidaat, {
            # Seven digits: a number of 8 or 9 digits may pass the eleven-test and is refused as a BSN.
            "id": kid, "regio_id": regio_id, "referentie": f"WSP-L{kid:07d}", "initialen": rng.choice(INITIALEN),
            "geboortejaar": geboortejaar,
        })
        self.pool.remember(regio_id, kid, geboortejaar)
        return kid, geboortejaar

    def for_contract(self, spec: ContractSpec, count: int):
        rng = random.Random(self.plan.seed * 7_919 + spec.index * 2 + 1)
        today = self.plan.today
        cstart, cend = spec.startdatum, spec.actuele_einddatum
        last_day = min(cend, today)
        placements = []  # (reg id, code, RegistrationInput, kandidaat id, geboortejaar, status)
        made = 0
        attempts = 0
        while made < count and attempts < count * 5:
            attempts += 1
            kind = _weighted(rng, KIND_WEIGHTS)
            ok_parents = [p for p in placements if p[5] != "afgekeurd"]
            if kind.startswith("bonus") and not ok_parents:
                kind = "plaatsing"
            row = self._one(rng, spec, kind, ok_parents, cstart, cend, last_day)
            if row is None:
                continue
            made += 1
            if kind == "plaatsing":
                placements.append(row)
        self.written += made

    def _one(self, rng, spec, kind, parents, cstart, cend, last_day):
        cat = spec.catalogus
        today = self.plan.today
        kandidaat_id = None
        hoofd_id = None
        parent = None
        geboortejaar = None
        if kind == "plaatsing":
            codes = [(c, PLACEMENT_WEIGHTS.get(c, 3)) for c in cat.placement_codes]
            code = _weighted(rng, codes)
            lower = add_months(cstart, -3) if rng.random() < 0.1 else cstart
            ps = _rand_date(rng, lower, last_day)
            pe = None if rng.random() < 0.15 else ps + timedelta(days=rng.randint(90, 1000))
            lks = None
            if code in ("participatiewet", "banenafspraak") and rng.random() < 0.1:
                lks = ps + timedelta(days=rng.randint(400, 900))
            data = bb_calc.RegistrationInput(
                startdatum=ps, einddatum=pe, uren_per_week=Decimal(rng.choice([16, 20, 24, 28, 32, 36, 38, 40])),
                loonkostensubsidie_tot=lks,
            )
            params = cat.blocks[code][1]
            kandidaat_id, geboortejaar = self._kandidaat(rng, spec.regio_id, ps, oud=rng.random() < 0.12)
        elif kind == "bonus_55_plus":
            olds = [p for p in parents if p[2].startdatum.year - p[4] >= self.bonus_age]
            if not olds or "bonus_55_plus" not in cat.blocks:
                return None
            parent = rng.choice(olds)
            code = "bonus_55_plus"
            pid, pcode, data = parent[0], parent[1], parent[2]
            parent_params = cat.blocks[pcode][1]
            params = replace(cat.blocks[code][1], max_maanden=parent_params.max_maanden,
                             min_uren_per_week=parent_params.min_uren_per_week)
        elif kind in ("bonus_opleiding", "bonus_arbeidsbeperking"):
            code = kind
            if code not in cat.blocks:
                return None
            _bid, params, _soort, hoort_bij, combineerbaar = cat.blocks[code]
            options = [p for p in parents if (not hoort_bij or p[1] in hoort_bij)
                       and (combineerbaar or p[1] != "banenafspraak")]
            if not options:
                return None
            parent = rng.choice(options)
            start = _rand_date(rng, max(parent[2].startdatum, cstart), last_day)
            bedrag = Decimal(rng.randrange(500, 6000)) if code == "bonus_opleiding" else None
            data = bb_calc.RegistrationInput(startdatum=start, bedrag=bedrag)
        else:
            code = kind
            if code not in cat.blocks:
                return None
            params = cat.blocks[code][1]
            start = _rand_date(rng, cstart, last_day)
            if code == "sociaal_inkopen":
                data = bb_calc.RegistrationInput(startdatum=start, bedrag=Decimal(rng.randrange(1000, 60000)))
            elif code == "sr_project":
                data = bb_calc.RegistrationInput(startdatum=start, bedrag=Decimal(rng.randrange(5000, 50000)))
            elif rng.random() < 0.8:
                data = bb_calc.RegistrationInput(startdatum=start, dagen=Decimal(rng.randint(1, 10)))
            else:
                data = bb_calc.RegistrationInput(startdatum=start, bedrag=Decimal(rng.randrange(2000, 15000)))
        if parent is not None:
            hoofd_id, kandidaat_id, geboortejaar = parent[0], parent[3], parent[4]
        try:
            valuation = bb_calc.value_registration(
                bouwblok=params, registratie=data, contract_start=cstart, contract_end=cend,
                max_months_before_start=self.max_before,
            )
        except bb_calc.ValuationError:
            return None

        status = _status_for(rng, data.startdatum, today)
        reg_id = self.ids.take("registratie")
        created = _aware(min(data.startdatum + timedelta(days=rng.randint(0, 20)), today), 9)
        ingediend = beoordeeld = None
        versie = 1
        if status != "concept":
            ingediend = min(created + timedelta(days=rng.randint(1, 90)), _aware(today, 9))
            versie = 2
        if status in ("goedgekeurd", "afgekeurd"):
            beoordeeld = min(ingediend + timedelta(days=rng.randint(1, 30), hours=2), _aware(today, 16))
            versie = 3
        toelichting = rng.choice(AFKEUR_REDENEN) if status == "afgekeurd" else ""
        # Generated data has no evidence files: an approval stands on a stored reason, as
        # bouwblokken.services.decide demands when required evidence is missing.
        ontbrekend = cat.vereist_bewijs.get(code, []) if status == "goedgekeurd" else []
        reden_zonder_bewijs = "Testgegevens (generate_load_data): geen bewijsstukken." if ontbrekend else ""
        in_regio0 = spec.regio_id == self.regio0_id
        door = self.beoordelaar_id if (beoordeeld and in_regio0) else None
        omschrijving = {"sociaal_inkopen": "Factuur sociale onderneming", "maatschappelijke_activiteit": "Gastlessen",
                        "sr_project": "Project met het WSP", "bonus_opleiding": "Opleiding VCA"}.get(code, "")
        self.writer.add(self.Registratie, {
            "id": reg_id, "contract_id": spec.id, "bouwblok_id": cat.blocks[code][0], "kandidaat_id": kandidaat_id,
            "hoofdregistratie_id": hoofd_id, "startdatum": data.startdatum, "einddatum": data.einddatum,
            "uren_per_week": data.uren_per_week, "bedrag": data.bedrag, "dagen": data.dagen,
            "loonkostensubsidie_tot": data.loonkostensubsidie_tot, "omschrijving": omschrijving, "status": status,
            "waarde": valuation.waarde, "geteld_van": valuation.geteld_van, "geteld_tot": valuation.geteld_tot,
            "ingediend_op": ingediend, "beoordeeld_op": beoordeeld, "beoordeeld_door_id": door,
            "beoordeling_toelichting": toelichting, "beoordeling_reden_zonder_bewijs": reden_zonder_bewijs,
            "versie": versie, "aangemaakt_op": created,
            "gewijzigd_op": beoordeeld or ingediend or created, "aangemaakt_door_id": None,
        })
        for jaar, waarde in sorted(valuation.per_jaar.items()):
            self.writer.add(self.Jaar, {"id": self.ids.take("jaar"), "registratie_id": reg_id, "jaar": jaar,
                                        "waarde": waarde})
        if beoordeeld:
            self.writer.add(self.Beoordeling, {
                "id": self.ids.take("beoordeling"), "registratie_id": reg_id, "besluit": status,
                "toelichting": toelichting, "door_id": door, "op": beoordeeld,
                "reden_zonder_bewijs": reden_zonder_bewijs, "ontbrekend_bewijs": ontbrekend,
            })
        if kind == "plaatsing":
            self.pool.add_placement(kandidaat_id, reg_id, valuation.geteld_van, valuation.geteld_tot,
                                    status == "afgekeurd")
            return (reg_id, code, data, kandidaat_id, geboortejaar, status)
        return ()


# --- The whole run ------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _password_hash() -> str:
    return make_password(LOAD_PASSWORD)  # hashed once per process: the hasher is slow on purpose


def _users(gemeente, leverancier_id):
    from sroi_portal.models import Role, User

    password = _password_hash()
    users = {}
    for key, role in (("srteam", Role.SR_TEAM), ("inkoop", Role.INKOOP), ("raadslid", Role.RAADSLID),
                      ("leverancier", Role.LEVERANCIER), ("beheerder", Role.BEHEERDER)):
        username = USERNAMES[key]
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@belastingtest.example", "role": role, "password": password,
                      "leverancier_id": leverancier_id if role == Role.LEVERANCIER else None,
                      "is_staff": role == Role.BEHEERDER},
        )
        if created and role in (Role.SR_TEAM, Role.INKOOP, Role.RAADSLID):
            user.gemeenten.set([gemeente])
        users[key] = user
    return users


def _nightly_recompute():
    """The reporting app's nightly recompute of all figures, when that app has one."""
    try:
        from reporting.tasks import recompute_all_figures
    except ImportError:
        return None
    return recompute_all_figures


def fixtures():
    """The fixed points of generated data for the measurements (ids; None when not generated)."""
    from bouwblokken.models import Registratie
    from contracts.models import Contract, Leverancier
    from sroi_portal.models import User

    users = {key: User.objects.filter(username=name).first() for key, name in USERNAMES.items()}
    contract = Contract.objects.filter(kenmerk=LOAD_CONTRACT_KENMERK).first()
    return {
        "users": users,
        "leverancier": Leverancier.objects.filter(kvk_nummer=LOAD_SUPPLIER_KVK).first(),
        "contract": contract,
        "contract_registraties": Registratie.objects.filter(contract=contract).count() if contract else 0,
        "gemeente": users["srteam"].gemeenten.first() if users["srteam"] else None,
    }


@contextlib.contextmanager
def _memoized_periods():
    """Cache the pure month arithmetic the valuation calls (many placements share a start date and year
    ends), for the generator only: same results, fewer Fraction operations. Restored afterwards."""
    names = ("months", "first_date_reaching", "add_months")
    saved = {name: getattr(bb_calc, name) for name in names}
    try:
        for name, func in saved.items():
            setattr(bb_calc, name, functools.lru_cache(maxsize=200_000)(func))
        yield
    finally:
        for name, func in saved.items():
            setattr(bb_calc, name, func)


def generate(*, scale: Scale, seed: int = 7, chunk: int = 1_000, stdout=None, figures: bool = True) -> dict:
    """Generate ``scale``'s rows into the default database. Returns counts and timings.

    With ``figures`` the reporting app's nightly recompute runs once at the end, so that its stored
    figures are there as in production (the services keep them current through signals, which
    bulk inserts do not send).
    """
    from bouwblokken.models import Beoordeling, Kandidaat, Registratie, RegistratieJaar, Signaal
    from contracts.models import Contract, ContractWijziging, Leverancier, Ontheffing

    def say(msg):
        if stdout is not None:
            stdout.write(msg)

    if scale.postgres_only and connection.vendor != "postgresql":
        raise LoadDataError(f"Schaal ‘{scale.name}’ vraagt PostgreSQL (zet DATABASE_URL).")
    if Contract.objects.filter(kenmerk__startswith=KENMERK_PREFIX).exists() or Leverancier.objects.filter(
        kvk_nummer=LOAD_SUPPLIER_KVK
    ).exists():
        raise LoadDataError("Deze database bevat al gegenereerde belastingtestdata; begin met een lege database.")
    if Leverancier.objects.filter(kvk_nummer__startswith="9").exists():
        raise LoadDataError("Er zijn al leveranciers met een KvK-nummer dat met 9 begint; die reeks is voor de testdata.")

    t0 = time.perf_counter()
    timings = {}
    rng = random.Random(seed)
    today = reference_date()
    writer = Writer()
    with transaction.atomic(), _memoized_periods():
        regios, catalogues = _regions_and_catalogues(scale, rng)
        gemeenten, policies = _gemeenten(scale, regios, rng)
        lev_first = _next_id(Leverancier)
        for i in range(scale.leveranciers):
            naam = "Sociaal Bouwen Testleverancier B.V." if i == 0 else (
                f"{rng.choice(SUPPLIER_WORDS)}{rng.choice(SUPPLIER_WORDS).lower()} {rng.choice(SUPPLIER_WORDS)} "
                f"{rng.choice(LEGAL_FORMS)}"
            )
            writer.add(Leverancier, {"id": lev_first + i, "kvk_nummer": f"{90000000 + i:08d}", "naam": naam})
            if i % 5000 == 4999:
                writer.flush()
        writer.flush()
        users = _users(gemeenten[0][0], lev_first)
        timings["basis"] = time.perf_counter() - t0
        say(f"  {len(gemeenten)} gemeenten, {scale.leveranciers} leveranciers ({timings['basis']:.1f} s)")

        plan = Plan(scale, seed, gemeenten, policies, catalogues, lev_first, today)
        contract_first = _next_id(Contract)
        # Pass 1: how many registrations each contract gets (contracts are regenerated in pass 2).
        t1 = time.perf_counter()
        weights = array("d", [0.0] * scale.contracten)
        for index in range(1, scale.contracten):
            weights[index] = plan.registration_weight(plan.contract(index, contract_first))
        counts = _apportion(weights, scale.registraties - scale.special_contract_registrations)
        counts[0] = scale.special_contract_registrations
        del weights
        timings["plan"] = time.perf_counter() - t1

        ids = Ids(registratie=_next_id(Registratie), jaar=_next_id(RegistratieJaar), kandidaat=_next_id(Kandidaat),
                  beoordeling=_next_id(Beoordeling), wijziging=_next_id(ContractWijziging),
                  ontheffing=_next_id(Ontheffing))
        pool = CandidatePool()
        maker = RegistrationMaker(plan, writer, ids, pool, users["srteam"].pk, regios[0].pk)
        order = [Contract, ContractWijziging, Ontheffing, Kandidaat, Registratie, RegistratieJaar, Beoordeling]
        t2 = time.perf_counter()
        for index in range(scale.contracten):
            spec = plan.contract(index, contract_first)
            ob = spec.obligation
            created = _aware(spec.gunningsdatum, 11)
            writer.add(Contract, {
                "id": spec.id, "gemeente_id": spec.gemeente_id, "leverancier_id": spec.leverancier_id,
                "kenmerk": spec.kenmerk,
                "omschrijving": random.Random(spec.index).choice(OMSCHRIJVINGEN[spec.categorie]),
                "categorie": spec.categorie, "procedure": spec.procedure, "gunningsdatum": spec.gunningsdatum,
                "startdatum": spec.startdatum, "einddatum": spec.einddatum, "aanneemsom": spec.aanneemsom,
                "loonsom": spec.loonsom, "extra_percentage": spec.extra, "sebo_keurmerk": spec.sebo,
                "beleid_id": spec.beleid[1], "catalogus_id": spec.catalogus.id,
                "actuele_aanneemsom": spec.actuele_aanneemsom, "actuele_loonsom": spec.actuele_loonsom,
                "actuele_einddatum": spec.actuele_einddatum, "verplichting_van_toepassing": ob.van_toepassing,
                "verplichting_percentage": ob.percentage, "verplichting_bedrag": ob.bedrag,
                "verplichting_reden": ob.reden, "verplichting_status": ob.status or "",
                "contact_opgenomen_op": _aware(spec.gunningsdatum + timedelta(days=2 + spec.index % 5), 14)
                if spec.index % 10 else None,
                "aangemaakt_op": created, "aangemaakt_door_id": None,
            })
            if spec.wijziging:
                writer.add(ContractWijziging, {"id": ids.take("wijziging"), "contract_id": spec.id,
                                               "geregistreerd_door_id": None,
                                               "geregistreerd_op": _aware(spec.wijziging["datum"]), **spec.wijziging})
            if spec.ontheffing:
                writer.add(Ontheffing, {"id": ids.take("ontheffing"), "contract_id": spec.id,
                                        "besluitdatum": spec.startdatum, "besloten_door": "gemeentesecretaris",
                                        "reden": "Te weinig arbeid in de opdracht om in te zetten.",
                                        "geregistreerd_door_id": None, "geregistreerd_op": _aware(spec.startdatum),
                                        **spec.ontheffing})
            if counts[index]:
                maker.for_contract(spec, counts[index])
            if index % chunk == chunk - 1:
                writer.flush(order)
                if index % (chunk * 10) == chunk * 10 - 1:
                    say(f"  {index + 1} contracten, {maker.written} registraties "
                        f"({time.perf_counter() - t2:.0f} s)")
        writer.flush(order)
        signaal_id = _next_id(Signaal)
        now = timezone.now()
        for a, b in pool.signals():
            writer.add(Signaal, {"id": signaal_id, "registratie_id": a, "andere_registratie_id": b,
                                 "soort": "overlap", "aangemaakt_op": now})
            signaal_id += 1
        writer.flush()
        writer.reset_sequences()
        timings["contracten_en_registraties"] = time.perf_counter() - t2
    t3 = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    timings["analyze"] = time.perf_counter() - t3
    if figures:
        recompute = _nightly_recompute()
        if recompute is not None:
            t4 = time.perf_counter()
            recompute()
            timings["figures"] = time.perf_counter() - t4
            say(f"  cijfers van de rapportage herberekend ({timings['figures']:.1f} s)")
    timings["totaal"] = time.perf_counter() - t0
    counts_out = {model._meta.label: n for model, n in writer.counts.items()}
    say(f"  klaar in {timings['totaal']:.1f} s: "
        + ", ".join(f"{label} {n}" for label, n in counts_out.items()))
    return {"scale": scale.name, "seed": seed, "rows": counts_out, "timings": timings,
            "registraties": maker.written}
