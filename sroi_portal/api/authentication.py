"""API authentication: DRF tokens (``Authorization: Token <key>``) that expire and can be revoked.

A token made with ``manage.py drf_create_token <username>`` is valid for ``API_TOKEN_TTL_DAYS``
days (default 90) from its creation. Revoking a token is deleting it (``manage.py revoke_token
<username>``, or the admin). An expired, revoked or unknown token, or the token of a deactivated
user, gets 401 ``application/problem+json``; a new token is made with ``drf_create_token -r``.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


def token_ttl() -> timedelta:
    return timedelta(days=settings.API_TOKEN_TTL_DAYS)


def token_expires_at(token):
    return token.created + token_ttl()


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user").get(key=key)
        except model.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Ongeldige of ingetrokken token."), code="token_invalid")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("Dit account is gedeactiveerd."), code="user_inactive")
        if timezone.now() >= token_expires_at(token):
            raise exceptions.AuthenticationFailed(
                _("Deze token is verlopen. Vraag een nieuwe token aan bij de beheerder."), code="token_expired"
            )
        return token.user, token


class ExpiringTokenScheme(OpenApiAuthenticationExtension):
    target_class = "sroi_portal.api.authentication.ExpiringTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _(
                "Token-authenticatie: `Authorization: Token <sleutel>`. Een token verloopt na "
                "API_TOKEN_TTL_DAYS dagen (standaard 90) en kan worden ingetrokken."
            ),
        }
