"""Two-step verification in a real browser: a supplier switches it on (QR code, first code, backup
codes); a staff member who only typed the password reaches no page."""

import base64
import re

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from contracts.demo import DEMO_PASSWORD, DEMO_TOTP_KEY


def _a_wrong_code() -> str:
    """Six digits that are not the demo app's code of the previous, current or next time step."""
    totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
    valid = {f"{totp.token() :06d}"}
    for shift in (-30, 30):
        other = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
        other.time = totp.time + shift
        valid.add(f"{other.token():06d}")
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def test_a_supplier_switches_two_step_verification_on(browser_page, live_server, demo_world, login):
    page = browser_page
    login(page, live_server, "leverancier")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn account")
    expect(page.get_by_text("Tweestapsverificatie staat uit.")).to_be_visible()
    page.get_by_role("link", name="Tweestapsverificatie aanzetten").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie instellen")
    qr = page.get_by_role("img", name=re.compile("QR-code"))
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] > 100 and box["height"] > 100  # drawn at a scannable size (CSS from static/)
    secret = page.locator("#geheime-sleutel").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)

    # What the phone's app computes from the secret it scanned.
    code = f"{TOTP(base64.b32decode(secret)).token():06d}"
    page.get_by_label("Code uit de app").fill(code)
    page.get_by_role("button", name="Code bevestigen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tweestapsverificatie staat aan")
    codes = page.locator(".backup-codes li")
    expect(codes).to_have_count(10)
    assert re.fullmatch(r"[a-z2-7]{4} [a-z2-7]{4}", codes.first.inner_text())
    assert TOTPDevice.objects.filter(user=demo_world["leverancier"], confirmed=True).exists()
    page.get_by_role("link", name="Ik heb de codes bewaard, ga verder").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welkom")


def test_a_staff_member_without_the_code_reaches_no_page(browser_page, live_server, demo_world):
    page = browser_page
    user = demo_world["srteam"]
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("E-mailadres").fill(user.email)
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/account/inloggen/verificatie/**")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vul uw code in")

    for url in (reverse("contracts:list"), reverse("home"), "/beheer/"):
        page.goto(f"{live_server.url}{url}")
        page.wait_for_url(f"{live_server.url}/account/inloggen/verificatie/**")
        expect(page.get_by_role("heading", level=1)).to_have_text("Vul uw code in")

    page.get_by_label("Code", exact=True).fill(_a_wrong_code())
    page.get_by_role("button", name="Bevestigen").click()
    expect(page.get_by_role("alert").first).to_contain_text("Deze code klopt niet of is al gebruikt")
    page.goto(f"{live_server.url}{reverse('contracts:list')}")
    page.wait_for_url(f"{live_server.url}/account/inloggen/verificatie/**")
