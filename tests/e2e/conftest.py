"""Shared fixtures for the browser tests (Playwright on the machine's Chromium, marker ``browser``).

- ``browser_page``: a fresh page (own context: no cookies shared between tests), Dutch locale.
- ``demo_world``: the demo data of ``manage.py seed_demo`` in the test database (transactional,
  so the live server's thread sees it); returns the demo users by username.
- ``login``: ``login(page, live_server, username, password=DEMO_PASSWORD)`` logs a demo user in
  through the login page with the user's e-mail address and returns the page. Demo staff users
  (inkoop, srteam, beheerder) then pass the second step with the code of their demo authenticator
  app (``contracts.demo.DEMO_TOTP_KEY``), computed here as the app would.
- ``totp_code(user)``: that code (a later time step when the current one was already used: a used
  code is refused, as it must be).

Chromium is /usr/bin/chromium (``bash scripts/system-deps.sh chromium`` installs it). The test run
serves static files from the finders (not the collected manifest), so no collectstatic is needed.
"""

import os
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from contracts.demo import DEMO_PASSWORD
from sroi_portal.accounts import mfa
from tests.access.world import use_private_storage

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the tests are fine.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def _playwright_browser(django_db_setup):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (bash scripts/system-deps.sh chromium)")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # The migrated test database, serialized at set-up (for serialized rollback). Playwright's sync
    # API runs the test code in a greenlet with its own context, where Django opens new connection
    # objects without that copy; hand it to them, or every browser test after the first one would
    # start from an empty database.
    serialized = {alias: getattr(connections[alias], "_test_serialized_contents", None) for alias in connections}
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            if contents is not None and not hasattr(connections[alias], "_test_serialized_contents"):
                connections[alias]._test_serialized_contents = contents
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(_playwright_browser):
    context = _playwright_browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def _e2e_settings(settings, tmp_path):
    """Static files from the finders (no manifest needed), evidence in a throw-away folder,
    a fast password hasher for the demo users."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    use_private_storage(settings, tmp_path / "private")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


@pytest.fixture
def demo_world(django_db_serialized_rollback, transactional_db, _e2e_settings):
    # serialized rollback: each browser test starts from the migrated database (with the seeded
    # catalogues), which a transactional test's flush would otherwise remove for the next one.
    with override_settings(DEBUG=True):  # seed_demo refuses to run without DEBUG
        call_command("seed_demo", stdout=open(os.devnull, "w"))
    return {user.username: user for user in get_user_model().objects.all()}


def totp_code(user) -> str:
    """The code the user's confirmed authenticator app shows now, or the next one when this time
    step was already used (django-otp accepts one step ahead and refuses a used step)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    now = time.time()
    if totp.t() <= device.last_t:
        if device.last_t - totp.t() >= 1:  # two logins already in this step: wait for the next one
            time.sleep(device.step - (now - device.t0) % device.step + 0.5)
            return totp_code(user)
        totp.time = now + device.step  # one step ahead, within the tolerance
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def login():
    def log_in(page, live_server, username, password=DEMO_PASSWORD):
        user = get_user_model().objects.get(username=username)
        page.goto(f"{live_server.url}/account/inloggen/")
        page.get_by_label("E-mailadres").fill(user.email)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Inloggen").click()
        if mfa.mfa_applies(user):
            page.wait_for_url(f"{live_server.url}/account/inloggen/verificatie/**")
            page.get_by_label("Code", exact=True).fill(totp_code(user))
            page.get_by_role("button", name="Bevestigen").click()
        page.wait_for_url(f"{live_server.url}/")
        return page

    return log_in
