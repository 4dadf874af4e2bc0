"""Password reset by e-mail: a Dutch mail with a one-time link; the new password works."""

import re

from django.urls import reverse

from tests.factories import DEMO_PASSWORD


def test_password_reset_mail_sets_a_new_password(client, team, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "leverancier_a@example.nl"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["leverancier_a@example.nl"]
    assert message.subject == "Nieuw wachtwoord voor het SROI-portaal"
    assert "Kies een nieuw wachtwoord via deze link" in message.body
    link = re.search(r"http://testserver(/account/wachtwoord-instellen/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_password_url = form_page.redirect_chain[-1][0]
    new_password = "Een-heel-nieuw-wachtwoord-7"
    done = client.post(set_password_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302

    client.logout()
    assert client.login(username="leverancier_a@example.nl", password=new_password)
    assert not client.login(username="leverancier_a@example.nl", password=DEMO_PASSWORD)
    # The link works once.
    assert "Deze link werkt niet meer" in client.get(link, follow=True).text


def test_an_unknown_address_gets_the_same_answer_but_no_mail(client, db, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "onbekend@example.nl"}, follow=True)
    assert "Kijk in uw e-mail" in response.text
    assert mailoutbox == []
