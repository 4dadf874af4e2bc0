"""Fixtures for the account tests: the team of tests/conftest.py with a fast hasher, and codes of an
authenticator app computed the way the app does (RFC 6238, django-otp's own TOTP)."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.access.world import use_private_storage


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    return use_private_storage(settings, tmp_path / "private")


def app_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The six digits an authenticator app with ``device``'s key shows now (or at Unix time ``at``)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at
    return f"{totp.token():06d}"


def enrol(user, name="telefoon") -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name=name, confirmed=True)
