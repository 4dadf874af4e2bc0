from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SroiPortalConfig(AppConfig):
    name = "sroi_portal"
    verbose_name = _("Gebruikers en rollen")
