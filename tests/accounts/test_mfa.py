"""Two-step verification (TOTP): required for staff, optional for suppliers and council members.

These tests use the real flow (a plain client posting to the login and verification pages); the
root conftest's force_login shortcut is used only for the administrator in the reset test.
"""

import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from contracts.demo import DEMO_TOTP_KEY
from sroi_portal.accounts import mfa
from tests.accounts.conftest import app_code, enrol
from tests.factories import DEMO_PASSWORD

HOME = reverse("home")


def password_step(client, user, next_url=None):
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    data = {"username": user.email, "password": DEMO_PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(url, data)


def location(response):
    return response.headers.get("Location", "")


def next_of(url):
    return parse_qs(urlsplit(url).query).get("next", [""])[0]


# --- staff: required ----------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["inkoop", "srteam", "beheerder"])
def test_staff_without_an_app_are_sent_to_enrolment_after_the_password(client, team, role):
    response = password_step(client, team[role])
    assert response.status_code == 302
    assert location(response).startswith(reverse("mfa_setup") + "?next=")
    # Not verified yet: any page sends them back to enrolment, not to the page.
    page = client.get(reverse("contracts:list"))
    assert page.status_code == 302 and location(page).startswith(reverse("mfa_setup"))


def test_enrolment_shows_an_inline_qr_code_and_the_secret_then_ten_backup_codes_once(client, team):
    user = team["srteam"]
    password_step(client, user)
    page = client.get(reverse("mfa_setup"))
    assert page.status_code == 200
    html = page.text
    # An inline SVG (the CSP allows no data: URI for it and no inline style anywhere).
    assert re.search(r'<svg class="qr-code" role="img" aria-label="QR-code[^"]*"', html)
    assert "data:" not in html and "style=" not in html
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = mfa.base32_secret(device)
    assert secret in html and len(secret.replace(" ", "")) == 32  # 20 bytes, groups of four
    # The same secret after a reload (the app may not have been scanned yet).
    assert secret in client.get(reverse("mfa_setup")).text

    wrong = client.post(reverse("mfa_setup"), {"otp_token": "000000" if app_code(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "Deze code klopt niet" in wrong.text
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed

    with time_machine.travel(time.time() + 3, tick=False):  # past the 1 s back-off of the wrong code
        done = client.post(reverse("mfa_setup"), {"otp_token": app_code(device), "next": reverse("contracts:list")})
        assert done.status_code == 200
        codes = re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", done.text)
        assert len(codes) == 10 and len(set(codes)) == 10
        assert f'href="{reverse("contracts:list")}"' in done.text
        assert TOTPDevice.objects.get(pk=device.pk).confirmed
        assert StaticToken.objects.filter(device__user=user).count() == 10
        # Verified now: the pages open.
        assert client.get(reverse("contracts:list")).status_code == 200
        # The codes are shown once: the enrolment page now shows the account status without codes.
        again = client.get(reverse("mfa_setup"))
        assert again.status_code == 200 and "Tweestapsverificatie staat aan" in again.text
        assert codes[0] not in again.text


def test_staff_with_an_app_need_the_code_before_any_page(client, team):
    user = team["srteam"]
    device = enrol(user)
    target = reverse("contracts:list")
    response = password_step(client, user, next_url=target)
    assert location(response) == f"{reverse('mfa_verify')}?next={target.replace('/', '%2F')}"
    # Pages and the admin redirect to verification; the API answers 403 problem+json in Dutch.
    for url in (target, HOME, "/beheer/"):
        page = client.get(url)
        assert page.status_code == 302, url
        assert location(page).startswith(reverse("mfa_verify") + "?next="), url
        assert next_of(location(page)) == url
    api = client.get("/api/v1/contracten")
    assert api.status_code == 403
    assert api.headers["Content-Type"] == "application/problem+json"
    assert "tweestapsverificatie" in api.json()["detail"]
    assert api.json()["code"] == "tweestapsverificatie_vereist"
    # Allowed while unverified: the verification page itself and the password reset.
    assert client.get(reverse("mfa_verify")).status_code == 200
    assert client.get(reverse("password_reset")).status_code == 200

    wrong = client.post(reverse("mfa_verify"), {"otp_token": "12345", "next": target})
    assert wrong.status_code == 200
    assert "Deze code klopt niet of is al gebruikt" in wrong.text
    assert client.get(target).status_code == 302

    session_before = client.session.session_key
    with time_machine.travel(time.time() + 3, tick=False):
        ok = client.post(reverse("mfa_verify"), {"otp_token": app_code(device), "next": target})
        assert ok.status_code == 302 and location(ok) == target
        assert client.session.session_key != session_before  # a new session key after the second step
        assert client.get(target).status_code == 200
        assert client.get("/api/v1/contracten").status_code == 200


def test_a_used_code_is_refused_the_second_time(client, team, django_user_model):
    from django.test import Client

    user = team["inkoop"]
    device = enrol(user)
    with time_machine.travel(time.time(), tick=False):
        code = app_code(device)
        password_step(client, user)
        assert location(client.post(reverse("mfa_verify"), {"otp_token": code})) == HOME
        other = Client()
        password_step(other, user)
        replay = other.post(reverse("mfa_verify"), {"otp_token": code})
        assert replay.status_code == 200
        assert "Deze code klopt niet of is al gebruikt" in replay.text
        assert other.get(HOME).status_code == 302


def test_wrong_codes_slow_down_further_tries(client, team):
    user = team["beheerder"]
    device = enrol(user)
    now = time.time()
    with time_machine.travel(now, tick=False):
        password_step(client, user)
        client.post(reverse("mfa_verify"), {"otp_token": "000001"})
    with time_machine.travel(now + 1.5, tick=False):  # one failure: 1 second back-off, passed
        client.post(reverse("mfa_verify"), {"otp_token": "000002"})
    with time_machine.travel(now + 2.5, tick=False):  # two failures: 2 seconds back-off, 1 to go
        refused = client.post(reverse("mfa_verify"), {"otp_token": app_code(device)})
        assert refused.status_code == 200
        assert "Te veel onjuiste codes achter elkaar. Wacht 1 seconde en probeer het opnieuw." in refused.text
        assert client.get(HOME).status_code == 302
    with time_machine.travel(now + 4, tick=False):
        assert location(client.post(reverse("mfa_verify"), {"otp_token": app_code(device)})) == HOME


def test_a_backup_code_works_once(client, team):
    user = team["srteam"]
    enrol(user)
    codes = mfa.new_backup_codes(user)
    password_step(client, user)
    typed = mfa.format_backup_code(codes[3]).upper()  # as read from paper: spaces and capitals
    response = client.post(reverse("mfa_verify"), {"otp_token": typed}, follow=True)
    assert response.redirect_chain[-1][0] == HOME
    assert "U heeft nog 9 reservecodes over" in response.text
    client.post(reverse("logout"))
    password_step(client, user)
    again = client.post(reverse("mfa_verify"), {"otp_token": codes[3]})
    assert again.status_code == 200 and "Deze code klopt niet of is al gebruikt" in again.text


def test_the_next_parameter_must_stay_on_the_site(client, team):
    user = team["srteam"]
    device = enrol(user)
    password_step(client, user)
    response = client.post(reverse("mfa_verify"), {"otp_token": app_code(device), "next": "https://evil.example/"})
    assert location(response) == HOME


def test_an_api_token_is_not_asked_for_a_code(client, team):
    """Tokens are made by the functional administrator for systems; they are not browser sessions."""
    user = team["srteam"]
    enrol(user)
    token = Token.objects.create(user=user)
    response = client.get("/api/v1/contracten", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    # A bogus token next to an unverified session does not slip past: 401; another scheme is no
    # token, so the unverified session is refused.
    password_step(client, user)
    assert client.get("/api/v1/contracten", HTTP_AUTHORIZATION="Token ongeldig").status_code == 401
    assert client.get("/api/v1/contracten", HTTP_AUTHORIZATION="Basic eDp5").status_code == 403


def test_the_django_admin_needs_a_verified_session(client, team):
    admin_user = team["beheerder"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    device = enrol(admin_user)
    # The admin has no login form of its own (sroi_portal.admin_site): its login URL sends to the portal's.
    response = client.post("/beheer/login/?next=/beheer/", {"username": "beheerder", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and location(response).startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    password_step(client, admin_user, next_url="/beheer/")
    page = client.get("/beheer/sroi_portal/user/")
    assert page.status_code == 302 and location(page).startswith(reverse("mfa_verify"))
    with time_machine.travel(time.time(), tick=False):
        client.post(reverse("mfa_verify"), {"otp_token": app_code(device)})
        assert client.get("/beheer/sroi_portal/user/").status_code == 200


def test_the_required_roles_are_a_setting(client, team, settings):
    settings.SROI_MFA_REQUIRED_ROLES = ["sr_team", "beheerder"]
    assert location(password_step(client, team["inkoop"])) == HOME
    assert client.get(reverse("contracts:list")).status_code == 200


def test_logging_out_works_before_the_second_step(client, team):
    password_step(client, team["inkoop"])
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


# --- suppliers and council members: optional -------------------------------------------------------

@pytest.mark.parametrize("role", ["leverancier_a", "raadslid"])
def test_suppliers_and_council_members_log_in_without_a_code_until_they_switch_it_on(client, team, role):
    user = team[role]
    assert location(password_step(client, user)) == HOME
    account = client.get(reverse("account"))
    assert "Tweestapsverificatie staat uit" in account.text
    assert f'href="{reverse("mfa_setup")}"' in account.text

    client.get(reverse("mfa_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    with time_machine.travel(time.time(), tick=False):
        client.post(reverse("mfa_setup"), {"otp_token": app_code(device)})
    assert "Tweestapsverificatie staat aan" in client.get(reverse("account")).text

    client.post(reverse("logout"))
    assert location(password_step(client, user)).startswith(reverse("mfa_verify"))
    assert client.get(HOME).status_code == 302
    with time_machine.travel(time.time() + 60, tick=False):
        assert location(client.post(reverse("mfa_verify"), {"otp_token": app_code(device)})) == HOME

    # Switched off again from the account page, with a fresh code (the next time step): the
    # password alone is enough from then on.
    with time_machine.travel(time.time() + 90, tick=False):
        response = client.post(reverse("mfa_disable"), {"otp_token": app_code(device)}, follow=True)
    assert "Tweestapsverificatie staat uit" in response.text
    assert not TOTPDevice.objects.filter(user=user).exists() and not StaticDevice.objects.filter(user=user).exists()
    client.post(reverse("logout"))
    assert location(password_step(client, user)) == HOME


def test_staff_cannot_switch_it_off(client, team):
    user = team["inkoop"]
    device = enrol(user)
    password_step(client, user)
    with time_machine.travel(time.time(), tick=False):
        client.post(reverse("mfa_verify"), {"otp_token": app_code(device)})
    account = client.get(reverse("account"))
    assert "Voor uw rol is dit verplicht" in account.text
    assert reverse("mfa_disable") not in account.text
    response = client.post(reverse("mfa_disable"), follow=True)
    assert "Voor uw rol is tweestapsverificatie verplicht" in response.text
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_enrolment_cannot_replace_an_app_without_its_code(client, team):
    """Someone with only the password cannot enrol a new app: enrolment sends them to verification."""
    user = team["leverancier_a"]
    enrol(user)
    password_step(client, user)
    response = client.get(reverse("mfa_setup"))
    assert response.status_code == 302 and location(response).startswith(reverse("mfa_verify"))
    assert client.post(reverse("mfa_setup"), {"otp_token": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=user).count() == 1


# --- the administrator resets a lost phone -----------------------------------------------------------

def test_the_administrator_resets_two_step_verification_in_the_admin(client, team):
    admin_user = team["beheerder"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    user = team["srteam"]
    enrol(user)
    mfa.new_backup_codes(user)
    client.force_login(admin_user)
    response = client.post(
        "/beheer/sroi_portal/user/",
        {"action": "reset_two_step_verification", "_selected_action": [user.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Tweestapsverificatie gereset voor 1 gebruiker" in response.text
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    entry = LogEntry.objects.get(object_id=str(user.pk))
    assert entry.user == admin_user and "Tweestapsverificatie gereset" in entry.get_change_message()

    from django.test import Client

    assert location(password_step(Client(), user)).startswith(reverse("mfa_setup"))


def test_the_admin_does_not_show_the_secret_of_a_device(client, team):
    admin_user = team["beheerder"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    device = enrol(team["srteam"])
    client.force_login(admin_user)
    page = client.get(f"/beheer/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.text and mfa.base32_secret(device).replace(" ", "") not in page.text
    assert client.get(f"/beheer/otp_totp/totpdevice/{device.pk}/config/").status_code in (403, 404)


# --- demo users ------------------------------------------------------------------------------------------

def test_demo_totp_prints_the_code_of_a_demo_user_only(team, capsys):
    demo = TOTPDevice.objects.create(user=team["srteam"], name="demo", key=DEMO_TOTP_KEY, confirmed=True)
    with time_machine.travel(time.time(), tick=False):
        call_command("demo_totp", "srteam")
        assert capsys.readouterr().out.strip() == app_code(demo)
    enrol(team["inkoop"])
    with pytest.raises(CommandError, match="geen authenticator-app met de demosleutel"):
        call_command("demo_totp", "inkoop")
