"""Keeping the stored fulfilment figures up to date (the cache behind every council figure).

``recompute_contract_figures`` walks contracts in batches (keyset pagination on the primary key,
``SROI_FIGURES_BATCH_SIZE`` contracts at a time). Per batch it runs a fixed number of queries:

1. the contracts of the batch (only the columns the arithmetic needs; for the nightly walk of all
   contracts this query is the keyset page itself, and the queries below select the id range);
2. one grouped query over ``bouwblokken_registratiejaar`` (approved, pending and realised value
   per contract and year, as ``contracts.selectors.realisation``), and one over the approved
   registrations still growing today (placements between their first and last counted day,
   activities between their first and last day): those are cut at today in whole cents
   (``bouwblokken.calculation.realised_cents_in_progress``);
3. the fingerprints stored for the batch;
4. one upsert per table (``INSERT ... ON CONFLICT DO UPDATE``) for the rows whose inputs changed,
   one delete for rows no longer wanted.

Each stored row carries a fingerprint of its inputs (``gegevensversie``); a contract whose inputs
did not change is skipped without arithmetic, so a night rewrites only the running contracts
(their expected value moves with the date, and their realised value with every placement still
running; an obligation of 0 with nothing growing is not rewritten) and those whose data changed.
Realised is measured at the contract's reference date (``contracts.calculation.reference_date``:
today while it runs, its end date once ended or settled), per year on 31 December (today for this
year). The arithmetic is that of ``contracts.selectors.fulfilment`` and
``contracts.calculation.expected_by`` / ``fulfilment_status``, done on whole cents and integer
month counts (exact, rounded half-up once; tests/reporting/test_recompute_exact.py compares it
with those functions). Memory stays bounded by the batch.

``recompute_placement_figures`` counts people placed per municipality, year and target group
(four grouped queries per group of municipalities; unchanged rows are not written).
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import islice

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from bouwblokken.calculation import StoredRegistration, realised_cents_in_progress
from contracts.calculation import reference_date
from contracts.models import Contract
from contracts.selectors import ZERO
from sroi_portal import clock
from sroi_portal.money import CENT
from sroi_portal.periods import days_in_month

from .models import ContractCijfers, ContractJaarCijfers, PlaatsingCijfers

log = logging.getLogger(__name__)

CONTRACT_COLUMNS = (
    "id", "gemeente_id", "startdatum", "actuele_einddatum", "actuele_aanneemsom", "verplichting_van_toepassing",
    "verplichting_percentage", "verplichting_bedrag", "verplichting_reden", "verplichting_status",
    "afrekening__id",
)


@dataclass
class RecomputeResult:
    contracten: int = 0
    gewijzigd: int = 0  # rows written (totals + years)
    verwijderd: int = 0
    batches: int = 0
    # Municipalities with a contract whose approved or pending value changed (not merely its date).
    gemeenten: set = field(default_factory=set)

    def __iadd__(self, other):
        self.contracten += other.contracten
        self.gewijzigd += other.gewijzigd
        self.verwijderd += other.verwijderd
        self.batches += other.batches
        self.gemeenten |= other.gemeenten
        return self


def fingerprint(values) -> str:
    """A short, stable fingerprint of values (the "gegevensversie" of a stored row)."""
    return hashlib.blake2b("|".join(map(str, values)).encode(), digest_size=8).hexdigest()


class ContractValues:
    """The columns of a contract the arithmetic needs, without building a model instance (cheaper
    by far for thousands of contracts). ``obligation`` IS ``Contract.obligation``: the model's own
    property, so the stored obligation is read exactly as everywhere else."""

    __slots__ = CONTRACT_COLUMNS
    obligation = Contract.obligation

    def __init__(self, values):
        for name, value in zip(CONTRACT_COLUMNS, values):
            setattr(self, name, value)

    @property
    def pk(self):
        return self.id

    @property
    def afgerekend(self) -> bool:
        return self.afrekening__id is not None


def _chunks(iterable, size):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _contract_batches(contract_ids, batch_size):
    """(contract columns, selection) per batch. All contracts: keyset pagination on the primary key
    (no OFFSET, no list of all ids in memory), one query that reads the batch's columns too, and the
    batch's other queries select by the id range (``BETWEEN``: no list of thousands of ids to send
    and plan). Given ids: in batches of ``batch_size``, selected by those ids."""
    if contract_ids is None:
        last = 0
        while True:
            rows = list(Contract.objects.filter(pk__gt=last).order_by("pk").values_list(*CONTRACT_COLUMNS)[:batch_size])
            if not rows:
                return
            yield rows, ("range", rows[0][0], rows[-1][0])
            last = rows[-1][0]
    else:
        for ids in _chunks(sorted(set(contract_ids)), batch_size):
            yield list(Contract.objects.filter(pk__in=ids).order_by("pk").values_list(*CONTRACT_COLUMNS)), ("ids", ids)


def _where(field, selection):
    if selection[0] == "range":
        return {f"{field}__gte": selection[1], f"{field}__lte": selection[2]}
    return {f"{field}__in": selection[1]}


def recompute_contract_figures(*, contract_ids=None, today: date | None = None, batch_size: int | None = None,
                               on_batch=None) -> RecomputeResult:
    """Recompute the stored figures of the given contracts (all contracts when None).

    Each batch is written in one transaction; ``on_batch(batch_result)`` is called inside it (the
    nightly task records its progress there, so the run record and the figures commit together).
    """
    today = today or clock.today()
    batch_size = batch_size or settings.SROI_FIGURES_BATCH_SIZE
    result = RecomputeResult()
    for rows, selection in _contract_batches(contract_ids, batch_size):
        with transaction.atomic():
            batch = _recompute_batch(rows, selection, today)
            if on_batch is not None:
                on_batch(batch)
        result += batch
    return result


def _year_rows_wanted(contract, today):
    """Calendar years a contract ran in, up to this year: one stored row each."""
    return range(contract.startdatum.year, min(contract.actuele_einddatum.year, today.year) + 1)


def _effective_date(contract, day: date) -> date:
    """The date within which a contract's figures are the same as on ``day``, for the fingerprints.

    ``contracts.calculation.expected_by`` gives 0 before the contract starts and the whole
    obligation from its last day on, so the date is taken within that period: an ended contract's
    figures no longer change with the date. An obligation of 0 is expected to be 0 on every day
    (and its status does not depend on the date either): its end date stands for every day; so does
    it for a settled contract (measured at its end date). The realised value, which may move with
    the date too, is part of the fingerprints itself.
    """
    end = contract.actuele_einddatum
    if not contract.verplichting_bedrag or contract.afgerekend:
        return end
    return min(max(day, contract.startdatum - timedelta(days=1)), end)


def _inputs_fingerprint(contract, approved: Decimal, pending: Decimal, peildatum: date, *extra) -> str:
    """Fingerprint of everything a row's figures are computed from (the date: ``_effective_date``);
    a row whose fingerprint is stored already is skipped."""
    start, end = contract.startdatum, contract.actuele_einddatum
    effective = _effective_date(contract, peildatum)
    return fingerprint((
        contract.gemeente_id, contract.verplichting_van_toepassing, contract.actuele_aanneemsom,
        contract.verplichting_bedrag, contract.verplichting_percentage, contract.verplichting_reden,
        contract.verplichting_status, start, end, approved, pending, effective, *extra,
    ))


def _contract_fingerprint(contract, years, today) -> str:
    """Fingerprint of everything any stored row of the contract is computed from: when it equals the
    stored one (on the totals row), the contract is skipped without any arithmetic."""
    start, end = contract.startdatum, contract.actuele_einddatum
    return fingerprint((
        contract.gemeente_id, contract.verplichting_van_toepassing, contract.actuele_aanneemsom,
        contract.verplichting_bedrag, contract.verplichting_percentage, contract.verplichting_reden,
        contract.verplichting_status, start, end, _effective_date(contract, today),
        min(end.year, today.year), *((y[0], y[1], y[2], y[5]) for y in years),
    ))


# --- the arithmetic, in integers ------------------------------------------------------------------
#
# The same rules as contracts.calculation.expected_by / fulfilment_status and
# sroi_portal.money.percentage (SROI-RULES.md §1 and §2), computed on whole cents and on month
# counts held as an integer numerator and denominator instead of Fraction and Decimal objects per
# row: exact all the way, each amount rounded half-up to cents once, at the end, and turned into a
# Decimal only then. tests/reporting/test_recompute_exact.py checks it against those functions.

_DAYS_IN_MONTH = {}


def _days_in_month(year, month):
    try:
        return _DAYS_IN_MONTH[year, month]
    except KeyError:
        days = _DAYS_IN_MONTH[year, month] = days_in_month(year, month)
        return days


def _months(start: date, end: date) -> tuple[int, int]:
    """``sroi_portal.periods.months(start, end)`` as (numerator, denominator), for start <= end."""
    start_days = _days_in_month(start.year, start.month)
    if start.year == end.year and start.month == end.month:
        return end.day - start.day + 1, start_days
    end_days = _days_in_month(end.year, end.month)
    full = (end.year * 12 + end.month) - (start.year * 12 + start.month) - 1
    return ((start_days - start.day + 1) * end_days + full * start_days * end_days + end.day * start_days,
            start_days * end_days)


def _round_div(numerator: int, denominator: int) -> int:
    """numerator / denominator (denominator > 0) rounded half away from zero to a whole number."""
    whole, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        whole += 1
    return -whole if numerator < 0 else whole


def _cents(value: Decimal) -> int:
    """An amount with at most two decimals as whole cents (exact; refused otherwise)."""
    scaled = value.scaleb(2)
    cents = int(scaled)
    if cents != scaled:
        raise ValueError(f"not an amount in cents: {value}")
    return cents


def _money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)  # as sroi_portal.money.round_money makes it


def _expected_cents(obligation: int, start: date, end: date, total_months, peildatum: date) -> int:
    """``calculation.expected_by`` in cents: obligation × months(start, peildatum) / months(start, end)."""
    if end < start:
        raise ValueError("contract_end is before contract_start")
    if peildatum < start:
        return 0
    if peildatum >= end:
        return obligation
    elapsed, elapsed_den = _months(start, peildatum)
    total, total_den = total_months
    return _round_div(obligation * elapsed * total_den, elapsed_den * total)


def _status(fixed, reden, obligation: int, realised: int, expected: int) -> str:
    """``calculation.fulfilment_status`` on cents (``fixed``: the obligation's own status or None)."""
    if fixed:
        return fixed
    if obligation == 0 and reden == "ontheffing_gedeeltelijk":
        return "vrijgesteld"
    if realised >= obligation:
        return "voldaan"
    if realised >= expected:
        return "op_schema"
    return "achter"


def _percentage(part: int, whole: int) -> Decimal | None:
    """``sroi_portal.money.percentage`` on cents: part / whole × 100, 2 decimals; None for a whole of 0."""
    return _money(_round_div(part * 10000, whole)) if whole else None


def _complete_by(today: date) -> Q:
    """An approved registration (of a RegistratieJaar row) realised in full by ``today`` (its last day
    of ``bouwblokken.calculation.StoredRegistration.span`` on or before it), or on a contract measured
    at its end date (ended or settled: every approved value is realised by then)."""
    r = "registratie__"
    grows_by_days = Q(**{f"{r}bouwblok__waarderingswijze": "per_dag", f"{r}dagen__isnull": False,
                         f"{r}einddatum__isnull": False})
    return (
        Q(**{f"{r}contract__actuele_einddatum__lte": today}) | Q(**{f"{r}contract__afrekening__isnull": False})
        | Q(**{f"{r}bouwblok__waarderingswijze": "per_jaar"}) & (
            Q(**{f"{r}geteld_tot__lte": today}) | Q(**{f"{r}geteld_tot__isnull": True}))
        | grows_by_days & Q(**{f"{r}einddatum__lte": today})
        | ~Q(**{f"{r}bouwblok__waarderingswijze": "per_jaar"}) & ~grows_by_days & Q(**{f"{r}startdatum__lte": today})
    )


def _realisation_per_year(selection, today):
    """{contract_id: [(jaar, approved, pending, approved cents, pending cents, realised cents), ...]} by
    year: the approved (committed), submitted and realised value per contract and calendar year
    (``contracts.selectors.realisation``, as plain tuples). One grouped query for the values realised
    in full (every year before this one, and this year's of registrations complete by today), one for
    the registrations still growing today, whose part of this year is cut at today."""
    from bouwblokken.models import Registratie, RegistratieJaar

    approved_q = Q(registratie__status="goedgekeurd")
    rows = (
        RegistratieJaar.objects.filter(
            **_where("registratie__contract_id", selection), registratie__status__in=["goedgekeurd", "ingediend"],
        )
        .values("registratie__contract_id", "jaar")
        .annotate(
            goedgekeurd=Sum("waarde", filter=approved_q),
            in_behandeling=Sum("waarde", filter=Q(registratie__status="ingediend")),
            gerealiseerd=Sum("waarde", filter=approved_q & (Q(jaar__lt=today.year) | _complete_by(today))),
        )
        .order_by("registratie__contract_id", "jaar")
        .values_list("registratie__contract_id", "jaar", "goedgekeurd", "in_behandeling", "gerealiseerd")
    )
    growing = defaultdict(int)  # contract_id -> cents realised this year by registrations still growing
    for values in (
        Registratie.objects.filter(
            **_where("contract_id", selection), status="goedgekeurd", contract__actuele_einddatum__gt=today,
            contract__afrekening__isnull=True,
        )
        .filter(
            Q(bouwblok__waarderingswijze="per_jaar", geteld_van__lte=today, geteld_tot__gt=today)
            | Q(bouwblok__waarderingswijze="per_dag", dagen__isnull=False, startdatum__lte=today, einddatum__gt=today)
        )
        .annotate(eerder=Sum("jaren__waarde", filter=Q(jaren__jaar__lt=today.year)))
        .order_by()
        .values_list("contract_id", "bouwblok__waarderingswijze", "waarde", "startdatum", "einddatum", "geteld_van",
                     "geteld_tot", "uren_per_week", "dagen", "bouwblok__waarde", "bouwblok__catalogus__norm_uren_per_week",
                     "contract__actuele_einddatum", "eerder")
    ):
        (contract_id, method, waarde, start, end, van, tot, uren, dagen, bouwblok_waarde, norm, contract_end,
         eerder) = values
        reg = StoredRegistration(
            waarderingswijze=method, waarde=waarde, per_jaar={}, startdatum=start, einddatum=end, geteld_van=van,
            geteld_tot=tot, uren_per_week=uren, dagen=dagen, bouwblok_waarde=bouwblok_waarde, norm_uren=norm,
            contract_end=contract_end,
        )
        first, last = reg.span()
        before = 0 if eerder is None else _cents(eerder.quantize(CENT, ROUND_HALF_UP))
        growing[contract_id] += realised_cents_in_progress(reg, first, last, today) - before
    result = defaultdict(list)
    for contract_id, jaar, approved, pending, realised in rows:
        # Sums of cents; SQLite hands them back with extra decimal places: normalise once.
        approved = ZERO if approved is None else approved.quantize(CENT, ROUND_HALF_UP)
        pending = ZERO if pending is None else pending.quantize(CENT, ROUND_HALF_UP)
        realised = 0 if realised is None else _cents(realised.quantize(CENT, ROUND_HALF_UP))
        if jaar == today.year:
            realised += growing.get(contract_id, 0)
        result[contract_id].append((jaar, approved, pending, _cents(approved), _cents(pending), realised))
    return result


def _recompute_batch(rows, selection, today) -> RecomputeResult:  # in the batch's transaction (the caller's)
    now = timezone.now()
    contracts = [ContractValues(values) for values in rows]
    if not contracts:
        return RecomputeResult(batches=1)
    per_year = _realisation_per_year(selection, today)
    stored_totals = {
        contract_id: (versie, gemeente_id, approved, pending)
        for contract_id, versie, gemeente_id, approved, pending in ContractCijfers.objects.filter(
            **_where("contract_id", selection)
        ).values_list("contract_id", "gegevensversie", "gemeente_id", "goedgekeurd", "in_behandeling")
    }
    changed = []
    for contract in contracts:
        version = _contract_fingerprint(contract, per_year.get(contract.pk, ()), today)
        if stored_totals.get(contract.pk, (None,))[0] != version:
            changed.append((contract, version))
    if not changed:
        return RecomputeResult(contracten=len(contracts), batches=1)
    data_changed = set()

    changed_ids = {c.pk for c, _v in changed}
    # All contracts: the year rows of the batch's id range, of which those of changed contracts.
    year_selection = selection if selection[0] == "range" else ("ids", sorted(changed_ids))
    stored_years = {
        (contract_id, jaar): (pk, versie)
        for pk, contract_id, jaar, versie in ContractJaarCijfers.objects.filter(
            **_where("contract_id", year_selection)
        ).values_list("pk", "contract_id", "jaar", "gegevensversie")
        if contract_id in changed_ids
    }
    totals_rows, year_rows, wanted_years = [], [], set()
    for contract, version in changed:
        years = per_year.get(contract.pk, [])
        start, end = contract.startdatum, contract.actuele_einddatum
        obligation_amount = contract.verplichting_bedrag
        obligation = _cents(obligation_amount)
        fixed, reden = contract.verplichting_status or None, contract.verplichting_reden
        total_months = _months(start, end) if end >= start else None
        approved_total = sum(y[3] for y in years)
        pending_total = sum(y[4] for y in years)
        realised_total = sum(y[5] for y in years)
        approved_dec, pending_dec = _money(approved_total), _money(pending_total)
        stored = stored_totals.get(contract.pk)
        if stored is None or stored[1:] != (contract.gemeente_id, approved_dec, pending_dec):
            data_changed.update({contract.gemeente_id, stored[1] if stored else None} - {None})
        # The figures at the reference date, as contracts.selectors.fulfilment gives them on the contract
        # pages: percentage and status on the realised value.
        reference = reference_date(contract_end=end, today=today, settled=contract.afgerekend)
        expected_now = _expected_cents(obligation, start, end, total_months, reference)
        totals_rows.append((
            contract.pk, contract.gemeente_id, contract.verplichting_van_toepassing, contract.actuele_aanneemsom,
            obligation_amount, approved_dec, _money(realised_total), pending_dec, _money(expected_now),
            _percentage(realised_total, obligation),
            _status(fixed, reden, obligation, realised_total, expected_now), now, version,
        ))

        by_year = {y[0]: y for y in years}
        first_year = start.year
        approved = sum(y[3] for y in years if y[0] < first_year)
        pending = sum(y[4] for y in years if y[0] < first_year)
        realised = sum(y[5] for y in years if y[0] < first_year)
        for jaar in _year_rows_wanted(contract, today):
            in_year = by_year.get(jaar)
            approved_in_year = in_year[3] if in_year else 0
            realised_in_year = in_year[5] if in_year else 0
            approved += approved_in_year
            pending += in_year[4] if in_year else 0
            realised += realised_in_year
            peildatum = min(date(jaar, 12, 31), reference)
            wanted_years.add((contract.pk, jaar))
            approved_dec, pending_dec, in_year_dec = _money(approved), _money(pending), _money(approved_in_year)
            realised_dec, realised_in_year_dec = _money(realised), _money(realised_in_year)
            year_version = _inputs_fingerprint(contract, approved_dec, pending_dec, peildatum, jaar, in_year_dec,
                                               realised_dec, realised_in_year_dec)
            stored = stored_years.get((contract.pk, jaar))
            if stored is not None and stored[1] == year_version:
                continue
            # The status on 31 December (this year's: the reference date).
            expected = expected_now if peildatum == reference else _expected_cents(
                obligation, start, end, total_months, peildatum)
            year_rows.append((
                contract.pk, jaar, contract.gemeente_id, contract.verplichting_van_toepassing,
                contract.actuele_aanneemsom, obligation_amount, approved_dec, realised_dec, pending_dec,
                _money(expected), _status(fixed, reden, obligation, realised, expected), in_year_dec,
                realised_in_year_dec, now, year_version,
            ))

    _upsert(ContractCijfers, TOTALS_COLUMNS, ["contract_id"], totals_rows)
    _upsert(ContractJaarCijfers, YEAR_COLUMNS, ["contract_id", "jaar"], year_rows)
    stale = [pk for key, (pk, _versie) in stored_years.items() if key not in wanted_years]
    if stale:
        ContractJaarCijfers.objects.filter(pk__in=stale).delete()
    return RecomputeResult(
        contracten=len(contracts), gewijzigd=len(totals_rows) + len(year_rows), verwijderd=len(stale), batches=1,
        gemeenten=data_changed,
    )


TOTALS_COLUMNS = [
    "contract_id", "gemeente_id", "van_toepassing", "aanneemsom", "verplichting", "goedgekeurd", "gerealiseerd",
    "in_behandeling", "verwacht", "percentage", "status", "berekend_op", "gegevensversie",
]
YEAR_COLUMNS = [
    "contract_id", "jaar", "gemeente_id", "van_toepassing", "aanneemsom", "verplichting", "goedgekeurd",
    "gerealiseerd", "in_behandeling", "verwacht", "status", "goedgekeurd_in_jaar", "gerealiseerd_in_jaar",
    "berekend_op", "gegevensversie",
]


def _upsert(model, columns, unique, rows, page_size=5000):
    """INSERT ... ON CONFLICT (unique) DO UPDATE for many rows.

    The ORM's bulk_create(update_conflicts=True) does the same but spends most of its time
    preparing values one by one; here they are plain tuples. PostgreSQL: one statement per page of
    ``page_size`` rows, the values passed as one array per column (``unnest``), which psycopg2
    adapts in bulk instead of building a row literal per row; SQLite and others: executemany.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    qn = connection.ops.quote_name
    column_list = ", ".join(qn(c) for c in columns)
    updates = ", ".join(f"{qn(c)} = EXCLUDED.{qn(c)}" for c in columns if c not in unique)
    conflict = f"ON CONFLICT ({', '.join(qn(c) for c in unique)}) DO UPDATE SET {updates}"
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            fields = {f.column: f for f in model._meta.concrete_fields}
            arrays = ", ".join(f"%s::{fields[c].db_type(connection)}[]" for c in columns)
            sql = f"INSERT INTO {table} ({column_list}) SELECT * FROM unnest({arrays}) {conflict}"
            for start in range(0, len(rows), page_size):
                cursor.execute(sql, [list(column) for column in zip(*rows[start:start + page_size])])
        else:
            stamp = columns.index("berekend_op")
            rows = [(*row[:stamp], connection.ops.adapt_datetimefield_value(row[stamp]), *row[stamp + 1:])
                    for row in rows]
            placeholders = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({column_list}) VALUES ({placeholders}) {conflict}", rows)


# --- people placed per municipality, year and target group ---------------------------------------

PLACEMENT_FIELDS = ("personen", "gestart", "vast_contract", "na_12_maanden", "vervolg_bekend")


def recompute_placement_figures(*, gemeente_ids=None, group_size: int = 50) -> int:
    """Recompute ``PlaatsingCijfers`` for the given municipalities (all when None); rows written.

    Four grouped queries per group of municipalities (distinct people per target group and for all
    groups together; placed in the year, and started in the year with their follow-up). Rows
    whose counts did not change are left alone.
    """
    from contracts.models import Gemeente

    if gemeente_ids is None:
        gemeente_ids = Gemeente.objects.order_by("pk").values_list("pk", flat=True)
    written = 0
    for ids in _chunks(sorted(set(gemeente_ids)), group_size):
        written += _recompute_placements(ids)
    return written


def _placement_counts(ids):
    """{(gemeente_id, jaar, doelgroep): counts} with doelgroep "" for all target groups together."""
    from bouwblokken.models import Registratie, RegistratieJaar

    counts = defaultdict(lambda: dict.fromkeys(PLACEMENT_FIELDS, 0))
    counted = RegistratieJaar.objects.filter(
        registratie__contract__gemeente_id__in=ids, registratie__status="goedgekeurd",
        registratie__bouwblok__soort="plaatsing", registratie__kandidaat__isnull=False,
    )
    started = Registratie.objects.filter(
        contract__gemeente_id__in=ids, status="goedgekeurd", bouwblok__soort="plaatsing", kandidaat__isnull=False,
    ).annotate(jaar=ExtractYear("startdatum"))
    cohort = {
        "gestart": Count("kandidaat_id", distinct=True),
        "vast_contract": Count("kandidaat_id", filter=Q(vervolg__vast_contract=True), distinct=True),
        "na_12_maanden": Count("kandidaat_id", filter=Q(vervolg__in_dienst_na_12_maanden=True), distinct=True),
        "vervolg_bekend": Count("kandidaat_id", filter=Q(vervolg__in_dienst_na_12_maanden__isnull=False), distinct=True),
    }
    # Distinct people per target group, and for all groups together (one person in two groups
    # counts once there): two grouped queries of each kind.
    for per_group in (True, False):
        group = ["registratie__contract__gemeente_id", "jaar"] + (["registratie__bouwblok__doelgroep"] if per_group else [])
        for row in counted.values(*group).annotate(n=Count("registratie__kandidaat_id", distinct=True)).order_by():
            key = (row["registratie__contract__gemeente_id"], row["jaar"],
                   (row["registratie__bouwblok__doelgroep"] or "") if per_group else "")
            counts[key]["personen"] = row["n"]
        group = ["contract__gemeente_id", "jaar"] + (["bouwblok__doelgroep"] if per_group else [])
        for row in started.values(*group).annotate(**cohort).order_by():
            key = (row["contract__gemeente_id"], row["jaar"], (row["bouwblok__doelgroep"] or "") if per_group else "")
            counts[key].update({name: row[name] for name in cohort})
    return {key: tuple(values[name] for name in PLACEMENT_FIELDS) for key, values in counts.items()}


@transaction.atomic
def _recompute_placements(ids) -> int:
    now = timezone.now()
    counts = _placement_counts(ids)
    stored = {
        (gemeente_id, jaar, doelgroep): (pk, tuple(values))
        for pk, gemeente_id, jaar, doelgroep, *values in PlaatsingCijfers.objects.filter(gemeente_id__in=ids).values_list(
            "pk", "gemeente_id", "jaar", "doelgroep", *PLACEMENT_FIELDS
        )
    }
    rows = [
        PlaatsingCijfers(gemeente_id=gemeente_id, jaar=jaar, doelgroep=doelgroep, berekend_op=now,
                         **dict(zip(PLACEMENT_FIELDS, values)))
        for (gemeente_id, jaar, doelgroep), values in counts.items()
        if stored.get((gemeente_id, jaar, doelgroep), (None, None))[1] != values
    ]
    if rows:
        PlaatsingCijfers.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["gemeente", "jaar", "doelgroep"],
            update_fields=[*PLACEMENT_FIELDS, "berekend_op"],
        )
    stale = [pk for key, (pk, _values) in stored.items() if key not in counts]
    if stale:
        PlaatsingCijfers.objects.filter(pk__in=stale).delete()
    return len(rows)
