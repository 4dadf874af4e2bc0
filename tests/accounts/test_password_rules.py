"""Every password rule speaks Dutch: on the password change page and on the invitation page.

Django 6.1's Dutch catalogue misses the current "too short" message; the project catalogue
(locale/nl/LC_MESSAGES/django.mo, committed) supplies it.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from sroi_portal.accounts.invitations import invite_supplier_user
from sroi_portal.models import Invitation
from tests.factories import DEMO_PASSWORD

# (password typed, the Dutch message the user must see, the English text that must not show)
RULES = [
    ("Kort-1", "Dit wachtwoord is te kort. Het moet minstens 12 tekens bevatten.", "This password is too short"),
    ("password1234", "Dit wachtwoord wordt te vaak gebruikt.", "too common"),
    ("739184620573", "Dit wachtwoord bestaat alleen uit cijfers.", "entirely numeric"),
]
SIMILAR = re.compile(r"Het wachtwoord lijkt te veel op uw (e-mailadres|gebruikersnaam)\.")
ENGLISH = re.compile(r"\b(password|character|similar|numeric|common)\b", re.IGNORECASE)


def errors(html: str) -> str:
    return " ".join(re.findall(r'<p class="form-error"[^>]*>(.*?)</p>', html, re.S))


def test_the_project_catalogue_is_compiled_and_committed():
    po = Path(settings.BASE_DIR) / "locale/nl/LC_MESSAGES/django.po"
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_size > 0
    assert "This password is too short. It must contain at least %d character." in po.read_text()


@pytest.mark.parametrize(("password", "dutch", "english"), RULES)
def test_the_password_change_page_explains_each_rule_in_dutch(client, team, password, dutch, english):
    client.force_login(team["leverancier_a"])
    response = client.post(reverse("password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": password, "new_password2": password,
    })
    assert response.status_code == 200
    shown = errors(response.text)
    assert dutch in shown
    assert english not in response.text
    assert not ENGLISH.search(shown), shown


def test_the_password_change_page_refuses_a_password_like_the_email_address(client, team):
    user = team["leverancier_a"]  # leverancier_a@example.nl
    client.force_login(user)
    response = client.post(reverse("password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": "leverancier_a@example", "new_password2": "leverancier_a@example",
    })
    assert SIMILAR.search(errors(response.text))


def test_the_password_change_page_shows_the_rules_in_dutch_beforehand(client, team):
    client.force_login(team["leverancier_a"])
    html = client.get(reverse("password_change")).text
    for hint in (
        "Uw wachtwoord moet minstens 12 tekens bevatten.",
        "Uw wachtwoord mag geen veelgebruikt wachtwoord zijn.",
        "Uw wachtwoord mag niet alleen uit cijfers bestaan.",
        "Uw wachtwoord mag niet te veel lijken op uw andere persoonlijke gegevens.",
    ):
        assert hint in html


@pytest.fixture
def invitation_url(team, leverancier_a, mailoutbox):
    invite_supplier_user(leverancier=leverancier_a, email="nieuw.contact@groengrijs.example", invited_by=team["srteam"])
    token = re.search(r"/account/uitnodiging/([^/\s]+)/", mailoutbox[-1].body).group(1)
    return reverse("accept_invitation", kwargs={"token": token})


@pytest.mark.parametrize(("password", "dutch", "english"), RULES)
def test_the_invitation_page_explains_each_rule_in_dutch(client, invitation_url, password, dutch, english):
    response = client.post(invitation_url, {"password1": password, "password2": password})
    assert response.status_code == 200
    shown = errors(response.text)
    assert dutch in shown
    assert english not in response.text
    assert not ENGLISH.search(shown), shown
    assert Invitation.objects.get().accepted_at is None


def test_the_invitation_page_refuses_a_password_like_the_email_address(client, invitation_url):
    response = client.post(invitation_url, {"password1": "nieuw.contact@groengrijs", "password2": "nieuw.contact@groengrijs"})
    assert SIMILAR.search(errors(response.text))
    assert Invitation.objects.get().accepted_at is None
