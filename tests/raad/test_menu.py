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
    # The old entry's page still works (the dashboard's breadcrumb and the year/municipality form use it).
    assert client.get(reverse("reporting:index")).status_code == 200


def test_roles_without_council_pages_have_no_entry(client, team):
    client.force_login(team["leverancier_a"])
    menu = MENU.search(client.get(reverse("home")).text).group(0)
    assert "Cijfers voor de raad" not in menu and "/raad/" not in menu
