"""Valuation of one bouwblok registration (SROI-RULES.md §2, "Valuation of one registration").

Pure domain arithmetic: plain values in, Decimal/Fraction out, no Django. The value of a
registration is computed exactly (Fraction) and rounded half-up to cents once; the split over
calendar years is made from the rounded cumulative amounts at each year end (below), so that it
adds up to the rounded total to the cent.

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

Realised at a date d (SROI-RULES.md §2, "Realised, committed and pending"): the part of the value
that lies on or before d (:func:`realised_at`). Every registration has a cumulative exact value
V(x), 0 before its first day and its whole value from its last day on: a placement grows with its
counted months (same months rule, window and cap, cut at x); an activity of ``dagen`` days from
``startdatum`` to ``einddatum`` grows evenly over its calendar days (assumption: the days are spread
over the period; cut at the contract end); every other method (one-off bonus, costs, invoice,
agreed value, an activity on one day) is realised in full on ``startdatum``. Amounts are rounded
once, from V: realised at d = round(V(d)); the part of calendar year Y = round(V(min(d, 31 Dec Y)))
− round(V(31 Dec Y−1)), so the years add up exactly to the realised amount, a past year does not
change any more, and once d is past the end the years are the committed split
(``Valuation.per_jaar``), which is made the same way.

:func:`realised_from_stored` cuts a registration at d from what the database holds of it (its
value, value per year, counted period and the rate's inputs), in whole cents: the pages and the
stored figures use it; tests compare it with :func:`realised_at`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from sroi_portal.money import as_fraction, round_money
from sroi_portal.periods import add_months, days_in_month, first_date_reaching, months, overlap

__all__ = [
    "VALUATION_METHODS",
    "MAX_HOURS_PER_WEEK",
    "ValuationError",
    "BouwblokParams",
    "RegistrationInput",
    "Valuation",
    "Realisation",
    "StoredRegistration",
    "value_registration",
    "realised_at",
    "realised_from_stored",
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


@dataclass(frozen=True)
class Realisation:
    """The part of a registration's value realised on or before ``peildatum``."""

    peildatum: date
    waarde: Decimal  # 2 decimals, rounded once; between 0 and the registration's value
    per_jaar: dict[int, Decimal]  # calendar year -> realised in that year by peildatum; sums to waarde


@dataclass(frozen=True)
class _Schedule:
    """A registration's value as a cumulative exact amount ``value_by(x)`` (on or before day x).

    ``value_by`` is 0 before ``first`` and the whole exact value from ``last`` on (None when the
    registration counts nothing)."""

    value_by: Callable[[date], Fraction]
    first: date | None
    last: date | None
    counted: Fraction  # counted months (placements), else 0
    geteld_van: date | None
    geteld_tot: date | None


def _split_years(schedule: _Schedule, cut: date) -> dict[int, Decimal]:
    """The rounded parts per calendar year of ``value_by`` up to ``cut``: year Y gets
    round(V(min(cut, 31 Dec Y))) − round(V(31 Dec Y−1)), for every year from the first day to
    min(cut, last day) (each of them holds counted days)."""
    if schedule.first is None or cut < schedule.first:
        return {}
    end = min(cut, schedule.last)
    result: dict[int, Decimal] = {}
    before = round_money(0)
    for year in range(schedule.first.year, end.year + 1):
        upto = round_money(schedule.value_by(min(end, date(year, 12, 31))))
        result[year] = upto - before
        before = upto
    return result


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
    started) is not an error: its value is 0. ``per_jaar`` is the split over calendar years (module
    docstring): what :func:`realised_at` gives per year once its date is past the end.
    """
    schedule = _schedule(bouwblok, registratie, contract_start, contract_end, max_months_before_start)
    if schedule.last is None:
        return Valuation(waarde=round_money(0), per_jaar={}, geteld_maanden=schedule.counted, geteld_van=None,
                         geteld_tot=None)
    return Valuation(
        waarde=round_money(schedule.value_by(schedule.last)),
        per_jaar=_split_years(schedule, schedule.last),
        geteld_maanden=schedule.counted,
        geteld_van=schedule.geteld_van,
        geteld_tot=schedule.geteld_tot,
    )


def realised_at(
    *,
    bouwblok: BouwblokParams,
    registratie: RegistrationInput,
    contract_start: date,
    contract_end: date,
    peildatum: date,
    max_months_before_start: int = 12,
) -> Realisation:
    """The part of the registration's value on or before ``peildatum`` (rules §2, "Realised").

    Placements and the recurring 55+ bonus: the counted months up to and including ``peildatum``
    (same months rule, window and cap); one-off bonuses, costs, invoices and agreed values in full
    on ``startdatum``; an activity of ``dagen`` days evenly over its days up to ``peildatum``.
    Rounded once; per calendar year the parts add up to it (module docstring). The same input
    errors as :func:`value_registration`.
    """
    schedule = _schedule(bouwblok, registratie, contract_start, contract_end, max_months_before_start)
    if schedule.last is None or peildatum < schedule.first:
        return Realisation(peildatum=peildatum, waarde=round_money(0), per_jaar={})
    return Realisation(
        peildatum=peildatum,
        waarde=round_money(schedule.value_by(min(peildatum, schedule.last))),
        per_jaar=_split_years(schedule, peildatum),
    )


def _schedule(bouwblok, registratie, contract_start, contract_end, max_months_before_start) -> _Schedule:
    if contract_end < contract_start:
        raise ValueError("contract_end is before contract_start")
    if registratie.einddatum is not None and registratie.einddatum < registratie.startdatum:
        raise ValuationError("einddatum", "voor_startdatum")
    method = bouwblok.waarderingswijze
    if method == "per_jaar":
        return _placement_schedule(
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
    start = registratie.startdatum
    last = _activity_last_day(method, registratie.dagen, start, registratie.einddatum, contract_end)
    if last > start:
        span = (last - start).days + 1

        def value_by(x: date) -> Fraction:
            if x < start:
                return Fraction(0)
            return amount * Fraction(min((x - start).days + 1, span), span)
    else:

        def value_by(x: date) -> Fraction:
            return amount if x >= start else Fraction(0)

    return _Schedule(value_by=value_by, first=start, last=last, counted=Fraction(0), geteld_van=None,
                     geteld_tot=None)


def _activity_last_day(method: str, dagen, start: date, einddatum: date | None, contract_end: date) -> date:
    """The day from which a non-placement is realised in full: an activity counted in days runs to
    its end date (at most the contract's end); everything else counts in full on its start date."""
    if method == "per_dag" and dagen is not None and einddatum is not None:
        return max(start, min(einddatum, contract_end))
    return start


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


def _placement_schedule(
    bouwblok: BouwblokParams,
    registratie: RegistrationInput,
    contract_start: date,
    contract_end: date,
    max_months_before_start: int,
) -> _Schedule:
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
    The value realised by day x is rate × C(min(x, e)).
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
        x = min(x, e)
        in_window = months(ps, x) if cap is None else min(months(ps, x), cap)
        return max(Fraction(0), in_window - used_before_contract)

    counted = cumulative(e)
    rate = as_fraction(bouwblok.waarde) * hours_factor(hours, bouwblok.norm_uren) / 12
    if counted == 0:
        return _Schedule(value_by=lambda x: Fraction(0), first=None, last=None, counted=counted,
                         geteld_van=None, geteld_tot=None)
    last_counted_day = e if cap is None else min(e, first_date_reaching(ps, cap))
    return _Schedule(
        value_by=lambda x: rate * cumulative(x),
        first=s,
        last=last_counted_day,
        counted=counted,
        geteld_van=s,
        geteld_tot=last_counted_day,
    )


# --- realised at a date from the stored registration (whole cents) ------------------------------

@dataclass(frozen=True)
class StoredRegistration:
    """What the database holds of a valued registration: enough to cut its value at a date.

    ``per_jaar`` is the stored split (``RegistratieJaar``); ``bouwblok_waarde`` and ``norm_uren``
    the rate's inputs (the bouwblok's value, the catalogue's norm hours); ``uren_per_week`` of a
    55+ bonus are its placement's (copied at valuation)."""

    waarderingswijze: str
    waarde: Decimal
    per_jaar: Mapping[int, Decimal]
    startdatum: date
    einddatum: date | None
    geteld_van: date | None
    geteld_tot: date | None
    uren_per_week: Decimal | None
    dagen: Decimal | None
    bouwblok_waarde: Decimal | None
    norm_uren: Decimal
    contract_end: date

    def span(self) -> tuple[date, date] | None:
        """(first, last) day over which the value grows; all of it is realised from ``last`` on.
        None for a placement that counts nothing."""
        if self.waarderingswijze == "per_jaar":
            if self.geteld_van is None or self.geteld_tot is None:
                return None
            return self.geteld_van, self.geteld_tot
        return self.startdatum, _activity_last_day(
            self.waarderingswijze, self.dagen, self.startdatum, self.einddatum, self.contract_end)


def _tenths(value: Decimal) -> int:
    scaled = value.scaleb(1)
    if scaled != int(scaled):
        raise ValueError(f"more than one decimal: {value}")
    return int(scaled)


def _cents_of(value: Decimal) -> int:
    scaled = value.scaleb(2)
    if scaled != int(scaled):
        raise ValueError(f"not an amount in cents: {value}")
    return int(scaled)


def _round_div(numerator: int, denominator: int) -> int:
    """numerator / denominator (both >= 0, denominator > 0) rounded half up to a whole number."""
    whole, remainder = divmod(numerator, denominator)
    return whole + (1 if 2 * remainder >= denominator else 0)


def _months_ratio(start: date, end: date) -> tuple[int, int]:
    """``periods.months(start, end)`` (start <= end) as an integer numerator and denominator."""
    start_days = days_in_month(start.year, start.month)
    if (start.year, start.month) == (end.year, end.month):
        return end.day - start.day + 1, start_days
    end_days = days_in_month(end.year, end.month)
    full = (end.year * 12 + end.month) - (start.year * 12 + start.month) - 1
    return ((start_days - start.day + 1) * end_days + full * start_days * end_days + end.day * start_days,
            start_days * end_days)


def realised_cents_in_progress(reg: StoredRegistration, first: date, last: date, peildatum: date) -> int:
    """round(V(peildatum)) in cents for first <= peildatum < last (the value is still growing)."""
    if reg.waarderingswijze == "per_jaar":
        # rate × M(s, d), rate = waarde × min(uren / norm, 1) / 12; exact in integers, rounded once.
        # (For d before the last counted day the window's cap has not been reached: C(d) = M(s, d).)
        annual = _cents_of(reg.bouwblok_waarde)
        hours, norm = _tenths(reg.uren_per_week), _tenths(reg.norm_uren)
        numerator, denominator = _months_ratio(first, peildatum)
        return _round_div(annual * min(hours, norm) * numerator, norm * 12 * denominator)
    # An activity in days: dagen × value per day, evenly over its calendar days.
    per_day = _cents_of(reg.bouwblok_waarde)
    return _round_div(_tenths(reg.dagen) * per_day * ((peildatum - first).days + 1), 10 * ((last - first).days + 1))


def realised_from_stored(reg: StoredRegistration, peildatum: date) -> Realisation:
    """:func:`realised_at` of a stored registration, without valuing it again.

    Fully realised (``peildatum`` on or after its last day): its value and stored years. Not begun:
    nothing. In between: round(V(peildatum)) in whole cents; the stored years before
    ``peildatum``'s year are realised in full, that year holds the rest."""
    span = reg.span()
    if span is None or peildatum < span[0]:
        return Realisation(peildatum=peildatum, waarde=round_money(0), per_jaar={})
    first, last = span
    if peildatum >= last:
        return Realisation(peildatum=peildatum, waarde=reg.waarde, per_jaar=dict(reg.per_jaar))
    realised = realised_cents_in_progress(reg, first, last, peildatum)
    per_jaar = {jaar: waarde for jaar, waarde in reg.per_jaar.items() if jaar < peildatum.year}
    before = sum(_cents_of(waarde) for waarde in per_jaar.values())
    per_jaar[peildatum.year] = Decimal(realised - before).scaleb(-2)
    return Realisation(peildatum=peildatum, waarde=Decimal(realised).scaleb(-2), per_jaar=per_jaar)
