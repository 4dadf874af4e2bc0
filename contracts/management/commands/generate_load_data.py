"""python manage.py generate_load_data --scale regio|land: data for the performance measurements (issue #7).

``regio``: 11 municipalities, 1,500 suppliers, 6,000 contracts, 120,000 registrations over 5 years.
``land``: 342 municipalities, 25,000 suppliers, 100,000 contracts, 2,000,000 registrations
(PostgreSQL only). ``mini`` is a smoke-test size. Reproducible from ``--seed``; start from an
empty (migrated) database. The logic lives in :mod:`sroi_portal.loaddata`.
"""

from django.core.management.base import BaseCommand, CommandError

from sroi_portal import loaddata


class Command(BaseCommand):
    help = "Genereert belastingtestdata (gemeenten, leveranciers, contracten, registraties) voor de prestatiemetingen."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(loaddata.SCALES), default="regio",
                            help="regio (11 gemeenten) of land (342 gemeenten, alleen PostgreSQL); mini voor een rooktest.")
        parser.add_argument("--seed", type=int, default=7, help="Zelfde seed, zelfde rijen (standaard 7).")
        parser.add_argument("--chunk", type=int, default=1000, help="Contracten per schrijfronde (geheugen blijft vlak).")
        parser.add_argument("--json", action="store_true", help="Schrijf aantallen en tijden als JSON naar stdout.")

    def handle(self, *args, scale, seed, chunk, json: bool = False, **options):
        import json as json_module

        self.stdout.write(f"Belastingtestdata, schaal {scale}, seed {seed}:")
        try:
            result = loaddata.generate(scale=loaddata.SCALES[scale], seed=seed, chunk=chunk, stdout=self.stdout)
        except loaddata.LoadDataError as error:
            raise CommandError(str(error)) from error
        if json:
            self.stdout.write(json_module.dumps(result))
        self.stdout.write(self.style.SUCCESS(
            f"Klaar. Gebruikers {', '.join(loaddata.USERNAMES.values())}; wachtwoord {loaddata.LOAD_PASSWORD}."
        ))
