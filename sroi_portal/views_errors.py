"""The portal's error pages: 403, 404, 500 and a refused form (CSRF), in Dutch and in the portal's
style, each with a way back. Under /api/ the same errors are ``application/problem+json``
(``sroi_portal.api.problems``), as the API's own views answer them.

The 500 page is rendered without the request: no context processors, so no session, user or
database is read while something is already failing (the database may be what failed). Should even
that template fail, a fixed Dutch page is sent.
"""

import logging

from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from sroi_portal.api.problems import PROBLEM_CONTENT_TYPE, api_not_found, api_server_error, problem

logger = logging.getLogger(__name__)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _back_url(request) -> str:
    """The page the user came from when it is a page of this portal (not this one), else ''."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:  # no way back but the start page
        return ""
    if not referer or not url_has_allowed_host_and_scheme(referer, allowed_hosts={host}, require_https=request.is_secure()):
        return ""
    if referer == request.build_absolute_uri():
        return ""
    return referer


def _api_forbidden(request, detail: str):
    return JsonResponse(
        problem(403, detail=detail, instance=request.path, code="permission_denied"),
        status=403,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def permission_denied(request, exception=None):
    """handler403. A reason given with the exception (the portal's are Dutch, written for the user)
    is shown."""
    reason = str(exception) if exception is not None and str(exception) else ""
    if _is_api(request):
        return _api_forbidden(request, reason or _("U heeft geen toegang tot deze gegevens."))
    return render(request, "403.html", {
        "reason": reason, "back_url": _back_url(request),
        "login_url": f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}",
    }, status=403)


def not_found(request, exception=None):
    """handler404."""
    if _is_api(request):
        return api_not_found(request, exception)
    return render(request, "404.html", {"back_url": _back_url(request)}, status=404)


FALLBACK_500 = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Er ging iets mis – SROI-portaal</title></head>'
    '<body><main><h1>Er ging iets mis</h1><p>Er ging iets mis aan onze kant. Wat u deed, is '
    'misschien niet opgeslagen. Probeer het over een paar minuten opnieuw.</p><p><a href="/">Naar de startpagina</a></p></main></body></html>'
)


def server_error(request):
    """handler500: without the request's context (see the module docstring)."""
    if _is_api(request):
        return api_server_error(request)
    try:
        content = loader.render_to_string("500.html")
    except Exception:  # noqa: BLE001 - whatever fails here, the user still gets a Dutch page
        logger.exception("De foutpagina 500.html kon niet worden getoond")
        content = FALLBACK_500
    return HttpResponse(content, status=500)


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: a form that could not be checked (expired or sent from elsewhere)."""
    if _is_api(request):
        return _api_forbidden(request, _("Het verzoek is geweigerd: de CSRF-controle is mislukt."))
    return render(request, "403_csrf.html", {"back_url": _back_url(request)}, status=403)
