"""Sign-in through OpenID Connect: eHerkenning (a broker) for suppliers, the municipality's own
identity provider for staff. Built on mozilla-django-oidc, one backend and one pair of views per
provider, each reading its own settings (``settings.SROI_OIDC_PROVIDERS[<key>]``, filled from the
environment prefixes ``OIDC_`` and ``SROI_STAFF_OIDC_``).

The protocol: authorization code flow with PKCE (S256), ``state`` and ``nonce`` kept in the session
per attempt and removed when the provider comes back (a replayed ``state`` is refused). The ID token
is checked against the provider's JWKS: signature and algorithm, ``iss``, ``aud`` (and ``azp``),
``exp``/``iat``/``nbf`` within ``SROI_OIDC_CLOCK_SKEW_SECONDS``, and the ``nonce`` of this attempt.
Logging out ends the portal session and, when the provider has an end-session endpoint, sends the
browser there with ``id_token_hint`` and ``post_logout_redirect_uri`` (``end_session_url``).

Who may sign in is decided here (``EHerkenningBackend.user_for_claims``, ``StaffBackend.user_for_claims``);
links are made by the services in ``identities``. A refusal is a ``SignInRefused`` with a Dutch
message, shown by the callback view on ``accounts/oidc_refused.html``.

The routes always exist (``urls.py``); for a provider that is not configured they answer 404. That
keeps the URL configuration independent of the settings at import time, so tests switch a provider
on with ``override_settings`` alone.
"""

import logging
import re
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from sroi_portal.errors import StateConflict
from sroi_portal.models import OIDCIdentity, Role

from . import identities, invitations, mfa

logger = logging.getLogger(__name__)

EHERKENNING = OIDCIdentity.Provider.EHERKENNING.value
MEDEWERKERS = OIDCIdentity.Provider.MEDEWERKERS.value
PROVIDER_KEYS = (EHERKENNING, MEDEWERKERS)
# What the session remembers of a sign-in through a provider: {"provider", "user", "id_token"}.
SESSION_KEY = "sroi_oidc"
# The invitation a supplier chose to accept with eHerkenning (accept_invitation page).
INVITATION_SESSION_KEY = "sroi_oidc_invitation"

# Levels of assurance of eHerkenning, lowest first (eIDAS low/substantial/high = EH2+/EH3/EH4).
LOA_ORDER = ("EH1", "EH2", "EH2+", "EH3", "EH4")
_EIDAS = {"low": "EH2+", "substantial": "EH3", "high": "EH4"}
_LOA_RE = re.compile(r"(?:loa|eh)([1-4])(\+|plus)?$")


class SignInRefused(Exception):
    """The provider vouched for someone the portal does not let in this way; ``message`` is Dutch."""

    def __init__(self, message, *, status=403):
        super().__init__(message)
        self.message = message
        self.status = status


def provider_config(key: str) -> dict | None:
    """The settings of provider ``key``, or None when it is not configured."""
    return (getattr(settings, "SROI_OIDC_PROVIDERS", None) or {}).get(key)


def configured_providers() -> list[str]:
    return [key for key in PROVIDER_KEYS if provider_config(key)]


def loa_level(value) -> str | None:
    """An eHerkenning level (``EH3``) for a value as brokers send it: ``urn:etoegang:core:assurance-class:loa3``,
    ``loa2plus``, ``EH2+``, ``http://eidas.europa.eu/LoA/substantial``; None when not recognised."""
    text = str(value or "").strip().lower()
    if not text:
        return None
    for word, level in _EIDAS.items():
        if text.endswith(f"/loa/{word}") or text == word:
            return level
    match = _LOA_RE.search(text)
    if not match:
        return None
    level = f"EH{match.group(1)}{'+' if match.group(2) else ''}"
    return level if level in LOA_ORDER else None


def loa_at_least(value, minimum: str) -> bool:
    level = loa_level(value)
    if level is None:
        return False
    wanted = minimum.upper() if minimum.upper() in LOA_ORDER else "EH4"  # an unknown minimum lets no one in
    return LOA_ORDER.index(level) >= LOA_ORDER.index(wanted)


def first_claim(claims: dict, names) -> str:
    """The value of the first claim of ``names`` that is present and not empty, as a string."""
    for name in names:
        value = claims.get(name)
        if isinstance(value, list):
            value = value[0] if value else None
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    return [str(item) for item in value]


def provider_asserted_mfa(claims: dict, conf: dict) -> bool:
    """Did the staff provider assert multi-factor authentication (``amr`` or ``acr``)?"""
    amr = {item.lower() for item in _as_list(claims.get("amr"))}
    wanted_amr = {item.lower() for item in conf.get("MFA_AMR", ())}
    acr = str(claims.get("acr") or "")
    return bool(amr & wanted_amr) or (bool(acr) and acr in set(conf.get("MFA_ACR", ())))


class _ProviderSettings:
    """``get_settings`` of mozilla-django-oidc, read from one provider's block of settings."""

    provider_key = ""

    def get_settings(self, attr, *default):
        conf = provider_config(self.provider_key) or {}
        if attr in conf:
            return conf[attr]
        if attr == "OIDC_AUTHENTICATION_CALLBACK_URL":
            return f"oidc_{self.provider_key}_callback"
        if attr.startswith(("OIDC_RP_", "OIDC_OP_")):  # per provider only: never another provider's value
            if default:
                return default[0]
            raise ImproperlyConfigured(f"{attr} is not set for the OpenID Connect provider {self.provider_key!r}")
        return import_from_settings(attr, *default)


class ProviderBackend(_ProviderSettings, OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend for one provider; only answers ``authenticate(oidc_provider=<key>)``."""

    def __init__(self, *args, **kwargs):
        self.UserModel = get_user_model()
        self.config = provider_config(self.provider_key)
        if self.config:
            self.OIDC_OP_TOKEN_ENDPOINT = self.config["OIDC_OP_TOKEN_ENDPOINT"]
            self.OIDC_OP_USER_ENDPOINT = self.config.get("OIDC_OP_USER_ENDPOINT")
            self.OIDC_OP_JWKS_ENDPOINT = self.config.get("OIDC_OP_JWKS_ENDPOINT")
            self.OIDC_RP_CLIENT_ID = self.config["OIDC_RP_CLIENT_ID"]
            self.OIDC_RP_CLIENT_SECRET = self.config.get("OIDC_RP_CLIENT_SECRET", "")
            self.OIDC_RP_SIGN_ALGO = self.config.get("OIDC_RP_SIGN_ALGO", "RS256")
            self.OIDC_RP_IDP_SIGN_KEY = self.config.get("OIDC_RP_IDP_SIGN_KEY")

    def authenticate(self, request, oidc_provider=None, **kwargs):
        if oidc_provider != self.provider_key or not self.config:
            return None
        return super().authenticate(request, **kwargs)

    # --- the ID token ---------------------------------------------------------------------------
    def verify_token(self, token, **kwargs):
        """Signature (JWKS), algorithm, iss, aud/azp, exp/iat/nbf (with the clock skew) and nonce."""
        if not token:
            raise SuspiciousOperation("The provider sent no ID token.")
        userinfo = kwargs.get("userinfo", False)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token unreadable: {error}") from None
        alg = header.get("alg")
        if alg != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"ID token algorithm {alg!r} is not the configured {self.OIDC_RP_SIGN_ALGO!r}.")
        if alg.startswith(("RS", "ES", "PS")):
            if self.OIDC_RP_IDP_SIGN_KEY:
                key = self.OIDC_RP_IDP_SIGN_KEY
            else:
                if "kid" not in header and self.get_settings("OIDC_VERIFY_KID", True):
                    raise SuspiciousOperation("ID token without kid.")
                key = self.retrieve_matching_jwk(token)
        else:
            key = self.OIDC_RP_CLIENT_SECRET
        required = ["sub"] if userinfo else ["exp", "iat", "iss", "aud", "sub"]
        try:
            payload = jwt.decode(
                token, key, algorithms=[alg],
                audience=None if userinfo else self.OIDC_RP_CLIENT_ID, issuer=self.config["OIDC_OP_ISSUER"],
                leeway=settings.SROI_OIDC_CLOCK_SKEW_SECONDS,
                options={"require": required, "verify_aud": not userinfo},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from None
        audiences = payload.get("aud")
        if isinstance(audiences, list) and len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token for several audiences without azp of this client.")
        if not userinfo and self.get_settings("OIDC_USE_NONCE", True):
            nonce = kwargs.get("nonce")
            if not nonce or payload.get("nonce") != nonce:
                raise SuspiciousOperation("ID token nonce does not match this sign-in.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """Claims of the userinfo endpoint (when configured); its ``sub`` must be the ID token's."""
        if not self.OIDC_OP_USER_ENDPOINT:
            return {}
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            verify=self.get_settings("OIDC_VERIFY_SSL", True),
            timeout=self.get_settings("OIDC_TIMEOUT", 10),
        )
        response.raise_for_status()
        if response.headers.get("content-type", "").lower().startswith("application/jwt"):
            info = self.verify_token(response.text, userinfo=True)
        else:
            info = response.json()
        if info.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("Userinfo is about another subject than the ID token.")
        return info

    def store_tokens(self, access_token, id_token):
        """Nothing in the session yet: the callback view keeps the ID token after the login."""

    def get_or_create_user(self, access_token, id_token, payload):
        claims = {**self.get_userinfo(access_token, id_token, payload), **payload}  # the signed token wins
        try:
            user = self.user_for_claims(claims)
        except StateConflict as conflict:
            raise SignInRefused(conflict.message) from None
        identities.record_sign_in(provider=self.provider_key, user=user)
        user.oidc_sign_in = {
            "provider": self.provider_key,
            "id_token": id_token,
            "mfa": self.asserts_mfa(claims),
        }
        return user

    def user_for_claims(self, claims):  # pragma: no cover - each provider has its own
        raise NotImplementedError

    def asserts_mfa(self, claims) -> bool:
        return False

    def get_user(self, user_id):
        try:
            return self.UserModel._default_manager.get(pk=user_id)
        except self.UserModel.DoesNotExist:
            return None


class EHerkenningBackend(ProviderBackend):
    """Suppliers through an eHerkenning broker: the KvK claim selects the supplier organisation, the
    acting person's pseudonym the user. A level of assurance below ``MIN_LOA`` is refused, and so is a
    pseudonym linked to one supplier arriving for another."""

    provider_key = EHERKENNING

    def user_for_claims(self, claims):
        conf = self.config
        loa = first_claim(claims, conf["LOA_CLAIMS"])
        if not loa_at_least(loa, conf["MIN_LOA"]):
            raise SignInRefused(_(
                "Uw eHerkenningsmiddel heeft betrouwbaarheidsniveau %(level)s. Voor het SROI-portaal is minstens "
                "%(minimum)s nodig. Vraag de beheerder van eHerkenning in uw organisatie om een middel van dat niveau."
            ) % {"level": loa_level(loa) or _("onbekend"), "minimum": conf["MIN_LOA"]})
        kvk = first_claim(claims, conf["KVK_CLAIMS"])
        pseudonym = first_claim(claims, conf["PSEUDONYM_CLAIMS"])
        if not re.fullmatch(r"\d{8}", kvk) or not pseudonym:
            raise SignInRefused(_(
                "eHerkenning gaf geen KvK-nummer of geen identificatie van u door. Probeer het opnieuw; lukt het "
                "niet, neem dan contact op met het SR-team."
            ), status=400)
        identity = identities.find(provider=EHERKENNING, subject=pseudonym)
        if identity is not None:
            user = identity.user
            if user.role != Role.LEVERANCIER or user.leverancier is None or user.leverancier.kvk_nummer != kvk:
                raise SignInRefused(_(
                    "U logt in namens de organisatie met KvK-nummer %(kvk)s, maar uw account in het portaal hoort bij "
                    "een andere organisatie. Log in met eHerkenning namens die organisatie, of vraag het SR-team om "
                    "een uitnodiging voor deze organisatie."
                ) % {"kvk": kvk})
            self._check_active(user)
            return user
        token = self.request.session.get(INVITATION_SESSION_KEY)
        if token:
            return invitations.accept_invitation_with_identity(
                token=token, provider=EHERKENNING, subject=pseudonym, kvk=kvk
            )
        if conf.get("CREATE_USERS"):
            user = identities.create_supplier_user(subject=pseudonym, kvk=kvk)
            if user is not None:
                return user
        raise SignInRefused(_(
            "Uw eHerkenning is nog niet aan een account in het SROI-portaal gekoppeld. Open de link in de uitnodiging "
            "van het SR-team en kies daar 'Koppelen met eHerkenning'. Heeft u geen uitnodiging, vraag het SR-team erom."
        ))

    @staticmethod
    def _check_active(user):
        if not user.is_active:
            raise SignInRefused(_("Dit account is niet actief. Neem contact op met het SR-team."))


class StaffBackend(ProviderBackend):
    """Staff through the municipality's identity provider: existing users only, found by the stored
    ``sub`` or, on the first sign-in, by ``MATCH_CLAIM`` against their e-mail address."""

    provider_key = MEDEWERKERS

    def user_for_claims(self, claims):
        conf = self.config
        subject = str(claims.get("sub") or "")
        identity = identities.find(provider=MEDEWERKERS, subject=subject)
        if identity is not None:
            user = identity.user
        else:
            value = first_claim(claims, [conf["MATCH_CLAIM"]])
            users = list(self.UserModel._default_manager.filter(email__iexact=value)[:2]) if value else []
            if len(users) != 1:
                raise SignInRefused(_(
                    "Er is in het SROI-portaal geen account voor %(who)s. Vraag de functioneel beheerder om een account; "
                    "rollen en gemeenten worden in het portaal beheerd."
                ) % {"who": value or _("deze medewerker")})
            user = users[0]
        if not user.is_active:
            raise SignInRefused(_("Dit account is niet actief. Neem contact op met de functioneel beheerder."))
        if user.role == Role.LEVERANCIER or user.role not in set(conf["ROLES"]):
            raise SignInRefused(_(
                "Met dit account logt u niet in via de inlogdienst van de gemeente. Leveranciers loggen in met eHerkenning."
            ))
        if identity is None:
            identities.link_staff_user(provider=MEDEWERKERS, subject=subject, user=user)
        return user

    def asserts_mfa(self, claims) -> bool:
        return provider_asserted_mfa(claims, self.config)


# --- views ----------------------------------------------------------------------------------------

def _refused(request, message, *, status):
    return render(request, "accounts/oidc_refused.html", {"message": message}, status=status)


class _ProviderView(_ProviderSettings):
    def dispatch(self, request, *args, **kwargs):
        if not provider_config(self.provider_key):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class AuthenticationRequestView(_ProviderView, OIDCAuthenticationRequestView):
    """Start: to the provider's authorization endpoint with state, nonce and the PKCE challenge."""

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # the endpoints are read per request (the provider may be off)

    def get(self, request):
        self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
        return super().get(request)


class AuthenticationCallbackView(_ProviderView, OIDCAuthenticationCallbackView):
    """Back from the provider: the state of this attempt (used once), the code exchanged with the
    PKCE verifier, the ID token checked, the user decided; refusals as a Dutch page."""

    def get(self, request):
        states = request.session.get("oidc_states") or {}
        state = request.GET.get("state", "")
        entry = states.pop(state, None) if state else None
        request.session["oidc_states"] = states
        invitation_token = request.session.pop(INVITATION_SESSION_KEY, None)
        request.session.save()
        if request.GET.get("error"):
            if request.user.is_authenticated:
                auth.logout(request)
            return _refused(request, _(
                "Inloggen is afgebroken of door de inlogdienst geweigerd. U bent niet ingelogd. Probeer het opnieuw."
            ), status=403)
        if entry is None or not request.GET.get("code"):
            return _refused(request, _(
                "Deze inlogpoging is verlopen of al gebruikt. Begin opnieuw bij de inlogpagina van het portaal."
            ), status=400)
        # Reload the session: the exchange with the provider takes a while, and other tabs may have
        # changed it meanwhile (as mozilla-django-oidc does).
        request.session = request.session.__class__(request.session.session_key)
        if invitation_token:
            request.session[INVITATION_SESSION_KEY] = invitation_token  # read by the backend, not saved
        try:
            user = auth.authenticate(
                request=request, nonce=entry.get("nonce"), code_verifier=entry.get("code_verifier"),
                oidc_provider=self.provider_key,
            )
        except SignInRefused as refusal:
            logger.info("Inloggen via %s geweigerd: %s", self.provider_key, refusal.message)
            request.session.pop(INVITATION_SESSION_KEY, None)
            if request.user.is_authenticated:
                auth.logout(request)
            return _refused(request, refusal.message, status=refusal.status)
        except SuspiciousOperation as error:
            logger.warning("Inloggen via %s: antwoord van de inlogdienst geweigerd: %s", self.provider_key, error)
            return _refused(request, _(
                "Het antwoord van de inlogdienst kon niet worden gecontroleerd. U bent niet ingelogd. Probeer het opnieuw; "
                "lukt het niet, neem dan contact op met de functioneel beheerder."
            ), status=400)
        except requests.RequestException as error:
            logger.warning("Inloggen via %s: inlogdienst niet bereikbaar of weigerde: %s", self.provider_key, error)
            return _refused(request, _(
                "De inlogdienst is niet bereikbaar of weigerde de inlog. U bent niet ingelogd. Probeer het later opnieuw."
            ), status=502)
        request.session.pop(INVITATION_SESSION_KEY, None)
        if user is None or not user.is_active:
            return _refused(request, _("Inloggen is niet gelukt. U bent niet ingelogd."), status=403)
        self.user = user
        return self.login_success()

    def login_success(self):
        request = self.request
        sign_in = getattr(self.user, "oidc_sign_in", {})
        next_url = request.session.get("oidc_login_next")
        auth.login(request, self.user)
        request.session[SESSION_KEY] = {
            "provider": self.provider_key, "user": self.user.pk, "id_token": sign_in.get("id_token", ""),
        }
        if sign_in.get("mfa"):
            mfa.mark_verified_by_provider(request, self.user, provider=self.provider_key)
        request.session.pop("oidc_login_next", None)
        return HttpResponseRedirect(next_url or resolve_url(settings.LOGIN_REDIRECT_URL))


def end_session_url(request) -> str | None:
    """Where the browser goes to end the provider's session too (RP-initiated logout), or None when
    the user did not sign in through a provider with an end-session endpoint. Call before logging out."""
    info = request.session.get(SESSION_KEY) or {}
    conf = provider_config(info.get("provider", ""))
    user = getattr(request, "user", None)
    if not conf or not conf.get("OIDC_OP_LOGOUT_ENDPOINT") or not user or info.get("user") != user.pk:
        return None
    params = {
        "client_id": conf["OIDC_RP_CLIENT_ID"],
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
    }
    if info.get("id_token"):
        params["id_token_hint"] = info["id_token"]
    return f"{conf['OIDC_OP_LOGOUT_ENDPOINT']}?{urlencode(params)}"


def role_may_use_password(role) -> bool:
    """May users of ``role`` sign in with a password? Not when the role is in
    ``SROI_PASSWORD_LOGIN_DISABLED_ROLES`` and the provider for that role (eHerkenning for suppliers,
    the staff provider for the roles it takes) is configured."""
    if not role or role not in set(getattr(settings, "SROI_PASSWORD_LOGIN_DISABLED_ROLES", ())):
        return True
    if role == Role.LEVERANCIER:
        return provider_config(EHERKENNING) is None
    staff = provider_config(MEDEWERKERS)
    return staff is None or role not in set(staff.get("ROLES", ()))


def password_login_allowed(user) -> bool:
    return role_may_use_password(getattr(user, "role", ""))
