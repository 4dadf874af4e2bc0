"""Delete processing-log rows past ``SROI_PROCESSING_LOG_RETENTION_DAYS``: ``manage.py purge_verwerkingen``."""

from django.core.management.base import BaseCommand

from sroi_portal import processing_log


class Command(BaseCommand):
    help = ("Verwijdert regels uit het logboek dataverwerkingen die ouder zijn dan "
            "SROI_PROCESSING_LOG_RETENTION_DAYS dagen.")

    def handle(self, *args, **options):
        limit = processing_log.retention_limit()
        deleted = processing_log.purge()
        self.stdout.write(f"{deleted} regels van vóór {limit:%Y-%m-%d %H:%M} verwijderd.")
