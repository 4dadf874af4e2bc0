"""The supplier's pages: overview of its contracts, registering bouwblokken with a value preview,
evidence upload and download, submitting (per registration or per year) and correcting.

Every view takes its objects from ``sroi_portal.access`` (outside the user's scope → 404) and asks
``sroi_portal.access_pages`` whether the page is meant for the user's role (otherwise 403).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from contracts.models import Contract
from contracts.selectors import (
    attach_realisation, contract_list, fulfilment_of, registration_year_rows, summarise_realisation, Realisatie,
)
from sroi_portal import access, access_pages, clock, processing_log
from sroi_portal.errors import StateConflict
from sroi_portal.templatetags.sroi import STATUS_LABELS, euro, procent

from . import services
from .forms import BewijsForm, RegistratieForm, add_service_errors
from .models import Beoordeling, Bewijsstuk, Bouwblok, Registratie, RegistratieJaar, Soort, Status
from .selectors import evidence_kinds_for, missing_evidence, missing_evidence_by_registration

ZERO = Decimal("0.00")


def _require_supplier_pages(user):
    if not access_pages.may_use_supplier_pages(user):
        raise PermissionDenied


def _contract_for(user, pk) -> Contract:
    return get_object_or_404(
        contract_list(access.contracts_for(user)).select_related("afrekening"), pk=pk
    )


def _registratie_for(user, pk, *, write=False) -> Registratie:
    qs = access.registraties_for(user, write=write).select_related(
        "contract__gemeente", "contract__leverancier", "contract__catalogus", "bouwblok__catalogus", "kandidaat",
        "hoofdregistratie__bouwblok", "hoofdregistratie__kandidaat",
    )
    registratie = get_object_or_404(qs, pk=pk)
    if access_pages.is_special_category(registratie) and not access_pages.may_see_special_category(user, registratie):
        # The registration is in scope, but its health-related content is not this user's to see.
        raise PermissionDenied
    return registratie


def _log_shown(request, registratie, *, names_placement=False):
    """Log that this user is shown ``registratie`` (only when it is special-category): the supplier
    manages it, anyone else (the SR-team of the contract) checks it. ``names_placement``: the page
    also names a bonus's placement (the detail page)."""
    activity = "registratie-inzien" if access_pages.is_supplier_user(request.user) else "registratie-controleren"
    processing_log.log_views(request, activity, [registratie], names_placement=names_placement)


def _meter(fulfilment) -> dict:
    """Widths (0-100) for the progress bar: realised (dark), committed + pending (light), and the
    expected mark; with the widths and the text already formatted (a list of 50 contracts renders it
    50 times)."""
    owed = fulfilment.verplichting
    if not owed:
        return {"approved": 0, "pending": 0, "expected": 0, "show": False}

    def pct(amount):
        return float(min(Decimal(100), amount / owed * 100))

    meter = {
        "approved": pct(fulfilment.gerealiseerd),
        "pending": pct(fulfilment.goedgekeurd + fulfilment.in_behandeling),
        "expected": pct(fulfilment.verwacht),
        "expected_x": min(pct(fulfilment.verwacht), 99.5),
        "expected_pct": fulfilment.verwacht / owed * 100,
        "show": True,
    }
    for key in ("approved", "pending", "expected_x"):
        meter[f"{key}_width"] = f"{meter[key]:.1f}"
    meter["text"] = _("%(pct)s gerealiseerd, %(verwacht)s verwacht") % {
        "pct": procent(fulfilment.percentage), "verwacht": procent(meter["expected_pct"]),
    }
    return meter


# --- Overview ---------------------------------------------------------------------------------------

@dataclass
class Task:
    kind: str  # "indienen", "afgekeurd", "registreren"
    contract: Contract
    text: str
    url: str
    action: str
    detail: str = ""
    registratie: object = None  # a rejected registration the task names (for the processing log)


@dataclass
class ContractRow:
    contract: Contract
    fulfilment: object
    meter: dict
    tasks: list = field(default_factory=list)
    cells: dict = field(default_factory=dict)  # amounts and status label, formatted once in the view


def _cells(fulfilment) -> dict:
    return {
        "verplichting": _euro(fulfilment.verplichting),
        "gerealiseerd": _euro(fulfilment.gerealiseerd),
        "goedgekeurd": _euro(fulfilment.goedgekeurd),
        "in_behandeling": _euro(fulfilment.in_behandeling),
        "status_label": _(STATUS_LABELS.get(fulfilment.status, fulfilment.status)),
    }


def supplier_overview(user, *, today: date | None = None) -> dict:
    """Contracts of the user's organisation with their figures and open tasks, in a fixed number of queries.

    Tasks: concept registrations of a year not yet submitted; rejected registrations to correct;
    a past calendar year of a running contract with an obligation in which nothing was registered.
    """
    today = today or clock.today()
    contracts = list(
        contract_list(access.contracts_for(user)).select_related("afrekening").order_by("-startdatum", "kenmerk")
    )
    ids = [c.pk for c in contracts]
    # One query for the values per registration and year: the tasks per year and the figures (realised
    # at the reference date, committed, pending) are both made from it.
    year_rows = registration_year_rows(contract_ids=ids, statuses=list(Status.values))
    by_year = defaultdict(dict)  # contract_id -> {jaar: {status: (count, waarde)}}
    for contract_id, _registratie_id, status, jaar, waarde, *_rest in year_rows:
        count, total = by_year[contract_id].setdefault(jaar, {}).get(status, (0, ZERO))
        by_year[contract_id][jaar][status] = (count + 1, total + waarde)
    realised = summarise_realisation(
        [row for row in year_rows if row[2] in (Status.GOEDGEKEURD, Status.INGEDIEND)], today=today)
    for contract in contracts:
        contract.realisatie = realised.get(contract.pk, Realisatie())
    rejected = defaultdict(list)
    for registratie in (
        Registratie.objects.filter(contract_id__in=ids, status=Status.AFGEKEURD)
        .select_related("bouwblok", "kandidaat", "hoofdregistratie__bouwblok")  # the processing log's check
        .order_by("beoordeeld_op", "pk")
    ):
        rejected[registratie.contract_id].append(registratie)

    # Per-row work done once: the texts, the access check, the URL patterns (reverse() per task was a
    # tenth of the page's time for a supplier with 50 contracts and ~200 tasks).
    is_supplier = access_pages.is_supplier_user(user)
    text = {
        "samen": _("Samen %(waarde)s."), "jaar_indienen": _("Jaar %(jaar)s indienen"),
        "afgekeurd": _("Afgekeurd: %(bouwblok)s"), "reden": _("Reden: %(reden)s"), "corrigeren": _("Corrigeren"),
        "afgeschermd": _("Plaatsing (afgeschermd persoonsgegeven)"),
    }
    indienen_url = _url_pattern("bouwblokken:jaar_indienen", "pk", "jaar")
    wijzigen_url = _url_pattern("bouwblokken:wijzigen", "pk")
    rows, tasks = [], []
    for contract in contracts:
        settled = hasattr(contract, "afrekening")
        sees_sensitive = is_supplier and contract.leverancier_id == user.leverancier_id
        fulfilment = fulfilment_of(contract, peildatum=today)
        row = ContractRow(contract=contract, fulfilment=fulfilment, meter=_meter(fulfilment), cells=_cells(fulfilment))
        years = by_year.get(contract.pk, {})
        if not settled:
            for jaar in sorted(years):
                concept = years[jaar].get(Status.CONCEPT)
                if concept:
                    count, waarde = concept
                    row.tasks.append(Task(
                        kind="indienen", contract=contract,
                        text=ngettext("%(n)s registratie over %(jaar)s nog indienen",
                                      "%(n)s registraties over %(jaar)s nog indienen", count) % {"n": count, "jaar": jaar},
                        detail=text["samen"] % {"waarde": _euro(waarde)},
                        url=indienen_url.format(pk=contract.pk, jaar=jaar),
                        action=text["jaar_indienen"] % {"jaar": jaar},
                    ))
            for registratie in rejected.get(contract.pk, []):
                row.tasks.append(Task(
                    kind="afgekeurd", contract=contract,
                    text=text["afgekeurd"] % {"bouwblok": registratie.bouwblok.naam if sees_sensitive or not
                                              registratie.bouwblok.gevoelig else text["afgeschermd"]},
                    detail=text["reden"] % {"reden": registratie.beoordeling_toelichting},
                    url=wijzigen_url.format(pk=registratie.pk),
                    action=text["corrigeren"], registratie=registratie,
                ))
            last_year = today.year - 1
            runs_in_last_year = contract.startdatum.year <= last_year <= contract.actuele_einddatum.year
            if contract.verplichting_bedrag > 0 and runs_in_last_year and last_year not in years:
                row.tasks.append(Task(
                    kind="registreren", contract=contract,
                    text=_("Over %(jaar)s is nog niets geregistreerd") % {"jaar": last_year},
                    detail=_("Registreer wat u in %(jaar)s voor social return heeft gedaan.") % {"jaar": last_year},
                    url=reverse("bouwblokken:kies_bouwblok", kwargs={"pk": contract.pk}),
                    action=_("Registreren"),
                ))
        rows.append(row)
        tasks.extend(row.tasks)
    totals = {
        "verplichting": sum((r.fulfilment.verplichting for r in rows), ZERO),
        "gerealiseerd": sum((r.fulfilment.gerealiseerd for r in rows), ZERO),
        "goedgekeurd": sum((r.fulfilment.goedgekeurd for r in rows), ZERO),
        "in_behandeling": sum((r.fulfilment.in_behandeling for r in rows), ZERO),
    }
    return {"rows": rows, "tasks": tasks, "totals": totals, "today": today}


def _euro(value):
    return euro(value)


def _url_pattern(name, *params) -> str:
    """``reverse(name)`` once, as a ``str.format`` pattern with ``{param}`` for each (integer) parameter."""
    marks = {param: 900_000_001 + i for i, param in enumerate(params)}
    url = reverse(name, kwargs=marks)
    for param, mark in marks.items():
        assert url.count(str(mark)) == 1, url
        url = url.replace(str(mark), "{" + param + "}")
    return url


def _sees_sensitive(user, contract) -> bool:
    """Cheap form of ``access_pages.may_see_special_category`` for pages on one supplier's contract."""
    return access_pages.is_supplier_user(user) and contract.leverancier_id == user.leverancier_id


@login_required
@require_http_methods(["GET"])
def overzicht(request):
    _require_supplier_pages(request.user)
    context = supplier_overview(request.user)
    processing_log.log_views(request, "registratie-lijst", [
        task.registratie for task in context["tasks"]
        if task.registratie is not None and _sees_sensitive(request.user, task.contract)
    ])
    return render(request, "bouwblokken/overzicht.html", context)


# --- Contract ------------------------------------------------------------------------------------

REGISTRATIES_PER_PAGE = 50


class RegistratieFilterForm(forms.Form):
    """The supplier's contract page: which registrations to list (kept in the query string)."""

    status = forms.ChoiceField(
        label=_lazy("Status"), required=False, choices=[("", _lazy("Alle statussen")), *Status.choices],
    )


def page_range(page):
    """Page numbers around the current one, with ``None`` for a gap (``…``)."""
    ellipsis = page.paginator.ELLIPSIS
    return [None if n == ellipsis else n for n in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)]


@login_required
@require_http_methods(["GET"])
def contract_detail(request, pk):
    """One contract of the supplier: its figures (computed in the database over all registrations) and
    its registrations, :data:`REGISTRATIES_PER_PAGE` per page, optionally of one status."""
    _require_supplier_pages(request.user)
    form = RegistratieFilterForm(request.GET)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    # The number of (matching) registrations comes with the contract's sums, from the same join: no
    # separate count query for the pages.
    counted = Q(registraties__status=status) if status else None
    contract = get_object_or_404(
        contract_list(access.contracts_for(request.user)).select_related("afrekening")
        .annotate(aantal_registraties=Count("registraties", filter=counted)),
        pk=pk,
    )
    attach_realisation([contract])
    fulfilment = fulfilment_of(contract)
    registraties = contract.registraties.all()
    if status:
        registraties = registraties.filter(status=status)
    evidence = (
        Bewijsstuk.objects.filter(registratie=OuterRef("pk")).order_by().values("registratie")
        .annotate(n=Count("pk")).values("n")
    )
    paginator = Paginator(
        registraties.select_related("bouwblok", "kandidaat", "hoofdregistratie__bouwblok")
        .annotate(aantal_bewijs=Coalesce(Subquery(evidence), 0))
        .order_by("-startdatum", "-pk"),
        REGISTRATIES_PER_PAGE,
    )
    paginator.count = contract.aantal_registraties  # (a cached property) counted above
    page = paginator.get_page(request.GET.get("pagina"))
    rows = list(page.object_list)
    sensitive = _sees_sensitive(request.user, contract)
    if sensitive:
        processing_log.log_views(request, "registratie-lijst", rows)  # the rows of this page: what is shown
    settled = hasattr(contract, "afrekening")
    concept_years = [] if settled else list(
        RegistratieJaar.objects.filter(registratie__contract=contract, registratie__status=Status.CONCEPT)
        .values_list("jaar", flat=True).distinct().order_by("jaar")
    )
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "bouwblokken/contract.html", {
        "contract": contract,
        "fulfilment": fulfilment,
        "meter": _meter(fulfilment),
        "per_jaar": contract.realisatie.per_jaar,
        "registraties": rows,
        "page": page,
        "page_range": page_range(page),
        "query": query.urlencode(),
        "filter_form": form,
        "status": status,
        "status_label": Status(status).label if status else "",
        "sensitive": sensitive,
        "concept_years": concept_years,
        "may_register": not settled and access.may_register(request.user, contract),
        "settled": settled,
    })


@login_required
@require_http_methods(["GET"])
def kies_bouwblok(request, pk):
    _require_supplier_pages(request.user)
    contract = _contract_for(request.user, pk)
    if not access.may_register(request.user, contract):
        raise PermissionDenied
    if hasattr(contract, "afrekening"):
        messages.warning(request, _("Dit contract is afgerekend; er kunnen geen registraties meer bij."))
        return redirect("bouwblokken:contract", pk=contract.pk)
    groups = defaultdict(list)
    for blok in contract.catalogus.bouwblokken.order_by("volgorde", "code"):
        groups[blok.soort].append(blok)
    order = [Soort.PLAATSING, Soort.BONUS, Soort.INKOOP, Soort.ACTIVITEIT, Soort.PROJECT]
    return render(request, "bouwblokken/kies_bouwblok.html", {
        "contract": contract,
        "groups": [(Soort(soort).label, groups[soort]) for soort in order if groups.get(soort)],
    })


def _preview(form, *, contract, registratie=None):
    """The value the form's input would get; puts the service's errors on the form when it has none."""
    values = form.service_values()
    values.pop("kandidaat", None)
    hoofdregistratie = values.pop("hoofdregistratie", None)
    if registratie is not None:
        hoofdregistratie = registratie.hoofdregistratie
    try:
        valuation = services.preview_value(
            contract=contract, bouwblok_code=form.bouwblok.code, hoofdregistratie=hoofdregistratie, **values
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    months = valuation.geteld_maanden
    return {
        "waarde": valuation.waarde,
        "geteld_maanden": months,
        "geteld_maanden_decimal": Decimal(months.numerator) / Decimal(months.denominator),
        "geteld_van": valuation.geteld_van,
        "geteld_tot": valuation.geteld_tot,
        "per_jaar_list": sorted(valuation.per_jaar.items()),
    }


@login_required
@require_http_methods(["GET", "POST"])
def nieuw(request, pk, code):
    """Register one bouwblok on a contract. "Bereken waarde" shows the value first; "Opslaan" stores a concept."""
    _require_supplier_pages(request.user)
    contract = _contract_for(request.user, pk)
    if not access.may_register(request.user, contract):
        raise PermissionDenied
    bouwblok = get_object_or_404(Bouwblok.objects.select_related("catalogus"), catalogus=contract.catalogus_id, code=code)
    if bouwblok.gevoelig and not _sees_sensitive(request.user, contract):
        # Health-related: only the supplier itself registers it (the administrator would not see it afterwards).
        raise PermissionDenied
    if hasattr(contract, "afrekening"):
        messages.warning(request, _("Dit contract is afgerekend; er kunnen geen registraties meer bij."))
        return redirect("bouwblokken:contract", pk=contract.pk)
    form = RegistratieForm(request.POST or None, bouwblok=bouwblok, contract=contract)
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("actie") == "bereken":
            preview = _preview(form, contract=contract)
        else:
            values = form.service_values()
            try:
                registratie = services.register(
                    contract=contract, bouwblok_code=bouwblok.code, user=request.user, **values
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except StateConflict as conflict:
                form.add_error(None, conflict.message)
            else:
                messages.success(request, _(
                    "De registratie is opgeslagen als concept, met een waarde van %(waarde)s. "
                    "Voeg een bewijsstuk toe en dien de registratie in."
                ) % {"waarde": _euro(registratie.waarde)})
                return redirect("bouwblokken:registratie", pk=registratie.pk)
    return render(request, "bouwblokken/registratie_form.html", {
        "contract": contract, "bouwblok": bouwblok, "form": form, "preview": preview, "registratie": None,
        "no_placements": bouwblok.soort == Soort.BONUS and not form.fields["hoofdregistratie"].queryset.exists(),
    })


# --- Registration ---------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET"])
def registratie_detail(request, pk):
    registratie = _registratie_for(request.user, pk)
    contract = registratie.contract
    _log_shown(request, registratie, names_placement=True)
    may_add_evidence = access_pages.may_add_evidence(request.user, registratie)
    ontbrekend = missing_evidence(registratie)
    return render(request, "bouwblokken/registratie.html", {
        "registratie": registratie,
        "contract": contract,
        "jaren": registratie.jaren.order_by("jaar"),
        "beoordelingen": Beoordeling.objects.filter(registratie=registratie).order_by("-op", "-pk"),
        "bewijsstukken": registratie.bewijsstukken.select_related("soort").order_by("geupload_op", "pk"),
        "bonussen": registratie.bonussen.select_related("bouwblok").order_by("pk"),
        "may_edit": access_pages.may_edit_registratie(request.user, registratie),
        "may_add_evidence": may_add_evidence,
        "ontbrekend_bewijs": ontbrekend,
        "bewijs_form": BewijsForm(kinds=evidence_kinds_for(registratie), missing=ontbrekend) if may_add_evidence else None,
        "is_supplier_page": access_pages.may_use_supplier_pages(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def wijzigen(request, pk):
    """Correct a concept or rejected registration (a rejected one becomes a concept again)."""
    _require_supplier_pages(request.user)
    registratie = _registratie_for(request.user, pk, write=True)
    if not access_pages.may_edit_registratie(request.user, registratie):
        messages.warning(request, _("Deze registratie is ingediend of goedgekeurd en kan niet meer worden gewijzigd."))
        return redirect("bouwblokken:registratie", pk=registratie.pk)
    contract = registratie.contract
    form = RegistratieForm(request.POST or None, bouwblok=registratie.bouwblok, contract=contract, instance=registratie)
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("actie") == "bereken":
            preview = _preview(form, contract=contract, registratie=registratie)
        else:
            values = form.service_values()
            try:
                registratie = services.update_registration(
                    registratie=registratie, user=request.user, versie=form.cleaned_data["versie"], **values
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except StateConflict as conflict:
                form.add_error(None, conflict.message)
            else:
                messages.success(request, _("De wijziging is opgeslagen. De registratie is weer een concept; dien haar opnieuw in."))
                return redirect("bouwblokken:registratie", pk=registratie.pk)
    _log_shown(request, registratie)
    return render(request, "bouwblokken/registratie_form.html", {
        "contract": contract, "bouwblok": registratie.bouwblok, "form": form, "preview": preview,
        "registratie": registratie, "no_placements": False,
    })


@login_required
@require_http_methods(["GET", "POST"])
def indienen(request, pk):
    """Submit one registration: a confirmation page first, then POST."""
    _require_supplier_pages(request.user)
    registratie = _registratie_for(request.user, pk, write=True)
    if not access_pages.may_edit_registratie(request.user, registratie):
        messages.warning(request, _("Deze registratie is al ingediend of goedgekeurd."))
        return redirect("bouwblokken:registratie", pk=registratie.pk)
    if request.method == "POST":
        try:
            services.submit(registratie=registratie, user=request.user)
        except StateConflict as conflict:
            messages.error(request, conflict.message)
        else:
            messages.success(request, _("De registratie is ingediend. Het SR-team beoordeelt haar."))
        return redirect("bouwblokken:contract", pk=registratie.contract_id)
    _log_shown(request, registratie)
    return render(request, "bouwblokken/indienen.html", {
        "contract": registratie.contract,
        "registraties": [registratie],
        "totaal": registratie.waarde,
        "zonder_bewijs": _with_missing_evidence([registratie]),
        "jaar": None,
        "registratie": registratie,
        "sensitive": access_pages.may_see_special_category(request.user, registratie),
    })


def _with_missing_evidence(registraties) -> list:
    """Sets ``ontbrekend_bewijs`` (the kinds still needed, ``selectors.missing_evidence``) on each
    registration; returns those that lack some. Submitting stays allowed: only an approval needs the
    evidence or a reason (SROI-RULES.md §3 step 6)."""
    missing = missing_evidence_by_registration(registraties)
    for registratie in registraties:
        registratie.ontbrekend_bewijs = missing.get(registratie.pk, [])
    return [r for r in registraties if r.ontbrekend_bewijs]


@login_required
@require_http_methods(["GET", "POST"])
def jaar_indienen(request, pk, jaar):
    """Submit every concept registration of a contract that counts in ``jaar``: confirmation first."""
    _require_supplier_pages(request.user)
    contract = _contract_for(request.user, pk)
    if not access.may_register(request.user, contract):
        raise PermissionDenied
    if not 2000 <= jaar <= 2100:
        raise Http404
    if request.method == "POST":
        try:
            count = services.submit_year(contract=contract, jaar=jaar, user=request.user)
        except StateConflict as conflict:
            messages.error(request, conflict.message)
        else:
            if count:
                messages.success(request, ngettext(
                    "%(n)s registratie over %(jaar)s ingediend. Het SR-team beoordeelt haar.",
                    "%(n)s registraties over %(jaar)s ingediend. Het SR-team beoordeelt ze.", count,
                ) % {"n": count, "jaar": jaar})
            else:
                messages.info(request, _("Er was over %(jaar)s niets meer in te dienen.") % {"jaar": jaar})
        return redirect("bouwblokken:contract", pk=contract.pk)
    registraties = list(
        Registratie.objects.filter(contract=contract, status=Status.CONCEPT, jaren__jaar=jaar)
        .select_related("bouwblok", "kandidaat")
        .distinct()
        .order_by("startdatum", "pk")
    )
    if _sees_sensitive(request.user, contract):
        processing_log.log_views(request, "registratie-lijst", registraties)
    return render(request, "bouwblokken/indienen.html", {
        "contract": contract,
        "registraties": registraties,
        "totaal": sum((r.waarde for r in registraties), ZERO),
        "zonder_bewijs": _with_missing_evidence(registraties),
        "jaar": jaar,
        "registratie": None,
        "sensitive": _sees_sensitive(request.user, contract),
    })


# --- Evidence -------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def bewijs_toevoegen(request, pk):
    _require_supplier_pages(request.user)
    registratie = _registratie_for(request.user, pk, write=True)
    if not access_pages.may_add_evidence(request.user, registratie):
        messages.warning(request, _("Bij deze registratie kunnen geen bewijsstukken meer worden toegevoegd."))
        return redirect("bouwblokken:registratie", pk=registratie.pk)
    form = BewijsForm(request.POST or None, request.FILES or None, kinds=evidence_kinds_for(registratie),
                      missing=missing_evidence(registratie))
    if request.method == "POST" and form.is_valid():
        try:
            bewijs = services.add_evidence(
                registratie=registratie, bestand=form.cleaned_data["bestand"], user=request.user,
                soort=form.cleaned_data["soort"], omschrijving=form.cleaned_data["omschrijving"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as conflict:
            form.add_error(None, conflict.message)
        else:
            messages.success(request, _("Bewijsstuk ‘%(naam)s’ is toegevoegd.") % {"naam": bewijs.oorspronkelijke_naam})
            return redirect("bouwblokken:registratie", pk=registratie.pk)
    _log_shown(request, registratie)
    return render(request, "bouwblokken/bewijs_toevoegen.html", {
        "registratie": registratie, "contract": registratie.contract, "form": form,
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET"])
def bewijs_download(request, pk):
    """Serve an evidence file to a user who may see its registration; never from a public URL."""
    bewijs = get_object_or_404(
        Bewijsstuk.objects.select_related("registratie__contract", "registratie__bouwblok", "registratie__kandidaat",
                                          "registratie__hoofdregistratie__bouwblok"),
        pk=pk,
        registratie__in=access.registraties_for(request.user).values("pk"),
    )
    registratie = bewijs.registratie
    if access_pages.is_special_category(registratie) and not access_pages.may_see_special_category(request.user, registratie):
        raise PermissionDenied
    try:
        handle = bewijs.bestand.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    processing_log.log_views(request, "bewijsstuk-downloaden", [bewijs], names_placement=True)
    extension = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}.get(bewijs.content_type, "")
    name = bewijs.oorspronkelijke_naam
    if extension and not name.lower().endswith((extension, ".jpeg" if extension == ".jpg" else extension)):
        name += extension
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=bewijs.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
