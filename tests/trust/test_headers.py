"""Security headers on pages and API responses; `check --deploy` is clean with production settings."""

import os
import secrets
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "'unsafe-inline'" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_login_page_carries_security_headers(client, settings):
    # HSTS is only sent over HTTPS: ask as if behind TLS.
    response = client.get(reverse("login"), secure=True)
    assert response.status_code == 200
    assert_security_headers(response)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_api_response_carries_security_headers(client):
    response = client.get("/api/v1/openapi.json", secure=True)
    assert response.status_code == 200
    assert_security_headers(response)
    assert "Strict-Transport-Security" in response
    assert response["API-Version"]


def test_api_error_carries_security_headers(client):
    response = client.get("/api/v1/contracten")
    assert response.status_code in (401, 403)
    assert_security_headers(response)


def test_session_and_csrf_cookies_are_secure_and_httponly(client, team):
    from tests.factories import DEMO_PASSWORD

    response = client.get(reverse("login"), secure=True)
    assert response.status_code == 200
    response = client.post(
        reverse("login"), {"username": "srteam@example.nl", "password": DEMO_PASSWORD}, secure=True
    )
    assert response.status_code == 302  # signed in
    for name in ("sessionid", "csrftoken"):
        cookie = response.cookies.get(name) or client.cookies[name]
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] == "Lax", name


def test_settings_for_sessions(settings):
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def production_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SECURE_", "SESSION_", "CSRF_"))}
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="sroi.example.nl",
        CSRF_TRUSTED_ORIGINS="https://sroi.example.nl",
        SECURE_SSL_REDIRECT="true",
        SECURE_PROXY_SSL_HEADER="true",
        EMAIL_HOST="smtp.example.nl",
    )
    module = "sroi_portal.settings_production" if find_spec("sroi_portal.settings_production") else "sroi_portal.settings"
    env["DJANGO_SETTINGS_MODULE"] = module
    return env


def test_check_deploy_is_clean_with_production_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
