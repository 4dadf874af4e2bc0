"""API authentication: DRF tokens (``Authorization: Token <key>``) that expire and can be revoked.

A token made with ``manage.py drf_create_token <username>`` is valid for ``API_TOKEN_TTL_DAYS``
days (default 90) from its creation. Revoking a token is deleting it (``manage.py revoke_token
<username>``, or the admin). An expired, revoked or unknown token, or the token of a deactivated
user, gets 401 ``application/problem+json``; a new token is made with ``drf_create_token -r``.

What a token request is, is decided in one place: ``authorization_header``. Only the exact form
``Token`` + one space + the key counts as a token; the MFA middleware
(``sroi_portal.accounts.middleware``) lets exactly those requests through to this class, and this
class authenticates exactly those by their token. A header that tries a token (or a bearer token)
in any other form (a no-break space or a tab, two spaces, ``token`` in small letters, ``Bearer``,
something after the key, no key) is refused with 401: it never falls back to the browser session.
Other schemes (``Basic`` of a proxy in front) and no header at all leave the session to decide.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication


TOKEN_KEYWORD = "Token"
# "Token", exactly one ASCII space, the key (RFC 9110 token68 characters), nothing after it.
_TOKEN_HEADER = re.compile(r"Token ([A-Za-z0-9\-._~+/]+=*)")
# Schemes that mean "I am sending a token": any header starting with these (in any case, after
# any white space) that is not exactly ``Token <key>`` is a malformed token header.
_TOKEN_ATTEMPT_PREFIXES = ("token", "bearer")

NONE = "none"            # no Authorization header (or an empty one): the session decides
TOKEN = "token"          # a well-formed token header: the token decides, never the session
MALFORMED = "malformed"  # a token attempt in another form: 401
OTHER = "other"          # another scheme (Basic, ...): not ours, the session decides


@dataclass(frozen=True)
class AuthorizationHeader:
    kind: str
    key: str = ""


def authorization_header(request) -> AuthorizationHeader:
    """The one parser of the ``Authorization`` header, for the MFA middleware and for DRF alike.

    Works on a Django ``HttpRequest`` or a DRF ``Request`` (both have ``.META``)."""
    value = request.META.get("HTTP_AUTHORIZATION", "")
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if value == "":
        return AuthorizationHeader(NONE)
    match = _TOKEN_HEADER.fullmatch(value)
    if match:
        return AuthorizationHeader(TOKEN, match.group(1))
    # str.strip() and str.lower() know every Unicode space (no-break space included).
    if value.strip().lower().startswith(_TOKEN_ATTEMPT_PREFIXES) or not value.strip():
        return AuthorizationHeader(MALFORMED)
    return AuthorizationHeader(OTHER)


def is_token_request(request) -> bool:
    """True when the request carries a well-formed token header: only then does the token, and
    not the session, decide who is asking."""
    return authorization_header(request).kind == TOKEN


def token_ttl() -> timedelta:
    return timedelta(days=settings.API_TOKEN_TTL_DAYS)


def token_expires_at(token):
    return token.created + token_ttl()


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = TOKEN_KEYWORD

    def authenticate(self, request):
        header = authorization_header(request)
        if header.kind == TOKEN:
            return self.authenticate_credentials(header.key)
        if header.kind == MALFORMED:
            raise exceptions.AuthenticationFailed(
                _("Ongeldige Authorization-header. Gebruik precies: Authorization: Token <sleutel> "
                  "(één spatie, geen andere tekens)."),
                code="token_header_invalid",
            )
        return None

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


def revoke_api_tokens(*, user) -> int:
    """Revoke (delete) the user's API tokens; every request with them gets 401 from now on."""
    from rest_framework.authtoken.models import Token

    deleted, _per_model = Token.objects.filter(user=user).delete()
    return deleted
