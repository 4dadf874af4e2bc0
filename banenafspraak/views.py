"""Pages of the banenafspraak: plain function views; every one checks access through
``banenafspraak.access`` and takes its figures from ``banenafspraak.selectors`` (a fixed number of
queries per page)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from sroi_portal import clock, processing_log
from sroi_portal.validation import add_service_errors

from . import access, calculation, imports, selectors, services
from .forms import DienstverbandForm, DoelForm, DoelstellingenImportForm, TellingForm, UwvImportForm, WerkgeverForm
from .models import Arbeidsmarktregio


def _selected_year(request, years: list[int]) -> int:
    """``?jaar=`` when valid; else the latest year with data up to this year; else this year."""
    value = request.GET.get("jaar", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    this_year = clock.today().year
    past = [y for y in years if y <= this_year]
    return past[-1] if past else this_year


def _year_choices(years: list[int], jaar: int) -> list[int]:
    return sorted(set(years) | {jaar, clock.today().year}, reverse=True)


# --- the HR / project-group pages ----------------------------------------------------------------


@login_required
@require_GET
def overzicht(request):
    """The employers a staff member may see, with this year's figures (raadsleden use the council view)."""
    if not access.may_use_staff_pages(request.user):
        raise PermissionDenied
    tree = selectors.load_tree(access.werkgevers_for(request.user))
    roots = sorted(tree.roots(), key=lambda w: w.naam)
    years = sorted({y for root in roots for y in tree.years(root.pk)})
    jaar = _selected_year(request, years)
    rows = [(root, tree.figures(root.pk, jaar)) for root in roots]
    may_create = access.may_create_werkgever(request.user, None) or any(
        access.may_create_werkgever(request.user, g) for g in _gemeenten_without_employer(request.user)
    )
    return render(request, "banenafspraak/overzicht.html", {
        "rows": rows, "jaar": jaar, "jaren": _year_choices(years, jaar), "may_create": may_create,
    })


def _gemeenten_without_employer(user):
    from sroi_portal.access import gemeenten_for

    from .models import Werkgever

    taken = Werkgever.objects.filter(bovenliggende__isnull=True, gemeente__isnull=False).values("gemeente_id")
    return gemeenten_for(user).exclude(pk__in=taken).order_by("naam")


def _werkgever_or_404(request, pk):
    return get_object_or_404(access.werkgevers_for(request.user).select_related("gemeente"), pk=pk)


@login_required
@require_GET
def werkgever(request, pk):
    """A unit with its sub-units: targets and jobs per year, per quarter, the trend and (for the
    SR-team) the person-level records."""
    if not access.may_use_staff_pages(request.user):
        raise PermissionDenied
    werkgever = _werkgever_or_404(request, pk)
    tree = selectors.tree_of(werkgever)
    years = tree.years(werkgever.pk)
    jaar = _selected_year(request, years)
    figures = tree.figures(werkgever.pk, jaar)
    subtree = tree.subtree_ids(werkgever.pk)
    ancestors = []
    parent_id = werkgever.bovenliggende_id
    while parent_id is not None and parent_id in tree.werkgevers:
        ancestors.insert(0, tree.werkgevers[parent_id])
        parent_id = tree.werkgevers[parent_id].bovenliggende_id
    may_see_people = access.may_see_person_records(request.user, werkgever)
    records = []
    if may_see_people:
        params = tree.params(jaar)
        for dv in selectors.person_records(werkgever=werkgever, tree=tree):
            records.append((dv, calculation.round_jobs(calculation.jobs_in_period(
                uren_per_week=dv.uren_per_week, startdatum=dv.startdatum, einddatum=dv.einddatum, jaar=jaar,
                peildatum=tree.peildatum, params=params))))
        processing_log.log_views(request, "dienstverband-inzien", [dv for dv, _jobs in records])
    doelen = sorted((d for (uid, _y), d in tree.doelen.items() if uid in subtree),
                    key=lambda d: (d.jaar, tree.werkgevers[d.werkgever_id].naam))
    tellingen = sorted((t for t in tree.tellingen if t.werkgever_id in subtree),
                       key=lambda t: (t.jaar, t.kwartaal or 0, tree.werkgevers[t.werkgever_id].naam))
    return render(request, "banenafspraak/werkgever.html", {
        "werkgever": werkgever,
        "ancestors": ancestors,
        "jaar": jaar,
        "jaren": _year_choices(years, jaar),
        "figures": figures,
        "rows": tree.rows(werkgever.pk, jaar),
        "kwartalen": [tree.figures(werkgever.pk, jaar, k) for k in (1, 2, 3, 4)],
        "trend": [tree.figures(werkgever.pk, y) for y in years],
        "doelen": [(d, tree.werkgevers[d.werkgever_id]) for d in doelen],
        "tellingen": [(t, tree.werkgevers[t.werkgever_id]) for t in tellingen],
        "may_manage": access.may_manage_werkgever(request.user, werkgever),
        "may_see_people": may_see_people,
        "records": records,
        "params": tree.params(jaar),
    })


def _form_page(request, *, form, title, werkgever=None, submit_label=None, enctype=False):
    return render(request, "banenafspraak/formulier.html", {
        "form": form, "title": title, "werkgever": werkgever, "submit_label": submit_label or _("Opslaan"),
        "multipart": enctype,
    })


def _werkgever_url(pk, jaar=None) -> str:
    url = reverse("banenafspraak:werkgever", kwargs={"pk": pk})
    return f"{url}?jaar={jaar}" if jaar is not None else url


def _handle_form(request, form, *, save, success_url, title, werkgever=None):
    """The flow every create page shares: on a valid POST ``save(cleaned_data)`` runs; a
    ``ValidationError`` from the service goes back onto the form (nothing stored), otherwise the user
    goes to ``success_url(result)``. GET and invalid input show the form again."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(success_url(result))
    return _form_page(request, form=form, title=title, werkgever=werkgever)


@login_required
@require_http_methods(["GET", "POST"])
def werkgever_nieuw(request):
    """A municipality's own organisation as employer (top level)."""
    if not access.may_use_staff_pages(request.user):
        raise PermissionDenied

    def save(data):
        if not access.may_create_werkgever(request.user, data["gemeente"]):
            raise PermissionDenied
        return services.create_werkgever(naam=data["naam"], gemeente=data["gemeente"], user=request.user)

    form = WerkgeverForm(request.POST or None, gemeenten=_gemeenten_without_employer(request.user))
    return _handle_form(request, form, save=save, success_url=lambda created: _werkgever_url(created.pk),
                        title=_("Werkgever toevoegen"))


def _managed_werkgever(request, pk):
    werkgever = _werkgever_or_404(request, pk)
    if not access.may_manage_werkgever(request.user, werkgever):
        raise PermissionDenied
    return werkgever


@login_required
@require_http_methods(["GET", "POST"])
def onderdeel_nieuw(request, pk):
    parent = _managed_werkgever(request, pk)
    return _handle_form(
        request, WerkgeverForm(request.POST or None),
        save=lambda data: services.create_werkgever(naam=data["naam"], bovenliggende=parent, user=request.user),
        success_url=lambda created: _werkgever_url(created.pk),
        title=_("Onderdeel toevoegen aan %(naam)s") % {"naam": parent.naam}, werkgever=parent,
    )


@login_required
@require_http_methods(["GET", "POST"])
def doel_nieuw(request, pk):
    werkgever = _managed_werkgever(request, pk)
    return _handle_form(
        request, DoelForm(request.POST or None),
        save=lambda data: services.create_doel(werkgever=werkgever, **data),
        success_url=lambda doel: _werkgever_url(werkgever.pk, doel.jaar),
        title=_("Doel vastleggen voor %(naam)s") % {"naam": werkgever.naam}, werkgever=werkgever,
    )


@login_required
@require_http_methods(["GET", "POST"])
def telling_nieuw(request, pk):
    werkgever = _managed_werkgever(request, pk)
    return _handle_form(
        request, TellingForm(request.POST or None),
        save=lambda data: services.record_telling(werkgever=werkgever, user=request.user, **data),
        success_url=lambda telling: _werkgever_url(werkgever.pk, telling.jaar),
        title=_("Gemeten aantal banen vastleggen voor %(naam)s") % {"naam": werkgever.naam}, werkgever=werkgever,
    )


@login_required
@require_http_methods(["GET", "POST"])
def dienstverband_nieuw(request, pk):
    werkgever = _werkgever_or_404(request, pk) if access.may_use_staff_pages(request.user) else None
    if werkgever is None or not access.may_see_person_records(request.user, werkgever):
        raise PermissionDenied
    return _handle_form(
        request, DienstverbandForm(request.POST or None),
        save=lambda data: services.record_dienstverband(werkgever=werkgever, user=request.user, **data),
        success_url=lambda _dienstverband: _werkgever_url(werkgever.pk),
        title=_("Dienstverband registreren bij %(naam)s") % {"naam": werkgever.naam}, werkgever=werkgever,
    )


# --- the council view ----------------------------------------------------------------------------


@login_required
@require_GET
def raad(request):
    """The council's view: the municipality's totals per year, the trend and the region. No units, no people."""
    gemeenten = list(access.council_gemeenten_for(request.user).order_by("naam"))
    if not gemeenten:
        raise PermissionDenied
    code = request.GET.get("gemeente")
    gemeente = next((g for g in gemeenten if g.code == code), None) if code else gemeenten[0]
    if gemeente is None:
        raise Http404
    if not access.may_see_council_figures(request.user, gemeente):
        raise PermissionDenied
    jaar_param = request.GET.get("jaar", "")
    jaar = int(jaar_param) if jaar_param.isdigit() and 2000 <= int(jaar_param) <= 2100 else None
    figures = selectors.council_figures(gemeente=gemeente, jaar=jaar)
    return render(request, "banenafspraak/raad.html", {
        "figures": figures, "gemeente": gemeente, "gemeenten": gemeenten, "jaar": figures.jaar,
        "jaren": _year_choices(list(figures.beschikbare_jaren), figures.jaar),
    })


# --- the region ----------------------------------------------------------------------------------


@login_required
@require_GET
def regio(request):
    """Indicative regional targets and the UWV trend per labour-market region, ranked by progress."""
    if not access.may_see_regional(request.user):
        raise PermissionDenied
    overview = selectors.regional_overview()
    from sroi_portal.access import gemeenten_for

    own = set(Arbeidsmarktregio.objects.filter(gemeenten__in=gemeenten_for(request.user)).values_list("pk", flat=True))
    regions = {r.pk: r for r in Arbeidsmarktregio.objects.filter(pk__in=list(overview.doelstellingen))}
    return render(request, "banenafspraak/regio.html", {
        "overview": overview,
        "eigen_regios": own,
        "doelstellingen": [(regions[rid], rows) for rid, rows in sorted(overview.doelstellingen.items(),
                                                                         key=lambda item: regions[item[0]].naam)],
        "may_import": access.may_import_regional(request.user),
    })


def _known_regions():
    return list(Arbeidsmarktregio.objects.order_by("naam").values_list("naam", flat=True))


def _csv_response(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(("\ufeff" + text).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def uwv_sjabloon(request):
    if not access.may_see_regional(request.user):
        raise PermissionDenied
    return _csv_response(imports.uwv_template(known_regions=_known_regions()), "sjabloon-uwv-banenafspraak.csv")


@login_required
@require_GET
def doelstellingen_sjabloon(request):
    if not access.may_see_regional(request.user):
        raise PermissionDenied
    return _csv_response(imports.regional_targets_template(), "sjabloon-regionale-doelstellingen.csv")


def _import_page(request, form, *, run, title, sjabloon):
    """The flow both CSV imports share: on a valid POST ``run(cleaned_data)`` imports all or nothing;
    a rejected file shows its problems with status 400, a good one its result."""
    problems, result = [], None
    if request.method == "POST" and form.is_valid():
        try:
            result = run(form.cleaned_data)
        except imports.ImportRejected as rejected:
            problems = rejected.problems
    return render(request, "banenafspraak/import.html", {
        "form": form, "problems": problems, "result": result, "title": title, "sjabloon": reverse(sjabloon),
    }, status=400 if problems else 200)


@login_required
@require_http_methods(["GET", "POST"])
def uwv_import(request):
    """Import a UWV table, all or nothing; the result states per column whether the published total
    row equals the sum of the regions."""
    if not access.may_import_regional(request.user):
        raise PermissionDenied

    def run(data):
        bestand = data["bestand"]
        rapportage, checks = services.import_uwv(
            content=bestand.read(), bron=data["bron"], nulmeting_peildatum=data["nulmeting_peildatum"],
            bestandsnaam=bestand.name, user=request.user,
        )
        return {"rapportage": rapportage, "checks": checks,
                "regios": rapportage.rijen.exclude(arbeidsmarktregio__isnull=True).count()}

    return _import_page(request, UwvImportForm(request.POST or None, request.FILES or None), run=run,
                        title=_("UWV-cijfers importeren"), sjabloon="banenafspraak:uwv_sjabloon")


@login_required
@require_http_methods(["GET", "POST"])
def doelstellingen_import(request):
    if not access.may_import_regional(request.user):
        raise PermissionDenied

    def run(data):
        return {"aantal": services.import_regional_targets(content=data["bestand"].read(), bron=data["bron"],
                                                           user=request.user)}

    return _import_page(request, DoelstellingenImportForm(request.POST or None, request.FILES or None), run=run,
                        title=_("Regionale doelstellingen importeren"), sjabloon="banenafspraak:doelstellingen_sjabloon")
