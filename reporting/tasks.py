"""Celery tasks of the portal (reporting): figures, reminders, council reports.

Every task is safe to run twice (it recomputes or checks what was already done), is acknowledged
only after it finished (``acks_late``; redelivered when a worker dies) and is retried with
exponential backoff on transient database, broker or mail-server errors. Without a broker they run
eagerly in-process (settings: ``CELERY_TASK_ALWAYS_EAGER``).

Queue them after the transaction commits: ``task.delay_on_commit(...)`` (Celery's Django task
class) or ``transaction.on_commit`` (see ``reporting.signals``).
"""

import logging
import smtplib

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.db import InterfaceError, OperationalError

log = logging.getLogger(__name__)


class PortalTask(DjangoTask):
    """Defaults for the portal's tasks: late acknowledgement, retries with backoff and jitter."""

    abstract = True
    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = (OperationalError, InterfaceError, ConnectionError, TimeoutError, smtplib.SMTPException)
    retry_backoff = 2
    retry_backoff_max = settings.SROI_TASK_RETRY_BACKOFF_MAX
    retry_jitter = True
    max_retries = settings.SROI_TASK_MAX_RETRIES


@shared_task(base=PortalTask, time_limit=600, soft_time_limit=570)
def refresh_figures(contract_ids=(), gemeente_ids=()):
    """Recompute the stored figures of changed contracts and their municipalities."""
    from contracts.models import Contract

    from .figures import recompute_contract_figures, recompute_placement_figures

    contract_ids = list(contract_ids or ())
    gemeenten = set(gemeente_ids or ())
    if contract_ids:
        result = recompute_contract_figures(contract_ids=contract_ids)
        gemeenten.update(
            Contract.objects.filter(pk__in=contract_ids).values_list("gemeente_id", flat=True).distinct()
        )
    else:
        result = None
    placements = recompute_placement_figures(gemeente_ids=gemeenten) if gemeenten else 0
    return {"contracten": result.contracten if result else 0, "rijen": result.gewijzigd if result else 0,
            "plaatsingsrijen": placements}


@shared_task(base=PortalTask, bind=True, time_limit=3 * 3600, soft_time_limit=3 * 3600 - 60)
def recompute_all_figures(self, batch_size=None):
    """Nightly: recompute the figures of every contract (in batches), and the people placed in the
    municipalities where approved or pending values changed (changes the signals did not see).

    Each batch is one transaction, and the run record (``Herberekening``, one per task id) is
    updated inside it: a worker killed half-way leaves whole batches and a record saying how far
    it got. The message is acknowledged only at the end, so the run is redelivered and starts
    again; batches already written are skipped cheaply (their fingerprints match).
    """
    from django.db.models import F
    from django.utils import timezone

    from .figures import recompute_contract_figures, recompute_placement_figures
    from .models import Herberekening, HerberekeningStatus

    now = timezone.now()
    run, created = Herberekening.objects.get_or_create(
        taak_id=self.request.id or f"lokaal-{now.isoformat()}",
        defaults={"gestart_op": now, "laatst_gestart_op": now, "pogingen": 1},
    )
    if not created:
        if run.status == HerberekeningStatus.KLAAR:  # a redelivered message of a finished run
            return {"contracten": run.contracten, "batches": run.batches, "gewijzigd": run.gewijzigd,
                    "verwijderd": 0, "plaatsingsrijen": 0, "al_klaar": True}
        Herberekening.objects.filter(pk=run.pk).update(
            pogingen=F("pogingen") + 1, laatst_gestart_op=now, batches=0, contracten=0, gewijzigd=0,
        )
        log.warning("Figures recompute %s started again (attempt %s) after an interrupted run",
                    run.taak_id, run.pogingen + 1)

    def progress(batch):  # inside the batch's transaction
        Herberekening.objects.filter(pk=run.pk).update(
            batches=F("batches") + batch.batches, contracten=F("contracten") + batch.contracten,
            gewijzigd=F("gewijzigd") + batch.gewijzigd,
        )

    result = recompute_contract_figures(batch_size=batch_size, on_batch=progress)
    placements = recompute_placement_figures(gemeente_ids=result.gemeenten) if result.gemeenten else 0
    Herberekening.objects.filter(pk=run.pk).update(status=HerberekeningStatus.KLAAR, klaar_op=timezone.now())
    log.info("Figures recomputed: %s contracts in %s batches, %s rows changed, %s removed; %s placement rows",
             result.contracten, result.batches, result.gewijzigd, result.verwijderd, placements)
    return {"contracten": result.contracten, "batches": result.batches, "gewijzigd": result.gewijzigd,
            "verwijderd": result.verwijderd, "plaatsingsrijen": placements}


@shared_task(base=PortalTask, time_limit=300, soft_time_limit=270)
def flush_outbox():
    """Send on the work that waited in the outbox while the broker was down (``reporting.outbox``).

    Queued by every worker when it (re)connects to the broker, by celery beat every minute and
    by any successful enqueue that finds rows waiting; ``manage.py flush_outbox`` does the same.
    """
    from .outbox import flush

    return flush()


@shared_task(base=PortalTask, time_limit=3 * 3600, soft_time_limit=3 * 3600 - 60)
def refresh_placement_figures():
    """Weekly: recount the people placed in every municipality (they do not depend on the date;
    changes are recounted when they happen; this catches what no signal reported)."""
    from .figures import recompute_placement_figures

    return {"plaatsingsrijen": recompute_placement_figures()}


@shared_task(base=PortalTask, time_limit=900, soft_time_limit=870)
def send_reminders(today=None):
    """Daily: send the reminders that are due, each once per occasion (see reporting.reminders)."""
    from datetime import date

    from .reminders import send_reminders as send

    return send(today=date.fromisoformat(today) if today else None)


class ReportTask(PortalTask):
    abstract = True

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Retries exhausted (or a hard failure): the status page says it failed."""
        from .services import mark_report_failed

        report_id = args[0] if args else kwargs.get("report_id")
        if report_id:
            mark_report_failed(report_id=report_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(base=ReportTask, time_limit=600, soft_time_limit=540)
def generate_council_report(report_id):
    """Make the PDF of a requested council report (a second run of a finished one does nothing).

    Transient errors (database, broker) are retried with backoff; any other error will not go
    away by retrying, so the report is marked failed at once and the user sees that.
    """
    from .services import generate_report, mark_report_failed

    try:
        report = generate_report(report_id=report_id)
    except PortalTask.autoretry_for:
        raise
    except Exception as error:
        log.exception("Council report %s failed", report_id)
        mark_report_failed(report_id=report_id, error=f"{type(error).__name__}: {error}")
        return {"id": str(report_id), "status": "mislukt"}
    return {"id": str(report.pk), "status": report.status, "gegevensversie": report.gegevensversie}


@shared_task(base=PortalTask, time_limit=900, soft_time_limit=870)
def publish_open_data(today=None):
    """Daily: publish version 1 of the open data of every closed year that has none
    (``reporting.opendata.publish_due``; safe to run twice: a published year is skipped)."""
    from datetime import date

    from .opendata import publish_due

    versions = publish_due(today=date.fromisoformat(today) if today else None)
    return {"gepubliceerd": [f"{v.gemeente.code}/{v.jaar}/versie-{v.versie}" for v in versions]}
