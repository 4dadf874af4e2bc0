"""The main menu grouped by task (sroi_portal.context_processors.Menu, partials/nav.html): each group a
labelled list, a role sees only entries of pages it may open, and on small screens a "Menu" button
(static/js/menu.js, a static file: the CSP allows no inline script) opens and closes it."""

import re
from html import unescape

import pytest
from django.urls import reverse

NAV = re.compile(r'<nav class="main-nav".*?</nav>', re.DOTALL)


def menu_of(html: str) -> dict:
    """Group label ('' for the entries above the groups) -> the link texts of its list."""
    nav = NAV.search(html).group(0)
    labels = dict(re.findall(r'<span class="main-nav__label" id="([^"]+)">(.*?)</span>\n', nav, re.DOTALL))
    groups = {}
    for attrs, body in re.findall(r"<ul([^>]*)>(.*?)</ul>", nav, re.DOTALL):
        labelled = re.search(r'aria-labelledby="([^"]+)"', attrs)
        label = re.sub(r"<[^>]+>", "", labels[labelled.group(1)]).strip() if labelled else ""
        groups[label] = [unescape(text) for text in re.findall(r"<a [^>]*>([^<]*)</a>", body)]
    return groups


def test_the_srteam_menu_is_grouped_by_task(client, team):
    client.force_login(team["srteam"])
    html = client.get(reverse("home")).content.decode()
    menu = menu_of(html)
    account = [label for label in menu if label.startswith("Uw account")]
    assert account == ["Uw account: " + team["srteam"].email]
    assert menu == {
        "": ["Start"],
        "Contracten": ["Contracten", "Inbox"],
        "Controle": ["Controle", "Verhalen"],
        "Raad en cijfers": ["Cijfers voor de raad", "Banenafspraak", "Banenafspraak in de regio's", "Exporteren",
                            "Budget SR-team"],
        account[0]: ["Account", "Wachtwoord wijzigen"],
    }
    nav = NAV.search(html).group(0)
    assert '<button type="button" class="menu-toggle" aria-expanded="false" aria-controls="hoofdmenu">Menu</button>' in nav
    assert 'id="hoofdmenu"' in nav and "Uitloggen" in nav
    assert re.search(r'<script src="/static/js/menu.js"></script>', html)
    assert "<script>" not in html  # no inline script (CSP)


def test_each_role_sees_its_own_groups(client, team):
    expected = {
        "inkoop": {"Contracten": ["Contracten", "Contract invoeren", "Importeren"],
                   "Raad en cijfers": ["Cijfers voor de raad", "Banenafspraak", "Banenafspraak in de regio's", "Exporteren"]},
        "beheerder": {"Contracten": ["Contracten", "Contract invoeren", "Importeren", "Inbox"],
                      "Controle": ["Controle", "Verhalen"],
                      "Beheer": ["Logboek dataverwerkingen"]},  # no admin access (is_staff off)
        "leverancier_a": {"": ["Start", "Mijn contracten", "Verhalen", "Duurzaam werk"]},
        "raadslid": {"": ["Start", "Cijfers voor de raad", "Banenafspraak", "Banenafspraak in de regio's"]},
    }
    for role, groups in expected.items():
        client.force_login(team[role])
        menu = menu_of(client.get(reverse("home")).content.decode())
        for label, entries in groups.items():
            assert menu[label] == entries, role
        if role in ("leverancier_a", "raadslid"):
            assert {label for label in menu if not label.startswith("Uw account")} == {""}, role


@pytest.mark.parametrize("role", ["inkoop", "srteam", "beheerder", "beheerder met beheeromgeving", "leverancier_a",
                                  "raadslid"])
def test_every_menu_entry_opens_for_its_role(client, team, role):
    user = team[role.split()[0]]
    if role == "beheerder met beheeromgeving":
        user.is_staff = True
        user.save()
    client.force_login(user)
    nav = NAV.search(client.get(reverse("home")).content.decode()).group(0)
    entries = re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', nav)
    assert ("/beheer/", "Beheeromgeving") in entries if user.is_staff else all(href != "/beheer/" for href, _ in entries)
    for href, label in entries:
        response = client.get(href)
        assert response.status_code == 200, (role, label, href, response.status_code)


def test_the_entry_of_the_page_shown_is_marked_current(client, team):
    client.force_login(team["srteam"])
    nav = NAV.search(client.get(reverse("contracts:inbox")).content.decode()).group(0)
    assert re.findall(r'<a href="[^"]*" aria-current="page">([^<]*)</a>', nav) == ["Inbox"]


def test_signed_out_the_menu_offers_to_log_in_without_a_button(client, db):
    nav = NAV.search(client.get(reverse("login")).content.decode()).group(0)
    assert re.findall(r"<a [^>]*>([^<]*)</a>", nav) == ["Inloggen"]
    assert "menu-toggle" not in nav
