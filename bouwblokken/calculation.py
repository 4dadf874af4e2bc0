"""Valuation of one bouwblok registration (SROI-RULES.md §2, "Valuation of one registration").

Pure domain arithmetic: plain values in, Decimal/Fraction out, no Django. The value of a
registration is computed exactly (Fraction) and rounded half-up to cents once; the split over
calendar years is allocated from the exact yearly parts so that it adds up to the rounded total
to the cent (:func:`sroi_portal.money.allocate`).

Valuation methods (``BouwblokParams.waarderingswijze``):

``per_jaar``
    Placements (candidate categories) and the recurring 55+ bonus:
    ``waarde × hours_factor × counted_months / 12``; see :func:`value_registration`.
``eenmalig``
    One-off bonus: ``waarde`` once, in full, in the year of ``startdatum``.
``kosten`` / ``afgesproken``
    Training and coaching costs made / agreed value of a trajectory: the ``bedrag`` entered.
``factuur``
    Purchase at a social enterprise: invoice excl. VAT × ``factuur_aandeel`` / 100.
``per_dag``
    Social activity: ``dagen × waarde``, or the agreed ``bedrag`` of the trajectory.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from sroi_portal.money import allocate, as_fraction, round_money
from sroi_portal.periods import add_months, first_date_reaching, months, overlap

__all__ = [
    "VALUATION_METHODS",
    "MAX_HOURS_PER_WEEK",
    "ValuationError",
    "BouwblokParams",
    "RegistrationInput",
    "Valuation",
    "value_registration",
    "hours_factor",
    "is_55_plus",
    "counted_periods_overlap",
]

VALUATION_METHODS = ("per_jaar", "eenmalig", "kosten", "factuur", "per_dag", "afgesproken")

#: Methods that need the catalogue's ``waarde``.
_METHODS_WITH_VALUE = ("per_jaar", "eenmalig", "per_dag")

#: More hours per week than this is refused as an input error.
MAX_HOURS_PER_WEEK = Decimal("60")

ONE_DAY = timedelta(days=1)


class ValuationError(ValueError):
    """Invalid registration input, tied to the API field (camelCase) that caused it.

    ``code`` is a stable machine-readable reason that the API and UI translate:

    ``startdatum``: ``start_te_vroeg``, ``start_voor_contract``, ``start_na_einde_contract``;
    ``einddatum``: ``voor_startdatum``; ``urenPerWeek``: ``verplicht``, ``niet_positief``,
    ``te_hoog``, ``onder_minimum``; ``bedrag``: ``verplicht``, ``negatief``,
    ``niet_samen_met_dagen``; ``dagen``: ``verplicht``, ``negatief``.
    """

    def __init__(self, field: str, code: str, message: str | None = None):
        self.field = field
        self.code = code
        super().__init__(message or f"{field}: {code}")


@dataclass(frozen=True)
class BouwblokParams:
    """One bouwblok of a versioned catalogue (rules §2 table), as the calculation needs it."""

    code: str
    waarderingswijze: str
    # annual value (per_jaar), one-off value (eenmalig), value per day (per_dag);
    # None for kosten / afgesproken / factuur
    waarde: Decimal | None
    # counting window from the START OF THE PLACEMENT; None = no limit
    max_maanden: int | None = None
    min_uren_per_week: Decimal | None = None
    factuur_aandeel: Decimal = Decimal("100")  # percent of an invoice excl. VAT that counts
    norm_uren: Decimal = Decimal("36")

    def __post_init__(self):
        if self.waarderingswijze not in VALUATION_METHODS:
            raise ValueError(f"unknown waarderingswijze {self.waarderingswijze!r}")
        if self.waarderingswijze in _METHODS_WITH_VALUE and self.waarde is None:
            raise ValueError(f"bouwblok {self.code!r} ({self.waarderingswijze}) needs a waarde")
        if self.waarde is not None and as_fraction(self.waarde) < 0:
            raise ValueError(f"bouwblok {self.code!r}: waarde must not be negative")
        if self.max_maanden is not None and self.max_maanden < 0:
            raise ValueError(f"bouwblok {self.code!r}: max_maanden must not be negative")
        if as_fraction(self.norm_uren) <= 0:
            raise ValueError(f"bouwblok {self.code!r}: norm_uren must be positive")
        if not 0 <= as_fraction(self.factuur_aandeel) <= 100:
            raise ValueError(f"bouwblok {self.code!r}: factuur_aandeel must be 0-100")


@dataclass(frozen=True)
class RegistrationInput:
    """What a supplier enters for one registration."""

    startdatum: date
    einddatum: date | None = None  # None = open-ended: until the contract end
    uren_per_week: Decimal | None = None
    bedrag: Decimal | None = None  # costs, invoice excl. VAT, agreed value
    dagen: Decimal | None = None  # social activity days
    loonkostensubsidie_tot: date | None = None


@dataclass(frozen=True)
class Valuation:
    """The value of one registration."""

    waarde: Decimal  # 2 decimals, rounded once
    per_jaar: dict[int, Decimal]  # calendar year -> 2-decimal value; sums exactly to waarde
    geteld_maanden: Fraction  # counted months (placements), 0 otherwise
    geteld_van: date | None  # first counted day (placements with months counted), else None
    geteld_tot: date | None  # last counted day (placements with months counted), else None


def hours_factor(uren: Decimal, norm: Decimal) -> Fraction:
    """``min(uren / norm, 1)``: a job of the norm hours or more counts 1 (40 h of 36 counts 1.0)."""
    exact_norm = as_fraction(norm)
    if exact_norm <= 0:
        raise ValueError("norm must be positive")
    exact_hours = as_fraction(uren)
    if exact_hours < 0:
        raise ValueError("uren must not be negative")
    return min(exact_hours / exact_norm, Fraction(1))


def is_55_plus(*, geboortejaar: int, startdatum: date, min_age: int = 55) -> bool:
    """Whether the candidate counts as 55+ for the bonus.

    Assumption (rules §2: "age at the start of the placement"): only the year of birth is kept
    (privacy, rules §4), so the age is taken as ``startdatum.year − geboortejaar``: a candidate
    born in 1969 is 55+ for any placement starting in 2024, whatever the day of birth.
    """
    return startdatum.year - geboortejaar >= min_age


def counted_periods_overlap(a: Valuation, b: Valuation) -> bool:
    """Whether two valuations count at least one common day (double counting of a candidate)."""
    if None in (a.geteld_van, a.geteld_tot, b.geteld_van, b.geteld_tot):
        return False
    return overlap(a.geteld_van, a.geteld_tot, b.geteld_van, b.geteld_tot) is not None


def value_registration(
    *,
    bouwblok: BouwblokParams,
    registratie: RegistrationInput,
    contract_start: date,
    contract_end: date,
    max_months_before_start: int = 12,
) -> Valuation:
    """Value one registration of ``bouwblok`` for the contract period ``contract_start``-``end``.

    Raises :class:`ValuationError` for invalid input; see the helpers per method for the rules.
    A registration that counts nothing (e.g. a placement whose window closed before the contract
    started) is not an error: its value is 0.
    """
    if contract_end < contract_start:
        raise ValueError("contract_end is before contract_start")
    if registratie.einddatum is not None and registratie.einddatum < registratie.startdatum:
        raise ValuationError("einddatum", "voor_startdatum")
    method = bouwblok.waarderingswijze
    if method == "per_jaar":
        return _value_placement(
            bouwblok, registratie, contract_start, contract_end, max_months_before_start
        )
    _check_inside_contract(registratie.startdatum, contract_start, contract_end)
    if method == "eenmalig":
        amount = as_fraction(bouwblok.waarde)
    elif method in ("kosten", "afgesproken"):
        amount = _required_amount(registratie.bedrag, "bedrag")
    elif method == "factuur":
        invoice = _required_amount(registratie.bedrag, "bedrag")
        amount = invoice * as_fraction(bouwblok.factuur_aandeel) / 100
    elif method == "per_dag":
        amount = _activity_amount(bouwblok, registratie)
    else:  # pragma: no cover - BouwblokParams refuses unknown methods
        raise ValueError(f"unknown waarderingswijze {method!r}")
    value = round_money(amount)
    return Valuation(
        waarde=value,
        per_jaar={registratie.startdatum.year: value},
        geteld_maanden=Fraction(0),
        geteld_van=None,
        geteld_tot=None,
    )


def _check_inside_contract(startdatum: date, contract_start: date, contract_end: date) -> None:
    """One-off amounts (bonus, costs, invoice, activity) must be dated inside the contract."""
    if startdatum < contract_start:
        raise ValuationError("startdatum", "start_voor_contract")
    if startdatum > contract_end:
        raise ValuationError("startdatum", "start_na_einde_contract")


def _required_amount(value: Decimal | None, field_name: str) -> Fraction:
    if value is None:
        raise ValuationError(field_name, "verplicht")
    exact = as_fraction(value)
    if exact < 0:
        raise ValuationError(field_name, "negatief")
    return exact


def _activity_amount(bouwblok: BouwblokParams, registratie: RegistrationInput) -> Fraction:
    """Social activity: days × value per day, or the agreed value; exactly one of both."""
    if registratie.dagen is not None and registratie.bedrag is not None:
        raise ValuationError("bedrag", "niet_samen_met_dagen")
    if registratie.dagen is not None:
        return _required_amount(registratie.dagen, "dagen") * as_fraction(bouwblok.waarde)
    if registratie.bedrag is not None:
        return _required_amount(registratie.bedrag, "bedrag")
    raise ValuationError("dagen", "verplicht")


def _check_hours(bouwblok: BouwblokParams, uren: Decimal | None) -> Fraction:
    if uren is None:
        raise ValuationError("urenPerWeek", "verplicht")
    hours = as_fraction(uren)
    if hours <= 0:
        raise ValuationError("urenPerWeek", "niet_positief")
    if hours > MAX_HOURS_PER_WEEK:
        raise ValuationError("urenPerWeek", "te_hoog")
    if bouwblok.min_uren_per_week is not None and hours < as_fraction(bouwblok.min_uren_per_week):
        raise ValuationError("urenPerWeek", "onder_minimum")
    return hours


def _value_placement(
    bouwblok: BouwblokParams,
    registratie: RegistrationInput,
    contract_start: date,
    contract_end: date,
    max_months_before_start: int,
) -> Valuation:
    """A placement: ``waarde × hours_factor × counted_months / 12``.

    With ps/pe the placement's start/end (pe = contract end when open-ended), cs/ce the contract
    period and M = :func:`~sroi_portal.periods.months`:

    * the counted stretch is s = max(ps, cs) to e = min(pe, ce);
    * the counting window opens at ps and holds ``cap`` months (``max_maanden``; None = no
      limit). With loonkostensubsidie the window lasts at least until the subsidy's end date:
      cap = max(max_maanden, M(ps, loonkostensubsidie_tot)) (assumption: "counts for the
      duration of the subsidy" extends, never shortens, the bouwblok's window; an unlimited
      window stays unlimited);
    * cumulative counted months up to day x >= s:
      C(x) = max(0, min(M(ps, x), cap) − M(ps, s − 1 day)); counted = C(e).

    So months of the window that passed before the contract started are used up: a placement
    that started 6 months before the contract with a 12-month window counts at most 6 months.
    Per calendar year y the exact part is C(min(e, 31 Dec y)) − C(31 Dec y−1).
    """
    ps = registratie.startdatum
    if ps < add_months(contract_start, -max_months_before_start):
        raise ValuationError("startdatum", "start_te_vroeg")
    if ps > contract_end:
        raise ValuationError("startdatum", "start_na_einde_contract")
    hours = _check_hours(bouwblok, registratie.uren_per_week)

    s = max(ps, contract_start)
    e = min(registratie.einddatum or contract_end, contract_end)

    cap: Fraction | None = None
    if bouwblok.max_maanden is not None:
        cap = Fraction(bouwblok.max_maanden)
        if registratie.loonkostensubsidie_tot is not None:
            cap = max(cap, months(ps, registratie.loonkostensubsidie_tot))

    used_before_contract = months(ps, s - ONE_DAY)

    def cumulative(x: date) -> Fraction:
        if x < s:
            return Fraction(0)
        in_window = months(ps, x) if cap is None else min(months(ps, x), cap)
        return max(Fraction(0), in_window - used_before_contract)

    counted = cumulative(e)
    rate = as_fraction(bouwblok.waarde) * hours_factor(hours, bouwblok.norm_uren) / 12
    value = round_money(rate * counted)

    if counted == 0:
        return Valuation(
            waarde=value, per_jaar={}, geteld_maanden=counted, geteld_van=None, geteld_tot=None
        )

    years: list[int] = []
    parts: list[Fraction] = []
    for year in range(s.year, e.year + 1):
        in_year = cumulative(min(e, date(year, 12, 31))) - cumulative(date(year - 1, 12, 31))
        if in_year > 0:
            years.append(year)
            parts.append(rate * in_year)

    last_counted_day = e if cap is None else min(e, first_date_reaching(ps, cap))
    return Valuation(
        waarde=value,
        per_jaar=dict(zip(years, allocate(value, parts))),
        geteld_maanden=counted,
        geteld_van=s,
        geteld_tot=last_counted_day,
    )
