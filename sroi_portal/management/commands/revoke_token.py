"""Revoke (delete) the API token of a user: ``manage.py revoke_token <username>``.

The counterpart of DRF's ``drf_create_token``; every request with the old token gets 401 from now
on. API tokens belong to the portal as a whole (``sroi_portal.api.authentication``), so the command
lives with the project package.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Trekt de API-token van een gebruiker in (verwijdert hem)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"Gebruiker {username!r} bestaat niet.")
        deleted, _ = Token.objects.filter(user=user).delete()
        if deleted:
            self.stdout.write(f"De API-token van {username} is ingetrokken.")
        else:
            self.stdout.write(f"{username} had geen API-token.")
