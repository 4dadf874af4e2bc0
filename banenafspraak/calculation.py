"""Banenafspraak arithmetic: paid hours -> jobs, realisation, shortfall, levy, regional progress.

Pure domain arithmetic (SROI-RULES.md §5): plain values in, Decimal out, no Django. Every figure is
kept exact (:class:`~fractions.Fraction`) until the end and rounded half-up once
(:func:`sroi_portal.money.round_money` for 2 decimals). Months are counted with THE months rule of
the portal, :func:`sroi_portal.periods.months`.

Counting (rules §5):

- one job = ``uren_per_baan`` (25.5) paid hours a week; part-time counts pro rata and more than
  25.5 hours counts as more than one job;
- jobs of one employment in a period = hours a week / 25.5 × months employed in the period /
  months of the period (12 for a year, 3 for a quarter);
- paid hours of a whole year -> jobs: hours / ``uren_per_jaar`` (25.5 × 52 = 1,326);
- realisation % = jobs / target; shortfall = target − jobs when positive; the (informational)
  quota levy = levy per missing job × shortfall, for employers above the paid-hours threshold.

Aggregation over an employer and its units (:func:`aggregate`): see the docstring there; the
precedence rules are documented in ``docs/banenafspraak.md`` as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction

from sroi_portal.money import as_fraction, round_money
from sroi_portal.periods import days_in_month, months, overlap, year_bounds

__all__ = [
    "DIENSTVERBAND",
    "INLEEN",
    "SOORTEN",
    "CountingParams",
    "Employment",
    "Measured",
    "Unit",
    "Counted",
    "Realisation",
    "UnitFigures",
    "period_bounds",
    "period_months",
    "jobs",
    "jobs_in_period",
    "jobs_from_paid_hours",
    "round_jobs",
    "round_percentage",
    "realisation",
    "aggregate",
    "spoor3_jobs",
    "RegionProgress",
    "ranked_progress",
    "TotalCheck",
    "compare_totals",
]

DIENSTVERBAND = "dienstverband"
INLEEN = "inleen"
SOORTEN = (DIENSTVERBAND, INLEEN)

ZERO = Fraction(0)


@dataclass(frozen=True)
class CountingParams:
    """The counting parameters in force for a year (held as versioned data; these are the defaults)."""

    uren_per_baan: Decimal = Decimal("25.5")
    uren_per_jaar: Decimal = Decimal("1326")
    heffing_per_baan: Decimal = Decimal("5000.00")
    heffing_drempel_uren: Decimal = Decimal("40575")

    def __post_init__(self):
        for name in ("uren_per_baan", "uren_per_jaar"):
            if as_fraction(getattr(self, name)) <= 0:
                raise ValueError(f"{name} must be positive")


DEFAULT_PARAMS = CountingParams()


# --- periods -------------------------------------------------------------------------------------


def period_bounds(jaar: int, kwartaal: int | None = None) -> tuple[date, date]:
    """First and last day of a year, or of one quarter (1-4) of it."""
    if kwartaal is None:
        return year_bounds(jaar)
    if kwartaal not in (1, 2, 3, 4):
        raise ValueError(f"kwartaal must be 1-4, got {kwartaal}")
    first_month = 3 * (kwartaal - 1) + 1
    last_month = first_month + 2
    return date(jaar, first_month, 1), date(jaar, last_month, days_in_month(jaar, last_month))


def period_months(jaar: int, kwartaal: int | None = None) -> Fraction:
    """12 for a year, 3 for a quarter (by the months rule, so always whole)."""
    return months(*period_bounds(jaar, kwartaal))


# --- one employment ------------------------------------------------------------------------------


def jobs(uren_per_week: Decimal, params: CountingParams = DEFAULT_PARAMS) -> Fraction:
    """Jobs of a person employed for a whole period: hours a week / 25.5 (exact, not capped)."""
    hours = as_fraction(uren_per_week)
    if hours < 0:
        raise ValueError("uren_per_week must not be negative")
    return hours / as_fraction(params.uren_per_baan)


def jobs_in_period(
    *,
    uren_per_week: Decimal,
    startdatum: date,
    einddatum: date | None,
    jaar: int,
    kwartaal: int | None = None,
    peildatum: date | None = None,
    params: CountingParams = DEFAULT_PARAMS,
) -> Fraction:
    """Exact jobs of one employment in a year (or quarter).

    = hours a week / 25.5 × months employed in the period / months of the period. An open-ended
    employment (no ``einddatum``) counts up to ``peildatum`` when one is given (the realisation so
    far), otherwise to the end of the period.
    """
    period_start, period_end = period_bounds(jaar, kwartaal)
    end = einddatum
    if end is None:
        end = peildatum if peildatum is not None else period_end
    elif peildatum is not None:
        end = min(end, peildatum)
    common = overlap(startdatum, end, period_start, period_end)
    if common is None:
        return ZERO
    return jobs(uren_per_week, params) * months(*common) / period_months(jaar, kwartaal)


def jobs_from_paid_hours(verloonde_uren: Decimal, params: CountingParams = DEFAULT_PARAMS, *,
                         kwartaal: int | None = None) -> Fraction:
    """Jobs from the paid hours of a whole year: hours / 1,326 (= 25.5 × 52); of a quarter: a
    quarter of the year's hours make one job (hours × 4 / 1,326), so a year is the mean of its quarters."""
    hours = as_fraction(verloonde_uren)
    if hours < 0:
        raise ValueError("verloonde_uren must not be negative")
    per_job = as_fraction(params.uren_per_jaar) / (4 if kwartaal is not None else 1)
    return hours / per_job


# --- rounding ------------------------------------------------------------------------------------


def round_jobs(value: Fraction | Decimal | int) -> Decimal:
    """Jobs with 2 decimals, rounded half-up once."""
    return round_money(value)


def round_percentage(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """An exact percentage rounded half-up (away from zero) to ``places`` decimals, with integers.

    2 decimals for the API, 1 for pages: the page value is rounded from the exact value, not from
    the 2-decimal one, so there is no double rounding.
    """
    scaled = as_fraction(value) * 10**places
    whole, remainder = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * remainder >= scaled.denominator:
        whole += 1
    return Decimal(-whole if scaled < 0 else whole).scaleb(-places)


# --- realisation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Realisation:
    """Target against jobs for one unit and period; the Decimals are rounded once, at the end."""

    doel: Decimal | None
    banen_dienstverband: Decimal
    banen_inleen: Decimal
    banen_totaal: Decimal
    percentage: Decimal | None  # 2 decimals (API)
    percentage_weergave: Decimal | None  # 1 decimal (pages), rounded from the exact value
    tekort: Decimal | None
    heffing: Decimal | None  # informational quota levy; None when not applicable


def realisation(
    *,
    doel: Decimal | Fraction | None,
    dienstverband: Fraction | Decimal,
    inleen: Fraction | Decimal,
    verloonde_uren: Decimal | None = None,
    params: CountingParams = DEFAULT_PARAMS,
) -> Realisation:
    """Realisation of a target: total = dienstverband + inleen; % = total / target.

    Shortfall = target − total when positive (0 otherwise); levy = levy per job × shortfall, not
    applicable (None) when the employer's total paid hours are known and not above the threshold,
    or when there is no target.
    """
    dv, il = as_fraction(dienstverband), as_fraction(inleen)
    if dv < 0 or il < 0:
        raise ValueError("jobs must not be negative")
    total = dv + il
    if doel is None:
        pct = pct1 = tekort = heffing = None
    else:
        target = as_fraction(doel)
        if target < 0:
            raise ValueError("doel must not be negative")
        exact_pct = total / target * 100 if target else None
        pct = round_percentage(exact_pct, 2) if exact_pct is not None else None
        pct1 = round_percentage(exact_pct, 1) if exact_pct is not None else None
        shortfall = max(target - total, ZERO)
        tekort = round_jobs(shortfall)
        below_threshold = verloonde_uren is not None and as_fraction(verloonde_uren) <= as_fraction(
            params.heffing_drempel_uren
        )
        heffing = None if below_threshold else round_money(shortfall * as_fraction(params.heffing_per_baan))
    return Realisation(
        doel=round_jobs(doel) if doel is not None else None,
        banen_dienstverband=round_jobs(dv),
        banen_inleen=round_jobs(il),
        banen_totaal=round_jobs(total),
        percentage=pct,
        percentage_weergave=pct1,
        tekort=tekort,
        heffing=heffing,
    )


# --- an employer and its units -------------------------------------------------------------------


@dataclass(frozen=True)
class Employment:
    """One job of a person from the doelgroepregister at a unit (no personal data needed here)."""

    werkgever_id: int
    soort: str  # "dienstverband" | "inleen"
    uren_per_week: Decimal
    startdatum: date
    einddatum: date | None = None


@dataclass(frozen=True)
class Measured:
    """Measured totals of a unit for a year (kwartaal None) or a quarter, e.g. from payroll or UWV."""

    werkgever_id: int
    jaar: int
    kwartaal: int | None
    banen_dienstverband: Decimal
    banen_inleen: Decimal
    bron: str = ""


@dataclass(frozen=True)
class Unit:
    id: int
    bovenliggende_id: int | None
    naam: str = ""


@dataclass(frozen=True)
class Counted:
    """Exact jobs of a unit (with its sub-units) in one period, and where they come from."""

    dienstverband: Fraction = ZERO
    inleen: Fraction = ZERO
    # "telling" (a measured total covers the unit), "kwartaaltellingen" (mean of measured
    # quarters), "dienstverbanden" (counted from records) or "gemengd" (records and measured
    # totals of sub-units), "geen" (nothing recorded).
    bron: str = "geen"
    kwartalen_gemeten: int = 0

    @property
    def totaal(self) -> Fraction:
        return self.dienstverband + self.inleen

    def __add__(self, other: Counted) -> Counted:
        if self.bron == "geen":
            bron = other.bron
        elif other.bron == "geen" or other.bron == self.bron:
            bron = self.bron
        else:
            bron = "gemengd"
        return Counted(self.dienstverband + other.dienstverband, self.inleen + other.inleen, bron)


@dataclass(frozen=True)
class UnitFigures:
    """What a page or the API shows for one unit in one period."""

    werkgever_id: int
    jaar: int
    kwartaal: int | None
    counted: Counted
    doel: Fraction | None
    realisatie: Realisation
    doel_eigen: bool = False  # the target was entered on this unit itself (not summed from units)
    subunits: list[UnitFigures] = field(default_factory=list)


def _children(units: Iterable[Unit]) -> dict[int | None, list[Unit]]:
    result: dict[int | None, list[Unit]] = {}
    for unit in units:
        result.setdefault(unit.bovenliggende_id, []).append(unit)
    return result


def aggregate(
    *,
    units: Sequence[Unit],
    root_id: int,
    jaar: int,
    kwartaal: int | None = None,
    employments: Iterable[Employment] = (),
    measured: Iterable[Measured] = (),
    doelen: Mapping[int, Decimal] | None = None,
    verloonde_uren: Mapping[int, Decimal] | None = None,
    peildatum: date | None = None,
    params: CountingParams = DEFAULT_PARAMS,
) -> UnitFigures:
    """Figures of ``root_id`` and (recursively) its units for a year or a quarter.

    Precedence for a unit's jobs in a period (a figure entered on a unit covers the unit *with*
    its sub-units):

    1. a measured total of the unit for exactly that period replaces everything counted below it
       (its own records and all its sub-units' figures);
    2. for a year only: without a yearly measured total, the mean of the unit's measured quarter
       totals of that year, when it has any;
    3. otherwise its own records (hours -> jobs) plus the figures of its sub-units.

    Targets (``doelen``: unit id -> target of that year): a target entered on a unit is the target
    of the unit with its sub-units; a unit without one gets the sum of its sub-units' targets (None
    when none of them has one). Quarter figures use the yearly target (jobs are an average, so the
    quarter's jobs compare with the year's target).
    """
    doelen = doelen or {}
    verloonde_uren = verloonde_uren or {}
    by_parent = _children(units)
    own_records: dict[int, list[Employment]] = {}
    for employment in employments:
        own_records.setdefault(employment.werkgever_id, []).append(employment)
    exact_period: dict[int, Measured] = {}
    quarters: dict[int, list[Measured]] = {}
    for m in measured:
        if m.jaar != jaar:
            continue
        if m.kwartaal == kwartaal:
            exact_period[m.werkgever_id] = m
        elif kwartaal is None and m.kwartaal is not None:
            quarters.setdefault(m.werkgever_id, []).append(m)

    def figures(unit_id: int, seen: frozenset[int]) -> UnitFigures:
        if unit_id in seen:
            raise ValueError("the units form a cycle")
        seen = seen | {unit_id}
        subunits = [figures(child.id, seen) for child in by_parent.get(unit_id, [])]

        if unit_id in exact_period:
            m = exact_period[unit_id]
            counted = Counted(as_fraction(m.banen_dienstverband), as_fraction(m.banen_inleen), "telling")
        elif unit_id in quarters:
            qs = quarters[unit_id]
            n = len(qs)
            counted = Counted(
                sum((as_fraction(q.banen_dienstverband) for q in qs), ZERO) / n,
                sum((as_fraction(q.banen_inleen) for q in qs), ZERO) / n,
                "kwartaaltellingen",
                kwartalen_gemeten=n,
            )
        else:
            counted = Counted()
            for e in own_records.get(unit_id, []):
                value = jobs_in_period(
                    uren_per_week=e.uren_per_week, startdatum=e.startdatum, einddatum=e.einddatum,
                    jaar=jaar, kwartaal=kwartaal, peildatum=peildatum, params=params,
                )
                part = Counted(value, ZERO, "dienstverbanden") if e.soort == DIENSTVERBAND else Counted(
                    ZERO, value, "dienstverbanden"
                )
                counted = counted + part
            for sub in subunits:
                counted = counted + sub.counted

        if unit_id in doelen and doelen[unit_id] is not None:
            doel, doel_eigen = as_fraction(doelen[unit_id]), True
        else:
            sub_targets = [sub.doel for sub in subunits if sub.doel is not None]
            doel, doel_eigen = (sum(sub_targets, ZERO) if sub_targets else None), False

        result = realisation(
            doel=doel, dienstverband=counted.dienstverband, inleen=counted.inleen,
            verloonde_uren=verloonde_uren.get(unit_id), params=params,
        )
        return UnitFigures(
            werkgever_id=unit_id, jaar=jaar, kwartaal=kwartaal, counted=counted, doel=doel,
            realisatie=result, doel_eigen=doel_eigen, subunits=subunits,
        )

    if not any(unit.id == root_id for unit in units):
        raise ValueError(f"unknown unit {root_id}")
    return figures(root_id, frozenset())


def spoor3_jobs(
    *,
    registrations: Iterable[tuple[Decimal, date, date]],
    jaar: int,
    kwartaal: int | None = None,
    params: CountingParams = DEFAULT_PARAMS,
) -> Fraction:
    """Exact jobs created through social return: (hours a week, counted from, counted to) per
    approved registration, with the same 25.5-hour rule and the months rule."""
    total = ZERO
    for uren, van, tot in registrations:
        total += jobs_in_period(uren_per_week=uren, startdatum=van, einddatum=tot, jaar=jaar, kwartaal=kwartaal,
                                params=params)
    return total


# --- the region ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionProgress:
    naam: str
    nulmeting: Decimal
    laatste: Decimal
    voortgang: Decimal  # latest quarter − baseline
    rang: int  # 1 = most progress; equal progress shares a rank (1, 2, 2, 4)
    aantal: int


def ranked_progress(rows: Iterable[tuple[str, Decimal, Decimal]]) -> list[RegionProgress]:
    """(name, baseline, latest quarter) per region -> progress and rank, best first."""
    items = [(naam, Decimal(nul), Decimal(last), Decimal(last) - Decimal(nul)) for naam, nul, last in rows]
    items.sort(key=lambda item: (-item[3], item[0]))
    result = []
    rank = 0
    previous = None
    for index, (naam, nul, last, progress) in enumerate(items, start=1):
        if progress != previous:
            rank, previous = index, progress
        result.append(RegionProgress(naam, nul, last, progress, rank, len(items)))
    return result


@dataclass(frozen=True)
class TotalCheck:
    """One column of a published table: its total row against the sum of the regions."""

    kolom: str
    gepubliceerd: Decimal
    som_regios: Decimal

    @property
    def verschil(self) -> Decimal:
        return self.gepubliceerd - self.som_regios

    @property
    def gelijk(self) -> bool:
        return self.verschil == 0


def compare_totals(columns: Sequence[str], total_row: Sequence[Decimal], region_rows: Iterable[Sequence[Decimal]]) -> list[TotalCheck]:
    """Per column: the published total against the sum of the region rows (never replaced)."""
    sums = [Decimal(0)] * len(columns)
    for row in region_rows:
        sums = [s + Decimal(v) for s, v in zip(sums, row)]
    return [TotalCheck(kolom, Decimal(total), som) for kolom, total, som in zip(columns, total_row, sums)]
