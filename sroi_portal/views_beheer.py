"""The functional administrator's page of the processing log (Logboek dataverwerkingen), mounted at
/beheer/verwerkingen/: the log with filters (reference, user, activity, period), paginated, and the
same selection as CSV. Only the functional administrator; every other role gets 403."""

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sroi_portal import access, clock
from sroi_portal.models import Verwerking
from sroi_portal.processing_log import ACTIVITEITEN
from sroi_portal.spreadsheets import CsvWriter

PAGE_SIZE = 50
CSV_COLUMNS = [
    ("tijdstip", "Tijdstip"), ("actor_label", "Gebruiker"), ("actor_rol", "Rol"), ("activiteit", "Activiteit"),
    ("doel", "Doel"), ("grondslag", "Grondslag"), ("object_type", "Soort gegeven"), ("object_id", "Nummer"),
    ("betrokkene", "Betrokkene"), ("trace_id", "Verzoek-id"), ("pad", "Pagina of endpoint"),
]


class VerwerkingFilterForm(forms.Form):
    betrokkene = forms.CharField(label=gettext_lazy("Betrokkene (referentie)"), required=False, max_length=40)
    gebruiker = forms.CharField(label=gettext_lazy("Gebruiker (e-mailadres of naam)"), required=False, max_length=254)
    activiteit = forms.ChoiceField(label=gettext_lazy("Activiteit"), required=False)
    van = forms.DateField(label=gettext_lazy("Van (dd-mm-jjjj)"), required=False,
                          input_formats=["%d-%m-%Y", "%Y-%m-%d"],
                          error_messages={"invalid": gettext_lazy("Vul een datum in als dd-mm-jjjj.")})
    tot = forms.DateField(label=gettext_lazy("Tot en met (dd-mm-jjjj)"), required=False,
                          input_formats=["%d-%m-%Y", "%Y-%m-%d"],
                          error_messages={"invalid": gettext_lazy("Vul een datum in als dd-mm-jjjj.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activiteit"].choices = [("", _("Alle activiteiten"))] + [
            (code, f"{a.naam} ({code})") for code, a in ACTIVITEITEN.items()
        ]

    def clean(self):
        data = super().clean()
        if data.get("van") and data.get("tot") and data["van"] > data["tot"]:
            self.add_error("tot", _("De einddatum ligt voor de begindatum."))
        return data


def _require_beheerder(user):
    if not access.is_beheerder(user):
        raise PermissionDenied


def _filtered(data) -> QuerySet:
    qs = Verwerking.objects.all()
    if data.get("betrokkene"):
        qs = qs.filter(betrokkene=data["betrokkene"].strip())
    if data.get("gebruiker"):
        qs = qs.filter(actor_label__icontains=data["gebruiker"].strip())
    if data.get("activiteit"):
        qs = qs.filter(activiteit=data["activiteit"])
    zone = timezone.get_current_timezone()
    if data.get("van"):
        qs = qs.filter(tijdstip__gte=datetime.combine(data["van"], time.min, tzinfo=zone))
    if data.get("tot"):
        qs = qs.filter(tijdstip__lt=datetime.combine(data["tot"] + timedelta(days=1), time.min, tzinfo=zone))
    return qs.order_by("-tijdstip", "-pk")


def _form(request):
    form = VerwerkingFilterForm(request.GET or None)
    valid = form.is_valid() if request.GET else True
    return form, (form.cleaned_data if request.GET and valid else {}), valid


@login_required
@require_GET
def verwerkingen(request):
    _require_beheerder(request.user)
    form, data, valid = _form(request)
    qs = _filtered(data) if valid else Verwerking.objects.none()
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "beheer/verwerkingen.html", {
        "form": form, "page": page, "rows": list(page.object_list), "query": query.urlencode(),
        "activiteiten": ACTIVITEITEN,
    }, status=200 if valid else 400)


@login_required
@require_GET
def verwerkingen_csv(request):
    _require_beheerder(request.user)
    form, data, valid = _form(request)
    if not valid:
        return render(request, "beheer/verwerkingen.html", {
            "form": form, "page": None, "rows": [], "query": "", "activiteiten": ACTIVITEITEN,
        }, status=400)
    values = _filtered(data).values_list(*(key for key, _label in CSV_COLUMNS))
    writer = CsvWriter()  # no formulas when the file is opened in a spreadsheet (CSV injection)

    def lines():
        yield "\ufeff" + writer.writerow([label for _key, label in CSV_COLUMNS])
        for row in values.iterator(chunk_size=2000):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="logboek-dataverwerkingen-{clock.today():%Y%m%d}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
