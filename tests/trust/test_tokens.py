"""API tokens: `Authorization: Token <key>` works, an expired or revoked token gets 401 problem+json."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def client_with(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_token_made_with_drf_create_token_works(team, capsys):
    call_command("drf_create_token", "srteam")
    key = Token.objects.get(user=team["srteam"]).key
    response = client_with(key).get("/api/v1/contracten")
    assert response.status_code == 200


def test_expired_token_gets_401_problem(team):
    token = Token.objects.create(user=team["srteam"])
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=91))
    response = client_with(token.key).get("/api/v1/contracten")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 401
    assert "verlopen" in body["detail"]
    assert response["WWW-Authenticate"] == "Token"


@override_settings(API_TOKEN_TTL_DAYS=7)
def test_token_lifetime_follows_the_setting(team):
    token = Token.objects.create(user=team["srteam"])
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=6, hours=23))
    assert client_with(token.key).get("/api/v1/contracten").status_code == 200
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=7, minutes=1))
    assert client_with(token.key).get("/api/v1/contracten").status_code == 401


def test_revoked_token_gets_401(team, capsys):
    token = Token.objects.create(user=team["leverancier_a"])
    assert client_with(token.key).get("/api/v1/registraties").status_code == 200
    call_command("revoke_token", "leverancier_a")
    assert "ingetrokken" in capsys.readouterr().out
    response = client_with(token.key).get("/api/v1/registraties")
    assert response.status_code == 401
    assert response.json()["detail"] == "Ongeldige of ingetrokken token."
    assert not Token.objects.filter(user=team["leverancier_a"]).exists()


def test_token_of_deactivated_user_gets_401(team):
    token = Token.objects.create(user=team["inkoop"])
    team["inkoop"].is_active = False
    team["inkoop"].save()
    assert client_with(token.key).get("/api/v1/contracten").status_code == 401


def test_openapi_documents_the_token_scheme(client):
    schema = client.get("/api/v1/openapi.json").json()
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "Authorization"}
