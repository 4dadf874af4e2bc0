"""The Django admin (the back office at /beheer/) for the functional administrator only.

``PortalAdminSite`` replaces ``admin.site`` (``sroi_portal.apps.PortalAdminConfig``):

- Only an active user with admin access (``is_staff``) whose role is functional administrator, or a
  superuser (``sroi_portal.access.is_beheerder``), reaches any admin URL. Anybody else who is signed
  in gets 403; an inkoop or SR-team user who was given ``is_staff`` by mistake does not get in.
- Signing in happens on the portal's own login page (two-step verification, lock-out, OIDC): the
  admin's login URL and an anonymous request to any admin URL go there, with ``next`` back.

What the administrator may see and change inside is each ModelAdmin's business, built on
``sroi_portal.admin_privacy`` (special-category data never shown, no deletes of registrations or
decisions, views of personal data in the processing log).
"""

from functools import update_wrapper

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from sroi_portal import access


def may_use_admin(user) -> bool:
    """The one rule for the Django admin: the functional administrator (or a superuser) with admin access."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff
                and access.is_beheerder(user))


class PortalAdminSite(admin.AdminSite):
    site_header = _("SROI-portaal – beheer")
    site_title = _("SROI-portaal beheer")
    index_title = _("Beheer")

    def has_permission(self, request):
        return may_use_admin(request.user)

    def admin_view(self, view, cacheable=False):
        def inner(request, *args, **kwargs):
            if not self.has_permission(request):
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
                raise PermissionDenied
            return view(request, *args, **kwargs)

        if not cacheable:
            inner = never_cache(inner)
        if not getattr(view, "csrf_exempt", False):
            inner = csrf_protect(inner)
        return update_wrapper(inner, view)

    @method_decorator(never_cache)
    def login(self, request, extra_context=None):
        """No login form of its own: the portal's login page (with two-step verification) is the only one."""
        if self.has_permission(request):
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
                target = reverse("admin:index", current_app=self.name)
            return HttpResponseRedirect(target)
        if request.user.is_authenticated:
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index", current_app=self.name),
                                 resolve_url(settings.LOGIN_URL))
