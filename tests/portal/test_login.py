"""Logging in with the e-mail address; logging out."""

from django.urls import reverse

from tests.factories import DEMO_PASSWORD


def test_a_user_logs_in_with_the_email_address_in_any_case(client, team):
    response = client.post(reverse("login"), {"username": "LEVERANCIER_A@Example.NL", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("home")
    assert client.get(reverse("home")).context["user"] == team["leverancier_a"]


def test_a_wrong_password_gets_a_dutch_message_and_no_session(client, team):
    response = client.post(reverse("login"), {"username": "leverancier_a@example.nl", "password": "fout-wachtwoord"})
    assert response.status_code == 200
    assert "Deze combinatie van e-mailadres en wachtwoord kennen we niet" in response.text
    assert "_auth_user_id" not in client.session


def test_an_inactive_user_cannot_log_in(client, team):
    user = team["inkoop"]
    user.is_active = False
    user.save()
    response = client.post(reverse("login"), {"username": user.email, "password": DEMO_PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_login_page_is_dutch_and_labels_the_email_field(client, db):
    response = client.get(reverse("login"))
    html = response.text
    assert '<html lang="nl">' in html
    assert '<label class="form-label" for="id_username">E-mailadres' in html
    assert 'type="email"' in html


def test_pages_send_anonymous_users_to_the_login_page(client, db):
    response = client.get(reverse("bouwblokken:overzicht"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("login") + "?next=")


def test_log_out_is_a_post_and_ends_the_session(client, team):
    client.force_login(team["raadslid"])
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
