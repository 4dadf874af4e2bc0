"""Sign-in through OpenID Connect, unit level: the ID token checks against the real provider's JWKS
(tampered, foreign key, wrong audience, issuer, nonce, expiry with clock skew), the levels of
assurance, the routes without configuration, and password sign-in switched off per role.
The whole flow against the provider is in tests/oidc/test_real_provider.py."""

import base64
import json
import time
from urllib.parse import urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import SuspiciousOperation
from django.test import Client

from sroi_portal.accounts import oidc
from sroi_portal.models import OIDCIdentity
from tests.oidc.fixtures import oidc_on, oidc_provider  # noqa: F401
from tests.oidc.provider import PORTAL_HOST, log_in_at_provider, portal_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_token(oidc_on, team):  # noqa: F811
    """A real ID token of the test provider for the eHerkenning client, and the nonce it was issued for."""
    OIDCIdentity.objects.create(provider="eherkenning", subject="PSEUDO-JAN", user=team["leverancier_a"])
    client = Client()
    start = client.get("/account/oidc/eherkenning/start/", HTTP_HOST=PORTAL_HOST)
    state = dict(part.split("=", 1) for part in urlsplit(start["Location"]).query.split("&"))["state"]
    nonce = client.session["oidc_states"][state]["nonce"]
    callback = urlsplit(log_in_at_provider(start["Location"], "jan"))
    client.get(f"{callback.path}?{callback.query}", HTTP_HOST=PORTAL_HOST)
    return client.session[oidc.SESSION_KEY]["id_token"], nonce


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def test_the_real_token_passes_every_check(real_token):
    token, nonce = real_token
    payload = oidc.EHerkenningBackend().verify_token(token, nonce=nonce)
    assert payload["urn:etoegang:core:ActingSubjectID"] == "PSEUDO-JAN"


def test_a_token_with_a_changed_payload_is_refused(real_token):
    token, nonce = real_token
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["urn:etoegang:1.9:EntityConcernedID:KvKnr"] = "87654321"
    with pytest.raises(SuspiciousOperation):
        oidc.EHerkenningBackend().verify_token(f"{header}.{_b64(claims)}.{signature}", nonce=nonce)


def test_a_token_signed_with_another_key_under_the_providers_kid_is_refused(real_token):
    token, nonce = real_token
    claims = jwt.decode(token, options={"verify_signature": False})
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, other_key, algorithm="RS256", headers={"kid": jwt.get_unverified_header(token)["kid"]})
    with pytest.raises(SuspiciousOperation):
        oidc.EHerkenningBackend().verify_token(forged, nonce=nonce)


def test_an_unsigned_token_is_refused(real_token):
    token, nonce = real_token
    claims = jwt.decode(token, options={"verify_signature": False})
    with pytest.raises(SuspiciousOperation):
        oidc.EHerkenningBackend().verify_token(jwt.encode(claims, None, algorithm="none"), nonce=nonce)


def test_a_token_for_the_other_client_or_another_nonce_is_refused(real_token):
    token, nonce = real_token
    with pytest.raises(SuspiciousOperation, match="Audience"):
        oidc.StaffBackend().verify_token(token, nonce=nonce)  # aud is the eHerkenning client
    with pytest.raises(SuspiciousOperation, match="nonce"):
        oidc.EHerkenningBackend().verify_token(token, nonce="een-andere-inlogpoging")


@pytest.fixture
def own_key_provider(oidc_on):  # noqa: F811
    """The eHerkenning provider with a signing key of the test's own (to make tokens with any claims)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    conf = {**oidc_on.SROI_OIDC_PROVIDERS["eherkenning"], "OIDC_RP_IDP_SIGN_KEY": public.decode()}
    oidc_on.SROI_OIDC_PROVIDERS = {**oidc_on.SROI_OIDC_PROVIDERS, "eherkenning": conf}
    now = int(time.time())

    def token(**changes):
        claims = {"iss": conf["OIDC_OP_ISSUER"], "aud": conf["OIDC_RP_CLIENT_ID"], "sub": "x", "nonce": "n",
                  "iat": now, "exp": now + 300, **changes}
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "eigen"})

    return token, now


def test_expiry_is_checked_with_the_clock_skew_of_the_setting(own_key_provider, settings):
    token, now = own_key_provider
    settings.SROI_OIDC_CLOCK_SKEW_SECONDS = 60
    backend = oidc.EHerkenningBackend()
    assert backend.verify_token(token(exp=now - 30), nonce="n")["sub"] == "x"  # within the skew
    with pytest.raises(SuspiciousOperation, match="expired"):
        backend.verify_token(token(exp=now - 120), nonce="n")
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(token(iat=now + 120, exp=now + 600), nonce="n")  # issued in the future


def test_another_issuer_or_a_missing_exp_is_refused(own_key_provider):
    token, now = own_key_provider
    backend = oidc.EHerkenningBackend()
    with pytest.raises(SuspiciousOperation, match="issuer"):
        backend.verify_token(token(iss="https://broker.example"), nonce="n")
    with pytest.raises(SuspiciousOperation):
        backend.verify_token(token(exp=None), nonce="n")


@pytest.mark.parametrize(("value", "level"), [
    ("urn:etoegang:core:assurance-class:loa3", "EH3"),
    ("urn:etoegang:core:assurance-class:loa2plus", "EH2+"),
    ("EH4", "EH4"),
    ("eh2+", "EH2+"),
    ("http://eidas.europa.eu/LoA/substantial", "EH3"),
    ("http://eidas.europa.eu/LoA/low", "EH2+"),
    ("urn:etoegang:core:assurance-class:loa9", None),
    ("", None),
])
def test_levels_of_assurance_as_brokers_send_them(value, level):
    assert oidc.loa_level(value) == level


def test_the_minimum_level_compares_in_eherkenning_order():
    assert oidc.loa_at_least("urn:etoegang:core:assurance-class:loa3", "EH3")
    assert oidc.loa_at_least("urn:etoegang:core:assurance-class:loa4", "EH3")
    assert not oidc.loa_at_least("urn:etoegang:core:assurance-class:loa2plus", "EH3")
    assert not oidc.loa_at_least("onzin", "EH1")


# --- without configuration -------------------------------------------------------------------------

def test_without_providers_the_routes_answer_404_and_the_login_page_has_no_buttons(settings, client):
    assert settings.SROI_OIDC_PROVIDERS == {}
    for url in ("/account/oidc/eherkenning/start/", "/account/oidc/medewerkers/start/",
                "/account/oidc/eherkenning/callback/?code=x&state=y", "/account/oidc/medewerkers/callback/"):
        assert client.get(url).status_code == 404, url
    page = client.get("/account/inloggen/").text
    assert "eHerkenning" not in page and "Inloggen via de gemeente" not in page


def test_the_login_page_shows_only_the_configured_provider(oidc_on, oidc_provider, monkeypatch, client):  # noqa: F811
    oidc_on.SROI_OIDC_PROVIDERS = {"eherkenning": portal_settings(oidc_provider, monkeypatch)["eherkenning"]}
    page = client.get("/account/inloggen/").text
    assert "Inloggen met eHerkenning" in page and "minstens" not in page and "EH3 of hoger" in page
    assert "Inloggen via de gemeente" not in page
    assert client.get("/account/oidc/medewerkers/start/").status_code == 404


def test_a_provider_with_a_client_id_but_no_issuer_stops_the_start(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from sroi_portal import settings as settings_module

    monkeypatch.setenv("SROI_STAFF_OIDC_RP_CLIENT_ID", "sroi")
    with pytest.raises(ImproperlyConfigured, match="SROI_STAFF_OIDC_OP_ISSUER"):
        settings_module._staff_provider()


# --- password sign-in switched off per role ----------------------------------------------------------

def _password_login(client, user, path="/account/inloggen/"):
    return client.post(path, {"username": user.email, "password": "Wachtwoord-voor-tests-1"})


@pytest.fixture
def passwords(team):
    for user in team.values():
        user.set_password("Wachtwoord-voor-tests-1")
        user.save()
    return team


def test_a_role_without_password_sign_in_is_refused_with_a_dutch_message(oidc_on, passwords, client):
    oidc_on.SROI_PASSWORD_LOGIN_DISABLED_ROLES = ["leverancier", "inkoop"]
    response = _password_login(client, passwords["leverancier_a"])
    assert response.status_code == 200 and "Kies &#x27;Inloggen met eHerkenning&#x27;" in response.text
    assert "_auth_user_id" not in client.session
    response = _password_login(client, passwords["inkoop"])
    assert "Inloggen via de gemeente" in response.text and "_auth_user_id" not in client.session
    # A wrong password still says only that the combination is unknown.
    wrong = client.post("/account/inloggen/", {"username": passwords["inkoop"].email, "password": "fout-fout-fout"})
    assert "combinatie van e-mailadres en wachtwoord kennen we niet" in wrong.text
    # Other roles keep their password.
    assert _password_login(client, passwords["raadslid"]).status_code == 302


def test_the_django_admin_login_refuses_it_too(oidc_on, passwords, client):
    beheerder = passwords["beheerder"]
    beheerder.is_staff = True
    beheerder.save()
    oidc_on.SROI_PASSWORD_LOGIN_DISABLED_ROLES = ["beheerder"]
    client.post("/admin/login/", {"username": beheerder.username, "password": "Wachtwoord-voor-tests-1"})
    assert "_auth_user_id" not in client.session


def test_password_sign_in_stays_while_the_roles_provider_is_not_configured(settings, passwords, client):
    settings.SROI_PASSWORD_LOGIN_DISABLED_ROLES = ["leverancier"]
    assert settings.SROI_OIDC_PROVIDERS == {}
    assert _password_login(client, passwords["leverancier_a"]).status_code == 302


def test_the_invitation_then_offers_only_eherkenning(oidc_on, team, leverancier_a, client):
    from django.core import mail

    from sroi_portal.accounts import invitations

    oidc_on.SROI_PASSWORD_LOGIN_DISABLED_ROLES = ["leverancier"]
    invitations.invite_supplier_user(leverancier=leverancier_a, email="nieuw@groen-grijs.nl", invited_by=team["srteam"])
    path = next(word for word in mail.outbox[-1].body.split() if "/account/uitnodiging/" in word)
    path = urlsplit(path).path
    page = client.get(path)
    assert "Koppelen met eHerkenning" in page.text and "Kies een wachtwoord" not in page.text
    client.post(path, {"password1": "Een-lang-wachtwoord-1", "password2": "Een-lang-wachtwoord-1"})
    assert "_auth_user_id" not in client.session
