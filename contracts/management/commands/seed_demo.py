"""python manage.py seed_demo: demo data for every part of the portal (idempotent).

Each app contributes its own data through ``<app>/demo.py`` with a ``seed(stdout)`` function,
run in this order; running the command twice changes nothing the second time.
"""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_MODULES = ["contracts.demo", "banenafspraak.demo", "reporting.demo"]


class Command(BaseCommand):
    help = "Laadt demodata: gemeenten, beleid, leveranciers, contracten, registraties en demogebruikers."

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as error:
                if error.name != name:
                    raise
                continue
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demodata staat klaar."))
