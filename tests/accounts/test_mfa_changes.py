"""Changes to two-step verification itself need fresh proof (a code the app shows now, or a backup
code): switching it off, replacing the app, a new set of backup codes. And what happens to the
user's other open sessions when it is switched on or the app is replaced.

Real flow on plain clients: the password, then the code, then the change. Codes are computed as
the app does (tests/accounts/conftest.py); each step uses a later 30-second time step, because
django-otp refuses a code of a time step that was already used.
"""

import re
import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sroi_portal.accounts import mfa
from tests.accounts.conftest import app_code, enrol
from tests.factories import DEMO_PASSWORD

HOME = reverse("home")
ACCOUNT = reverse("account")
WRONG_CODE_ERROR = "Deze code klopt niet of is al gebruikt"


def location(response):
    return response.headers.get("Location", "")


def a_wrong_code(device):
    right = {app_code(device, at=time.time() + shift) for shift in (-30, 0, 30)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)


def sign_in(client, user, device, at):
    """Password, then the app's code of time ``at``: a verified session."""
    with time_machine.travel(at, tick=False):
        response = client.post(reverse("login"), {"username": user.email, "password": DEMO_PASSWORD})
        assert location(response).startswith(reverse("mfa_verify"))
        assert location(client.post(reverse("mfa_verify"), {"otp_token": app_code(device)})) == HOME
    return client


def backup_codes_in(html):
    return [code.replace(" ", "") for code in re.findall(r"<li><code>([a-z2-7]{4} [a-z2-7]{4})</code></li>", html)]


@pytest.fixture
def supplier_with_app(team):
    user = team["leverancier_a"]
    device = enrol(user)
    codes = mfa.new_backup_codes(user)
    return user, device, codes


# --- switching off --------------------------------------------------------------------------------------

def test_switching_off_needs_a_current_code_and_a_wrong_one_changes_nothing(client, supplier_with_app):
    user, device, codes = supplier_with_app
    now = time.time()
    sign_in(client, user, device, now)
    account = client.get(ACCOUNT)
    assert f'href="{reverse("mfa_disable")}"' in account.text

    with time_machine.travel(now + 30, tick=False):
        page = client.get(reverse("mfa_disable"))
        assert page.status_code == 200
        assert '<label class="form-label" for="id_otp_token">Huidige code</label>' in page.text

        empty = client.post(reverse("mfa_disable"), {"otp_token": ""})
        assert empty.status_code == 200
        assert "Vul de code uit uw authenticator-app of een reservecode in." in empty.text

        wrong = client.post(reverse("mfa_disable"), {"otp_token": a_wrong_code(device)})
        assert wrong.status_code == 200
        assert WRONG_CODE_ERROR in wrong.text
        assert 'role="alert"' in wrong.text and 'href="#id_otp_token"' in wrong.text
        assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
        assert StaticToken.objects.filter(device__user=user).count() == 10

        # The code already used to log in (same time step) is no proof either.
        replay = client.post(reverse("mfa_disable"), {"otp_token": app_code(device, at=now)})
        assert WRONG_CODE_ERROR in replay.text or "Te veel onjuiste codes" in replay.text
        assert TOTPDevice.objects.filter(user=user).exists()

    client.post(reverse("logout"))
    assert location(client.post(reverse("login"), {"username": user.email, "password": DEMO_PASSWORD})).startswith(
        reverse("mfa_verify")
    ), "still on after the wrong codes"

    with time_machine.travel(now + 120, tick=False):
        assert location(client.post(reverse("mfa_verify"), {"otp_token": app_code(device)})) == HOME
    with time_machine.travel(now + 150, tick=False):
        done = client.post(reverse("mfa_disable"), {"otp_token": app_code(device)}, follow=True)
    assert done.redirect_chain[-1][0] == ACCOUNT
    assert "Tweestapsverificatie staat uit. Bij het inloggen is alleen uw wachtwoord nodig." in done.text
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    client.post(reverse("logout"))
    assert location(client.post(reverse("login"), {"username": user.email, "password": DEMO_PASSWORD})) == HOME


def test_a_backup_code_is_proof_enough_to_switch_off(client, supplier_with_app):
    user, device, codes = supplier_with_app
    sign_in(client, user, device, time.time())
    response = client.post(reverse("mfa_disable"), {"otp_token": mfa.format_backup_code(codes[0])}, follow=True)
    assert "Tweestapsverificatie staat uit" in response.text
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_staff_see_that_it_is_required_and_have_no_form(client, team):
    user = team["srteam"]
    device = enrol(user)
    now = time.time()
    sign_in(client, user, device, now)
    page = client.get(reverse("mfa_disable"))
    assert page.status_code == 200
    assert "Voor uw rol is tweestapsverificatie verplicht" in page.text
    assert 'name="otp_token"' not in page.text
    with time_machine.travel(now + 30, tick=False):
        response = client.post(reverse("mfa_disable"), {"otp_token": app_code(device)}, follow=True)
    assert "Voor uw rol is tweestapsverificatie verplicht" in response.text
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


# --- a new set of backup codes -----------------------------------------------------------------------------

def test_new_backup_codes_after_a_current_code_replace_the_old_ones(client, supplier_with_app):
    user, device, old_codes = supplier_with_app
    now = time.time()
    sign_in(client, user, device, now)
    account = client.get(ACCOUNT)
    assert f'href="{reverse("mfa_new_backup_codes")}"' in account.text

    with time_machine.travel(now + 30, tick=False):
        page = client.get(reverse("mfa_new_backup_codes"))
        assert page.status_code == 200
        assert "U heeft nog 10 ongebruikte reservecodes." in page.text
        assert backup_codes_in(page.text) == []

        wrong = client.post(reverse("mfa_new_backup_codes"), {"otp_token": a_wrong_code(device)})
        assert wrong.status_code == 200 and WRONG_CODE_ERROR in wrong.text
        assert backup_codes_in(wrong.text) == []
        assert sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True)) == sorted(old_codes)

    with time_machine.travel(now + 60, tick=False):
        done = client.post(reverse("mfa_new_backup_codes"), {"otp_token": app_code(device)})
    assert done.status_code == 200
    assert "Uw nieuwe reservecodes" in done.text and "Uw oude reservecodes werken niet meer." in done.text
    new_codes = backup_codes_in(done.text)
    assert len(new_codes) == 10 and len(set(new_codes)) == 10
    assert not set(new_codes) & set(old_codes)
    assert f'href="{ACCOUNT}"' in done.text
    # Shown once: the page (and the account page) never show them again.
    again = client.get(reverse("mfa_new_backup_codes"))
    assert not set(backup_codes_in(again.text)) and new_codes[0] not in again.text
    assert new_codes[0] not in client.get(ACCOUNT).text

    # At the next login an old code is refused, a new one works.
    client.post(reverse("logout"))
    client.post(reverse("login"), {"username": user.email, "password": DEMO_PASSWORD})
    refused = client.post(reverse("mfa_verify"), {"otp_token": old_codes[1]})
    assert refused.status_code == 200 and WRONG_CODE_ERROR in refused.text
    with time_machine.travel(now + 90, tick=False):  # past the back-off of the refused code
        accepted = client.post(reverse("mfa_verify"), {"otp_token": new_codes[1]}, follow=True)
    assert accepted.redirect_chain[-1][0] == HOME
    assert "U heeft nog 9 reservecodes over" in accepted.text


def test_a_backup_code_can_be_the_proof_for_new_backup_codes(client, supplier_with_app):
    user, device, old_codes = supplier_with_app
    sign_in(client, user, device, time.time())
    done = client.post(reverse("mfa_new_backup_codes"), {"otp_token": old_codes[5]})
    assert len(backup_codes_in(done.text)) == 10
    assert StaticToken.objects.filter(device__user=user, token=old_codes[6]).count() == 0


def test_without_an_app_there_are_no_backup_codes_to_renew(client, team):
    user = team["raadslid"]
    assert location(client.post(reverse("login"), {"username": user.email, "password": DEMO_PASSWORD})) == HOME
    page = client.get(reverse("mfa_new_backup_codes"))
    assert page.status_code == 200 and f'href="{reverse("mfa_setup")}"' in page.text
    assert client.post(reverse("mfa_new_backup_codes"), {"otp_token": "abcdabcd"}).status_code == 200
    assert not StaticDevice.objects.filter(user=user).exists()


# --- replacing the app --------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["leverancier_a", "inkoop"])
def test_replacing_the_app_needs_a_current_code_then_the_new_apps_code(role, team):
    user = team[role]
    old = enrol(user)
    mfa.new_backup_codes(user)
    now = time.time()
    client = sign_in(Client(), user, old, now)
    other_session = sign_in(Client(), user, old, now + 30)  # e.g. the laptop at the office
    assert f'href="{reverse("mfa_replace")}"' in client.get(ACCOUNT).text

    with time_machine.travel(now + 60, tick=False):
        step1 = client.get(reverse("mfa_replace"))
        assert step1.status_code == 200 and "<svg" not in step1.text
        wrong = client.post(reverse("mfa_replace"), {"otp_token": a_wrong_code(old)})
        assert wrong.status_code == 200 and WRONG_CODE_ERROR in wrong.text
        assert "<svg" not in wrong.text and "geheime-sleutel" not in wrong.text
        assert not TOTPDevice.objects.filter(user=user, confirmed=False).exists()

    with time_machine.travel(now + 90, tick=False):
        proof = client.post(reverse("mfa_replace"), {"otp_token": app_code(old)})
        assert location(proof) == reverse("mfa_replace")
        step2 = client.get(reverse("mfa_replace"))
        assert re.search(r'<svg class="qr-code" role="img" aria-label="QR-code[^"]*nieuwe', step2.text)
        new = TOTPDevice.objects.get(user=user, confirmed=False)
        assert mfa.base32_secret(new) in step2.text

        # A wrong code of the new app: nothing changes, the old app still counts.
        bad = client.post(reverse("mfa_replace"), {"otp_token": a_wrong_code(new)})
        assert bad.status_code == 200 and "Deze code klopt niet" in bad.text
        assert TOTPDevice.objects.filter(pk=old.pk, confirmed=True).exists()
        assert not TOTPDevice.objects.get(pk=new.pk).confirmed

    with time_machine.travel(now + 120, tick=False):
        done = client.post(reverse("mfa_replace"), {"otp_token": app_code(new)}, follow=True)
    assert done.redirect_chain[-1][0] == ACCOUNT
    assert "Uw nieuwe authenticator-app is gekoppeld" in done.text
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", "confirmed")) == [(new.pk, True)]
    assert StaticToken.objects.filter(device__user=user).count() == 10  # backup codes stay valid
    # This session stays verified (with the new app) ...
    assert client.get(HOME).status_code == 200
    # ... the other session was verified with the old app: it must now use the new one.
    held = other_session.get(HOME)
    assert held.status_code == 302 and location(held).startswith(reverse("mfa_verify"))

    # The old app's codes no longer log in; the new app's do.
    fresh = Client()
    fresh.post(reverse("login"), {"username": user.email, "password": DEMO_PASSWORD})
    with time_machine.travel(now + 150, tick=False):
        old_app_shows = f"{TOTP(old.bin_key, old.step, old.t0, old.digits).token():06d}"  # the device row is gone
        refused = fresh.post(reverse("mfa_verify"), {"otp_token": old_app_shows})
        assert refused.status_code == 200 and WRONG_CODE_ERROR in refused.text
    with time_machine.travel(now + 180, tick=False):
        assert location(fresh.post(reverse("mfa_verify"), {"otp_token": app_code(new)})) == HOME


def test_the_proof_for_replacing_the_app_expires_after_ten_minutes(client, supplier_with_app):
    user, device, codes = supplier_with_app
    now = time.time()
    sign_in(client, user, device, now)
    with time_machine.travel(now + 30, tick=False):
        client.post(reverse("mfa_replace"), {"otp_token": app_code(device)})
        assert "geheime-sleutel" in client.get(reverse("mfa_replace")).text
    with time_machine.travel(now + 30 + 601, tick=False):
        page = client.get(reverse("mfa_replace"))
        assert "geheime-sleutel" not in page.text and "Huidige code" in page.text
        pending = TOTPDevice.objects.get(user=user, confirmed=False)
        # A code of the pending app is not accepted as the old app's code: nothing is replaced.
        client.post(reverse("mfa_replace"), {"otp_token": app_code(pending)})
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert not TOTPDevice.objects.get(pk=pending.pk).confirmed


def test_only_the_password_is_not_enough_to_reach_the_replace_page(client, supplier_with_app):
    user, device, codes = supplier_with_app
    client.post(reverse("login"), {"username": user.email, "password": DEMO_PASSWORD})
    for name in ("mfa_replace", "mfa_new_backup_codes", "mfa_disable"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and location(response).startswith(reverse("mfa_verify")), name
        posted = client.post(reverse(name), {"otp_token": codes[0]})
        assert posted.status_code == 302 and location(posted).startswith(reverse("mfa_verify")), name
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1


# --- other open sessions when two-step verification is switched on -------------------------------------------

def test_switching_it_on_holds_the_users_other_open_sessions(team):
    """The middleware asks every unverified session of a user who has an app for the code, so a
    session opened before the app was added (another browser, a stolen cookie) is held at its next
    request; the session that enrolled is verified."""
    user = team["leverancier_a"]
    laptop, phone = Client(), Client()
    for client in (laptop, phone):
        assert location(client.post(reverse("login"), {"username": user.email, "password": DEMO_PASSWORD})) == HOME
    assert phone.get(HOME).status_code == 200

    laptop.get(reverse("mfa_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    with time_machine.travel(time.time(), tick=False):
        laptop.post(reverse("mfa_setup"), {"otp_token": app_code(device)})
    assert laptop.get(HOME).status_code == 200

    page = phone.get(HOME)
    assert page.status_code == 302 and location(page).startswith(reverse("mfa_verify"))
    api = phone.get("/api/v1/contracten")
    assert api.status_code == 403 and api.json()["code"] == "tweestapsverificatie_vereist"
    with time_machine.travel(time.time() + 30, tick=False):
        assert location(phone.post(reverse("mfa_verify"), {"otp_token": app_code(device)})) == HOME
