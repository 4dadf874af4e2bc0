"""Delete evidence and candidate details past the retention period: ``manage.py retention_run``."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from bouwblokken.retention import run_retention


class Command(BaseCommand):
    help = ("Verwijdert bewijsstukken en kandidaatgegevens van contracten die langer dan "
            "SROI_RETENTION_YEARS jaar geleden zijn afgerekend.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Alleen tellen, niets verwijderen.")
        parser.add_argument("--peildatum", help="Doen alsof het vandaag deze datum is (JJJJ-MM-DD).")

    def handle(self, *args, dry_run, peildatum, **options):
        try:
            day = date.fromisoformat(peildatum) if peildatum else None
        except ValueError:
            raise CommandError("Peildatum moet de vorm JJJJ-MM-DD hebben.")
        report = run_retention(peildatum=day, dry_run=dry_run)
        self.stdout.write(json.dumps(report.as_dict(), indent=2))
