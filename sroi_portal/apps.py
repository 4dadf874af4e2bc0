from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class SroiPortalConfig(AppConfig):
    default = True  # this module also holds the admin's config
    name = "sroi_portal"
    verbose_name = _("Gebruikers en rollen")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .accounts.session_limits import stamp_sign_in

        # The idle and absolute session limits start counting at sign-in, whatever way it happened.
        user_logged_in.connect(stamp_sign_in, dispatch_uid="sroi_portal.session_limits")


class PortalAdminConfig(admin_apps.AdminConfig):
    """``django.contrib.admin`` with the portal's admin site (``sroi_portal.admin_site.PortalAdminSite``):
    only the functional administrator gets in, through the portal's own login."""

    default = False  # named in INSTALLED_APPS; not the config of the sroi_portal app
    default_site = "sroi_portal.admin_site.PortalAdminSite"
