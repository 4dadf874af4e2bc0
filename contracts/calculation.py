"""The social-return obligation of a contract, its expected progress and its settlement.

Pure domain arithmetic (SROI-RULES.md §1 and §2 "Progress, status and settlement"): plain values
in, Decimal out, no Django. Every amount is computed exactly (Fraction) and rounded half-up to
cents once, at the end (:func:`sroi_portal.money.round_money`).

The municipality's policy choices are data (:class:`PolicyParams`, one versioned policy); nothing
here hard-codes a percentage or a threshold except as the Zoetermeer default of that data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from sroi_portal.money import as_fraction, round_money
from sroi_portal.periods import months

__all__ = [
    "CATEGORIES",
    "PROCEDURES",
    "STATUSES",
    "GRONDSLAGEN",
    "EXEMPTION_KINDS",
    "CalculationError",
    "PolicyParams",
    "Exemption",
    "Obligation",
    "Settlement",
    "compute_obligation",
    "expected_by",
    "fulfilment_status",
    "reference_date",
    "Forecast",
    "forecast",
    "shortfall_share",
    "settle",
]

CATEGORIES = ("werken", "diensten", "leveringen")
PROCEDURES = ("enkelvoudig_onderhands", "meervoudig_onderhands", "nationaal", "europees")
STATUSES = (
    "vrijgesteld",
    "voldaan_via_sebo",
    "voldaan",
    "op_schema",
    "achter",
    "niet_van_toepassing",
)
GRONDSLAGEN = ("aanneemsom", "loonsom")
EXEMPTION_KINDS = ("volledig", "gedeeltelijk")

ZERO = Decimal("0.00")


class CalculationError(ValueError):
    """Invalid input for a calculation, tied to the API field that caused it.

    ``field`` is the camelCase API name (e.g. ``"loonsom"``, ``"extraPercentage"``); ``code`` is a
    stable machine-readable reason (e.g. ``"negatief"``) that the API and UI translate.
    """

    def __init__(self, field: str, code: str, message: str | None = None):
        self.field = field
        self.code = code
        super().__init__(message or f"{field}: {code}")


@dataclass(frozen=True)
class PolicyParams:
    """One version of a municipality's SROI policy (rules §1, parameter table).

    Defaults are Zoetermeer's policy. Percentages are in percent (5 means 5%).
    """

    hoog_percentage: Decimal = Decimal("5")
    laag_percentage: Decimal = Decimal("2")
    loonsom_drempel: Decimal = Decimal("30")  # percent; loonsom < 30% of aanneemsom -> laag
    categorieen: frozenset[str] = frozenset({"werken", "diensten"})
    procedures: frozenset[str] = frozenset({"meervoudig_onderhands", "nationaal", "europees"})
    minimum_waarde: Decimal | None = None  # below this aanneemsom: no obligation
    grondslag: str = "aanneemsom"  # "aanneemsom" | "loonsom": the base the % is applied to
    maximum_bedrag: Decimal | None = None  # cap per contract
    sebo_procedures: frozenset[str] = frozenset({"meervoudig_onderhands"})  # SEBO counts here
    sanctie_factor: Decimal = Decimal("1")

    def __post_init__(self):
        if self.grondslag not in GRONDSLAGEN:
            raise ValueError(f"unknown grondslag {self.grondslag!r}")
        unknown = (self.categorieen - set(CATEGORIES)) | (
            (self.procedures | self.sebo_procedures) - set(PROCEDURES)
        )
        if unknown:
            raise ValueError(f"unknown categories or procedures in policy: {sorted(unknown)}")


@dataclass(frozen=True)
class Exemption:
    """An ontheffing granted by the gemeentesecretaris."""

    soort: str  # "volledig" | "gedeeltelijk"
    bedrag: Decimal | None  # the lowered obligation amount for "gedeeltelijk"


@dataclass(frozen=True)
class Obligation:
    """The outcome of :func:`compute_obligation`."""

    van_toepassing: bool
    percentage: Decimal  # base % + extra %, 2 decimals (0 when not applicable)
    bedrag: Decimal  # 2 decimals; 0 when not applicable / fully exempt
    reden: str  # a code, see compute_obligation
    status: str | None  # "niet_van_toepassing", "vrijgesteld", "voldaan_via_sebo" or None
    grondslag_bedrag: Decimal  # the base amount (aanneemsom or loonsom, per the policy)
    berekend_bedrag: Decimal  # amount before any exemption


def _check_amount(value: Decimal, field_name: str) -> Fraction:
    exact = as_fraction(value)
    if exact < 0:
        raise CalculationError(field_name, "negatief")
    return exact


def compute_obligation(
    *,
    policy: PolicyParams,
    categorie: str,
    procedure: str,
    aanneemsom: Decimal,
    loonsom: Decimal,
    extra_percentage: Decimal = Decimal(0),
    sebo_keurmerk: bool = False,
    exemption: Exemption | None = None,
) -> Obligation:
    """Compute the SROI obligation of one contract.

    Steps, in this order (the first decisive step gives ``reden``):

    1. Validation (:class:`CalculationError`): unknown ``categorie``/``procedure``
       (``"onbekend"``); negative amounts or extra % (``"negatief"``); extra % above 100
       (``"te_hoog"``); ``loonsom`` above ``aanneemsom`` (``"hoger_dan_aanneemsom"``).
    2. Scope: a category or procedure outside the policy, or an aanneemsom below the policy's
       minimum value, means no obligation: ``van_toepassing=False``, ``bedrag=0``, status
       ``"niet_van_toepassing"``, reden ``"categorie_buiten_beleid"`` /
       ``"procedure_buiten_beleid"`` / ``"onder_minimumwaarde"``. An exemption is then irrelevant
       and ignored.
    3. Percentage: the wage share ``loonsom / aanneemsom × 100`` is compared *exactly* (not
       rounded) with the threshold: below it the low %, at or above it the high % (exactly 30%
       gives 5%). With an aanneemsom of 0 the share is undefined; the high % is used (the amount
       is 0 anyway). The offered extra % comes on top.
    4. Amount: base × (pct + extra) / 100, with the base the aanneemsom or the loonsom per the
       policy; capped at the policy's maximum (reden ``"maximum_bedrag"`` when the cap bites);
       rounded once. This is ``berekend_bedrag``.
    5. Exemption: ``volledig`` -> bedrag 0, status ``"vrijgesteld"``, reden
       ``"ontheffing_volledig"``; ``gedeeltelijk`` -> bedrag = the exemption's amount (must be
       between 0 and the computed amount), reden ``"ontheffing_gedeeltelijk"``, status None.
    6. SEBO-keurmerk, for a procedure where the policy counts it: status ``"voldaan_via_sebo"``,
       reden ``"sebo_keurmerk"``, the amount stays as computed (still shown). A full exemption
       takes precedence (status stays ``"vrijgesteld"``).

    Otherwise reden is ``"hoog_percentage"`` or ``"laag_percentage"``.
    """
    if categorie not in CATEGORIES:
        raise CalculationError("categorie", "onbekend")
    if procedure not in PROCEDURES:
        raise CalculationError("procedure", "onbekend")
    exact_aanneemsom = _check_amount(aanneemsom, "aanneemsom")
    exact_loonsom = _check_amount(loonsom, "loonsom")
    if exact_loonsom > exact_aanneemsom:
        raise CalculationError("loonsom", "hoger_dan_aanneemsom")
    extra = _check_amount(extra_percentage, "extraPercentage")
    if extra > 100:
        raise CalculationError("extraPercentage", "te_hoog")

    base = exact_aanneemsom if policy.grondslag == "aanneemsom" else exact_loonsom
    grondslag_bedrag = round_money(base)

    def not_applicable(reden: str) -> Obligation:
        return Obligation(
            van_toepassing=False,
            percentage=ZERO,
            bedrag=ZERO,
            reden=reden,
            status="niet_van_toepassing",
            grondslag_bedrag=grondslag_bedrag,
            berekend_bedrag=ZERO,
        )

    if categorie not in policy.categorieen:
        return not_applicable("categorie_buiten_beleid")
    if procedure not in policy.procedures:
        return not_applicable("procedure_buiten_beleid")
    if policy.minimum_waarde is not None and exact_aanneemsom < as_fraction(policy.minimum_waarde):
        return not_applicable("onder_minimumwaarde")

    if exact_aanneemsom == 0:
        low_wage_share = False  # undefined share: keep the high percentage; the amount is 0
    else:
        wage_share = exact_loonsom / exact_aanneemsom * 100
        low_wage_share = wage_share < as_fraction(policy.loonsom_drempel)
    if low_wage_share:
        base_percentage, reden = as_fraction(policy.laag_percentage), "laag_percentage"
    else:
        base_percentage, reden = as_fraction(policy.hoog_percentage), "hoog_percentage"
    total_percentage = base_percentage + extra

    amount = base * total_percentage / 100
    if policy.maximum_bedrag is not None and amount > as_fraction(policy.maximum_bedrag):
        amount = as_fraction(policy.maximum_bedrag)
        reden = "maximum_bedrag"
    berekend_bedrag = round_money(amount)

    bedrag = berekend_bedrag
    status = None
    if exemption is not None:
        if exemption.soort == "volledig":
            bedrag, status, reden = ZERO, "vrijgesteld", "ontheffing_volledig"
        elif exemption.soort == "gedeeltelijk":
            if exemption.bedrag is None:
                raise CalculationError("ontheffing", "bedrag_verplicht")
            lowered = as_fraction(exemption.bedrag)
            if lowered < 0:
                raise CalculationError("ontheffing", "bedrag_negatief")
            if lowered > as_fraction(berekend_bedrag):
                raise CalculationError("ontheffing", "bedrag_hoger_dan_verplichting")
            bedrag, reden = round_money(lowered), "ontheffing_gedeeltelijk"
        else:
            raise CalculationError("ontheffing", "soort_onbekend")

    if sebo_keurmerk and procedure in policy.sebo_procedures and status != "vrijgesteld":
        status, reden = "voldaan_via_sebo", "sebo_keurmerk"

    return Obligation(
        van_toepassing=True,
        percentage=round_money(total_percentage),
        bedrag=bedrag,
        reden=reden,
        status=status,
        grondslag_bedrag=grondslag_bedrag,
        berekend_bedrag=berekend_bedrag,
    )


def expected_by(
    *, obligation_amount: Decimal, contract_start: date, contract_end: date, peildatum: date
) -> Decimal:
    """The part of the obligation expected to be realised by ``peildatum`` (inclusive).

    obligation × months(start, peildatum) / months(start, end), using the one month-counting
    rule; 0 before the contract starts, the full obligation from the last contract day on.
    """
    if contract_end < contract_start:
        raise ValueError("contract_end is before contract_start")
    obligation = as_fraction(obligation_amount)
    if peildatum < contract_start:
        return round_money(0)
    if peildatum >= contract_end:
        return round_money(obligation)
    elapsed = months(contract_start, peildatum) / months(contract_start, contract_end)
    return round_money(obligation * elapsed)


def fulfilment_status(*, obligation: Obligation, realised: Decimal, expected: Decimal) -> str:
    """The status of a contract (one of :data:`STATUSES`).

    A status fixed by the obligation itself (niet_van_toepassing, vrijgesteld, voldaan_via_sebo)
    wins. A partial exemption down to 0 is ``"vrijgesteld"``. Otherwise ``"voldaan"`` when
    realised >= obligation (an obligation of 0 without exemption, e.g. an aanneemsom of 0, is
    therefore ``"voldaan"``), ``"op_schema"`` when realised >= expected, else ``"achter"``.
    """
    if obligation.status is not None:
        return obligation.status
    owed = as_fraction(obligation.bedrag)
    done = as_fraction(realised)
    if owed == 0 and obligation.reden == "ontheffing_gedeeltelijk":
        return "vrijgesteld"
    if done >= owed:
        return "voldaan"
    if done >= as_fraction(expected):
        return "op_schema"
    return "achter"


def reference_date(*, contract_end: date, today: date, settled: bool = False) -> date:
    """The date a contract's realised value is measured at (rules §2, "Realised, committed and
    pending"): today while it runs, its end date once it has ended, and its end date once it is
    settled (the settlement counts everything realised by the end date)."""
    if settled:
        return contract_end
    return min(today, contract_end)


@dataclass(frozen=True)
class Forecast:
    """What the contract will reach on what is agreed today (``prognose``)."""

    verwacht_eindbedrag: Decimal  # realised + committed future months + pending
    haalbaar: bool  # verwacht_eindbedrag >= obligation


def forecast(*, obligation_amount: Decimal, realised: Decimal, committed: Decimal, pending: Decimal) -> Forecast:
    """Realised + the committed months still to come (committed − realised) + pending, against the
    obligation. The committed value includes what is realised already, so it is committed + pending."""
    future = max(as_fraction(committed) - as_fraction(realised), Fraction(0))
    total = round_money(as_fraction(realised) + future + as_fraction(pending))
    return Forecast(verwacht_eindbedrag=total, haalbaar=total >= round_money(as_fraction(obligation_amount)))


def shortfall_share(*, realised: Decimal, expected: Decimal) -> Fraction:
    """How far realised falls behind expected, as a share of expected (0.25 = 25% behind); 0 when
    it is not behind or nothing is expected yet. Exact (no rounding): compared with thresholds."""
    owed = as_fraction(expected)
    if owed <= 0:
        return Fraction(0)
    return max(Fraction(0), (owed - as_fraction(realised)) / owed)


@dataclass(frozen=True)
class Settlement:
    """The end-of-contract settlement (eindafrekening) by the SR-team."""

    verplichting: Decimal
    gerealiseerd: Decimal
    tekort: Decimal  # max(verplichting − gerealiseerd, 0)
    sanctie_factor: Decimal
    sanctie: Decimal  # sanctie_factor × tekort, rounded once


def settle(*, obligation_amount: Decimal, realised: Decimal, sanctie_factor: Decimal) -> Settlement:
    """Settle a contract: shortfall = max(obligation − realised, 0); sanction = factor × it.

    Negative inputs raise ValueError. Amounts are returned with 2 decimals.
    """
    obligation = as_fraction(obligation_amount)
    done = as_fraction(realised)
    factor = as_fraction(sanctie_factor)
    if obligation < 0 or done < 0 or factor < 0:
        raise ValueError("obligation, realised and sanctie_factor must not be negative")
    shortfall = max(obligation - done, Fraction(0))
    return Settlement(
        verplichting=round_money(obligation),
        gerealiseerd=round_money(done),
        tekort=round_money(shortfall),
        sanctie_factor=sanctie_factor,
        sanctie=round_money(factor * shortfall),
    )
