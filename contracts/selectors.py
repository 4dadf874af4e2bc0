"""Read queries for contracts with the figures the pages and the API need.

A list runs a fixed number of queries whatever its length: totals are annotated on the contract
queryset, the per-year figures of one page come from one grouped query.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from sroi_portal.money import percentage

from . import calculation
from .models import Contract

ZERO = Decimal("0.00")
_money = DecimalField(max_digits=14, decimal_places=2)


def with_realisation(qs: QuerySet) -> QuerySet:
    """Annotate ``goedgekeurd`` (approved) and ``in_behandeling`` (submitted) totals."""
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
    goedgekeurd: Decimal
    in_behandeling: Decimal


def realisation_per_year(*, contract_ids) -> dict[int, list[YearFigures]]:
    """Approved and submitted value per calendar year, for the given contracts, in one query."""
    from bouwblokken.models import RegistratieJaar

    rows = (
        RegistratieJaar.objects.filter(
            registratie__contract_id__in=list(contract_ids),
            registratie__status__in=["goedgekeurd", "ingediend"],
        )
        .values("registratie__contract_id", "jaar")
        .annotate(
            goedgekeurd=Sum("waarde", filter=Q(registratie__status="goedgekeurd")),
            in_behandeling=Sum("waarde", filter=Q(registratie__status="ingediend")),
        )
        .order_by("registratie__contract_id", "jaar")
    )
    result: dict[int, list[YearFigures]] = defaultdict(list)
    for row in rows:
        result[row["registratie__contract_id"]].append(
            YearFigures(jaar=row["jaar"], goedgekeurd=row["goedgekeurd"] or ZERO, in_behandeling=row["in_behandeling"] or ZERO)
        )
    return dict(result)


@dataclass(frozen=True)
class Fulfilment:
    """How far a contract is: obligation, approved and pending value, expected value and status."""

    verplichting: Decimal
    goedgekeurd: Decimal
    in_behandeling: Decimal
    percentage: Decimal | None
    verwacht: Decimal
    status: str
    peildatum: date


def fulfilment(contract: Contract, *, goedgekeurd: Decimal, in_behandeling: Decimal, peildatum: date | None = None) -> Fulfilment:
    peildatum = peildatum or timezone.localdate()
    obligation = contract.obligation
    expected = calculation.expected_by(
        obligation_amount=obligation.bedrag,
        contract_start=contract.startdatum,
        contract_end=contract.actuele_einddatum,
        peildatum=peildatum,
    )
    return Fulfilment(
        verplichting=obligation.bedrag,
        goedgekeurd=goedgekeurd,
        in_behandeling=in_behandeling,
        percentage=percentage(goedgekeurd, obligation.bedrag),
        verwacht=expected,
        status=calculation.fulfilment_status(obligation=obligation, realised=goedgekeurd, expected=expected),
        peildatum=peildatum,
    )


def fulfilment_of(contract: Contract, peildatum: date | None = None) -> Fulfilment:
    """Fulfilment of a contract annotated by :func:`with_realisation` (or queried when it is not)."""
    if hasattr(contract, "goedgekeurd"):
        approved, pending = contract.goedgekeurd, contract.in_behandeling
    else:
        totals = realisation_totals(contract_ids=[contract.pk]).get(contract.pk, {})
        approved, pending = totals.get("goedgekeurd", ZERO), totals.get("in_behandeling", ZERO)
    return fulfilment(contract, goedgekeurd=approved, in_behandeling=pending, peildatum=peildatum)
