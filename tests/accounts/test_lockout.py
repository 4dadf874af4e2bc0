"""Lock-out after repeated failed logins (django-axes): 5 failures for one e-mail address (from any
addresses) lock that account, 5 failures from one IP address (over any accounts) lock that address,
each for 30 minutes; the page says so in Dutch (429) and whom to ask."""

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


def other_accounts(team):
    """Five e-mail addresses to try from one address: accounts of the team and unknown ones."""
    return [team["inkoop"].email, team["srteam"].email, team["raadslid"].email,
            "bestaat-niet@example.nl", "ook-niet@example.nl"]


def test_the_defaults_are_five_failures_and_thirty_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=30)
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
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


def test_five_failures_from_five_addresses_lock_the_account(team):
    """An attacker who rotates IP addresses is locked out of the account all the same."""
    user = team["leverancier_a"]
    responses = [attempt(Client(), user.email, f"fout-{n}", ip=f"198.51.100.{n + 1}") for n in range(5)]
    assert [r.status_code for r in responses[:4]] == [200] * 4
    locked = responses[-1]
    assert locked.status_code == 429
    assert "Er is 5 keer achter elkaar een verkeerd wachtwoord ingevuld voor dit e-mailadres." in locked.text
    assert "Inloggen met dit e-mailadres is daarom 30 minuten geblokkeerd, vanaf elke computer." in locked.text
    # The right password from yet another address: still locked.
    refused = attempt(Client(), user.email, DEMO_PASSWORD, ip="203.0.113.9")
    assert refused.status_code == 429 and "Inloggen tijdelijk geblokkeerd" in refused.text
    # The addresses themselves are not locked: another account logs in from one of them.
    assert attempt(Client(), team["leverancier_b"].email, DEMO_PASSWORD, ip="198.51.100.1").status_code == 302


def test_five_failures_from_one_address_over_five_accounts_lock_the_address(team):
    """One address that tries a password on many accounts is locked out of every account."""
    responses = [attempt(Client(), email, "Zomer2024!!", ip="192.0.2.10") for email in other_accounts(team)]
    assert [r.status_code for r in responses[:4]] == [200] * 4
    locked = responses[-1]
    assert locked.status_code == 429
    assert '<html lang="nl">' in locked.text
    assert "Vanaf dit netwerkadres is 5 keer achter elkaar een verkeerd wachtwoord ingevuld." in locked.text
    assert "Inloggen vanaf dit netwerkadres is daarom 30 minuten geblokkeerd, met elk e-mailadres." in locked.text
    # A sixth account, with its right password, from that address: locked.
    refused = attempt(Client(), team["leverancier_a"].email, DEMO_PASSWORD, ip="192.0.2.10")
    assert refused.status_code == 429
    # The same accounts from another address: not locked (each had only one failure).
    assert attempt(Client(), team["leverancier_a"].email, DEMO_PASSWORD, ip="198.51.100.7").status_code == 302
    assert attempt(Client(), team["inkoop"].email, DEMO_PASSWORD, ip="198.51.100.7").status_code == 302


def test_logging_in_to_ones_own_account_does_not_clear_the_addresses_failures_on_others(team):
    """axes' own reset on success would delete every failure from the address; here only the failures
    of the account that logged in, from that address, go."""
    for email in other_accounts(team)[:4]:
        assert attempt(Client(), email, "Zomer2024!!", ip="192.0.2.10").status_code == 200
    own = Client()
    assert attempt(own, team["leverancier_a"].email, DEMO_PASSWORD, ip="192.0.2.10").status_code == 302
    own.post(reverse("logout"))
    assert attempt(Client(), team["leverancier_b"].email, "Zomer2024!!", ip="192.0.2.10").status_code == 429


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


# --- the client's IP address behind a reverse proxy -------------------------------------------------

def forwarded_attempt(client, email, password, *, forwarded_for, proxy="10.0.0.2"):
    """A login as it reaches the portal through a proxy: REMOTE_ADDR is the proxy, the client's
    address is in X-Forwarded-For."""
    return client.post(
        LOGIN, {"username": email, "password": password}, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forwarded_for
    )


def test_by_default_a_forged_forwarded_for_header_does_not_escape_a_lock(client, team, settings):
    assert settings.SROI_TRUSTED_PROXY_COUNT == 0
    user = team["leverancier_a"]
    for email in other_accounts(team):
        attempt(Client(), email, "Zomer2024!!", ip="192.0.2.10")
    # The attacker claims other addresses in the header: the address lock (on REMOTE_ADDR) holds.
    for forged in ("198.51.100.7", "203.0.113.5, 198.51.100.8"):
        response = forwarded_attempt(Client(), user.email, DEMO_PASSWORD, forwarded_for=forged, proxy="192.0.2.10")
        assert response.status_code == 429, forged
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.10"}


def test_with_a_trusted_proxy_clients_behind_it_are_locked_separately(client, team, settings):
    settings.SROI_TRUSTED_PROXY_COUNT = 1
    user = team["leverancier_a"]
    for email in other_accounts(team):
        forwarded_attempt(client, email, "Zomer2024!!", forwarded_for="203.0.113.5")
    assert forwarded_attempt(client, user.email, DEMO_PASSWORD, forwarded_for="203.0.113.5").status_code == 429
    # Another client behind the same proxy is not locked out (the proxy's own address is not locked).
    other = forwarded_attempt(Client(), user.email, DEMO_PASSWORD, forwarded_for="198.51.100.7")
    assert other.status_code == 302 and other.headers["Location"] == reverse("home")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    # And the first client is still locked.
    assert forwarded_attempt(Client(), user.email, DEMO_PASSWORD, forwarded_for="203.0.113.5").status_code == 429


def test_with_a_trusted_proxy_only_the_address_the_proxy_added_counts(client, team, settings):
    """nginx appends the address it saw to what the client sent: a client that writes its own
    X-Forwarded-For cannot choose the address it is counted under."""
    settings.SROI_TRUSTED_PROXY_COUNT = 1
    user = team["leverancier_a"]
    for n in range(5):
        forwarded_attempt(client, user.email, f"fout-{n}", forwarded_for=f"198.51.100.{n}, 203.0.113.5")
    # Another account from the same client, claiming yet another address: the address is locked.
    escape = forwarded_attempt(
        Client(), team["leverancier_b"].email, DEMO_PASSWORD, forwarded_for="198.51.100.99, 203.0.113.5"
    )
    assert escape.status_code == 429


def test_two_proxies_and_the_list_of_trusted_proxy_addresses(client, team, settings):
    settings.SROI_TRUSTED_PROXY_COUNT = 2
    settings.SROI_TRUSTED_PROXY_IPS = ["10.0.0.0/24"]
    user = team["leverancier_a"]
    # CDN -> nginx -> portal: the header holds "client, cdn"; the client is the 2nd from the right.
    for n in range(5):
        forwarded_attempt(client, user.email, f"fout-{n}", forwarded_for="198.51.100.1, 203.0.113.5, 192.0.2.50")
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    assert forwarded_attempt(
        Client(), user.email, DEMO_PASSWORD, forwarded_for="203.0.113.5, 192.0.2.50"
    ).status_code == 429
    # Not through the trusted proxy (REMOTE_ADDR outside 10.0.0.0/24): the header is ignored.
    direct = forwarded_attempt(
        Client(), team["inkoop"].email, DEMO_PASSWORD, forwarded_for="203.0.113.5, 192.0.2.50", proxy="192.0.2.77"
    )
    assert direct.status_code == 302
    # Too few addresses in the header (did not pass both proxies): REMOTE_ADDR, the proxy's own.
    short = forwarded_attempt(Client(), team["leverancier_b"].email, "fout", forwarded_for="203.0.113.5")
    assert short.status_code == 200
    assert AccessAttempt.objects.get(username=team["leverancier_b"].email).ip_address == "10.0.0.2"
