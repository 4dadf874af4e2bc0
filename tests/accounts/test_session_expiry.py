"""Sessions end: after SESSION_COOKIE_AGE (8 hours) the user must log in again, and the cookie is
a browser-session cookie (gone when the browser closes)."""

from datetime import timedelta

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
    with time_machine.travel(start + timedelta(hours=7, minutes=50), tick=False):
        assert client.get(reverse("bouwblokken:overzicht")).status_code == 200
    with time_machine.travel(start + timedelta(hours=8, minutes=1), tick=False):
        response = client.get(reverse("bouwblokken:overzicht"))
        assert response.status_code == 302
        assert response.headers["Location"].startswith(reverse("login"))
