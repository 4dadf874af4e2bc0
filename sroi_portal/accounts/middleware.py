"""Enforce two-step verification for every signed-in request (after django-otp's ``OTPMiddleware``).

A signed-in user for whom two-step verification applies (``mfa.mfa_applies``: a staff role, admin
access, or an app the user switched on) and whose session is not verified gets:

- on pages (the Django admin included): a redirect to the verification page, or to enrolment when
  no app is enrolled yet, with ``next`` back to the page (GET only);
- on ``/api/`` with the browser session: 403 ``application/problem+json`` with a Dutch detail.

API requests with a well-formed ``Authorization: Token <key>`` header are left to the API's own
authentication: a token is issued by the functional administrator to a system, not a person's
browser session, and an invalid token is refused (401) before the session is looked at
(docs/security.md). Which requests those are is decided by the same parser DRF's authentication
uses (``sroi_portal.api.authentication.is_token_request``): any other header (a no-break space, a
tab, ``token``, ``Bearer``, ...) is no token request, so the unverified session is held here.

A session whose sign-in through the municipality's identity provider came with multi-factor
authentication counts as verified (``mfa.session_verified``).

Allowed while unverified: logging out, signing in through a provider, the verification and enrolment pages, password reset, the
health check and static files.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from sroi_portal.api.authentication import is_token_request
from sroi_portal.api.problems import PROBLEM_CONTENT_TYPE, problem

from . import mfa

ALLOWED_URL_NAMES = frozenset({
    "logout",
    "mfa_verify",
    "mfa_setup",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "health",
    "oidc_eherkenning_init",
    "oidc_eherkenning_callback",
    "oidc_medewerkers_init",
    "oidc_medewerkers_callback",
})


class MFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.url_name in ALLOWED_URL_NAMES and not match.namespace:
            return None
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return None
        if request.path.startswith("/api/") and is_token_request(request):
            return None
        if mfa.session_verified(request) or not mfa.mfa_applies(user):
            return None
        if request.path.startswith("/api/"):
            body = problem(
                403,
                detail=_(
                    "Bevestig eerst uw inlog met de code uit uw authenticator-app (tweestapsverificatie) "
                    "op de inlogpagina van het portaal. Systemen gebruiken een API-token."
                ),
                instance=request.path,
                code="tweestapsverificatie_vereist",
            )
            return JsonResponse(body, status=403, content_type=PROBLEM_CONTENT_TYPE)
        target = "mfa_verify" if mfa.has_confirmed_totp(user) else "mfa_setup"
        url = reverse(target)
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        return redirect(url)

