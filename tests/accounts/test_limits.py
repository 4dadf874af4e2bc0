"""Limits against abuse (issue #11, item 10): password-reset mails per address, API rate limits per
user and per address, request bodies over the limit, API tokens revoked by a password change, the
shared cache in production. (The lock-out is in test_lockout.py, the session limits in
test_session_expiry.py.)"""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.factories import DEMO_PASSWORD

NEW_PASSWORD = "Een-heel-nieuw-wachtwoord-7"
API = "/api/v1/contracten"


def api_get(token, path=API, **extra):
    return Client().get(path, HTTP_AUTHORIZATION=f"Token {token.key}", **extra)


def assert_problem(response, status):
    assert response.status_code == status, response.content[:300]
    assert response.headers["Content-Type"] == "application/problem+json"
    return response.json()


# --- password-reset mails per address ---------------------------------------------------------------

def ask_reset(email, ip="192.0.2.10"):
    return Client().post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip, follow=True)


def test_the_fourth_reset_request_within_the_hour_sends_no_mail_and_looks_the_same(team, mailoutbox, settings):
    assert settings.SROI_PASSWORD_RESET_MAX_PER_HOUR == 3
    email = team["leverancier_a"].email
    pages = [ask_reset(email, ip=f"198.51.100.{n}") for n in range(3)]  # other addresses: no escape
    assert len(mailoutbox) == 3
    fourth = ask_reset(email.upper(), ip="198.51.100.9")  # other capitals: the same address
    assert len(mailoutbox) == 3
    # The page says exactly what it said when a mail went out.
    assert fourth.status_code == 200 and fourth.redirect_chain == pages[0].redirect_chain
    assert "Kijk in uw e-mail" in fourth.text
    assert re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", fourth.text) == re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]*"', "", pages[0].text
    )
    # Another address is not held back by it.
    ask_reset(team["leverancier_b"].email)
    assert len(mailoutbox) == 4 and mailoutbox[-1].to == [team["leverancier_b"].email]


def test_the_reset_limit_is_a_setting(team, mailoutbox, settings):
    settings.SROI_PASSWORD_RESET_MAX_PER_HOUR = 1
    ask_reset(team["leverancier_a"].email)
    ask_reset(team["leverancier_a"].email)
    assert len(mailoutbox) == 1


# --- API rate limits -----------------------------------------------------------------------------------

def test_the_api_limits_each_user_with_a_dutch_429_and_retry_after(team, settings):
    settings.SROI_API_THROTTLE_USER = "3/minute"
    token = Token.objects.create(user=team["leverancier_a"])
    other = Token.objects.create(user=team["leverancier_b"])
    assert [api_get(token).status_code for _ in range(3)] == [200, 200, 200]
    refused = api_get(token)
    body = assert_problem(refused, 429)
    assert body["code"] == "te_veel_verzoeken" and body["title"] == "Te veel verzoeken"
    assert re.fullmatch(r"Te veel verzoeken\. Probeer het over \d+ seconden? opnieuw\.", body["detail"])
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.headers["API-Version"] == django_settings.API_VERSION
    # Per user: another user's token is not held back, nor is the same user from another address.
    assert api_get(other).status_code == 200
    assert api_get(token, REMOTE_ADDR="198.51.100.7").status_code == 429


def test_the_api_limits_the_browser_session_of_a_user_too(client, team, settings):
    settings.SROI_API_THROTTLE_USER = "2/minute"
    client.force_login(team["leverancier_a"])
    assert [client.get(API).status_code for _ in range(3)] == [200, 200, 429]


def test_anonymous_requests_are_limited_per_client_address_whatever_x_forwarded_for_says(db, settings):
    settings.SROI_API_THROTTLE_ANON = "2/minute"
    url = "/api/v1/openapi.json"  # the one API document open without login

    def anonymous(ip, forwarded=None):
        extra = {"REMOTE_ADDR": ip}
        if forwarded:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return Client().get(url, **extra)

    assert [anonymous("192.0.2.10").status_code for _ in range(2)] == [200, 200]
    assert_problem(anonymous("192.0.2.10", forwarded="203.0.113.1"), 429)
    assert anonymous("192.0.2.11").status_code == 200


def test_the_default_rates_are_settings(settings):
    assert settings.SROI_API_THROTTLE_USER == "300/minute"
    assert settings.SROI_API_THROTTLE_ANON == "30/minute"
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "sroi_portal.api.throttling.UserThrottle",
        "sroi_portal.api.throttling.AnonThrottle",
    ]


@pytest.mark.parametrize("env", [{"CELERY_BROKER_URL": "redis://redis:6379/0"}, {"CACHE_URL": "redis://cache:6379/1"}])
def test_the_counts_are_shared_by_all_processes_through_redis_in_production(env):
    """The throttles and the reset limit count in the default cache: Redis whenever one is configured
    (CACHE_URL, or the Redis broker docker-compose sets), so all gunicorn workers share the counts."""
    clean = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "CELERY_BROKER_URL"}}
    code = "import json, sroi_portal.settings_production as s; print(json.dumps(s.CACHES['default']))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True,
        env={**clean, **env, "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "sroi.example.nl", "DEBUG": "false"},
    ).stdout
    assert '"BACKEND": "django.core.cache.backends.redis.RedisCache"' in out
    assert f'"LOCATION": "{next(iter(env.values()))}"' in out


# --- request bodies over the limit ---------------------------------------------------------------------

def test_an_api_body_over_the_limit_is_a_413_problem_before_it_is_read(team, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024
    token = Token.objects.create(user=team["srteam"])
    # The announced length is what counts: the body is not read (it is not even there).
    response = Client().post(
        "/api/v1/registraties", data=b"{}", content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}", CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    body = assert_problem(response, 413)
    assert body["code"] == "te_groot" and body["title"] == "Verzoek te groot"
    assert "hoogstens 10 kB" in body["detail"]
    assert response.headers["API-Version"] == django_settings.API_VERSION
    # Without a token too (the limit comes before authentication), and with a real body.
    big = b'{"x": "' + b"a" * 11 * 1024 + b'"}'
    assert_problem(Client().post("/api/v1/registraties", data=big, content_type="application/json"), 413)
    # A body within the limit goes on to the API as before (here: 401 without a token).
    small = Client().post("/api/v1/registraties", data=b"{}", content_type="application/json")
    assert small.status_code == 401


def test_a_page_form_over_the_limit_gets_a_dutch_413_page(db, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100 * 1024
    response = Client().post(
        reverse("login"), data="username=" + "a" * 200 * 1024, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert '<html lang="nl">' in response.text
    assert "Bestand of formulier te groot" in response.text
    assert "hoogstens 0,1 MB" in response.text


@pytest.fixture
def registratie(team, zoetermeer, leverancier_a):
    from datetime import date
    from decimal import Decimal

    from bouwblokken import services
    from tests.factories import make_contract

    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="ZM-GROOT")
    return services.register(
        contract=contract, bouwblok_code="participatiewet", user=team["leverancier_a"],
        kandidaat={"referentie": "WSP-200", "initialen": "J.", "geboortejaar": 1980},
        startdatum=date(2024, 5, 1), einddatum=date(2025, 4, 30), uren_per_week=Decimal("24"),
    )


def test_evidence_uploads_have_their_own_larger_limit(client, team, registratie, settings):
    from bouwblokken.models import Bewijsstuk
    from tests.access.world import TINY_PDF

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100 * 1024
    settings.SROI_EVIDENCE_MAX_BYTES = settings.SROI_IMPORT_MAX_BYTES = settings.SROI_PLAN_MAX_BYTES = 1024 * 1024
    client.force_login(team["leverancier_a"])
    url = reverse("bouwblokken:bewijs_toevoegen", kwargs={"pk": registratie.pk})

    def upload(size):
        pdf = SimpleUploadedFile("scan.pdf", TINY_PDF + b"0" * (size - len(TINY_PDF)), content_type="application/pdf")
        # ("soort": the kind of evidence, asked for by the form where it has that field)
        return client.post(url, {"bestand": pdf, "omschrijving": "contract", "soort": "overig"})

    # Far over the page limit (100 kB) but within the evidence limit: stored.
    assert upload(900 * 1024).status_code == 302
    assert Bewijsstuk.objects.count() == 1
    # Just over the evidence limit: the form's own Dutch message, not the 413 page.
    over = upload(1024 * 1024 + 10)
    assert over.status_code == 400 and "Het bestand is te groot: het mag hoogstens 1 MB zijn." in over.text
    # Over the evidence limit plus the margin for the other fields: 413 before the file is read.
    huge = upload(2 * 1024 * 1024 + 10)
    assert huge.status_code == 413 and "Bestand of formulier te groot" in huge.text
    assert Bewijsstuk.objects.count() == 1


# --- a password change revokes the user's API tokens ---------------------------------------------------

@pytest.fixture
def supplier_token(team):
    return Token.objects.create(user=team["leverancier_a"])


def assert_revoked(token):
    assert not Token.objects.filter(pk=token.pk).exists()
    body = assert_problem(api_get(token), 401)
    assert body["code"] == "token_invalid"


def test_the_password_change_page_revokes_the_tokens_and_nothing_else_does(team, supplier_token, settings):
    other = Token.objects.create(user=team["leverancier_b"])
    user = team["leverancier_a"]
    # A login that re-hashes the password (the hasher changed) is no password change.
    old_hash = user.password
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher", "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    client = Client()
    assert client.post(reverse("login"), {"username": user.email, "password": DEMO_PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert user.password != old_hash and user.password.startswith("pbkdf2_")
    assert api_get(supplier_token).status_code == 200
    # A wrong old password changes nothing and revokes nothing.
    wrong = client.post(reverse("password_change"), {
        "old_password": "fout", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert wrong.status_code == 200
    assert api_get(supplier_token).status_code == 200
    response = client.post(reverse("password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert response.status_code == 302 and response.headers["Location"] == reverse("password_change_done")
    assert_revoked(supplier_token)
    assert api_get(other).status_code == 200  # only that user's


def test_the_reset_link_revokes_the_tokens(team, supplier_token, mailoutbox):
    client = Client()
    client.post(reverse("password_reset"), {"email": team["leverancier_a"].email})
    link = re.search(r"http://testserver(/account/wachtwoord-instellen/\S+/)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert_revoked(supplier_token)


def test_the_admins_set_password_revokes_the_tokens(team, supplier_token):
    admin_user = team["beheerder"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    admin = Client()
    admin.force_login(admin_user)
    user = team["leverancier_a"]
    response = admin.post(f"/beheer/sroi_portal/user/{user.pk}/password/", {
        "usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD,
    })
    assert response.status_code == 302, response.text[:500]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert_revoked(supplier_token)


def test_the_changepassword_command_revokes_the_tokens(team, supplier_token, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", team["leverancier_a"].username, stdout=open(os.devnull, "w"))
    assert_revoked(supplier_token)
