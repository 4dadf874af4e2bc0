"""Celery application. Settings come from Django settings under the CELERY_ namespace.

Without CELERY_BROKER_URL, tasks run eagerly in-process (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sroi_portal.settings")

app = Celery("sroi_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
