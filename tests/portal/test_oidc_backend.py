"""Sign-in through an eHerkenning/OIDC broker: existing users only, matched by e-mail (and KvK number)."""

import pytest
from django.test import override_settings

from sroi_portal.accounts.backends import OIDCBackend

OIDC = {
    "OIDC_RP_CLIENT_ID": "sroi", "OIDC_RP_CLIENT_SECRET": "geheim", "OIDC_RP_SIGN_ALGO": "HS256",
    "OIDC_OP_TOKEN_ENDPOINT": "https://broker.example/token", "OIDC_OP_USER_ENDPOINT": "https://broker.example/userinfo",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://broker.example/auth", "OIDC_CREATE_USER": False,
}


@pytest.fixture
def backend():
    with override_settings(**OIDC, OIDC_KVK_CLAIM="kvk"):
        yield OIDCBackend()


def test_the_broker_login_is_off_without_a_client_id(settings, client, db):
    assert settings.OIDC_ENABLED is False
    assert "eHerkenning" not in client.get("/account/inloggen/").text


def test_an_existing_supplier_user_is_found_by_email_and_kvk(backend, team, leverancier_a):
    user = team["leverancier_a"]
    claims = {"email": user.email.upper(), "kvk": leverancier_a.kvk_nummer}
    with override_settings(OIDC_KVK_CLAIM="kvk"):
        assert backend.verify_claims(claims)
        found = list(backend.filter_users_by_claims(claims))
        assert found == [user]
        assert backend.update_user(found[0], claims) == user


def test_another_companys_kvk_number_is_refused(backend, team, leverancier_b):
    user = team["leverancier_a"]
    with override_settings(OIDC_KVK_CLAIM="kvk"):
        assert backend.update_user(user, {"email": user.email, "kvk": leverancier_b.kvk_nummer}) is None
        assert not backend.verify_claims({"email": user.email})


def test_no_account_is_created_for_an_unknown_address(backend, db):
    assert list(backend.filter_users_by_claims({"email": "onbekend@example.nl"})) == []
    assert backend.create_user({"email": "onbekend@example.nl"}) is None
