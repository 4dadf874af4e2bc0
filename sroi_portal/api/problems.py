"""Errors as ``application/problem+json`` (RFC 9457, NL API Design Rules).

Validation errors list every field in ``invalidParams`` with its camelCase name, a code and a
Dutch reason; nested fields are named with a dot (``kandidaat.referentie``).
"""

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from sroi_portal.errors import StateConflict
from sroi_portal.validation import snake_to_camel

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: gettext_lazy("Ongeldige invoer"),
    401: gettext_lazy("Niet aangemeld"),
    403: gettext_lazy("Geen toegang"),
    404: gettext_lazy("Niet gevonden"),
    405: gettext_lazy("Methode niet toegestaan"),
    406: gettext_lazy("Niet aanvaardbaar"),
    409: gettext_lazy("Conflict"),
    413: gettext_lazy("Verzoek te groot"),
    415: gettext_lazy("Mediatype niet ondersteund"),
    429: gettext_lazy("Te veel verzoeken"),
    500: gettext_lazy("Interne fout"),
}


def _camel_path(name: str) -> str:
    return ".".join(snake_to_camel(part) for part in str(name).split("."))


def _flatten(detail, prefix=""):
    """Yield (name, code, reason) for every error in a DRF ``detail`` structure."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = prefix if key in ("non_field_errors", "__all__") else (
                f"{prefix}.{_camel_path(key)}" if prefix else _camel_path(key)
            )
            yield from _flatten(value, name)
    elif isinstance(detail, list):
        for item in detail:
            yield from _flatten(item, prefix)
    else:
        yield prefix or "nonFieldErrors", getattr(detail, "code", "invalid"), str(detail)


def problem(status_code: int, *, detail: str = "", instance: str = "", invalid_params=None, code: str = "") -> dict:
    body = {
        "type": f"https://sroi-portaal.nl/problemen/{code or status_code}",
        "code": code or str(status_code),
        "title": str(TITLES.get(status_code, "")),
        "status": status_code,
        "detail": detail,
        "instance": instance,
    }
    if invalid_params:
        body["invalidParams"] = invalid_params
    return body


def exception_handler(exc, context):
    request = context.get("request")
    instance = request.path if request else ""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, StateConflict):
        response = Response(problem(409, detail=exc.message, instance=instance, code="conflict"), status=409)
        response.content_type = PROBLEM_CONTENT_TYPE
        return response
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, exceptions.Throttled):
        # DRF's own text is English (and its Dutch translation is odd); Retry-After is set by DRF.
        seconds = max(1, math.ceil(exc.wait or 1))
        wait = exc.wait
        exc = exceptions.Throttled(detail=ngettext(
            "Te veel verzoeken. Probeer het over %(seconds)d seconde opnieuw.",
            "Te veel verzoeken. Probeer het over %(seconds)d seconden opnieuw.",
            seconds,
        ) % {"seconds": seconds}, code="te_veel_verzoeken")
        exc.wait = wait  # for Retry-After (DRF would also append an English sentence to the detail)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        params = [{"name": name, "code": code, "reason": reason} for name, code, reason in _flatten(exc.detail)]
        response.data = problem(
            status.HTTP_400_BAD_REQUEST,
            detail=_("Een of meer velden zijn ongeldig; er is niets opgeslagen."),
            instance=instance,
            invalid_params=params,
            code="invalid",
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else ""
        response.data = problem(
            response.status_code,
            detail=str(detail),
            instance=instance,
            code=getattr(detail, "code", "") or str(response.status_code),
        )
    if isinstance(exc, exceptions.Throttled) and exc.wait:
        response["Retry-After"] = str(max(1, math.ceil(exc.wait)))  # DRF rounds down
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def api_not_found(request, exception=None):
    return JsonResponse(
        problem(404, detail=_("Deze URL bestaat niet."), instance=request.path, code="not_found"),
        status=404,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def api_request_too_large(request, *, limit: int):
    """413 before the body is read: the API accepts bodies of at most ``limit`` bytes."""
    return JsonResponse(
        problem(
            413,
            detail=_("De body van het verzoek is te groot: hoogstens %(kb)d kB.") % {"kb": limit // 1024},
            instance=request.path,
            code="te_groot",
        ),
        status=413,
        content_type=PROBLEM_CONTENT_TYPE,
    )


def api_server_error(request):
    return JsonResponse(
        problem(500, detail=_("Er ging iets mis aan onze kant."), instance=request.path, code="server_error"),
        status=500,
        content_type=PROBLEM_CONTENT_TYPE,
    )
