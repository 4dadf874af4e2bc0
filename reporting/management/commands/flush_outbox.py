"""python manage.py flush_outbox: send on the work kept in the outbox while Redis was down.

The portal does this by itself (a worker connecting to Redis, celery beat every minute); this
command is for an operator who wants it now, or wants to see what waits (``--list``).
"""

from django.core.management.base import BaseCommand, CommandError

from reporting.models import UitgesteldeTaak


class Command(BaseCommand):
    help = "Verstuurt de uitgestelde taken (opgeslagen toen Redis niet bereikbaar was) alsnog naar de wachtrij."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="Alleen tonen wat wacht; niets versturen.")

    def handle(self, *args, list: bool = False, **options):
        from reporting.outbox import flush

        waiting = UitgesteldeTaak.objects.order_by("aangemaakt_op", "pk")
        if list:
            for row in waiting:
                self.stdout.write(f"{row.aangemaakt_op:%Y-%m-%d %H:%M:%S}  {row.get_soort_display()}  {row.doel}  "
                                  f"pogingen {row.pogingen}  {row.laatste_fout}")
            self.stdout.write(f"{waiting.count()} uitgestelde taken.")
            return
        result = flush()
        if result["over"]:
            raise CommandError(f"{result['verstuurd']} verstuurd; {result['over']} wachten nog: is Redis bereikbaar?")
        self.stdout.write(self.style.SUCCESS(f"{result['verstuurd']} uitgestelde taken verstuurd; er wacht niets meer."))
