"""Celery tasks of the bouwblokken app."""

from celery import shared_task

from .retention import run_retention


@shared_task(name="bouwblokken.retention_run", acks_late=True)
def retention_run(dry_run: bool = False) -> dict:
    """Nightly: delete evidence and candidate details past the retention period (safe to run twice)."""
    return run_retention(dry_run=dry_run).as_dict()
