"""Read queries for contracts with the figures the pages and the API need.

A list runs a fixed number of queries whatever its length: committed and pending totals are
annotated on the contract queryset; realised at the reference date (rules §2) and the per-year
figures of one page come from one query over the stored values per registration and year
(:func:`realisation` / :func:`attach_realisation`).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from sroi_portal import clock
from sroi_portal.money import percentage

from . import calculation
from .models import Contract

ZERO = Decimal("0.00")
_money = DecimalField(max_digits=14, decimal_places=2)


def with_realisation(qs: QuerySet) -> QuerySet:
    """Annotate ``goedgekeurd`` (approved: committed) and ``in_behandeling`` (submitted) totals. The
    realised value depends on the date and is not an annotation: :func:`attach_realisation`."""
    return qs.annotate(
        goedgekeurd=Coalesce(
            Sum("registraties__waarde", filter=Q(registraties__status="goedgekeurd")), Value(ZERO), output_field=_money
        ),
        in_behandeling=Coalesce(
            Sum("registraties__waarde", filter=Q(registraties__status="ingediend")), Value(ZERO), output_field=_money
        ),
    )


def contract_list(qs: QuerySet) -> QuerySet:
    return with_realisation(qs.select_related("gemeente", "leverancier", "catalogus", "beleid"))


def realisation_totals(*, contract_ids) -> dict[int, dict[str, Decimal]]:
    from bouwblokken.models import Registratie

    rows = (
        Registratie.objects.filter(contract_id__in=list(contract_ids), status__in=["goedgekeurd", "ingediend"])
        .values("contract_id", "status")
        .annotate(total=Sum("waarde"))
    )
    result = defaultdict(lambda: {"goedgekeurd": ZERO, "in_behandeling": ZERO})
    for row in rows:
        key = "goedgekeurd" if row["status"] == "goedgekeurd" else "in_behandeling"
        result[row["contract_id"]][key] = row["total"]
    return dict(result)


@dataclass(frozen=True)
class YearFigures:
    jaar: int
    goedgekeurd: Decimal  # committed: the approved value of the year, future months included
    in_behandeling: Decimal
    gerealiseerd: Decimal = ZERO  # the approved value of the year realised by the reference date


@dataclass(frozen=True)
class Realisatie:
    """Committed (``goedgekeurd``), pending and realised value of one contract, in total and per year.

    ``peildatum`` is the reference date the realised value is measured at
    (``calculation.reference_date``); ``afgerekend`` whether the contract is settled."""

    goedgekeurd: Decimal = ZERO
    in_behandeling: Decimal = ZERO
    gerealiseerd: Decimal = ZERO
    per_jaar: tuple[YearFigures, ...] = ()
    peildatum: date | None = None
    afgerekend: bool = False


# The columns of one stored value per registration and year that realised-at-a-date needs.
_YEAR_ROW_COLUMNS = (
    "registratie__contract_id", "registratie_id", "registratie__status", "jaar", "waarde", "registratie__waarde",
    "registratie__bouwblok__waarderingswijze", "registratie__startdatum", "registratie__einddatum",
    "registratie__geteld_van", "registratie__geteld_tot", "registratie__uren_per_week", "registratie__dagen",
    "registratie__bouwblok__waarde", "registratie__bouwblok__catalogus__norm_uren_per_week",
    "registratie__contract__actuele_einddatum", "registratie__contract__afrekening__id",
)


def registration_year_rows(*, contract_ids, statuses=("goedgekeurd", "ingediend")) -> list[tuple]:
    """The stored value per registration and year of the given contracts (one query), with what
    :func:`summarise_realisation` needs to cut approved registrations at a date."""
    from bouwblokken.models import RegistratieJaar

    return list(
        RegistratieJaar.objects.filter(registratie__contract_id__in=list(contract_ids), registratie__status__in=statuses)
        .order_by("registratie__contract_id", "registratie_id", "jaar")
        .values_list(*_YEAR_ROW_COLUMNS)
    )


def summarise_realisation(rows, *, today: date) -> dict[int, Realisatie]:
    """Committed, pending and realised value per contract (and year) from :func:`registration_year_rows`.

    Realised at the contract's reference date (today while it runs, its end date once ended or
    settled): ``bouwblokken.calculation.realised_from_stored`` per approved registration, which is
    ``realised_at`` on the stored values (rules §2)."""
    from bouwblokken.calculation import StoredRegistration, realised_from_stored

    per_contract: dict[int, dict] = {}
    registrations: dict[int, list] = defaultdict(list)
    for row in rows:
        registrations[row[1]].append(row)
    for reg_rows in registrations.values():
        first = reg_rows[0]
        contract_id, status = first[0], first[2]
        end, settled = first[15], first[16] is not None
        data = per_contract.setdefault(contract_id, {
            "years": defaultdict(lambda: [ZERO, ZERO, ZERO]),
            "peildatum": calculation.reference_date(contract_end=end, today=today, settled=settled),
            "afgerekend": settled,
        })
        years = data["years"]
        if status != "goedgekeurd":
            for row in reg_rows:
                years[row[3]][1] += row[4]
            continue
        for row in reg_rows:
            years[row[3]][0] += row[4]
        stored = StoredRegistration(
            waarderingswijze=first[6], waarde=first[5], per_jaar={row[3]: row[4] for row in reg_rows},
            startdatum=first[7], einddatum=first[8], geteld_van=first[9], geteld_tot=first[10],
            uren_per_week=first[11], dagen=first[12], bouwblok_waarde=first[13], norm_uren=first[14],
            contract_end=end,
        )
        for jaar, waarde in realised_from_stored(stored, data["peildatum"]).per_jaar.items():
            years[jaar][2] += waarde
    result = {}
    for contract_id, data in per_contract.items():
        per_jaar = tuple(
            YearFigures(jaar=jaar, goedgekeurd=approved, in_behandeling=pending, gerealiseerd=realised)
            for jaar, (approved, pending, realised) in sorted(data["years"].items())
        )
        result[contract_id] = Realisatie(
            goedgekeurd=sum((y.goedgekeurd for y in per_jaar), ZERO),
            in_behandeling=sum((y.in_behandeling for y in per_jaar), ZERO),
            gerealiseerd=sum((y.gerealiseerd for y in per_jaar), ZERO),
            per_jaar=per_jaar, peildatum=data["peildatum"], afgerekend=data["afgerekend"],
        )
    return result


def realisation(*, contract_ids, today: date | None = None) -> dict[int, Realisatie]:
    """:class:`Realisatie` of the given contracts (one query); a contract without approved or
    submitted value is absent (use ``.get(pk, Realisatie())``)."""
    today = today or clock.today()
    return summarise_realisation(registration_year_rows(contract_ids=contract_ids), today=today)


def realisation_per_year(*, contract_ids, today: date | None = None) -> dict[int, list[YearFigures]]:
    """Committed, pending and realised value per calendar year, for the given contracts, in one query."""
    return {pk: list(r.per_jaar) for pk, r in realisation(contract_ids=contract_ids, today=today).items()}


def attach_realisation(contracts, *, today: date | None = None):
    """Set ``contract.realisatie`` on each of ``contracts`` (one query for all); returns them."""
    contracts = list(contracts)
    found = realisation(contract_ids=[c.pk for c in contracts], today=today)
    for contract in contracts:
        contract.realisatie = found.get(contract.pk, Realisatie())
    return contracts


@dataclass(frozen=True)
class Fulfilment:
    """How far a contract is: obligation, committed, pending and realised value, expected value,
    status and forecast. ``percentage`` and ``status`` follow the realised value (rules §2)."""

    verplichting: Decimal
    goedgekeurd: Decimal  # committed (toegezegd): the full value of the approved registrations
    in_behandeling: Decimal
    percentage: Decimal | None
    verwacht: Decimal
    status: str
    peildatum: date  # the reference date: realised, expected and status are measured on it
    gerealiseerd: Decimal = ZERO
    prognose: calculation.Forecast | None = None

    @property
    def toegezegd(self) -> Decimal:
        return self.goedgekeurd


def fulfilment(contract: Contract, *, goedgekeurd: Decimal, in_behandeling: Decimal, gerealiseerd: Decimal,
               peildatum: date | None = None, afgerekend: bool = False) -> Fulfilment:
    """The fulfilment of ``contract`` with these amounts; ``peildatum`` is today (default: today),
    from which the reference date follows (``calculation.reference_date``)."""
    today = peildatum or clock.today()
    reference = calculation.reference_date(contract_end=contract.actuele_einddatum, today=today, settled=afgerekend)
    obligation = contract.obligation
    expected = calculation.expected_by(
        obligation_amount=obligation.bedrag,
        contract_start=contract.startdatum,
        contract_end=contract.actuele_einddatum,
        peildatum=reference,
    )
    return Fulfilment(
        verplichting=obligation.bedrag,
        goedgekeurd=goedgekeurd,
        in_behandeling=in_behandeling,
        gerealiseerd=gerealiseerd,
        percentage=percentage(gerealiseerd, obligation.bedrag),
        verwacht=expected,
        status=calculation.fulfilment_status(obligation=obligation, realised=gerealiseerd, expected=expected),
        peildatum=reference,
        prognose=calculation.forecast(obligation_amount=obligation.bedrag, realised=gerealiseerd,
                                      committed=goedgekeurd, pending=in_behandeling),
    )


def fulfilment_of(contract: Contract, peildatum: date | None = None) -> Fulfilment:
    """Fulfilment of a contract; its amounts from ``contract.realisatie`` (:func:`attach_realisation`)
    or else queried (one query)."""
    found = getattr(contract, "realisatie", None)
    if found is None:
        found = realisation(contract_ids=[contract.pk], today=peildatum).get(contract.pk, Realisatie())
    return fulfilment(contract, goedgekeurd=found.goedgekeurd, in_behandeling=found.in_behandeling,
                      gerealiseerd=found.gerealiseerd, peildatum=peildatum, afgerekend=found.afgerekend)
