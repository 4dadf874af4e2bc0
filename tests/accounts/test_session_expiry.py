"""Sessions end: after SESSION_COOKIE_AGE (8 hours) the user must log in again, however active, and
after SROI_SESSION_IDLE_MINUTES (30) without requests; the cookie is a browser-session cookie (gone
when the browser closes). Times are moved with time-machine, never slept."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import DEMO_PASSWORD


def test_a_session_ends_after_eight_hours(client, team, settings):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        response = client.post(reverse("login"), {"username": team["leverancier_a"].email, "password": DEMO_PASSWORD})
        assert response.status_code == 302
        cookie = response.cookies[settings.SESSION_COOKIE_NAME]
        assert cookie["expires"] == "" and cookie["max-age"] == ""  # ends when the browser closes
    # Working all day (a request every 20 minutes, so never idle) does not stretch the 8 hours,
    # although each request moves the session's last-activity time (and so its stored expiry).
    for minutes in range(20, 8 * 60, 20):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert client.get(reverse("bouwblokken:overzicht")).status_code == 200, minutes
    with time_machine.travel(start + timedelta(hours=8, minutes=1), tick=False):
        response = client.get(reverse("bouwblokken:overzicht"))
        assert response.status_code == 302
        assert response.headers["Location"].startswith(reverse("login"))


# --- idle time (SROI_SESSION_IDLE_MINUTES) ---------------------------------------------------------

START = datetime(2031, 3, 4, 9, 0, tzinfo=UTC)  # any moment; the team is made at the real time


def log_in(client, user):
    with time_machine.travel(START, tick=False):
        response = client.post(reverse("login"), {"username": user.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302 and response.headers["Location"] == reverse("home")


def page_at(client, minutes, url=None):
    with time_machine.travel(START + timedelta(minutes=minutes), tick=False):
        return client.get(url or reverse("bouwblokken:overzicht"))


def test_after_thirty_idle_minutes_the_next_request_lands_on_the_login_page(client, team, settings):
    assert settings.SROI_SESSION_IDLE_MINUTES == 30
    log_in(client, team["leverancier_a"])
    assert page_at(client, 29).status_code == 200
    # 29 + 30.5: more than 30 minutes after the last request.
    with time_machine.travel(START + timedelta(minutes=59, seconds=30), tick=False):
        response = client.get(reverse("bouwblokken:overzicht"), follow=True)
    assert response.redirect_chain[0][0] == f"{reverse('login')}?next={reverse('bouwblokken:overzicht')}"
    assert "U bent uitgelogd omdat u 30 minuten niets in het portaal heeft gedaan." in response.text
    assert "_auth_user_id" not in client.session
    # Logged out for good, not only for that one request; the API (with the session) is refused too.
    assert page_at(client, 60).status_code == 302
    api = page_at(client, 60, "/api/v1/contracten")
    assert api.status_code == 401 and api.headers["Content-Type"] == "application/problem+json"


def test_activity_keeps_the_session_alive(client, team):
    log_in(client, team["leverancier_a"])
    for minutes in (25, 50, 75, 100, 125):  # 25 minutes apart, two hours in all
        assert page_at(client, minutes).status_code == 200, minutes
    assert page_at(client, 156).status_code == 302  # 31 minutes after the last one


def test_the_idle_time_is_a_setting(client, team, settings):
    settings.SROI_SESSION_IDLE_MINUTES = 5
    log_in(client, team["leverancier_a"])
    assert page_at(client, 4).status_code == 200
    response = page_at(client, 10)
    assert response.status_code == 302 and response.headers["Location"].startswith(reverse("login"))


def test_a_staff_session_with_two_step_verification_ends_when_idle_too(client, team):
    """After the second step as well: 31 idle minutes end the session, also for the API with it."""
    from tests.accounts.conftest import app_code, enrol

    user = team["srteam"]
    device = enrol(user)
    with time_machine.travel(START, tick=False):
        client.post(reverse("login"), {"username": user.email, "password": DEMO_PASSWORD})
        verified = client.post(reverse("mfa_verify"), {"otp_token": app_code(device)})
        assert verified.status_code == 302 and verified.headers["Location"] == reverse("home")
    assert page_at(client, 20, "/api/v1/contracten").status_code == 200
    refused = page_at(client, 51, "/api/v1/contracten")
    assert refused.status_code == 401 and refused.headers["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_a_token_request_gets_no_session(team):
    """API clients with a token do not get a session (and a session row) on every call."""
    from django.contrib.sessions.models import Session
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    token, _ = Token.objects.get_or_create(user=team["srteam"])
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for _ in range(3):
        response = api.get("/api/v1/contracten")
        assert response.status_code == 200
        assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0
