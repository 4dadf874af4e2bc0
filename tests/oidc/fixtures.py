"""Fixtures of the OpenID Connect tests (imported by tests/oidc/conftest.py and tests/e2e/test_oidc_flow.py)."""

import pytest

from .provider import portal_settings, start_provider


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID Connect provider on 127.0.0.1 for the whole session (stopped at the end)."""
    provider = start_provider()
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture
def oidc_on(settings, oidc_provider, monkeypatch):
    """Both providers configured against the test provider (eHerkenning and staff), the test client's
    host allowed. Returns the Django settings."""
    settings.SROI_OIDC_PROVIDERS = portal_settings(oidc_provider, monkeypatch)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1", "localhost", "testserver"]
    settings.SECURE_CSP = csp_with_provider(settings.SECURE_CSP, oidc_provider)
    return settings


def csp_with_provider(csp, provider):
    """The CSP with the provider's origin in form-action, as settings.py adds a configured provider's."""
    return {**csp, "form-action": [*csp["form-action"], provider.issuer]}
