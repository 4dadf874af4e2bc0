from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BouwblokkenConfig(AppConfig):
    name = "bouwblokken"
    verbose_name = _("Bouwblokken")
