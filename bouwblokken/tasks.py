"""Celery tasks of the bouwblokken app."""

from celery import shared_task

from sroi_portal import processing_log

from .retention import run_retention


@shared_task(name="bouwblokken.retention_run", acks_late=True)
def retention_run(dry_run: bool = False) -> dict:
    """Nightly: delete evidence and candidate details past the retention period (safe to run twice),
    and the processing-log rows older than ``SROI_PROCESSING_LOG_RETENTION_DAYS``."""
    result = run_retention(dry_run=dry_run).as_dict()
    result["verwerkingen"] = 0 if dry_run else processing_log.purge()
    return result
