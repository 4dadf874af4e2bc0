"""python manage.py publiceer_open_data: publish open data (SROI-RULES.md §4, what the daily task does).

Without arguments: version 1 of every closed year that has none (as ``reporting.tasks.publish_open_data``).
With ``--gemeente GM0637 --jaar 2025``: the next version of that year; a correction needs
``--toelichting`` and is recorded with the administrator named by ``--door``.
All go through ``reporting.opendata.publish_version``.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from contracts.models import Gemeente
from reporting import opendata


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Publiceert de open data van afgesloten jaren als genummerde versie, of een correctie (nieuwe versie)."

    def add_arguments(self, parser):
        parser.add_argument("--gemeente", help="Gemeentecode (GM0637); met --jaar: publiceer de volgende versie.")
        parser.add_argument("--jaar", type=int)
        parser.add_argument("--toelichting", default="", help="Verplicht bij een correctie: wat is er veranderd en waarom?")
        parser.add_argument("--door", default="", help="Gebruikersnaam van de functioneel beheerder die publiceert.")
        parser.add_argument("--datum", type=date.fromisoformat, default=None,
                            help="Publiceer alsof het vandaag deze datum is (JJJJ-MM-DD; standaard: vandaag).")

    def handle(self, *args, gemeente=None, jaar=None, toelichting="", door="", datum=None, **options):
        if bool(gemeente) != bool(jaar):
            raise CommandError("Geef --gemeente en --jaar samen op, of geen van beide.")
        user = None
        if door:
            user = get_user_model().objects.filter(username=door).first()
            if user is None:
                raise CommandError(f"Gebruiker {door!r} bestaat niet.")
        if not gemeente:
            if toelichting:
                raise CommandError("Een toelichting hoort bij een correctie: geef ook --gemeente en --jaar op.")
            versions = opendata.publish_due(today=datum)
            for version in versions:
                self.stdout.write(f"{version.gemeente.code} {version.jaar}: versie {version.versie} gepubliceerd")
            self.stdout.write(self.style.SUCCESS(f"{len(versions)} versies gepubliceerd."))
            return
        found = Gemeente.objects.filter(code=gemeente).first()
        if found is None:
            raise CommandError(f"Gemeente {gemeente} bestaat niet.")
        try:
            version = opendata.publish_version(gemeente=found, jaar=jaar, toelichting=toelichting, door=user, today=datum)
        except ValidationError as error:
            raise CommandError(_message(error)) from error
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            f"{found.code} {jaar}: versie {version.versie} gepubliceerd (CSV sha256 {version.csv_sha256})."
        ))
