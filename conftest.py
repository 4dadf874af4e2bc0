"""Project-wide pytest set-up (the root conftest, loaded before those under tests/).

- A test value for SECRET_KEY (settings refuse to load without one unless DEBUG is on).
- ``Client.force_login`` signs a user in fully, second step included: for a user who must pass
  two-step verification (staff roles, admin access, or an app switched on) it also gives the user
  a confirmed TOTP device when there is none and marks the session verified, exactly as
  ``django_otp.login`` does after a correct code. force_login already skips the password check,
  so skipping the code keeps its meaning. Tests of the second step itself use the real flow (posting
  to the login and verification pages) on a plain client.
- ``Client.login(...)`` passes a request to ``authenticate``: django-axes (the lock-out) needs one
  to know the client's address, as a real login always has.
- The cache is emptied before every test (rate-limit counts do not carry over).
- Under CI=true nothing may be skipped: a test that skips (for instance because Redis, Chromium or
  PostgreSQL is missing) fails the run, and the skipped tests are listed at the end. xfail is not
  a skip and is left alone; tests deselected with -m are not skipped either.
"""

import os

import pytest

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}

_skipped = []  # (nodeid, reason)


def _record(report):
    if CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _skipped.append((report.nodeid, reason.removeprefix("Skipped: ")))


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counts (API throttles, password-reset limit) do not carry over from one test to
    the next (user ids repeat between tests). The test settings' cache is local memory."""
    from django.conf import settings

    if settings.configured:  # not in a bare pytest run without Django (tests/test_infrastructure.py)
        from django.core.cache import caches

        for cache in caches.all(initialized_only=True):
            cache.clear()
    yield


@pytest.fixture(autouse=True)
def _client_logins_know_two_step_verification(monkeypatch):
    from django.http import HttpRequest
    from django.test import Client

    original_force_login = Client.force_login

    def force_login(self, user, backend=None):
        original_force_login(self, user, backend)
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from sroi_portal.accounts import mfa

        if not mfa.mfa_applies(user):
            return
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test (force_login)", confirmed=True)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    original_login = Client.login

    def login(self, **credentials):
        if "request" not in credentials:
            request = HttpRequest()
            request.META.update({"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": "django.test.Client"})
            credentials = {**credentials, "request": request}
        return original_login(self, **credentials)

    monkeypatch.setattr(Client, "force_login", force_login)
    monkeypatch.setattr(Client, "login", login)


def pytest_runtest_logreport(report):
    _record(report)


def pytest_collectreport(report):
    _record(report)


def pytest_sessionfinish(session, exitstatus):
    if _skipped and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.section("skipped under CI=true (not allowed)", sep="=", red=True, bold=True)
        for nodeid, reason in _skipped:
            terminalreporter.line(f"SKIPPED {nodeid}: {reason}")
        terminalreporter.line(
            f"{len(_skipped)} test(s) skipped; under CI=true every service must be present, "
            "so this run fails."
        )
