"""The floors: bare Django views that return the same rows as the portal's pages, without the
portal's logic (no access helpers, forms, templates, fulfilment arithmetic): one query each, the
rows joined into plain text. A page's time next to its floor shows what the portal itself adds."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q, Sum
from django.http import HttpResponse, JsonResponse

from bouwblokken.models import Registratie, RegistratieJaar
from contracts.models import Contract


def _sums(prefix="registraties__"):
    return {
        "goedgekeurd": Sum(f"{prefix}waarde", filter=Q(**{f"{prefix}status": "goedgekeurd"})),
        "in_behandeling": Sum(f"{prefix}waarde", filter=Q(**{f"{prefix}status": "ingediend"})),
    }


def _text(rows):
    return HttpResponse("\n".join("\t".join(str(v) for v in row) for row in rows), content_type="text/plain")


@login_required
def supplier_overview(request):
    rows = (Contract.objects.filter(leverancier_id=request.user.leverancier_id)
            .values_list("pk", "kenmerk", "omschrijving", "gemeente__naam", "verplichting_bedrag")
            .annotate(**_sums()).order_by("-gunningsdatum", "kenmerk"))
    return _text(rows)


@login_required
def verification_queue(request):
    gemeenten = request.user.gemeenten.values("pk")
    rows = (Registratie.objects.filter(status="ingediend", contract__gemeente__in=gemeenten)
            .values_list("pk", "contract__kenmerk", "contract__leverancier__naam", "bouwblok__naam",
                         "kandidaat__referentie", "startdatum", "waarde", "ingediend_op")
            .order_by("ingediend_op", "pk")[:50])
    return _text(rows)


@login_required
def contract_page(request, pk):
    contract = (Contract.objects.filter(pk=pk).values_list("kenmerk", "omschrijving", "verplichting_bedrag")
                .annotate(**_sums()))
    rows = (Registratie.objects.filter(contract_id=pk)
            .values_list("pk", "bouwblok__naam", "kandidaat__referentie", "startdatum", "einddatum", "status", "waarde")
            .order_by("startdatum", "pk"))
    return _text(list(contract) + list(rows))


@login_required
def council_dashboard(request, gemeente, jaar):
    rows = (RegistratieJaar.objects.filter(jaar=jaar, registratie__status="goedgekeurd",
                                           registratie__contract__gemeente_id=gemeente)
            .values_list("registratie__bouwblok__soort").annotate(waarde=Sum("waarde")).order_by())
    contracts = (Contract.objects.filter(gemeente_id=gemeente, gunningsdatum__year__lte=jaar,
                                         actuele_einddatum__year__gte=jaar)
                 .values_list("verplichting_status").annotate(verplichting=Sum("verplichting_bedrag")).order_by())
    return _text(list(rows) + list(contracts))


@login_required
def api_contracten(request):
    gemeenten = request.user.gemeenten.values("pk")
    rows = (Contract.objects.filter(gemeente__in=gemeenten)
            .values("pk", "kenmerk", "omschrijving", "categorie", "procedure", "gunningsdatum", "startdatum",
                    "actuele_einddatum", "actuele_aanneemsom", "verplichting_bedrag", "gemeente__code",
                    "leverancier__kvk_nummer")
            .annotate(**_sums()).order_by("-gunningsdatum", "pk")[:100])
    return JsonResponse({"results": list(rows)}, json_dumps_params={"default": str})
