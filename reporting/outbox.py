"""Queueing the portal's background work so that a broker outage never breaks a user's save.

The web app queues two kinds of work after a transaction commits: a figures recompute for the
contracts and municipalities that changed (``reporting.signals``) and the PDF of a requested
council report (``reporting.services.request_report``). Both go through :func:`enqueue_figures`
and :func:`enqueue_report`:

- the message is published with a short retry policy (``SROI_TASK_PUBLISH_RETRY_POLICY``: well
  under a second when Redis is gone) and without a result subscription (the web app never waits
  for a result, and Celery's Redis result backend would otherwise retry for ~20 s);
- when publishing fails, the work is written to the outbox (``UitgesteldeTaak``, one row per
  contract, municipality or report: a unique key, so nothing is stored twice) and the request
  succeeds;
- :func:`flush` sends the outbox on. It runs when a worker (re)connects to the broker (a consumer
  step in ``sroi_portal.celery``), every minute from celery beat (``reporting.tasks.flush_outbox``),
  after any successful enqueue that finds rows waiting, and from ``manage.py flush_outbox``.

The tasks are safe to run twice (a recompute recomputes, a finished report is left alone), so a
row sent on whose deletion then fails costs a second run, never a wrong result.

Without a broker (``CELERY_TASK_ALWAYS_EAGER``: development and the test suite) the tasks run
in-process, as before, and the outbox is not used.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import UitgesteldeTaak, UitgesteldSoort

log = logging.getLogger(__name__)


def _eager() -> bool:
    from sroi_portal.celery import app

    return bool(app.conf.task_always_eager)


def _publish(task, *, args=(), kwargs=None):
    """Publish one task message; raises when the broker does not take it (after the short retries)."""
    return task.apply_async(
        args=args, kwargs=kwargs or {}, ignore_result=True, retry=True,
        retry_policy=settings.SROI_TASK_PUBLISH_RETRY_POLICY,
    )


def _key(soort, doel) -> str:
    return f"{soort}:{doel}"


def _store(rows: list[tuple[str, str]], error: Exception) -> None:
    """Write work to the outbox; an existing row for the same key is kept (ignore_conflicts)."""
    UitgesteldeTaak.objects.bulk_create(
        [UitgesteldeTaak(soort=soort, doel=str(doel), sleutel=_key(soort, doel), laatste_fout=_describe(error))
         for soort, doel in rows],
        ignore_conflicts=True,
    )


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:1000]


def _after_success() -> None:
    """A message went through, so the broker is back: send on what waits in the outbox (by the worker)."""
    if UitgesteldeTaak.objects.exists():
        from .tasks import flush_outbox

        try:
            _publish(flush_outbox)
        except Exception:  # the broker went away again; beat or the next worker start will do it
            log.warning("Could not queue the outbox flush", exc_info=True)


def enqueue_figures(*, contract_ids=(), gemeente_ids=()) -> bool:
    """Queue one figures recompute; True when queued, False when it went to the outbox."""
    from .tasks import refresh_figures

    contract_ids, gemeente_ids = sorted(set(contract_ids)), sorted(set(gemeente_ids))
    if not contract_ids and not gemeente_ids:
        return True
    kwargs = {"contract_ids": contract_ids, "gemeente_ids": gemeente_ids}
    if _eager():
        refresh_figures.delay(**kwargs)
        return True
    try:
        _publish(refresh_figures, kwargs=kwargs)
    except Exception as error:
        log.warning("Broker unavailable (%s): figures recompute of %s contracts and %s municipalities kept in the outbox",
                    _describe(error), len(contract_ids), len(gemeente_ids))
        _store([(UitgesteldSoort.CIJFERS_CONTRACT, pk) for pk in contract_ids]
               + [(UitgesteldSoort.CIJFERS_GEMEENTE, pk) for pk in gemeente_ids], error)
        return False
    _after_success()
    return True


def enqueue_report(report_id) -> bool:
    """Queue the making of a council report's PDF; True when queued, False when it went to the outbox."""
    from .tasks import generate_council_report

    if _eager():
        generate_council_report.delay(str(report_id))
        return True
    try:
        _publish(generate_council_report, args=[str(report_id)])
    except Exception as error:
        log.warning("Broker unavailable (%s): council report %s kept in the outbox", _describe(error), report_id)
        _store([(UitgesteldSoort.RAADSRAPPORTAGE, report_id)], error)
        return False
    _after_success()
    return True


def flush(*, limit: int = 5000) -> dict:
    """Send the outbox on: one figures recompute for all waiting contracts and municipalities, one
    task per waiting report. Rows are locked (rows another flush holds are skipped) and deleted in
    the same transaction once their message was published; a failed publish leaves them, with the
    error, for the next try. Returns counts: {"verstuurd": n, "over": n}.
    """
    from .tasks import generate_council_report, refresh_figures

    sent = 0
    with transaction.atomic():
        rows = list(UitgesteldeTaak.objects.select_for_update(skip_locked=True).order_by("aangemaakt_op", "pk")[:limit])
        if not rows:
            return {"verstuurd": 0, "over": UitgesteldeTaak.objects.count()}
        figures = [r for r in rows if r.soort in (UitgesteldSoort.CIJFERS_CONTRACT, UitgesteldSoort.CIJFERS_GEMEENTE)]
        groups = []
        if figures:
            kwargs = {
                "contract_ids": sorted(int(r.doel) for r in figures if r.soort == UitgesteldSoort.CIJFERS_CONTRACT),
                "gemeente_ids": sorted(int(r.doel) for r in figures if r.soort == UitgesteldSoort.CIJFERS_GEMEENTE),
            }
            groups.append((figures, lambda kwargs=kwargs: _publish(refresh_figures, kwargs=kwargs)))
        for row in rows:
            if row.soort == UitgesteldSoort.RAADSRAPPORTAGE:
                groups.append(([row], lambda doel=row.doel: _publish(generate_council_report, args=[doel])))
        done, failed, error = [], [], None
        for group_rows, send in groups:
            if error is None:
                try:
                    send()
                except Exception as exc:  # broker still (or again) unavailable
                    error = exc
            (failed if error is not None else done).extend(group_rows)
        if done:
            UitgesteldeTaak.objects.filter(pk__in=[r.pk for r in done]).delete()
            sent = len(done)
        if failed:
            from django.db.models import F

            UitgesteldeTaak.objects.filter(pk__in=[r.pk for r in failed]).update(
                pogingen=F("pogingen") + 1, laatste_poging_op=timezone.now(), laatste_fout=_describe(error),
            )
            log.warning("Outbox: %s sent on, %s still waiting (%s)", sent, len(failed), _describe(error))
    if sent:
        log.info("Outbox: %s waiting tasks sent on", sent)
    return {"verstuurd": sent, "over": UitgesteldeTaak.objects.count()}
