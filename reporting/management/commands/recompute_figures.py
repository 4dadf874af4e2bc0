"""python manage.py recompute_figures: recompute every stored figure now (what the nightly task does).

Run it once after installing or upgrading (the figures cache starts empty) and whenever the
figures should be refreshed without waiting for the night.
"""

import time

from django.core.management.base import BaseCommand

from reporting.figures import recompute_contract_figures, recompute_placement_figures


class Command(BaseCommand):
    help = "Berekent de opgeslagen cijfers (vervulling per contract en per jaar, plaatsingen) opnieuw."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=None, help="Contracten per batch.")

    def handle(self, *args, batch_size=None, **options):
        started = time.monotonic()
        result = recompute_contract_figures(batch_size=batch_size)
        placements = recompute_placement_figures()
        self.stdout.write(self.style.SUCCESS(
            f"{result.contracten} contracten in {result.batches} batches, {result.gewijzigd} rijen bijgewerkt, "
            f"{result.verwijderd} verwijderd, {placements} plaatsingsrijen; {time.monotonic() - started:.1f} s"
        ))
