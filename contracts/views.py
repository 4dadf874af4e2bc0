"""Staff pages of the contracts app: award (inkoop), import, contract list and detail, value changes,
and the SR-team's inbox, intake, exemption and settlement.

Plain function views; every queryset comes from ``sroi_portal.access`` (objects outside a user's
scope give 404), every write goes through ``contracts.services``. Inkoop, SR-team and the
functional administrator use these pages; suppliers and council members get 403.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sroi_portal import clock
from sroi_portal.access import (
    contracts_for, gemeenten_for, is_beheerder, may_create_contract, may_manage_contract,
)
from sroi_portal.errors import StateConflict
from sroi_portal.models import Role

from . import calculation, forms, imports, services
from .intake import contact_term, last_overdue_award
from .models import (
    OBLIGATION_REASONS, STATUS_LABELS, Afrekening, ContactMoment, Contract, OntheffingSoort, PlanVanAanpak,
)
from .selectors import attach_realisation, contract_list, fulfilment, fulfilment_of, realisation_totals

PAGE_SIZE = 50


# --- Who may use which page -------------------------------------------------------------------


def is_staff_user(user) -> bool:
    """Inkoop, SR-team and the functional administrator use the staff pages."""
    return is_beheerder(user) or getattr(user, "role", None) in (Role.INKOOP, Role.SR_TEAM)


def is_srteam_user(user) -> bool:
    return is_beheerder(user) or getattr(user, "role", None) == Role.SR_TEAM


def _require_staff(user):
    if not is_staff_user(user):
        raise PermissionDenied


def _require_srteam(user):
    if not is_srteam_user(user):
        raise PermissionDenied


def _staff_contract(request, pk, *, srteam=False, lock_settled=False) -> Contract:
    """The contract ``pk`` when it is in the user's scope (404 otherwise); 403 for the wrong role."""
    if srteam:
        _require_srteam(request.user)
    else:
        _require_staff(request.user)
    contract = get_object_or_404(
        contracts_for(request.user).select_related("gemeente", "leverancier", "beleid", "catalogus"), pk=pk
    )
    if not may_manage_contract(request.user, contract):
        raise PermissionDenied
    return contract


# --- Audit trail ------------------------------------------------------------------------------

HIDDEN_HISTORY_FIELDS = {"id", "versie", "gewijzigd_op", "aangemaakt_op", "geregistreerd_op", "vastgesteld_op"}


@dataclass(frozen=True)
class Change:
    veld: str
    oud: str
    nieuw: str


@dataclass(frozen=True)
class HistoryEntry:
    wanneer: datetime
    wie: str
    onderwerp: str
    actie: str
    wijzigingen: list


def _display(model, field_name, value) -> str:
    if value is None or value == "":
        return "–"
    try:
        field = model._meta.get_field(field_name)
    except Exception:  # noqa: BLE001 - a field that no longer exists: show the raw value
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("ja") if value else _("nee")
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, Decimal):
        from sroi_portal.templatetags.sroi import getal

        return getal(value, 2)
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    return str(value)


def _label(model, field_name) -> str:
    try:
        return capfirst(str(model._meta.get_field(field_name).verbose_name))
    except Exception:  # noqa: BLE001
        return field_name


ACTIONS = {"+": _("aangemaakt"), "~": _("gewijzigd"), "-": _("verwijderd")}


def history_entries(records, *, onderwerp: str, model) -> list[HistoryEntry]:
    """Readable history of one object from its simple-history records: who, when, which field from what to what."""
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in HIDDEN_HISTORY_FIELDS:
                    continue
                changes.append(Change(
                    veld=_label(model, change.field),
                    oud=_display(model, change.field, change.old),
                    nieuw=_display(model, change.field, change.new),
                ))
            if not changes:
                previous = record
                continue
        user = record.history_user
        entries.append(HistoryEntry(
            wanneer=record.history_date,
            wie=(user.get_full_name() or user.username) if user else _("systeem"),
            onderwerp=onderwerp,
            actie=str(ACTIONS.get(record.history_type, record.history_type)),
            wijzigingen=changes,
        ))
        previous = record
    return entries


def contract_audit_trail(contract: Contract) -> list[HistoryEntry]:
    """Every recorded change of the contract, its exemption, settlement, contacts and plans; newest first."""
    from .models import Ontheffing

    def records(qs):
        return list(qs.select_related("history_user").order_by("history_date", "history_id"))

    entries = history_entries(records(contract.history.all()), onderwerp=_("Contract"), model=Contract)
    entries += history_entries(
        records(Ontheffing.history.filter(contract_id=contract.pk)), onderwerp=_("Ontheffing"), model=Ontheffing
    )
    entries += history_entries(
        records(Afrekening.history.filter(contract_id=contract.pk)), onderwerp=_("Afrekening"), model=Afrekening
    )
    entries += history_entries(
        records(ContactMoment.history.filter(contract_id=contract.pk)), onderwerp=_("Contactmoment"), model=ContactMoment
    )
    entries += history_entries(
        records(PlanVanAanpak.history.filter(contract_id=contract.pk)), onderwerp=_("Plan van aanpak"), model=PlanVanAanpak
    )
    for wijziging in contract.wijzigingen.select_related("geregistreerd_door"):
        user = wijziging.geregistreerd_door
        entries.append(HistoryEntry(
            wanneer=wijziging.geregistreerd_op,
            wie=(user.get_full_name() or user.username) if user else _("systeem"),
            onderwerp=_("Waardewijziging"),
            actie=str(ACTIONS["+"]),
            wijzigingen=[Change(veld=wijziging.get_soort_display(), oud="", nieuw=_display(type(wijziging), "bedrag", wijziging.bedrag))],
        ))
    entries.sort(key=lambda entry: entry.wanneer, reverse=True)
    return entries


# --- Contract list and detail -----------------------------------------------------------------


@dataclass
class Row:
    contract: Contract
    figures: object
    term: object = None

    @property
    def expected_pct(self):
        if self.figures is None or not self.figures.verplichting:
            return None
        return self.figures.verwacht / self.figures.verplichting * 100


@login_required
@require_http_methods(["GET"])
def contract_list_view(request):
    _require_staff(request.user)
    form = forms.ContractFilterForm(request.GET or None, user=request.user)
    qs = contracts_for(request.user)
    status = ""
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"].strip()
            qs = qs.filter(
                Q(kenmerk__icontains=q) | Q(omschrijving__icontains=q) | Q(leverancier__naam__icontains=q)
                | Q(leverancier__kvk_nummer=q)
            )
        if data["gemeente"]:
            qs = qs.filter(gemeente=data["gemeente"])
        if data["categorie"]:
            qs = qs.filter(categorie=data["categorie"])
        if data["contact"] == "nee":
            qs = qs.filter(contact_opgenomen_op__isnull=True)
        elif data["contact"] == "ja":
            qs = qs.filter(contact_opgenomen_op__isnull=False)
        if data["afgerekend"] == "nee":
            qs = qs.filter(afrekening__isnull=True)
        elif data["afgerekend"] == "ja":
            qs = qs.filter(afrekening__isnull=False)
        status = data["status"]
    qs = contract_list(qs).order_by("-gunningsdatum", "kenmerk")
    today = clock.today()
    if status:
        # The status depends on the realisation to date: computed per contract, then filtered.
        rows = [Row(c, fulfilment_of(c, peildatum=today)) for c in attach_realisation(qs, today=today)]
        rows = [row for row in rows if row.figures.status == status]
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    else:
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
        page.object_list = [Row(c, fulfilment_of(c, peildatum=today))
                            for c in attach_realisation(page.object_list, today=today)]
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "contracts/contract_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "status_labels": STATUS_LABELS,
        "may_create": is_staff_user(request.user) and gemeenten_for(request.user).exists(),
    })


@login_required
@require_http_methods(["GET"])
def contract_detail(request, pk):
    _require_staff(request.user)
    contract = get_object_or_404(
        contract_list(contracts_for(request.user)).select_related("ontheffing", "afrekening__vastgesteld_door"), pk=pk
    )
    attach_realisation([contract])
    figures = fulfilment_of(contract)
    srteam = is_srteam_user(request.user)
    try:
        afrekening = contract.afrekening
    except Afrekening.DoesNotExist:
        afrekening = None
    ontheffing = getattr(contract, "ontheffing", None)
    context = {
        "contract": contract,
        "figures": figures,
        "status_label": STATUS_LABELS.get(figures.status, figures.status),
        "reden": OBLIGATION_REASONS.get(contract.verplichting_reden, ""),
        "per_jaar": contract.realisatie.per_jaar,
        "wijzigingen": contract.wijzigingen.select_related("geregistreerd_door"),
        "ontheffing": ontheffing,
        "afrekening": afrekening,
        "srteam": srteam,
        "may_manage": may_manage_contract(request.user, contract),
        "term": contact_term(contract.gunningsdatum) if needs_intake(contract) else None,
        "meter": meter(figures),
        "contactmomenten": contract.contactmomenten.select_related("door"),
        "plannen": contract.plannen.select_related("geupload_door"),
    }
    if srteam:
        context["audit"] = contract_audit_trail(contract)
        context["registraties_per_status"] = dict(
            contract.registraties.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        )
    return render(request, "contracts/contract_detail.html", context)


def needs_intake(contract) -> bool:
    """No contact yet on a contract with an obligation to work on (what the inbox lists)."""
    return (
        contract.contact_opgenomen_op is None
        and contract.verplichting_van_toepassing
        and contract.verplichting_status not in ("vrijgesteld", "voldaan_via_sebo")
        and not Afrekening.objects.filter(contract_id=contract.pk).exists()
    )


def meter(figures) -> dict | None:
    """Widths (percent of the obligation, capped at 100) for the progress bar; None without obligation."""
    if not figures.verplichting:
        return None

    def share(amount):
        return float(min(amount / figures.verplichting * 100, Decimal(100)))

    return {
        "realised": share(figures.gerealiseerd),
        "approved": share(figures.goedgekeurd),
        "pending": share(figures.goedgekeurd + figures.in_behandeling),
        "expected": share(figures.verwacht),
        "expected_pct": figures.verwacht / figures.verplichting * 100,
        "committed_pct": figures.goedgekeurd / figures.verplichting * 100,
        "pending_pct": figures.in_behandeling / figures.verplichting * 100 if figures.in_behandeling else None,
    }


# --- Award (inkoop) ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request):
    _require_staff(request.user)
    if not gemeenten_for(request.user).exists():
        raise PermissionDenied
    preview = None
    stale = False
    if request.method == "POST":
        form = forms.ContractForm(request.POST, user=request.user)
        action = request.POST.get("actie", "bereken")
        if form.is_valid():
            values = form.service_values()
            if not may_create_contract(request.user, values["gemeente"]):
                raise PermissionDenied
            key = form.values_key()
            if action == "opslaan" and form.cleaned_data.get("preview_sleutel") == key:
                try:
                    contract = services.create_contract_with_supplier(user=request.user, **values)
                except ValidationError as error:
                    forms.add_service_errors(form, error, {"leverancier": "leverancier_kvk"})
                else:
                    messages.success(request, _("Contract %(kenmerk)s is opgeslagen. De verplichting is %(bedrag)s.") % {
                        "kenmerk": contract.kenmerk, "bedrag": _euro(contract.verplichting_bedrag)})
                    return redirect("contracts:detail", pk=contract.pk)
            else:
                stale = action == "opslaan"
                preview = _preview(form, values)
                if preview is not None:
                    data = form.data.copy()
                    data["preview_sleutel"] = key
                    form.data = data
    else:
        form = forms.ContractForm(user=request.user, initial={"extra_percentage": "0"})
    return render(request, "contracts/contract_form.html", {"form": form, "preview": preview, "stale": stale})


def _euro(amount):
    from sroi_portal.templatetags.sroi import euro

    return euro(amount)


@dataclass(frozen=True)
class Preview:
    obligation: calculation.Obligation
    reden: str
    status_label: str
    leverancier: object
    nieuwe_leverancier: str


def _preview(form, values) -> Preview | None:
    if Contract.objects.filter(gemeente=values["gemeente"], kenmerk=values["kenmerk"]).exists():
        form.add_error("kenmerk", _("Deze gemeente heeft al een contract met dit kenmerk."))
        return None
    try:
        obligation = services.preview_obligation(
            gemeente=values["gemeente"], gunningsdatum=values["gunningsdatum"], categorie=values["categorie"],
            procedure=values["procedure"], aanneemsom=values["aanneemsom"], loonsom=values["loonsom"],
            extra_percentage=values["extra_percentage"], sebo_keurmerk=values["sebo_keurmerk"],
        )
    except ValidationError as error:
        forms.add_service_errors(form, error)
        return None
    return Preview(
        obligation=obligation,
        reden=str(OBLIGATION_REASONS.get(obligation.reden, "")),
        status_label=str(STATUS_LABELS.get(obligation.status, "")) if obligation.status else "",
        leverancier=form.leverancier,
        nieuwe_leverancier="" if form.leverancier else values["leverancier_naam"],
    )


# --- Value changes ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def value_change(request, pk):
    contract = _staff_contract(request, pk)
    settled = Afrekening.objects.filter(contract=contract).exists()
    form = forms.WaardeWijzigingForm(request.POST or None, initial={"datum": clock.today()})
    if request.method == "POST":
        if settled:
            form.add_error(None, _("Dit contract is al afgerekend; een waardewijziging is niet meer mogelijk."))
        elif form.is_valid():
            before = contract.verplichting_bedrag
            try:
                services.record_value_change(contract=contract, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                forms.add_service_errors(form, error)
            except StateConflict as error:
                form.add_error(None, error.message)
            else:
                contract.refresh_from_db()
                messages.success(request, _("De wijziging is vastgelegd. De verplichting ging van %(oud)s naar %(nieuw)s.") % {
                    "oud": _euro(before), "nieuw": _euro(contract.verplichting_bedrag)})
                return redirect("contracts:value_change", pk=contract.pk)
    return render(request, "contracts/value_change.html", {
        "contract": contract, "form": form, "settled": settled,
        "wijzigingen": contract.wijzigingen.select_related("geregistreerd_door"),
    })


# --- Import -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def contract_import(request):
    _require_staff(request.user)
    if not gemeenten_for(request.user).exists():
        raise PermissionDenied
    result = None
    refused = None
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = imports.import_contracts(upload=form.cleaned_data["bestand"], user=request.user)
        except imports.ImportRefused as error:
            refused = error.message
    errors = result.errors if result else []
    return render(request, "contracts/import.html", {
        "form": form, "result": result, "refused": refused,
        "errors": errors[: imports.MAX_REPORTED_ERRORS], "more_errors": max(len(errors) - imports.MAX_REPORTED_ERRORS, 0),
        "error_rows": len({error.rij for error in errors}),
        "columns": [(column, column in imports.REQUIRED, *imports.COLUMN_HELP[column]) for column in imports.COLUMNS],
        "max_mb": imports.max_bytes() // (1024 * 1024), "max_rows": imports.max_rows(),
    }, status=400 if (refused or errors) else 200)


@login_required
@require_http_methods(["GET"])
def import_template(request, formaat):
    _require_staff(request.user)
    if formaat == "xlsx":
        response = HttpResponse(
            imports.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    elif formaat == "csv":
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="sjabloon-contracten.{formaat}"'
    return response


# --- SR-team: inbox and intake ----------------------------------------------------------------


def inbox_queryset(user):
    """Contracts with an obligation to work on, without contact yet, not settled; oldest award first."""
    return (
        contracts_for(user)
        .filter(contact_opgenomen_op__isnull=True, verplichting_van_toepassing=True, afrekening__isnull=True)
        .exclude(verplichting_status__in=["vrijgesteld", "voldaan_via_sebo"])
        .select_related("gemeente", "leverancier")
        .order_by("gunningsdatum", "kenmerk")
    )


@login_required
@require_http_methods(["GET"])
def inbox(request):
    _require_srteam(request.user)
    qs = inbox_queryset(request.user)
    gemeente = request.GET.get("gemeente")
    gemeenten = list(gemeenten_for(request.user).order_by("naam"))
    if gemeente and gemeente.isdigit():
        qs = qs.filter(gemeente_id=int(gemeente))
    today = clock.today()
    termijn = "verlopen" if request.GET.get("termijn") == "verlopen" else ""
    if termijn:  # only the contracts whose contact deadline has passed (the start page links here)
        qs = qs.filter(gunningsdatum__lte=last_overdue_award(today))
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    page.object_list = [Row(c, None, contact_term(c.gunningsdatum, today)) for c in page.object_list]
    overdue = sum(1 for row in page.object_list if row.term.overdue)
    return render(request, "contracts/inbox.html", {
        "page": page, "overdue": overdue, "gemeenten": gemeenten, "gemeente": gemeente or "", "today": today,
        "working_days": settings.SROI_CONTACT_WORKING_DAYS, "termijn": termijn,
    })


def _intake_context(request, contract, **forms_):
    from sroi_portal.models import User

    context = {
        "contract": contract,
        "term": contact_term(contract.gunningsdatum),
        "contactmomenten": contract.contactmomenten.select_related("door"),
        "plannen": contract.plannen.select_related("geupload_door"),
        "gebruikers": User.objects.filter(leverancier=contract.leverancier, is_active=True).order_by("email"),
        "uitnodigingen": _invitations(contract),
        "contact_form": forms_.get("contact_form") or forms.ContactForm(initial={"datum": clock.today(), "soort": "telefoon"}),
        "plan_form": forms_.get("plan_form") or forms.PlanForm(),
        "invite_form": forms_.get("invite_form") or forms.UitnodigingForm(),
    }
    return context


def _invitations(contract):
    try:
        from sroi_portal.models import Invitation
    except ImportError:  # the accounts part is not installed
        return []
    return Invitation.objects.filter(leverancier=contract.leverancier, accepted_at__isnull=True).select_related("invited_by")


@login_required
@require_http_methods(["GET"])
def intake(request, pk):
    contract = _staff_contract(request, pk, srteam=True)
    return render(request, "contracts/intake.html", _intake_context(request, contract))


@login_required
@require_POST
def log_contact(request, pk):
    contract = _staff_contract(request, pk, srteam=True)
    form = forms.ContactForm(request.POST)
    if form.is_valid():
        try:
            services.log_contact(contract=contract, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Het contact is vastgelegd."))
            return redirect("contracts:intake", pk=contract.pk)
    return render(request, "contracts/intake.html", _intake_context(request, contract, contact_form=form), status=400)


@login_required
@require_POST
def upload_plan(request, pk):
    contract = _staff_contract(request, pk, srteam=True)
    form = forms.PlanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_plan(contract=contract, upload=form.cleaned_data["bestand"],
                                 omschrijving=form.cleaned_data["omschrijving"], user=request.user)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        else:
            messages.success(request, _("Het plan van aanpak is opgeslagen."))
            return redirect("contracts:intake", pk=contract.pk)
    return render(request, "contracts/intake.html", _intake_context(request, contract, plan_form=form), status=400)


@login_required
@require_http_methods(["GET"])
def download_plan(request, pk, plan_pk):
    """The plan of approach, for whoever may see the contract (SR-team, inkoop, the supplier, beheerder)."""
    contract = get_object_or_404(contracts_for(request.user), pk=pk)
    plan = get_object_or_404(PlanVanAanpak, pk=plan_pk, contract=contract)
    try:
        handle = plan.bestand.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(handle, content_type="application/pdf", as_attachment=True,
                            filename=plan.oorspronkelijke_naam or "plan-van-aanpak.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def invite(request, pk):
    contract = _staff_contract(request, pk, srteam=True)
    form = forms.UitnodigingForm(request.POST)
    if form.is_valid():
        from sroi_portal.accounts.invitations import invite_supplier_user

        try:
            invite_supplier_user(leverancier=contract.leverancier, email=form.cleaned_data["email"],
                                 invited_by=request.user, contract=contract, request=request)
        except ValidationError as error:
            forms.add_service_errors(form, error)
        except StateConflict as error:
            form.add_error("email", error.message)
        else:
            messages.success(request, _("De uitnodiging is verstuurd naar %(email)s.") % {"email": form.cleaned_data["email"]})
            return redirect("contracts:intake", pk=contract.pk)
    return render(request, "contracts/intake.html", _intake_context(request, contract, invite_form=form), status=400)


# --- SR-team: exemption and settlement --------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def exemption(request, pk):
    """Record an exemption decided by the gemeentesecretaris: fill in, check the new obligation, confirm."""
    contract = _staff_contract(request, pk, srteam=True)
    existing = getattr(contract, "ontheffing", None)
    if Afrekening.objects.filter(contract=contract).exists():
        messages.error(request, _("Dit contract is al afgerekend; een ontheffing vastleggen kan niet meer."))
        return redirect("contracts:detail", pk=contract.pk)
    initial = {}
    if existing:
        initial = {"soort": existing.soort, "bedrag": existing.bedrag, "besluitdatum": existing.besluitdatum,
                   "besloten_door": existing.besloten_door, "reden": existing.reden}
    form = forms.OntheffingForm(request.POST or None, initial=initial)
    confirm = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new_obligation = calculation.compute_obligation(
                policy=contract.beleid.as_params(), categorie=contract.categorie, procedure=contract.procedure,
                aanneemsom=contract.actuele_aanneemsom, loonsom=contract.actuele_loonsom,
                extra_percentage=contract.extra_percentage, sebo_keurmerk=contract.sebo_keurmerk,
                exemption=calculation.Exemption(soort=data["soort"], bedrag=data["bedrag"]),
            )
        except calculation.CalculationError as error:
            from sroi_portal.validation import calculation_error

            forms.add_service_errors(form, calculation_error(error))
        else:
            if request.POST.get("bevestig") == "1":
                try:
                    services.record_exemption(contract=contract, user=request.user, **data)
                except ValidationError as error:
                    forms.add_service_errors(form, error)
                else:
                    messages.success(request, _("De ontheffing is vastgelegd. De verplichting is nu %(bedrag)s.") % {
                        "bedrag": _euro(new_obligation.bedrag)})
                    return redirect("contracts:detail", pk=contract.pk)
            else:
                confirm = {"obligation": new_obligation, "data": data,
                           "soort_label": dict(OntheffingSoort.choices)[data["soort"]]}
    return render(request, "contracts/exemption.html", {
        "contract": contract, "form": form, "confirm": confirm, "existing": existing,
    }, status=400 if request.method == "POST" and form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def settlement(request, pk):
    """Settle at the end: obligation, realised, shortfall and sanction computed; the decision recorded."""
    contract = _staff_contract(request, pk, srteam=True)
    existing = Afrekening.objects.filter(contract=contract).select_related("vastgesteld_door").first()
    totals = realisation_totals(contract_ids=[contract.pk]).get(contract.pk, {})
    realised = totals.get("goedgekeurd", Decimal("0.00"))
    pending = totals.get("in_behandeling", Decimal("0.00"))
    pending_count = contract.registraties.filter(status="ingediend").count()
    computed = calculation.settle(
        obligation_amount=contract.verplichting_bedrag, realised=realised, sanctie_factor=contract.beleid.sanctie_factor
    )
    today = clock.today()
    ended = contract.actuele_einddatum <= today
    form = forms.AfrekeningForm(request.POST or None, correctie=existing is not None,
                                initial={"besluit": existing.besluit} if existing else None)
    if request.method == "POST":
        if not ended:
            form.add_error(None, _("Het contract loopt nog tot %(datum)s; afrekenen kan vanaf de einddatum.") % {
                "datum": contract.actuele_einddatum.strftime("%d-%m-%Y")})
        elif form.is_valid():
            try:
                services.settle_contract(contract=contract, besluit=form.cleaned_data["besluit"],
                                         correctie_reden=form.cleaned_data.get("correctie_reden", ""), user=request.user)
            except ValidationError as error:
                forms.add_service_errors(form, error)
            else:
                messages.success(request, _("De afrekening is vastgesteld."))
                return redirect("contracts:detail", pk=contract.pk)
    history = []
    if existing:
        history = history_entries(
            list(Afrekening.history.filter(contract_id=contract.pk).select_related("history_user")
                 .order_by("history_date", "history_id")),
            onderwerp=_("Afrekening"), model=Afrekening,
        )
        history.reverse()
    return render(request, "contracts/settlement.html", {
        "contract": contract, "existing": existing, "computed": computed, "pending": pending,
        "pending_count": pending_count, "ended": ended, "form": form, "history": history,
        # Settling starts at the end date, on which all approved value is realised.
        "figures": fulfilment(contract, goedgekeurd=realised, in_behandeling=pending, gerealiseerd=realised),
    }, status=400 if request.method == "POST" and form.errors else 200)


def contract_url(contract) -> str:
    return reverse("contracts:detail", kwargs={"pk": contract.pk})
