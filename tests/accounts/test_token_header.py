"""The second step on every way in: a session that passed only the password gets nothing from the
API, whatever ``Authorization`` header it sends.

One parser (``sroi_portal.api.authentication.authorization_header``) decides what a token request
is, for the MFA middleware and DRF alike: only ``Token`` + one space + the key. These tests log in
through the real login form and the real verification page (no force_login).
"""

import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.accounts.conftest import app_code, enrol
from tests.factories import DEMO_PASSWORD

API = "/api/v1/contracten"


def variants(key):
    """Headers that look like a token but are not exactly ``Token <key>`` (each with a valid key)."""
    return {
        "no-break space": f"Token\u00a0{key}",
        "tab": f"Token\t{key}",
        "small letters": f"token {key}",
        "Bearer": f"Bearer {key}",
        "two spaces": f"Token  {key}",
        "trailing garbage": f"Token {key} x",
        "trailing tab": f"Token {key}\t",
        "no key": "Token",
        "only a space after the scheme": "Token ",
        "leading space": f" Token {key}",
        "only white space": " ",
    }


OTHER_HEADERS = {"no header": None, "empty": "", "Basic (a proxy's password)": "Basic eDp5"}


def get(client, header):
    extra = {} if header is None else {"HTTP_AUTHORIZATION": header}
    return client.get(API, **extra)


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response.headers["Content-Type"] == "application/problem+json"
    return response.json()


@pytest.fixture
def staff(team):
    user = team["srteam"]
    device = enrol(user)
    token = Token.objects.create(user=user)
    return user, device, token


def password_only(user):
    client = Client()
    response = client.post(reverse("login"), {"username": user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].startswith(reverse("mfa_verify"))
    return client


def test_a_password_only_session_gets_403_with_every_header_and_200_after_the_code(staff):
    user, device, token = staff
    client = password_only(user)
    for name, header in {**variants(token.key), **OTHER_HEADERS}.items():
        body = assert_problem(get(client, header), 403)
        assert body["code"] == "tweestapsverificatie_vereist", name

    with time_machine.travel(time.time(), tick=False):
        verified = client.post(reverse("mfa_verify"), {"otp_token": app_code(device)})
        assert verified.status_code == 302 and verified.headers["Location"] == reverse("home")
        for name, header in OTHER_HEADERS.items():
            assert get(client, header).status_code == 200, name
        # A malformed token header never falls back to the (now verified) session: 401.
        for name, header in variants(token.key).items():
            body = assert_problem(get(client, header), 401)
            assert body["code"] == "token_header_invalid", name
            assert "Authorization: Token <sleutel>" in body["detail"], name
        # The exact form still works.
        assert get(client, f"Token {token.key}").status_code == 200


def test_a_well_formed_token_needs_no_second_step_but_a_bad_one_is_401(staff):
    user, _device, token = staff
    client = password_only(user)
    assert get(client, f"Token {token.key}").status_code == 200
    body = assert_problem(get(client, "Token ongeldig"), 401)
    assert body["code"] == "token_invalid"


@pytest.mark.parametrize("name", sorted(variants("k")))
def test_without_a_session_a_malformed_token_header_is_401(staff, name):
    _user, _device, token = staff
    response = get(Client(), variants(token.key)[name])
    body = assert_problem(response, 401)
    assert body["code"] == "token_header_invalid"
    assert response.headers["WWW-Authenticate"] == "Token"
