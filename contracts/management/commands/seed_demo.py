"""python manage.py seed_demo: demo data for every part of the portal (idempotent).

Each app contributes its own data through ``<app>/demo.py`` with a ``seed(stdout)`` function,
run in this order; running the command twice changes nothing the second time.

The demo users share a published password and TOTP key, so the command refuses to run unless
DEBUG is on (local development, ``make run``): a production database never gets them. Tests that
need the demo data run it under ``override_settings(DEBUG=True)``.
"""

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

DEMO_MODULES = ["contracts.demo", "banenafspraak.demo", "reporting.demo"]


class Command(BaseCommand):
    help = "Laadt demodata: gemeenten, beleid, leveranciers, contracten, registraties en demogebruikers."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(_(
                "seed_demo laadt demogebruikers met een openbaar wachtwoord en werkt daarom alleen met "
                "DEBUG=true (lokale ontwikkeling). Er is niets aangemaakt."
            ))
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
