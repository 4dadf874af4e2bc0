"""Print the current two-step verification code of a demo user (demo data only).

    python manage.py demo_totp srteam

Works only for a user whose authenticator app has the published demo key of
``contracts.demo.DEMO_TOTP_KEY`` (the demo staff users made by ``seed_demo``); any other account is
refused, so this command can never print a real user's code.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from contracts.demo import DEMO_TOTP_KEY


def demo_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


class Command(BaseCommand):
    help = "Toont de huidige code van de tweestapsverificatie van een demogebruiker (alleen demodata)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="gebruikersnaam van de demogebruiker, bijvoorbeeld srteam")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Gebruiker {username!r} bestaat niet.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True, key=DEMO_TOTP_KEY).first()
        if device is None:
            raise CommandError(
                f"Gebruiker {username!r} heeft geen authenticator-app met de demosleutel. "
                "Dit commando werkt alleen voor de demogebruikers van seed_demo."
            )
        self.stdout.write(demo_code(device))
