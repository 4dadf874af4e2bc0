from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SroiPortalConfig(AppConfig):
    name = "sroi_portal"
    verbose_name = _("Gebruikers en rollen")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .accounts.session_limits import stamp_sign_in

        # The idle and absolute session limits start counting at sign-in, whatever way it happened.
        user_logged_in.connect(stamp_sign_in, dispatch_uid="sroi_portal.session_limits")
