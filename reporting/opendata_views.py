"""Pages of the public open data (/rapportage/open-data/): no login, aggregates only.

Every download serves a stored, numbered version (``reporting.models.OpenDataVersie``), never a live
recomputation; ``{code}/{jaar}.csv`` and ``.json`` (the paths outside clients use) serve the latest
version of the year. The administrator publishes (version 1 of a closed year, or a correction) on
the versions page; the rules live in ``reporting.opendata.publish_version``.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from contracts.models import Gemeente
from sroi_portal import access, clock
from sroi_portal.validation import add_service_errors

from . import opendata
from .models import OpenDataVersie

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


class PublicatieForm(forms.Form):
    toelichting = forms.CharField(
        label=gettext_lazy("Toelichting"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Verplicht bij een correctie: wat is er veranderd en waarom? Wordt met de versie gepubliceerd."),
    )


def _gemeente_and_year(gemeentecode, jaar):
    gemeente = get_object_or_404(Gemeente, code=gemeentecode)
    if not (2000 <= jaar <= clock.today().year):
        raise Http404
    return gemeente


def _serve(version: OpenDataVersie, formaat: str, *, latest: bool) -> HttpResponse:
    content = bytes(version.csv if formaat == "csv" else version.json)
    response = HttpResponse(content, content_type=CONTENT_TYPES[formaat])
    name = f"sroi-{version.gemeente.code}-{version.jaar}-versie-{version.versie}.{formaat}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["ETag"] = '"%s"' % (version.csv_sha256 if formaat == "csv" else version.json_sha256)
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Open-Data-Versie"] = str(version.versie)
    # A numbered version never changes; "the latest" may get a correction.
    response["Cache-Control"] = "public, max-age=3600" if latest else "public, max-age=31536000, immutable"
    return response


def _not_published(request, gemeente, jaar):
    today = clock.today()
    return render(request, "reporting/opendata_niet_gepubliceerd.html", {
        "gemeente": gemeente, "jaar": jaar, "afgesloten": opendata.is_closed(jaar, today),
        "publicatiedatum": opendata.publication_date(jaar),
    }, status=404)


@require_GET
def index(request):
    """Public index: per municipality the years with published open data."""
    published = opendata.published_years()
    rows = [(g, published.get(g.pk, [])) for g in Gemeente.objects.order_by("naam")]
    return render(request, "reporting/opendata_index.html", {
        "rows": rows, "publicatiedatum": opendata.publication_date(clock.today().year - 1),
    })


@require_GET
def versions(request, gemeentecode, jaar):
    """Public: the versions of a year, each with its date, note and downloads."""
    gemeente = _gemeente_and_year(gemeentecode, jaar)
    today = clock.today()
    rows = list(opendata.versions_of(gemeente=gemeente, jaar=jaar).select_related("gemeente").defer("csv", "json"))
    return render(request, "reporting/opendata_versies.html", {
        "gemeente": gemeente, "jaar": jaar, "versies": rows, "afgesloten": opendata.is_closed(jaar, today),
        "publicatiedatum": opendata.publication_date(jaar),
        "form": PublicatieForm() if access.is_beheerder(request.user) else None,
    }, status=200)


@login_required
@require_POST
def publish(request, gemeentecode, jaar):
    """The administrator publishes version 1 of a closed year, or a correction (with a note)."""
    if not access.is_beheerder(request.user):
        raise PermissionDenied
    gemeente = _gemeente_and_year(gemeentecode, jaar)
    form = PublicatieForm(request.POST)
    if form.is_valid():
        try:
            version = opendata.publish_version(gemeente=gemeente, jaar=jaar, door=request.user,
                                               toelichting=form.cleaned_data["toelichting"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Versie %(versie)s van de open data over %(jaar)s is gepubliceerd.")
                             % {"versie": version.versie, "jaar": jaar})
            return redirect("reporting:open_data_versies", gemeentecode=gemeente.code, jaar=jaar)
    rows = list(opendata.versions_of(gemeente=gemeente, jaar=jaar).select_related("gemeente").defer("csv", "json"))
    return render(request, "reporting/opendata_versies.html", {
        "gemeente": gemeente, "jaar": jaar, "versies": rows,
        "afgesloten": opendata.is_closed(jaar, clock.today()),
        "publicatiedatum": opendata.publication_date(jaar), "form": form,
    }, status=400)


def _latest(request, gemeentecode, jaar, formaat):
    gemeente = _gemeente_and_year(gemeentecode, jaar)
    version = opendata.latest_version(gemeente=gemeente, jaar=jaar)
    if version is None:
        return _not_published(request, gemeente, jaar)
    return _serve(version, formaat, latest=True)


@require_GET
def latest_csv(request, gemeentecode, jaar):
    return _latest(request, gemeentecode, jaar, "csv")


@require_GET
def latest_json(request, gemeentecode, jaar):
    return _latest(request, gemeentecode, jaar, "json")


def _numbered(request, gemeentecode, jaar, versie, formaat):
    gemeente = _gemeente_and_year(gemeentecode, jaar)
    version = get_object_or_404(OpenDataVersie.objects.select_related("gemeente"), gemeente=gemeente, jaar=jaar,
                                versie=versie)
    return _serve(version, formaat, latest=False)


@require_GET
def version_csv(request, gemeentecode, jaar, versie):
    return _numbered(request, gemeentecode, jaar, versie, "csv")


@require_GET
def version_json(request, gemeentecode, jaar, versie):
    return _numbered(request, gemeentecode, jaar, versie, "json")
