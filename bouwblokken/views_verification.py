"""The SR-team's verification pages: the queue across its municipalities, one registration with its
evidence, flags and history, the decision, and approving several at once.

Decisions go through ``bouwblokken.services.decide`` (row lock + version check, the closed-contract
guard and the four-eyes rule), one by one; a bulk approval is all or nothing. "Meer informatie" is a
decision kind of its own (``Besluit.MEER_INFORMATIE``): the registration goes back to concept with the
question, the supplier supplements it and submits it again.
"""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Prefetch
from django.forms.utils import flatatt
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from contracts.models import Leverancier
from contracts.services import closed_message, is_closed
from contracts.views import history_entries, is_srteam_user
from sroi_portal import processing_log
from sroi_portal.access import gemeenten_for, is_beheerder, may_decide
from sroi_portal.access import registraties_for as _registraties_in_scope
from sroi_portal.errors import StateConflict
from sroi_portal.validation import add_service_errors

from . import services
from .models import Besluit, Bewijsstuk, Bouwblok, Registratie, Signaal, Status
from .selectors import missing_evidence, missing_evidence_by_registration
from .selectors import names as evidence_names
from .views import page_range

PAGE_SIZE = 50


def registraties_for(user):
    """The registrations these pages show: the user's scope, without the special-category ones for
    the functional administrator (``access_pages.may_see_special_category``: only the supplier and
    the SR-team of the contract see a ``gevoelig`` registration and its candidate). For the SR-team
    every registration in scope is one of its own municipalities', so it sees them all."""
    qs = _registraties_in_scope(user)
    if is_beheerder(user):  # also a bonus on such a placement: its page names the placement's bouwblok
        qs = qs.exclude(bouwblok__gevoelig=True).exclude(hoofdregistratie__bouwblok__gevoelig=True)
    return qs


def _require_srteam(user):
    if not is_srteam_user(user):
        raise PermissionDenied


class PlainSelect(forms.Select):
    """A single ``<select>`` built in Python. Django's ``Select`` renders every option through a
    template; for the hundreds of suppliers of a municipality that was half of the queue page's time
    (regio: 460 options, 94 ms). Same markup: name, id and the widget's attributes, ``selected`` on
    the option whose value is the field's value."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = {"name": name, **self.build_attrs(self.attrs, attrs)}
        current = self.format_value(value)
        chosen = str(current[0]) if current else ""
        parts = []
        for option_value, label in self.choices:
            text = "" if option_value is None else str(option_value)
            selected = chosen is not None and text == chosen
            if selected:
                chosen = None  # one selected option, as Django's Select
            parts.append(f'<option value="{escape(text)}"{" selected" if selected else ""}>{escape(str(label))}</option>')
        return mark_safe(f"<select{flatatt(final_attrs)}>{''.join(parts)}</select>")


class QueueFilterForm(forms.Form):
    gemeente = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Gemeente"), required=False,
                                      empty_label=gettext_lazy("Alle gemeenten"), widget=PlainSelect)
    leverancier = forms.ModelChoiceField(queryset=None, label=gettext_lazy("Leverancier"), required=False,
                                         empty_label=gettext_lazy("Alle leveranciers"), widget=PlainSelect)
    bouwblok = forms.ChoiceField(label=gettext_lazy("Bouwblok"), required=False, widget=PlainSelect)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False,
        choices=[("", gettext_lazy("Alle statussen")), *Status.choices], widget=PlainSelect,
    )
    contract = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        gemeenten = gemeenten_for(user)
        self.fields["gemeente"].queryset = gemeenten.order_by("naam")
        self.fields["leverancier"].queryset = (
            Leverancier.objects.filter(contracten__gemeente__in=gemeenten.values("pk")).distinct().order_by("naam")
        )
        # The options from one values() query (no model instance per supplier); the queryset above
        # still validates the submitted value. The label is Leverancier.__str__.
        self.fields["leverancier"].choices = [("", self.fields["leverancier"].empty_label), *(
            (pk, f"{naam} ({kvk})") for pk, naam, kvk in
            self.fields["leverancier"].queryset.values_list("pk", "naam", "kvk_nummer")
        )]
        self.fields["bouwblok"].choices = [("", _("Alle bouwblokken")), *self._bouwblokken(gemeenten)]

    @staticmethod
    def _bouwblokken(gemeenten):
        seen = {}
        rows = (
            Bouwblok.objects.filter(catalogus__regio__gemeenten__in=gemeenten.values("pk"))
            .order_by("volgorde", "code", "-catalogus__geldig_vanaf")
            .values_list("code", "naam")
        )
        for code, naam in rows:
            seen.setdefault(code, naam)
        return list(seen.items())


#: Oldest submission first (a concept has no ``ingediend_op``: last). The index
#: ``registratie_queue_order_idx`` (status, ingediend_op, aangemaakt_op, id) serves it.
QUEUE_ORDER = (F("ingediend_op").asc(nulls_last=True), "aangemaakt_op", "pk")


def _queue_filtered(user, data: dict):
    qs = registraties_for(user)
    if data.get("gemeente"):
        qs = qs.filter(contract__gemeente=data["gemeente"])
    if data.get("leverancier"):
        qs = qs.filter(contract__leverancier=data["leverancier"])
    if data.get("bouwblok"):
        qs = qs.filter(bouwblok__code=data["bouwblok"])
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("contract"):
        qs = qs.filter(contract_id=data["contract"])
    return qs


def _with_queue_relations(qs):
    return qs.select_related(
        "contract__gemeente", "contract__leverancier", "bouwblok", "kandidaat", "hoofdregistratie__bouwblok"
    ).prefetch_related(
        Prefetch("bewijsstukken", queryset=Bewijsstuk.objects.select_related("soort")),
        Prefetch("signalen", queryset=Signaal.objects.select_related("andere_registratie__contract")),
    )


def queue_queryset(user, data: dict):
    """The queue in its order with everything a row shows (one query plus the prefetches)."""
    return _with_queue_relations(_queue_filtered(user, data)).order_by(*QUEUE_ORDER)


def queue_page(user, data: dict, number):
    """One page of the queue: ``(page, rows)``. The page is cut from the ids alone (a narrow, indexed
    query); only its rows are then read with their relations. One query with all eight joins, the
    filter and the order took PostgreSQL 15-25 ms to plan at regio scale; the two take about 5 ms."""
    page = Paginator(_queue_filtered(user, data).order_by(*QUEUE_ORDER).values_list("pk", flat=True),
                     PAGE_SIZE).get_page(number)
    ids = list(page.object_list)
    # The ids come from the user's scope above; reading them back by primary key keeps that scope.
    by_pk = {r.pk: r for r in _with_queue_relations(Registratie.objects.filter(pk__in=ids))} if ids else {}
    return page, [by_pk[pk] for pk in ids if pk in by_pk]


@login_required
@require_http_methods(["GET"])
def queue(request):
    _require_srteam(request.user)
    params = request.GET.copy()
    if "status" not in params:
        params["status"] = Status.INGEDIEND
    form = QueueFilterForm(params, user=request.user)
    data = form.cleaned_data if form.is_valid() else {"status": Status.INGEDIEND}
    page, rows = queue_page(request.user, data, request.GET.get("pagina"))
    visible = _visible_ids(request.user, rows)
    processing_log.log_views(request, "controle-lijst", rows)
    query = params.copy()
    query.pop("pagina", None)
    contract = None
    if data.get("contract"):
        from sroi_portal.access import contracts_for

        contract = contracts_for(request.user).filter(pk=data["contract"]).only("pk", "kenmerk", "omschrijving").first()
    return render(request, "controle/queue.html", {
        "contract": contract,
        "form": form, "page": page, "page_range": page_range(page), "rows": rows, "visible": visible, "query": query.urlencode(),
        "may_bulk": any(r.status == Status.INGEDIEND for r in rows),
        "next": request.get_full_path(),
    })


def _visible_ids(user, registraties) -> set:
    """Ids of the registrations named in overlap flags that this user may open (one query)."""
    other_ids = {s.andere_registratie_id for r in registraties for s in r.signalen.all() if s.andere_registratie_id}
    if not other_ids:
        return set()
    return set(registraties_for(user).filter(pk__in=other_ids).values_list("pk", flat=True))


class DecisionForm(forms.Form):
    besluit = forms.ChoiceField(
        label=gettext_lazy("Besluit"), widget=forms.RadioSelect,
        choices=[
            (Besluit.GOEDGEKEURD, gettext_lazy("Goedkeuren")),
            (Besluit.AFGEKEURD, gettext_lazy("Afkeuren")),
            (Besluit.MEER_INFORMATIE, gettext_lazy("Meer informatie vragen (de leverancier vult aan en dient opnieuw in)")),
        ],
        error_messages={"required": gettext_lazy("Kies een besluit.")},
    )
    toelichting = forms.CharField(
        label=gettext_lazy("Toelichting voor de leverancier"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Verplicht bij afkeuren en bij meer informatie vragen; de leverancier ziet deze tekst."),
    )
    reden_zonder_bewijs = forms.CharField(
        label=gettext_lazy("Reden om goed te keuren zonder het vereiste bewijs"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Alleen nodig bij goedkeuren terwijl vereist bewijs ontbreekt; "
                               "wordt bij het besluit bewaard."),
    )
    versie = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, missing=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not missing:
            # Nothing missing: no reason to give (a posted one is ignored by the service).
            self.fields["reden_zonder_bewijs"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        besluit = data.get("besluit")
        if besluit in (Besluit.AFGEKEURD, Besluit.MEER_INFORMATIE) and not (data.get("toelichting") or "").strip():
            self.add_error("toelichting", _("Geef de reden; de leverancier ziet die."))
        return data

    def service_arguments(self):
        data = self.cleaned_data
        return data["besluit"], (data.get("toelichting") or "").strip()


def _registratie_for(request, pk) -> Registratie:
    _require_srteam(request.user)
    registratie = get_object_or_404(
        registraties_for(request.user).select_related(
            "contract__gemeente", "contract__leverancier", "bouwblok__catalogus", "kandidaat",
            "hoofdregistratie__bouwblok", "beoordeeld_door",
        ),
        pk=pk,
    )
    return registratie


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return target
    return fallback


def _detail_context(request, registratie, form):
    signalen = list(registratie.signalen.select_related("andere_registratie__contract__leverancier"))
    visible = set(
        registraties_for(request.user).filter(pk__in=[s.andere_registratie_id for s in signalen]).values_list("pk", flat=True)
    ) if signalen else set()
    history = history_entries(
        list(registratie.history.select_related("history_user").order_by("history_date", "history_id")),
        onderwerp=_("Registratie"), model=Registratie,
    )
    history.reverse()
    refusal = _decide_refusal(request.user, registratie)
    return {
        "registratie": registratie,
        "contract": registratie.contract,
        "bewijsstukken": registratie.bewijsstukken.select_related("soort"),
        "ontbrekend_bewijs": missing_evidence(registratie),
        "signalen": signalen,
        "visible": visible,
        "beoordelingen": registratie.beoordelingen.select_related("door"),
        "jaren": registratie.jaren.order_by("jaar"),
        "history": history,
        "form": form,
        "may_decide": registratie.status == Status.INGEDIEND and may_decide(request.user, registratie)
        and not refusal,
        "decide_refusal": refusal,
        "next": _safe_next(request, reverse("controle:queue")),
    }


def _decide_refusal(user, registratie) -> str | None:
    """Why this user cannot decide this submitted registration (closed contract, four eyes), or None."""
    if registratie.status != Status.INGEDIEND or not may_decide(user, registratie):
        return None
    if is_closed(registratie.contract):
        return closed_message()
    return services.four_eyes_refusal(user=user, registratie=registratie)


@login_required
@require_http_methods(["GET"])
def registratie_detail(request, pk):
    registratie = _registratie_for(request, pk)
    form = DecisionForm(initial={"versie": registratie.versie}, missing=missing_evidence(registratie))
    processing_log.log_views(request, "registratie-controleren", [registratie], names_placement=True)
    return render(request, "controle/registratie.html", _detail_context(request, registratie, form))


@login_required
@require_POST
def decide(request, pk):
    registratie = _registratie_for(request, pk)
    if not may_decide(request.user, registratie):
        raise PermissionDenied
    form = DecisionForm(request.POST, missing=missing_evidence(registratie))
    if form.is_valid():
        besluit, toelichting = form.service_arguments()
        try:
            services.decide(registratie=registratie, besluit=besluit, toelichting=toelichting, user=request.user,
                            versie=form.cleaned_data["versie"],
                            reden_zonder_bewijs=form.cleaned_data.get("reden_zonder_bewijs", ""))
        except ValidationError as error:
            add_service_errors(form, error)
        except (StateConflict, services.FourEyesViolation) as error:
            form.add_error(None, error.message)
        else:
            if besluit == Besluit.MEER_INFORMATIE:
                text = _("Om meer informatie gevraagd bij registratie %(nr)s; de leverancier ziet uw vraag.")
            elif besluit == Besluit.GOEDGEKEURD:
                text = _("Registratie %(nr)s is goedgekeurd.")
            else:
                text = _("Registratie %(nr)s is afgekeurd; de leverancier ziet de reden.")
            messages.success(request, text % {"nr": registratie.pk})
            return redirect(_safe_next(request, reverse("controle:queue")))
    registratie.refresh_from_db()
    processing_log.log_views(request, "registratie-controleren", [registratie], names_placement=True)
    return render(request, "controle/registratie.html", _detail_context(request, registratie, form), status=400)


class _NothingApproved(Exception):
    """Rolls a bulk approval back when some of it lacked evidence and no reason was given."""


@login_required
@require_POST
def bulk_approve(request):
    """Approve several submitted registrations: first a confirmation, then all at once or none."""
    _require_srteam(request.user)
    ids = [int(value) for value in request.POST.getlist("registraties") if value.isdigit()]
    back = _safe_next(request, reverse("controle:queue"))
    if not ids:
        messages.error(request, _("Selecteer eerst de registraties die u wilt goedkeuren."))
        return redirect(back)
    selected = list(
        registraties_for(request.user).filter(pk__in=ids)
        .select_related("contract__gemeente", "contract__leverancier", "bouwblok", "kandidaat")
        .prefetch_related("signalen")
        .order_by(F("ingediend_op").asc(nulls_last=True), "pk")
    )
    if len(selected) != len(set(ids)):
        raise PermissionDenied  # an id outside the user's scope: refuse the whole request
    not_submitted = [r for r in selected if r.status != Status.INGEDIEND]
    missing = missing_evidence_by_registration(selected)
    for registratie in selected:
        registratie.ontbrekend_bewijs = missing[registratie.pk]
    zonder_bewijs = [r for r in selected if r.ontbrekend_bewijs]
    reden = (request.POST.get("reden_zonder_bewijs") or "").strip()

    def confirmation(error=None):
        processing_log.log_views(request, "controle-lijst", selected)
        return render(request, "controle/bulk_confirm.html", {
            "selected": selected, "not_submitted": not_submitted,
            "total": sum((r.waarde for r in selected), Decimal("0.00")),
            "flagged": [r for r in selected if r.signalen.all()],
            "zonder_bewijs": zonder_bewijs, "reden_zonder_bewijs": reden, "error": error,
            "next": back,
        }, status=400 if error else 200)

    if request.POST.get("bevestig") != "1":
        return confirmation()
    versions = {r.pk: request.POST.get(f"versie_{r.pk}") for r in selected}
    refused_for_evidence = []
    try:
        with transaction.atomic():
            for registratie in selected:
                if not may_decide(request.user, registratie):
                    raise PermissionDenied
                version = versions.get(registratie.pk)
                try:
                    with transaction.atomic():
                        services.decide(registratie=registratie, besluit=Besluit.GOEDGEKEURD, user=request.user,
                                        versie=int(version) if version and version.isdigit() else None,
                                        reden_zonder_bewijs=reden)
                except ValidationError as error:
                    # services.decide refused it for want of evidence (no reason given): go on, so that
                    # the message names every such registration; then nothing is approved.
                    refusals = getattr(error, "error_dict", {}).get("reden_zonder_bewijs", [])
                    if not any(e.code == services.MISSING_EVIDENCE for e in refusals):
                        raise
                    refused_for_evidence.append(registratie)
            if refused_for_evidence:
                raise _NothingApproved
    except _NothingApproved:
        return confirmation(_(
            "Er is niets goedgekeurd. Bij deze registraties ontbreekt vereist bewijs: %(lijst)s. Geef een reden "
            "om ze toch goed te keuren, of ga terug en laat ze uit de selectie."
        ) % {"lijst": "; ".join(
            _("registratie %(nr)s (%(soorten)s)") % {"nr": r.pk, "soorten": evidence_names(missing[r.pk])}
            for r in refused_for_evidence
        )})
    except (StateConflict, services.FourEyesViolation, ValidationError) as error:
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else error.message
        messages.error(request, _("Er is niets goedgekeurd: registratie %(nr)s kon niet worden goedgekeurd. %(reden)s") % {
            "nr": registratie.pk, "reden": message})
        return redirect(back)
    messages.success(request, _("%(n)s registraties goedgekeurd.") % {"n": len(selected)})
    return redirect(back)
