"""Export everything the portal holds about one candidate reference (AVG inzageverzoek):
``manage.py avg_export <referentie> [--regio CODE] [--output bestand.json]``."""

import getpass
import json

from django.core.management.base import BaseCommand, CommandError

from bouwblokken.privacy import export_candidate


class Command(BaseCommand):
    help = "Exporteert als JSON wat het portaal over één kandidaatreferentie bewaart (AVG-inzage)."

    def add_arguments(self, parser):
        parser.add_argument("referentie")
        parser.add_argument("--regio", help="Alleen deze regio (code).")
        parser.add_argument("--output", help="Schrijf naar dit bestand in plaats van naar stdout.")

    def handle(self, *args, referentie, regio, output, **options):
        data = export_candidate(referentie=referentie, regio_code=regio,
                                actor_label=f"manage.py avg_export ({getpass.getuser()})")
        if not data["kandidaten"]:
            self.stderr.write(f"Het portaal bewaart niets onder referentie {referentie!r}.")
        text = json.dumps(data, indent=2, ensure_ascii=False)
        if output:
            try:
                with open(output, "w", encoding="utf-8") as handle:
                    handle.write(text + "\n")
            except OSError as error:
                raise CommandError(f"Kan {output} niet schrijven: {error}")
            self.stdout.write(f"Geschreven naar {output}.")
        else:
            self.stdout.write(text)
