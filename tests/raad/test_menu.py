"""The main menu has one entry for the council's figures, "Cijfers voor de raad" (/raad/), which also
stands for the council page of a municipality and year; the old "Raadsinformatie" entry is gone, its
URL (/rapportage/) still works and leads to /raad/."""

import re

import pytest
from django.urls import reverse

from .test_council_pages import page_url

MENU = re.compile(r'<nav class="main-nav".*?</nav>', re.S)


@pytest.mark.parametrize("role", ["raadslid", "srteam", "inkoop", "beheerder"])
def test_the_main_menu_has_one_entry_for_the_council_figures(client, team, zoetermeer_2025, role):
    client.force_login(team[role])
    for url in (reverse("home"), reverse("raad:index"), page_url()):
        menu = MENU.search(client.get(url).text).group(0)
        links = re.findall(r'<a href="([^"]*)"([^>]*)>([^<]*)</a>', menu)
        council = [(href, attrs) for href, attrs, label in links if label == "Cijfers voor de raad"]
        assert [href for href, _attrs in council] == ["/raad/"], url
        assert "Raadsinformatie" not in menu
        if url != reverse("home"):
            assert 'aria-current="page"' in council[0][1], url
    # The old entry's URL still works: it leads to the council's index (the page's form uses it too).
    assert client.get(reverse("reporting:index"), follow=True).redirect_chain == [("/raad/", 302)]


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
    # The index that picks a municipality: the same name in its heading and title.
    index = client.get(reverse("raad:index")).text
    assert re.search(r"<h1>Cijfers voor de raad</h1>", index)
    assert "<title>Cijfers voor de raad" in index
    # A choice the user may not make is shown again with its error, under the same name.
    refused = client.get(reverse("reporting:index"), {"gemeente": "GM9999", "jaar": "2025"}).text
    assert ("/raad/", "Cijfers voor de raad") in re.findall(r'<a href="([^"]*)">([^<]*)</a>',
                                                           BREADCRUMB.search(refused).group(0))
    for html in (dashboard, index, refused):
        assert "Raadsinformatie" not in html
    # The breadcrumb leads to the council overview.
    assert client.get("/raad/?jaar=2025").status_code == 200
