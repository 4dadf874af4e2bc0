"""Celery application of the portal. Settings come from Django settings under the CELERY_ namespace
(see the "Celery" block of settings.py and docs/deployment.md).

Without CELERY_BROKER_URL, tasks run eagerly in-process (development and the test suite). With
Redis:

    celery -A sroi_portal worker -Q celery,rapporten     # tasks; "rapporten" holds the PDF reports
    celery -A sroi_portal beat                           # the schedule in CELERY_BEAT_SCHEDULE

Tasks live in ``<app>/tasks.py`` (found by ``autodiscover_tasks``); the portal's tasks derive from
``reporting.tasks.PortalTask`` (late acknowledgement, retries with backoff, Django's
``delay_on_commit``).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sroi_portal.settings")

app = Celery("sroi_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
