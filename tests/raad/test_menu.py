"""The main menu has one entry for the council's figures, "Cijfers voor de raad" (/raad/), which also
stands for the reporting dashboard; the old "Raadsinformatie" entry is gone, its page still works."""

import re

import pytest
from django.urls import reverse

from .test_council_pages import raad_url

MENU = re.compile(r'<nav class="main-nav".*?</nav>', re.S)


@pytest.mark.parametrize("role", ["raadslid", "srteam", "inkoop", "beheerder"])
def test_the_main_menu_has_one_entry_for_the_council_figures(client, team, zoetermeer_2025, role):
    client.force_login(team[role])
    for url in (reverse("home"), reverse("raad:index"), raad_url(),
                reverse("reporting:dashboard", kwargs={"gemeentecode": "GM0637", "jaar": 2025})):
        menu = MENU.search(client.get(url).text).group(0)
        links = re.findall(r'<a href="([^"]*)"([^>]*)>([^<]*)</a>', menu)
        council = [(href, attrs) for href, attrs, label in links if label == "Cijfers voor de raad"]
        assert [href for href, _attrs in council] == ["/raad/"], url
        assert "Raadsinformatie" not in menu
        if url != reverse("home"):
            assert 'aria-current="page"' in council[0][1], url
    # The old entry's page still works (the dashboard's year/municipality form uses it).
    assert client.get(reverse("reporting:index")).status_code == 200


def test_roles_without_council_pages_have_no_entry(client, team):
    client.force_login(team["leverancier_a"])
    menu = MENU.search(client.get(reverse("home")).text).group(0)
    assert "Cijfers voor de raad" not in menu and "/raad/" not in menu


BREADCRUMB = re.compile(r'<nav class="breadcrumb".*?</nav>', re.S)


@pytest.mark.parametrize("role", ["raadslid", "srteam", "beheerder"])
def test_the_dashboard_pages_call_the_council_figures_by_the_menu_name(client, team, zoetermeer_2025, role):
    client.force_login(team[role])
    dashboard = client.get(reverse("reporting:dashboard", kwargs={"gemeentecode": "GM0637", "jaar": 2025})).text
    crumbs = re.findall(r'<a href="([^"]*)">([^<]*)</a>', BREADCRUMB.search(dashboard).group(0))
    assert crumbs == [("/", "Start"), ("/raad/?jaar=2025", "Cijfers voor de raad")]
    # The page that picks a municipality and year: the same name in the heading, title and breadcrumb.
    chooser = client.get(reverse("reporting:index")).text
    assert re.search(r"<h1>Cijfers voor de raad: dashboard en raadsrapportage</h1>", chooser)
    assert "<title>Cijfers voor de raad: dashboard en raadsrapportage" in chooser
    assert ("/raad/", "Cijfers voor de raad") in re.findall(r'<a href="([^"]*)">([^<]*)</a>',
                                                           BREADCRUMB.search(chooser).group(0))
    for html in (dashboard, chooser):
        assert "Raadsinformatie" not in html
    # The breadcrumb leads to the council overview.
    assert client.get("/raad/?jaar=2025").status_code == 200
