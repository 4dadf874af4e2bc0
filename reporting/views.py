"""Pages of the reporting app: the council dashboard and its PDF report, exports, stories,
follow-ups of placements and the SR-team budget (the public open data: ``reporting.opendata_views``).

Plain function views; every one takes its objects from ``sroi_portal.access`` (objects outside a
user's scope give a 404). The council figures come from ``reporting.selectors.council_figures``
only, so the dashboard, the PDF and the API always agree.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse, Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bouwblokken.models import Soort, Status
from contracts.models import Gemeente
from sroi_portal import access, clock
from sroi_portal.access import _role
from sroi_portal.errors import StateConflict
from sroi_portal.models import Role
from sroi_portal.validation import add_service_errors

from . import exports, forms, selectors, services
from .charts import council_charts
from .models import Raadsrapportage, RapportStatus, Teambudget, Verhaal, VerhaalStatus

REFRESH_SECONDS = 3


def council_gemeenten(user):
    """Municipalities whose aggregates the user may see (for the pickers)."""
    if _role(user) not in (Role.BEHEERDER, Role.RAADSLID, Role.SR_TEAM, Role.INKOOP):
        return Gemeente.objects.none()
    return access.gemeenten_for(user).order_by("naam")


def _council_gemeente(user, code) -> Gemeente:
    gemeente = get_object_or_404(Gemeente, code=code)
    if not access.may_see_aggregates(user, gemeente):
        raise Http404
    return gemeente


def _check_year(jaar):
    if not (2000 <= jaar <= clock.today().year):
        raise Http404


# --- council dashboard ----------------------------------------------------------------------------

@login_required
@require_GET
def index(request):
    """The choice of the council page's municipality/year form: redirected to that page. Without a
    choice, the council's index of municipalities (/raad/) is the page to choose from; a choice the
    user may not make is shown again with its error."""
    if _role(request.user) not in (Role.BEHEERDER, Role.RAADSLID, Role.SR_TEAM, Role.INKOOP):
        raise PermissionDenied
    if not request.GET:
        return redirect("raad:index")
    gemeenten = list(council_gemeenten(request.user))
    this_year = clock.today().year
    jaren = list(range(this_year, 2018, -1))
    form = forms.CouncilChoiceForm(request.GET, gemeenten=gemeenten, jaren=jaren)
    if form.is_valid():
        return redirect("reporting:dashboard", gemeentecode=form.cleaned_data["gemeente"], jaar=form.cleaned_data["jaar"])
    return render(request, "reporting/index.html", {"form": form, "gemeenten": gemeenten,
                                                    "jaar": selectors.default_year()})


@login_required
@require_GET
def dashboard(request, gemeentecode, jaar):
    gemeente = _council_gemeente(request.user, gemeentecode)
    _check_year(jaar)
    figures = selectors.council_figures(gemeente=gemeente, jaar=jaar)
    gemeenten = list(council_gemeenten(request.user))
    this_year = clock.today().year
    laatste_rapport = (
        Raadsrapportage.objects.filter(gemeente=gemeente, jaar=jaar, status=RapportStatus.KLAAR)
        .order_by("-gereed_op").first()
    )
    return render(request, "reporting/dashboard.html", {
        "f": figures,
        "gemeente": gemeente,
        "charts": council_charts(figures, prefix="dash"),
        "choice_form": forms.CouncilChoiceForm(
            gemeenten=gemeenten, jaren=list(range(this_year, 2018, -1)),
            initial={"gemeente": gemeente.code, "jaar": jaar},
        ),
        "laatste_rapport": laatste_rapport,
        "rapport_actueel": laatste_rapport is not None and laatste_rapport.gegevensversie == figures.gegevensversie,
    })


# --- council report (PDF) -------------------------------------------------------------------------

@login_required
@require_POST
def rapport_aanvragen(request, gemeentecode, jaar):
    gemeente = _council_gemeente(request.user, gemeentecode)
    _check_year(jaar)
    report = services.request_report(gemeente=gemeente, jaar=jaar, user=request.user)
    return redirect("reporting:rapport", pk=report.pk)


def _report_for(user, pk) -> Raadsrapportage:
    report = get_object_or_404(Raadsrapportage.objects.select_related("gemeente"), pk=pk)
    if not access.may_see_aggregates(user, report.gemeente):
        raise Http404
    return report


@login_required
@require_GET
def rapport(request, pk):
    """The report's status; refreshes itself (no JavaScript) until the PDF is ready."""
    report = _report_for(request.user, pk)
    refresh = REFRESH_SECONDS if report.is_pending else None
    response = render(request, "reporting/rapport.html", {"rapport": report, "refresh": refresh})
    if refresh:
        response["Refresh"] = str(refresh)  # the same as the page's <meta http-equiv="refresh">
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def rapport_download(request, pk):
    report = _report_for(request.user, pk)
    if report.status != RapportStatus.KLAAR or not report.bestand:
        raise Http404
    response = FileResponse(report.bestand.open("rb"), as_attachment=True, filename=report.bestandsnaam,
                            content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- exports for the SR-team ----------------------------------------------------------------------

def _may_export(user) -> bool:
    return _role(user) in (Role.BEHEERDER, Role.SR_TEAM, Role.INKOOP)


def _export_form(request):
    if not _may_export(request.user):
        raise PermissionDenied
    return forms.ExportFilterForm(request.GET or None, gemeenten=access.gemeenten_for(request.user).order_by("naam"))


def _export_rows(request, form):
    if form.is_bound and not form.is_valid():
        return None
    data = form.cleaned_data if form.is_bound else {}
    return exports.contract_export_rows(
        contracts=access.contracts_for(request.user),
        gemeente=data.get("gemeente"), leverancier_kvk=(data.get("leverancier") or "").strip(),
        status=data.get("status") or "", jaar=data.get("jaar"),
    )


@login_required
@require_GET
def export(request):
    form = _export_form(request)
    query = request.GET.urlencode()
    return render(request, "reporting/export.html", {"form": form, "query": query})


def _export_name(form, extension):
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    parts = ["contracten"]
    if data.get("gemeente"):
        parts.append(data["gemeente"].code)
    if data.get("jaar"):
        parts.append(str(data["jaar"]))
    parts.append(clock.today().isoformat())
    return "-".join(parts) + "." + extension


def _invalid_filters(form):
    errors = "; ".join(f"{form.fields[name].label if name in form.fields else name}: {' '.join(msgs)}"
                       for name, msgs in form.errors.items())
    return HttpResponseBadRequest(_("Ongeldige filters: %(fouten)s") % {"fouten": errors},
                                  content_type="text/plain; charset=utf-8")


@login_required
@require_GET
def export_csv(request):
    form = _export_form(request)
    if (result := _export_rows(request, form)) is None:
        return _invalid_filters(form)
    columns, rows = result
    response = StreamingHttpResponse(exports.csv_stream(columns, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name(form, "csv")}"'
    return response


@login_required
@require_GET
def export_xlsx(request):
    form = _export_form(request)
    if (result := _export_rows(request, form)) is None:
        return _invalid_filters(form)
    columns, rows = result
    content = exports.xlsx_bytes(columns, rows, title=_("Contracten"))
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name(form, "xlsx")}"'
    return response


# --- stories --------------------------------------------------------------------------------------

def _may_use_stories(user) -> bool:
    return _role(user) in (Role.BEHEERDER, Role.SR_TEAM, Role.LEVERANCIER)


def _stories_for(user):
    role = _role(user)
    qs = Verhaal.objects.select_related("gemeente", "contract")
    if role == Role.BEHEERDER:
        return qs
    if role == Role.SR_TEAM:
        return qs.filter(gemeente__in=access.gemeenten_for(user).values("pk"))
    if role == Role.LEVERANCIER:
        return qs.filter(contract__in=access.contracts_for(user).values("pk"))
    return qs.none()


def _may_review(user, verhaal) -> bool:
    role = _role(user)
    return role == Role.BEHEERDER or (
        role == Role.SR_TEAM and access.gemeenten_for(user).filter(pk=verhaal.gemeente_id).exists()
    )


@login_required
@require_GET
def verhalen(request):
    if not _may_use_stories(request.user):
        raise PermissionDenied
    stories = list(_stories_for(request.user).order_by("status", "-jaar", "-ingediend_op")[:200])
    return render(request, "reporting/verhalen.html", {
        "te_beoordelen": [v for v in stories if v.status == VerhaalStatus.INGEDIEND],
        "verhalen": stories,
        "is_team": _role(request.user) in (Role.SR_TEAM, Role.BEHEERDER),
    })


@login_required
@require_http_methods(["GET", "POST"])
def verhaal_nieuw(request):
    if not _may_use_stories(request.user):
        raise PermissionDenied
    supplier = _role(request.user) == Role.LEVERANCIER
    kwargs = (
        {"contracts": access.contracts_for(request.user).select_related("gemeente").order_by("kenmerk")}
        if supplier else {"gemeenten": access.gemeenten_for(request.user).order_by("naam")}
    )
    form = forms.VerhaalForm(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contract = data.get("contract")
        try:
            services.submit_story(
                user=request.user, gemeente=contract.gemeente if contract else data["gemeente"], contract=contract,
                jaar=data["jaar"], titel=data["titel"], tekst=data["tekst"], toestemming=data["toestemming"],
                toestemming_op=data["toestemming_op"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Het verhaal is ingediend. Het SR-team beoordeelt het voordat het in de "
                                        "raadsrapportage komt."))
            return redirect("reporting:verhalen")
    return render(request, "reporting/verhaal_nieuw.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def verhaal(request, pk):
    if not _may_use_stories(request.user):
        raise PermissionDenied
    story = get_object_or_404(_stories_for(request.user), pk=pk)
    may_review = _may_review(request.user, story)
    form = forms.VerhaalBeoordelingForm(request.POST or None) if may_review else None
    if request.method == "POST":
        if not may_review:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.review_story(verhaal=story, user=request.user, besluit=form.cleaned_data["besluit"],
                                      toelichting=form.cleaned_data["toelichting"])
            except ValidationError as error:
                add_service_errors(form, error)
            except StateConflict as conflict:
                form.add_error(None, str(conflict))
            else:
                messages.success(request, _("Het besluit over het verhaal is vastgelegd."))
                return redirect("reporting:verhalen")
    return render(request, "reporting/verhaal.html", {"verhaal": story, "form": form})


# --- follow-up of placements ----------------------------------------------------------------------

def _placements_for(user):
    return (
        access.registraties_for(user, write=True)
        .filter(status=Status.GOEDGEKEURD, bouwblok__soort=Soort.PLAATSING)
        .select_related("contract", "bouwblok", "kandidaat", "vervolg")
    )


@login_required
@require_GET
def vervolg_lijst(request):
    if _role(request.user) not in (Role.LEVERANCIER, Role.BEHEERDER):
        raise PermissionDenied
    placements = list(_placements_for(request.user).order_by("-startdatum", "pk")[:500])
    today = clock.today()
    rows = [(r, services.follow_up_due_from(r), getattr(r, "vervolg", None)) for r in placements]
    return render(request, "reporting/vervolg_lijst.html", {"rows": rows, "today": today})


@login_required
@require_http_methods(["GET", "POST"])
def vervolg(request, registratie_id):
    if _role(request.user) not in (Role.LEVERANCIER, Role.BEHEERDER):
        raise PermissionDenied
    registratie = get_object_or_404(_placements_for(request.user), pk=registratie_id)
    current = getattr(registratie, "vervolg", None)
    initial = {
        "vast_contract": forms.from_bool(current.vast_contract if current else None),
        "in_dienst_na_12_maanden": forms.from_bool(current.in_dienst_na_12_maanden if current else None),
    }
    form = forms.VervolgForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_follow_up(
                registratie=registratie, user=request.user,
                vast_contract=forms.as_bool(form.cleaned_data["vast_contract"]),
                in_dienst_na_12_maanden=forms.as_bool(form.cleaned_data["in_dienst_na_12_maanden"]),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except StateConflict as conflict:
            form.add_error(None, str(conflict))
        else:
            messages.success(request, _("Het vervolg van de plaatsing is vastgelegd."))
            return redirect("reporting:vervolg_lijst")
    return render(request, "reporting/vervolg.html", {
        "registratie": registratie, "form": form, "vanaf": services.follow_up_due_from(registratie),
    })


# --- SR-team budget -------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def teambudget(request):
    if _role(request.user) not in (Role.SR_TEAM, Role.BEHEERDER):
        raise PermissionDenied
    gemeenten = access.gemeenten_for(request.user).order_by("naam")
    form = forms.TeambudgetForm(request.POST or None, gemeenten=gemeenten)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_team_budget(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Het budget is vastgelegd."))
            return redirect("reporting:teambudget")
    budgets = Teambudget.objects.filter(gemeente__in=gemeenten.values("pk")).select_related("gemeente").order_by(
        "gemeente__naam", "-jaar"
    )
    return render(request, "reporting/teambudget.html", {"form": form, "budgets": budgets})
