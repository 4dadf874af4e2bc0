"""Sign-in through OpenID Connect against a real provider (oidc-provider on 127.0.0.1, tests/oidc/provider/):
the whole authorization code flow with PKCE, state and nonce, the ID token checked against the
provider's JWKS, without a browser (the Django test client for the portal, ``requests`` for the
provider's login form). The browser flows are in tests/e2e/test_oidc_flow.py."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from sroi_portal.accounts import invitations, oidc
from sroi_portal.models import Invitation, OIDCIdentity, Role

from .provider import PORTAL_HOST, STAFF_INKOOP_EMAIL, STAFF_SRTEAM_EMAIL, log_in_at_provider, sign_in_with_client

pytestmark = pytest.mark.django_db


def signed_in_user(client):
    """The user the portal's start page is shown to, or None (sent to the login page)."""
    response = client.get("/", HTTP_HOST=PORTAL_HOST)
    if response.status_code == 302 and response["Location"].startswith("/account/inloggen/"):
        return None
    return response.wsgi_request.user


def invite(leverancier, inviter, email="contact@groen-grijs.nl"):
    invitations.invite_supplier_user(leverancier=leverancier, email=email, invited_by=inviter)
    return re.search(r"/account/uitnodiging/([^/\s]+)/", mail.outbox[-1].body).group(1)


def accept_with_eherkenning(client, token, login):
    """On the invitation page 'Koppelen met eHerkenning', then the provider's login as ``login``."""
    response = client.post(f"/account/uitnodiging/{token}/", {"eherkenning": "1"}, HTTP_HOST=PORTAL_HOST)
    assert response.status_code == 302 and response["Location"] == "/account/oidc/eherkenning/start/"
    return sign_in_with_client(client, "eherkenning", login)


# --- suppliers: eHerkenning ------------------------------------------------------------------------

def test_the_start_sends_the_browser_to_the_provider_with_pkce_state_and_nonce(oidc_on, client, oidc_provider):
    response = client.get("/account/oidc/eherkenning/start/", HTTP_HOST=PORTAL_HOST)
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    params = {key: values[0] for key, values in parse_qs(target.query).items()}
    assert f"{target.scheme}://{target.netloc}{target.path}" == oidc_provider.discovery["authorization_endpoint"]
    assert params["response_type"] == "code" and params["client_id"] == "sroi-eherkenning"
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert params["redirect_uri"] == f"http://{PORTAL_HOST}/account/oidc/eherkenning/callback/"


def test_a_supplier_links_eherkenning_through_the_invitation_and_signs_in_without_email(
    oidc_on, client, team, leverancier_a
):
    token = invite(leverancier_a, team["srteam"])
    response = accept_with_eherkenning(client, token, "jan")
    assert response.status_code == 302 and response["Location"] == "/"
    user = signed_in_user(client)
    assert user is not None and user.role == Role.LEVERANCIER and user.leverancier == leverancier_a
    assert not user.has_usable_password()
    identity = OIDCIdentity.objects.get(user=user)
    assert (identity.provider, identity.subject) == ("eherkenning", "PSEUDO-JAN")
    assert Invitation.objects.get().accepted_at is not None

    # Next time the pseudonym alone finds the account (a new browser, no invitation).
    other = Client()
    assert sign_in_with_client(other, "eherkenning", "jan").status_code == 302
    assert signed_in_user(other).pk == user.pk


def test_a_pseudonym_of_supplier_a_arriving_for_company_b_is_refused(oidc_on, client, team, leverancier_a):
    OIDCIdentity.objects.create(provider="eherkenning", subject="PSEUDO-JAN", user=team["leverancier_a"])
    response = sign_in_with_client(client, "eherkenning", "jan-voor-b")
    assert response.status_code == 403
    assert "hoort bij een andere organisatie" in response.text and "87654321" in response.text
    assert signed_in_user(client) is None


def test_an_invitation_of_supplier_a_cannot_be_used_for_company_b(oidc_on, client, team, leverancier_a):
    token = invite(leverancier_a, team["srteam"])
    response = accept_with_eherkenning(client, token, "jan-voor-b")
    assert response.status_code == 403
    assert "Deze uitnodiging is voor Groen &amp; Grijs B.V." in response.text
    assert signed_in_user(client) is None
    assert not OIDCIdentity.objects.exists() and Invitation.objects.get().accepted_at is None


def test_a_level_of_assurance_below_eh3_is_refused_with_a_dutch_page(oidc_on, client, team, leverancier_a):
    token = invite(leverancier_a, team["srteam"])
    response = accept_with_eherkenning(client, token, "piet-eh2")
    assert response.status_code == 403
    assert "betrouwbaarheidsniveau EH2" in response.text and "minstens EH3" in response.text
    assert signed_in_user(client) is None
    assert not OIDCIdentity.objects.exists() and Invitation.objects.get().accepted_at is None


def test_the_minimum_level_is_a_setting(oidc_on, client, team, leverancier_a, oidc_provider, monkeypatch):
    from .provider import portal_settings

    oidc_on.SROI_OIDC_PROVIDERS = portal_settings(oidc_provider, monkeypatch, SROI_EHERKENNING_MIN_LOA="EH4")
    OIDCIdentity.objects.create(provider="eherkenning", subject="PSEUDO-JAN", user=team["leverancier_a"])
    assert "minstens EH4" in sign_in_with_client(client, "eherkenning", "jan").text
    assert signed_in_user(client) is None


def test_an_unlinked_pseudonym_without_invitation_is_refused(oidc_on, client, team, leverancier_a):
    response = sign_in_with_client(client, "eherkenning", "kees-eh4")
    assert response.status_code == 403 and "nog niet aan een account" in response.text
    assert signed_in_user(client) is None
    assert get_user_model().objects.filter(leverancier=leverancier_a).count() == 1


def test_with_create_users_a_person_of_a_known_supplier_gets_an_account(
    oidc_on, client, team, leverancier_a, oidc_provider, monkeypatch
):
    from .provider import portal_settings

    oidc_on.SROI_OIDC_PROVIDERS = portal_settings(oidc_provider, monkeypatch, SROI_EHERKENNING_CREATE_USERS="true")
    assert sign_in_with_client(client, "eherkenning", "kees-eh4").status_code == 302
    user = signed_in_user(client)
    assert user.leverancier == leverancier_a and user.role == Role.LEVERANCIER and user.email is None


def test_create_users_never_creates_an_organisation(oidc_on, client, db, oidc_provider, monkeypatch):
    from .provider import portal_settings

    oidc_on.SROI_OIDC_PROVIDERS = portal_settings(oidc_provider, monkeypatch, SROI_EHERKENNING_CREATE_USERS="true")
    response = sign_in_with_client(client, "eherkenning", "kees-eh4")  # KvK 12345678 is not in this database
    assert response.status_code == 403
    assert not get_user_model().objects.exists()


# --- staff: the municipality's identity provider ----------------------------------------------------

def test_staff_with_mfa_at_the_provider_skip_the_portals_second_step(oidc_on, client, team):
    srteam = team["srteam"]
    srteam.email = STAFF_SRTEAM_EMAIL.upper()  # matched case-insensitively
    srteam.save()
    response = sign_in_with_client(client, "medewerkers", "sanne", next_url="/account/")
    assert response.status_code == 302 and response["Location"] == "/account/"
    page = client.get("/", HTTP_HOST=PORTAL_HOST)
    assert page.status_code == 200 and page.wsgi_request.user == srteam
    assert OIDCIdentity.objects.get(user=srteam).subject == "sanne"  # the sub, stored on the first link


def test_staff_without_mfa_at_the_provider_get_the_portals_second_step(oidc_on, client, team):
    inkoop = team["inkoop"]
    inkoop.email = STAFF_INKOOP_EMAIL
    inkoop.save()
    assert sign_in_with_client(client, "medewerkers", "ingrid").status_code == 302
    page = client.get("/", HTTP_HOST=PORTAL_HOST)
    assert page.status_code == 302 and page["Location"].startswith("/account/tweestapsverificatie/")


def test_the_stored_sub_finds_the_staff_user_after_an_email_change(oidc_on, client, team):
    srteam = team["srteam"]
    OIDCIdentity.objects.create(provider="medewerkers", subject="sanne", user=srteam)  # e-mail differs now
    assert sign_in_with_client(client, "medewerkers", "sanne").status_code == 302
    assert signed_in_user(client) == srteam


def test_an_account_linked_to_another_sub_is_refused(oidc_on, client, team):
    srteam = team["srteam"]
    srteam.email = STAFF_SRTEAM_EMAIL
    srteam.save()
    OIDCIdentity.objects.create(provider="medewerkers", subject="iemand-anders", user=srteam)
    response = sign_in_with_client(client, "medewerkers", "sanne")
    assert response.status_code == 403 and "andere identiteit" in response.text
    assert signed_in_user(client) is None


def test_only_existing_staff_users_sign_in_and_suppliers_never_through_the_staff_provider(oidc_on, client, team):
    response = sign_in_with_client(client, "medewerkers", "onbekend")
    assert response.status_code == 403 and "geen account voor niemand@gemeente.test" in response.text
    supplier = team["leverancier_a"]
    supplier.email = STAFF_INKOOP_EMAIL
    supplier.save()
    response = sign_in_with_client(Client(), "medewerkers", "ingrid")
    assert response.status_code == 403 and "Leveranciers loggen in met eHerkenning" in response.text
    assert not OIDCIdentity.objects.exists()


# --- the protocol --------------------------------------------------------------------------------

def test_a_replayed_state_is_refused(oidc_on, client, team, oidc_provider):
    OIDCIdentity.objects.create(provider="eherkenning", subject="PSEUDO-JAN", user=team["leverancier_a"])
    start = client.get("/account/oidc/eherkenning/start/", HTTP_HOST=PORTAL_HOST)
    callback = urlsplit(log_in_at_provider(start["Location"], "jan"))
    url = f"{callback.path}?{callback.query}"
    assert client.get(url, HTTP_HOST=PORTAL_HOST).status_code == 302
    client.post("/account/uitloggen/", HTTP_HOST=PORTAL_HOST)

    again = client.get(url, HTTP_HOST=PORTAL_HOST)  # the same browser
    assert again.status_code == 400 and "verlopen of al gebruikt" in again.text
    assert signed_in_user(client) is None
    attacker = Client()  # another browser with the stolen URL
    stolen = attacker.get(url, HTTP_HOST=PORTAL_HOST)
    assert stolen.status_code == 400 and signed_in_user(attacker) is None


def test_an_error_from_the_provider_is_a_dutch_page_and_nobody_is_signed_in(oidc_on, client):
    start = client.get("/account/oidc/eherkenning/start/", HTTP_HOST=PORTAL_HOST)
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    response = client.get(f"/account/oidc/eherkenning/callback/?error=access_denied&state={state}", HTTP_HOST=PORTAL_HOST)
    assert response.status_code == 403 and "afgebroken" in response.text
    assert state not in client.session.get("oidc_states", {})


def test_logout_ends_the_portal_session_and_sends_the_browser_to_the_providers_end_session(
    oidc_on, client, team, oidc_provider
):
    OIDCIdentity.objects.create(provider="eherkenning", subject="PSEUDO-JAN", user=team["leverancier_a"])
    sign_in_with_client(client, "eherkenning", "jan")
    id_token = client.session[oidc.SESSION_KEY]["id_token"]
    response = client.post("/account/uitloggen/", HTTP_HOST=PORTAL_HOST)
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    params = {key: values[0] for key, values in parse_qs(target.query).items()}
    assert f"{target.scheme}://{target.netloc}{target.path}" == oidc_provider.discovery["end_session_endpoint"]
    assert params["id_token_hint"] == id_token
    assert params["post_logout_redirect_uri"] == f"http://{PORTAL_HOST}/account/inloggen/"
    assert signed_in_user(client) is None


def test_a_password_login_logs_out_as_before(oidc_on, client, team):
    client.force_login(team["leverancier_a"])
    response = client.post("/account/uitloggen/", HTTP_HOST=PORTAL_HOST)
    assert response.status_code == 302 and response["Location"] == "/account/inloggen/"
