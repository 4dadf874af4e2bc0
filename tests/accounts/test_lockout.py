"""Lock-out after repeated failed logins (django-axes): 5 failures per e-mail address and IP address
lock that combination for 30 minutes; the page says so in Dutch (429) and whom to ask."""

from datetime import timedelta

import time_machine
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import DEMO_PASSWORD

LOGIN = reverse("login")


def attempt(client, email, password, ip="192.0.2.10"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


def lock_out(client, email, ip="192.0.2.10"):
    responses = [attempt(client, email, f"fout-{n}", ip=ip) for n in range(5)]
    assert [r.status_code for r in responses[:4]] == [200] * 4
    return responses[-1]


def test_the_defaults_are_five_failures_and_thirty_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=30)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_five_wrong_passwords_lock_the_address_with_a_dutch_page(client, team):
    user = team["leverancier_a"]
    locked = lock_out(client, user.email)
    assert locked.status_code == 429
    html = locked.text
    assert '<html lang="nl">' in html
    assert "Inloggen tijdelijk geblokkeerd" in html
    assert "5 keer achter elkaar een verkeerd wachtwoord" in html
    assert "30 minuten geblokkeerd" in html
    assert "functioneel beheerder" in html and "SR-team" in html
    # Now even the right password is refused, also with the address in other capitals.
    assert attempt(client, user.email.upper(), DEMO_PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_address_and_ip(client, team):
    user = team["leverancier_a"]
    lock_out(client, user.email, ip="192.0.2.10")
    # Same address from another IP address, and another address from the same IP: not locked.
    assert attempt(Client(), user.email, DEMO_PASSWORD, ip="198.51.100.7").status_code == 302
    assert attempt(Client(), team["leverancier_b"].email, DEMO_PASSWORD, ip="192.0.2.10").status_code == 302


def test_the_lock_ends_after_the_cool_off(client, team):
    user = team["leverancier_a"]
    lock_out(client, user.email)
    with time_machine.travel(timezone.now() + timedelta(minutes=29), tick=False):
        assert attempt(client, user.email, DEMO_PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + timedelta(minutes=61), tick=False):
        # (the refused try at minute 29 started the cool-off again)
        response = attempt(client, user.email, DEMO_PASSWORD)
        assert response.status_code == 302 and response.headers["Location"] == reverse("home")


def test_axes_reset_username_lifts_the_lock(client, team):
    user = team["leverancier_a"]
    lock_out(client, user.email)
    call_command("axes_reset_username", user.email)
    assert attempt(client, user.email, DEMO_PASSWORD).status_code == 302


def test_the_administrator_lifts_the_lock_in_the_admin(client, team):
    user = team["leverancier_a"]
    lock_out(client, user.email)
    assert AccessAttempt.objects.filter(username=user.email).exists()
    admin_user = team["beheerder"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    admin = Client()
    admin.force_login(admin_user)
    response = admin.post(
        "/beheer/sroi_portal/user/", {"action": "lift_login_lockout", "_selected_action": [user.pk]}, follow=True
    )
    assert "Inlogblokkade opgeheven: 1 geblokkeerde combinatie verwijderd" in response.text
    assert LogEntry.objects.filter(object_id=str(user.pk)).exists()
    assert attempt(client, user.email, DEMO_PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures(client, team):
    user = team["leverancier_a"]
    for n in range(4):
        attempt(client, user.email, f"fout-{n}")
    assert attempt(client, user.email, DEMO_PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for n in range(4):
        assert attempt(client, user.email, f"fout-{n}").status_code == 200


def test_client_login_in_tests_still_authenticates(client, team):
    """Axes needs the request in authenticate(); the root conftest passes one for Client.login."""
    assert client.login(username=team["leverancier_a"].email, password=DEMO_PASSWORD)
    assert not client.login(username=team["leverancier_a"].email, password="fout")
