"""Inviting a supplier's contact: a one-time link, valid for a limited time, to set a password."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sroi_portal.accounts.invitations import hash_token, invite_supplier_user
from sroi_portal.models import Invitation, Role
from tests.factories import make_contract

PASSWORD = "Sterk-wachtwoord-voor-2026"


def _token(message) -> str:
    return re.search(r"/account/uitnodiging/([^/\s]+)/", message.body).group(1)


@pytest.fixture
def invited(team, leverancier_a, zoetermeer, mailoutbox):
    contract = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="ZM-UITNODIGING")
    invitation = invite_supplier_user(
        leverancier=leverancier_a, email=" Contact@GroenGrijs.example ", invited_by=team["srteam"], contract=contract
    )
    return invitation, _token(mailoutbox[-1]), mailoutbox[-1]


def test_the_invitation_mail_is_dutch_and_the_token_is_stored_hashed(invited, settings):
    invitation, token, message = invited
    assert message.to == ["contact@groengrijs.example"]
    assert message.subject == "Uitnodiging voor het SROI-portaal (Groen & Grijs B.V.)"
    assert "Het SR-team nodigt u uit" in message.body
    assert "ZM-UITNODIGING" in message.body
    assert "De link werkt één keer en is 7 dagen geldig." in message.body
    assert f"{settings.SROI_PORTAL_URL}/account/uitnodiging/{token}/" in message.body
    assert invitation.token_hash == hash_token(token)
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)


def test_accepting_creates_the_supplier_user_and_logs_in(client, invited, leverancier_a):
    _invitation, token, _message = invited
    url = reverse("accept_invitation", kwargs={"token": token})
    page = client.get(url)
    assert page.status_code == 200
    assert "U bent uitgenodigd om de social return van Groen &amp; Grijs B.V. te registreren" in page.text

    response = client.post(url, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    user = get_user_model().objects.get(email="contact@groengrijs.example")
    assert user.role == Role.LEVERANCIER and user.leverancier == leverancier_a
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    assert client.login(username="contact@groengrijs.example", password=PASSWORD)


def test_an_invitation_works_once(client, invited):
    _invitation, token, _message = invited
    url = reverse("accept_invitation", kwargs={"token": token})
    assert client.post(url, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 302
    client.logout()
    again = client.post(url, {"password1": "Ander-wachtwoord-2026", "password2": "Ander-wachtwoord-2026"})
    assert again.status_code == 410
    assert "Deze uitnodiging is al gebruikt" in again.text
    assert client.login(username="contact@groengrijs.example", password=PASSWORD)


def test_an_invitation_expires(client, invited, time_machine):
    _invitation, token, _message = invited
    time_machine.move_to(timezone.now() + timedelta(days=7, minutes=1))
    response = client.get(reverse("accept_invitation", kwargs={"token": token}))
    assert response.status_code == 410
    assert "Deze uitnodiging is verlopen" in response.text
    post = client.post(reverse("accept_invitation", kwargs={"token": token}), {"password1": PASSWORD, "password2": PASSWORD})
    assert post.status_code == 410
    assert not get_user_model().objects.filter(email="contact@groengrijs.example").exists()


def test_a_wrong_token_is_not_found(client, invited):
    _invitation, token, _message = invited
    assert client.get(reverse("accept_invitation", kwargs={"token": token[:-2] + "xx"})).status_code == 404


def test_a_weak_or_mismatched_password_is_refused_in_dutch(client, invited):
    _invitation, token, _message = invited
    url = reverse("accept_invitation", kwargs={"token": token})
    short = client.post(url, {"password1": "kort", "password2": "kort"})
    assert short.status_code == 200
    # The validator's message sits at the password field, tied to it for screen readers.
    assert 'id="id_password1_error"' in short.text
    assert 'aria-describedby="id_password1_helptext id_password1_error"' in short.text
    mismatch = client.post(url, {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert "De twee wachtwoorden zijn niet gelijk." in mismatch.text
    assert Invitation.objects.get().accepted_at is None


def test_a_new_invitation_replaces_the_open_one(client, invited, leverancier_a, team, mailoutbox):
    _invitation, old_token, _message = invited
    invite_supplier_user(leverancier=leverancier_a, email="contact@groengrijs.example", invited_by=team["srteam"])
    new_token = _token(mailoutbox[-1])
    assert client.get(reverse("accept_invitation", kwargs={"token": old_token})).status_code == 410
    assert client.get(reverse("accept_invitation", kwargs={"token": new_token})).status_code == 200


def test_an_address_of_another_organisation_cannot_be_invited(team, leverancier_a, mailoutbox):
    with pytest.raises(ValidationError) as error:
        invite_supplier_user(leverancier=leverancier_a, email=team["leverancier_b"].email, invited_by=team["srteam"])
    assert "email" in error.value.message_dict
    with pytest.raises(ValidationError):
        invite_supplier_user(leverancier=leverancier_a, email="geen-adres", invited_by=team["srteam"])
    assert mailoutbox == []
    assert not Invitation.objects.exists()
