"""OpenAPI generation: every operation also documents its ``application/problem+json`` errors.

The default drf-spectacular schema lists only the success response; clients (and schemathesis)
must be able to rely on the schema for errors too, so each operation gets the error responses the
API can give: 400 (invalid body or query parameters), 401 (no, expired or revoked token), 403 (not
allowed), 404 (outside the user's scope, or a page that does not exist), 406 (unacceptable
``Accept``), 429 (rate limit, with ``Retry-After``), and for writes 409 (state conflict), 413 (body
too large) and 415 (unsupported media type).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from .problems import PROBLEM_CONTENT_TYPE


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=_("Het veld, in camelCase; geneste velden met een punt (kandidaat.referentie)."))
    code = serializers.CharField()
    reason = serializers.CharField(help_text=_("Wat er mis is, in het Nederlands."))


@extend_schema_serializer(component_name="Probleem")
class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details (NL API Design Rules)."""

    type = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(allow_blank=True)
    instance = serializers.CharField(allow_blank=True)
    invalidParams = InvalidParamSerializer(many=True, required=False)


ERRORS = {
    "400": _("Ongeldige invoer: invalidParams noemt elk veld met de reden. Er is niets opgeslagen."),
    "401": _("Niet aangemeld: geen, een verlopen of een ingetrokken token."),
    "403": _("Geen toegang voor deze gebruiker."),
    "404": _("Niet gevonden (of buiten het bereik van deze gebruiker)."),
    "406": _("Het gevraagde mediatype (Accept) wordt niet geleverd."),
    "429": _("Te veel verzoeken van deze gebruiker of dit adres: wacht het aantal seconden uit Retry-After."),
}
WRITE_ERRORS = {
    "409": _("Conflict: de huidige toestand staat dit niet toe (bijvoorbeeld al beoordeeld, of intussen gewijzigd)."),
    "413": _("De body is groter dan de API aanneemt (DATA_UPLOAD_MAX_MEMORY_SIZE)."),
    "415": _("Mediatype van de body niet ondersteund: gebruik application/json."),
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            errors.update(WRITE_ERRORS)
        for code, description in errors.items():
            if code in responses:
                continue
            response = self._get_response_for_code(ProblemSerializer, code, [PROBLEM_CONTENT_TYPE], direction)
            response["description"] = str(description)
            responses[code] = response
        return responses
