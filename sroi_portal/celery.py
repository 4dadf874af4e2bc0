"""Celery application of the portal. Settings come from Django settings under the CELERY_ namespace
(see the "Celery" block of settings.py and docs/deployment.md).

Without CELERY_BROKER_URL, tasks run eagerly in-process (development and the test suite). With
Redis:

    celery -A sroi_portal worker -Q celery,rapporten     # tasks; "rapporten" holds the PDF reports
    celery -A sroi_portal beat                           # the schedule in CELERY_BEAT_SCHEDULE

Tasks live in ``<app>/tasks.py`` (found by ``autodiscover_tasks``); the portal's tasks derive from
``reporting.tasks.PortalTask`` (late acknowledgement, retries with backoff, Django's
``delay_on_commit``). The web app queues its work through ``reporting.outbox``: with the broker
down it is kept in the database and sent on when a worker connects again (the consumer step
below), so Redis being away never breaks a user's save.
"""

import logging
import os

from celery import Celery, bootsteps

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sroi_portal.settings")

app = Celery("sroi_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class FlushOutboxOnConnect(bootsteps.StartStopStep):
    """A worker step that runs each time the worker's consumer (re)connects to the broker: at
    start-up and again after Redis was gone. It queues ``reporting.tasks.flush_outbox``, which
    sends on the work the web app kept in the outbox while the broker was down
    (``reporting.outbox``). Only a message is sent here: the worker's main process never touches
    the database (its pool children do)."""

    requires = {"celery.worker.consumer.tasks:Tasks"}

    def start(self, consumer):
        try:
            consumer.app.send_task("reporting.tasks.flush_outbox", ignore_result=True, retry=True,
                                   retry_policy={"max_retries": 3, "interval_start": 0.5, "interval_step": 1,
                                                 "interval_max": 2})
        except Exception:  # the connection went again: the next (re)connect or celery beat does it
            logger.warning("Could not queue the outbox flush", exc_info=True)


app.steps["consumer"].add(FlushOutboxOnConnect)
