"""Sign-in through OpenID Connect in the browser, against a real provider (oidc-provider on 127.0.0.1,
tests/oidc/provider/): a supplier links eHerkenning through the invitation, signs in and logs out at the
provider too (RP-initiated logout); a staff member signs in through the municipality's provider, which
did multi-factor authentication, so the portal asks no code."""

import re

import pytest
from django.core import mail
from django.test import override_settings

from contracts.models import Leverancier
from sroi_portal.accounts import invitations
from sroi_portal.models import OIDCIdentity, Role
from tests.factories import UserFactory
from tests.oidc.fixtures import csp_with_provider, oidc_provider  # noqa: F401
from tests.oidc.provider import KVK_A, STAFF_SRTEAM_EMAIL, portal_settings


@pytest.fixture
def oidc_world(django_db_serialized_rollback, transactional_db, _e2e_settings, oidc_provider, monkeypatch):  # noqa: F811
    with override_settings(
        SROI_OIDC_PROVIDERS=portal_settings(oidc_provider, monkeypatch),
        SECURE_CSP=csp_with_provider(_e2e_settings.SECURE_CSP, oidc_provider),
    ):
        yield oidc_provider


def log_in_at_provider(page, login):
    page.get_by_label("Gebruiker").fill(login)
    page.get_by_role("button", name="Inloggen").click()


def test_a_supplier_links_eherkenning_through_the_invitation_signs_in_and_logs_out_at_the_provider(
    browser_page, live_server, oidc_world
):
    page = browser_page
    leverancier = Leverancier.objects.create(kvk_nummer=KVK_A, naam="Groen & Grijs B.V.")
    srteam = UserFactory(username="srteam-oidc", role=Role.SR_TEAM)
    invitations.invite_supplier_user(leverancier=leverancier, email="jan@groen-grijs.nl", invited_by=srteam)
    path = re.search(r"/account/uitnodiging/[^/\s]+/", mail.outbox[-1].body).group(0)

    page.goto(f"{live_server.url}{path}")
    page.get_by_role("button", name="Koppelen met eHerkenning").click()
    page.wait_for_url(f"{oidc_world.issuer}/interaction/**")
    log_in_at_provider(page, "jan")
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("button", name="Uitloggen").is_visible()
    user = OIDCIdentity.objects.get(subject="PSEUDO-JAN").user
    assert user.leverancier == leverancier and user.email == "jan@groen-grijs.nl"

    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(f"{oidc_world.issuer}/session/end**")
    page.get_by_role("button", name="Ja, uitloggen").click()
    page.wait_for_url(f"{live_server.url}/account/inloggen/")
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/account/inloggen/?next=/")
    # The provider's session ended too: signing in again asks for the login at the provider.
    page.get_by_role("link", name="Inloggen met eHerkenning").click()
    page.wait_for_url(f"{oidc_world.issuer}/interaction/**")
    assert page.get_by_label("Gebruiker").is_visible()


def test_the_wrong_company_is_refused_in_the_browser(browser_page, live_server, oidc_world):
    page = browser_page
    leverancier = Leverancier.objects.create(kvk_nummer=KVK_A, naam="Groen & Grijs B.V.")
    user = UserFactory(username="jan-a", role=Role.LEVERANCIER, leverancier=leverancier)
    OIDCIdentity.objects.create(provider="eherkenning", subject="PSEUDO-JAN", user=user)
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_role("link", name="Inloggen met eHerkenning").click()
    log_in_at_provider(page, "jan-voor-b")
    assert page.get_by_role("heading", name="Inloggen is niet gelukt").is_visible()
    assert "hoort bij een andere organisatie" in page.get_by_role("alert").inner_text()
    page.goto(f"{live_server.url}/")
    page.wait_for_url(f"{live_server.url}/account/inloggen/?next=/")


def test_a_staff_member_signs_in_through_the_municipality_without_a_second_code(browser_page, live_server, oidc_world):
    page = browser_page
    srteam = UserFactory(username="sanne", role=Role.SR_TEAM, email=STAFF_SRTEAM_EMAIL)
    page.goto(f"{live_server.url}/account/inloggen/")
    page.get_by_role("link", name="Inloggen via de gemeente").click()
    page.wait_for_url(f"{oidc_world.issuer}/interaction/**")
    log_in_at_provider(page, "sanne")
    page.wait_for_url(f"{live_server.url}/")  # no /account/tweestapsverificatie/ in between
    assert page.get_by_role("button", name="Uitloggen").is_visible()
    assert OIDCIdentity.objects.get(user=srteam).subject == "sanne"
