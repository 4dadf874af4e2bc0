"""Read-only pages for the council (raadsleden): a municipality's social-return figures, aggregated.

No contract, supplier or person is ever shown here: only counts and sums (rules §4 and §6). The
full dashboard and the PDF report live under /rapportage/ (reporting app).
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from contracts.models import STATUS_LABELS, Contract
from contracts.selectors import contract_list, fulfilment_of
from sroi_portal import access, access_pages
from sroi_portal.money import percentage

ZERO = Decimal("0.00")
STATUS_ORDER = ["voldaan", "op_schema", "achter", "voldaan_via_sebo", "vrijgesteld", "niet_van_toepassing"]


@dataclass
class CouncilFigures:
    gemeente: object
    contracten: int = 0
    met_verplichting: int = 0
    verplichting: Decimal = ZERO
    goedgekeurd: Decimal = ZERO
    in_behandeling: Decimal = ZERO
    per_status: Counter = field(default_factory=Counter)
    per_jaar: list = field(default_factory=list)

    @property
    def percentage(self):
        return percentage(self.goedgekeurd, self.verplichting)

    @property
    def statussen(self):
        return [(status, STATUS_LABELS[status], self.per_status.get(status, 0)) for status in STATUS_ORDER]


def council_figures(gemeenten, *, peildatum=None, with_years=False) -> list[CouncilFigures]:
    """Aggregates per municipality, in a fixed number of queries whatever the number of contracts."""
    from bouwblokken.models import RegistratieJaar

    peildatum = peildatum or timezone.localdate()
    gemeenten = list(gemeenten)
    figures = {g.pk: CouncilFigures(gemeente=g) for g in gemeenten}
    for contract in contract_list(Contract.objects.filter(gemeente_id__in=figures)).order_by():
        f = figures[contract.gemeente_id]
        fulfilment = fulfilment_of(contract, peildatum=peildatum)
        f.contracten += 1
        f.per_status[fulfilment.status] += 1
        if contract.verplichting_van_toepassing:
            f.met_verplichting += 1
            f.verplichting += fulfilment.verplichting
            f.goedgekeurd += fulfilment.goedgekeurd
            f.in_behandeling += fulfilment.in_behandeling
    if with_years:
        rows = (
            RegistratieJaar.objects.filter(
                registratie__contract__gemeente_id__in=figures, registratie__status="goedgekeurd"
            )
            .values("registratie__contract__gemeente_id", "jaar")
            .annotate(waarde=Sum("waarde"))
            .order_by("registratie__contract__gemeente_id", "jaar")
        )
        for row in rows:
            figures[row["registratie__contract__gemeente_id"]].per_jaar.append((row["jaar"], row["waarde"] or ZERO))
    return [figures[g.pk] for g in gemeenten]


def _council_gemeenten(user):
    if not access_pages.may_see_council_pages(user):
        raise PermissionDenied
    return access.gemeenten_for(user).order_by("naam")


@login_required
@require_GET
def index(request):
    gemeenten = _council_gemeenten(request.user)
    return render(request, "raad/index.html", {"figures": council_figures(gemeenten), "peildatum": timezone.localdate()})


@login_required
@require_GET
def gemeente(request, code):
    gemeente = get_object_or_404(_council_gemeenten(request.user), code=code)
    if not access.may_see_aggregates(request.user, gemeente):
        raise PermissionDenied
    figures = council_figures([gemeente], with_years=True)[0]
    return render(request, "raad/gemeente.html", {"f": figures, "gemeente": gemeente, "peildatum": timezone.localdate()})
