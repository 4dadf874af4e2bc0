"""Write workflows of reporting: follow-ups, stories, SR-team budgets and council reports.

Atomic, keyword-only; bad input raises a ``ValidationError`` keyed by field name (Dutch message),
an action the current state does not allow raises ``StateConflict``. The figures cache is written
by ``reporting.figures`` only.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bouwblokken.models import Registratie, Soort, Status
from sroi_portal import clock
from sroi_portal.errors import StateConflict
from sroi_portal.periods import add_months
from sroi_portal.validation import citizen_service_number_errors, refuse_citizen_service_numbers

from .models import Raadsrapportage, RapportStatus, Teambudget, Vervolg, Verhaal, VerhaalStatus

log = logging.getLogger(__name__)

MIN_YEAR, MAX_YEAR = 2000, 2100


# --- follow-up of a placement --------------------------------------------------------------------

def follow_up_due_from(registratie: Registratie):
    """From this date the 12-month outcome of a placement can be recorded."""
    return add_months(registratie.startdatum, 12)


@transaction.atomic
def record_follow_up(*, registratie: Registratie, user=None, vast_contract: bool | None,
                     in_dienst_na_12_maanden: bool | None) -> Vervolg:
    """Record what became of an approved placement (permanent contract; still employed after 12 months)."""
    registratie = Registratie.objects.select_for_update().select_related("bouwblok").get(pk=registratie.pk)
    if registratie.bouwblok.soort != Soort.PLAATSING or registratie.status != Status.GOEDGEKEURD:
        raise StateConflict(_("Een vervolg kan alleen bij een goedgekeurde plaatsing worden vastgelegd."))
    due = follow_up_due_from(registratie)
    if in_dienst_na_12_maanden is not None and clock.today() < due:
        raise ValidationError({"in_dienst_na_12_maanden": _(
            "Of iemand na 12 maanden nog in dienst is, kunt u vanaf %(datum)s invullen."
        ) % {"datum": due.strftime("%d-%m-%Y")}})
    vervolg, _created = Vervolg.objects.update_or_create(
        registratie=registratie,
        defaults={"vast_contract": vast_contract, "in_dienst_na_12_maanden": in_dienst_na_12_maanden,
                  "vastgelegd_door": user},
    )
    return vervolg


# --- stories --------------------------------------------------------------------------------------

@transaction.atomic
def submit_story(*, user, gemeente, jaar: int, titel: str, tekst: str, toestemming: bool, toestemming_op,
                 contract=None) -> Verhaal:
    """A story for the council report; it waits for the SR-team's approval."""
    errors = {}
    if not toestemming:
        errors["toestemming"] = _("Een verhaal kan alleen worden ingediend als de toestemming van de persoon is vastgelegd.")
    if toestemming_op is None:
        errors["toestemming_op"] = _("Vul de datum in waarop de persoon toestemming gaf.")
    elif toestemming_op > clock.today():
        errors["toestemming_op"] = _("De datum van de toestemming mag niet in de toekomst liggen.")
    if not (titel or "").strip():
        errors["titel"] = _("Vul een titel in.")
    if not (tekst or "").strip():
        errors["tekst"] = _("Vertel het verhaal.")
    if not (MIN_YEAR <= int(jaar or 0) <= clock.today().year):
        errors["jaar"] = _("Kies een jaar tot en met dit jaar.")
    if contract is not None and contract.gemeente_id != gemeente.pk:
        errors["contract"] = _("Dit contract hoort niet bij de gekozen gemeente.")
    errors.update(citizen_service_number_errors(Verhaal, titel=titel, tekst=tekst))
    if errors:
        raise ValidationError(errors)
    return Verhaal.objects.create(
        gemeente=gemeente, contract=contract, jaar=jaar, titel=titel.strip(), tekst=tekst.strip(),
        toestemming=True, toestemming_op=toestemming_op, ingediend_door=user,
    )


@transaction.atomic
def review_story(*, verhaal: Verhaal, user, besluit: str, toelichting: str = "") -> Verhaal:
    """The SR-team approves a story (checked: anonymous, consent recorded) or rejects it with a reason."""
    if besluit not in (VerhaalStatus.GOEDGEKEURD, VerhaalStatus.AFGEWEZEN):
        raise ValidationError({"besluit": _("Kies goedkeuren of afwijzen.")})
    if besluit == VerhaalStatus.AFGEWEZEN and not (toelichting or "").strip():
        raise ValidationError({"toelichting": _("Geef bij een afwijzing de reden.")})
    refuse_citizen_service_numbers(Verhaal, toelichting=toelichting)
    verhaal = Verhaal.objects.select_for_update().get(pk=verhaal.pk)
    if verhaal.status == besluit:
        raise StateConflict(_("Dit verhaal is al %(status)s.") % {"status": verhaal.get_status_display().lower()})
    verhaal.status = besluit
    verhaal.beoordeeld_door = user
    verhaal.beoordeeld_op = timezone.now()
    verhaal.beoordeling_toelichting = (toelichting or "").strip()
    verhaal.save()
    return verhaal


# --- SR-team budget -------------------------------------------------------------------------------

@transaction.atomic
def set_team_budget(*, gemeente, jaar: int, bedrag: Decimal, toelichting: str = "", user=None) -> Teambudget:
    errors = {}
    if bedrag is None or bedrag < 0:
        errors["bedrag"] = _("Het budget mag niet negatief zijn.")
    if not (MIN_YEAR <= int(jaar or 0) <= MAX_YEAR):
        errors["jaar"] = _("Kies een jaar tussen 2000 en 2100.")
    errors.update(citizen_service_number_errors(Teambudget, toelichting=toelichting))
    if errors:
        raise ValidationError(errors)
    budget, _created = Teambudget.objects.update_or_create(
        gemeente=gemeente, jaar=jaar,
        defaults={"bedrag": bedrag, "toelichting": (toelichting or "").strip(), "vastgelegd_door": user},
    )
    return budget


# --- council report (PDF) -------------------------------------------------------------------------

@transaction.atomic
def request_report(*, gemeente, jaar: int, user=None) -> Raadsrapportage:
    """Ask for a council report; the PDF is made by a Celery task after this transaction commits.

    A report for the same municipality and year that is still being made is reused (a double
    click gives one report).
    """
    from .outbox import enqueue_report

    pending = (
        Raadsrapportage.objects.select_for_update()
        .filter(gemeente=gemeente, jaar=jaar, status__in=[RapportStatus.WACHTRIJ, RapportStatus.BEZIG])
        .first()
    )
    if pending is not None:
        return pending
    report = Raadsrapportage.objects.create(gemeente=gemeente, jaar=jaar, aangevraagd_door=user)
    # After the commit; with the broker down it waits in the outbox (reporting.outbox) and the
    # request still succeeds: the status page shows "in de wachtrij" until a worker makes it.
    transaction.on_commit(partial(enqueue_report, report.pk), robust=True)
    return report


def generate_report(*, report_id) -> Raadsrapportage:
    """Make the PDF of a report. Safe to run twice: a finished report is left alone."""
    from .models import report_path
    from .pdf import remove_leftovers, render_council_report, save_atomically
    from .selectors import council_figures
    from .api.serializers import RaadsrapportageSerializer

    with transaction.atomic():
        report = Raadsrapportage.objects.select_for_update().select_related("gemeente").get(pk=report_id)
        if report.status == RapportStatus.KLAAR:
            return report
        report.status = RapportStatus.BEZIG
        report.gestart_op = timezone.now()
        report.foutmelding = ""
        report.save(update_fields=["status", "gestart_op", "foutmelding"])

    figures = council_figures(gemeente=report.gemeente, jaar=report.jaar)
    made_at = timezone.now()
    pdf = render_council_report(figures, made_at=made_at)

    with transaction.atomic():
        report = Raadsrapportage.objects.select_for_update().select_related("gemeente").get(pk=report_id)
        if report.status == RapportStatus.KLAAR:  # a concurrent run finished first
            return report
        # Whole file or none: written next to its final name and renamed into place
        # (reporting.pdf.save_atomically); a rerun after a killed worker replaces it.
        name = report_path(report, report.bestandsnaam)
        remove_leftovers(report.bestand.storage, name)
        if report.bestand and report.bestand.name != name:
            report.bestand.delete(save=False)
        report.bestand.name = save_atomically(report.bestand.storage, name, pdf)
        report.cijfers = RaadsrapportageSerializer(figures).data
        report.gegevensversie = figures.gegevensversie
        report.status = RapportStatus.KLAAR
        report.gereed_op = made_at
        report.save()
    return report


def mark_report_failed(*, report_id, error: str) -> None:
    Raadsrapportage.objects.filter(pk=report_id).exclude(status=RapportStatus.KLAAR).update(
        status=RapportStatus.MISLUKT, foutmelding=error[:2000]
    )
