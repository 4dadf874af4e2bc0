"""The banenafspraak pages: content, forms, templates, and a fixed number of queries per page."""

import itertools
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from banenafspraak import services
from banenafspraak.models import Dienstverband, Doel, Telling, Werkgever

from .conftest import approved_banenafspraak_registration, dienstverband

D = Decimal

# Measured: 10, 12, 15 and 8 (session and user included); a little room for the shared layout.
MAX_QUERIES = {
    "overzicht": 12,
    "werkgever": 14,
    "raad": 17,
    "regio": 10,
}


_units = itertools.count(1)


def grow(organisatie, n):
    """n more units, each with a target, a measured total and two records."""
    for _ in range(n):
        i = next(_units)
        unit = services.create_werkgever(naam=f"Afdeling {organisatie.pk}-{i}", bovenliggende=organisatie)
        services.create_doel(werkgever=unit, jaar=2024, banen=D("2"))
        services.record_telling(werkgever=unit, jaar=2023, banen_dienstverband=D("1"), banen_inleen=D("0"),
                                bron="eigen_telling")
        dienstverband(unit, referentie=f"P-{i}-a", start=date(2024, 1, 1), end=date(2024, 12, 31))
        dienstverband(unit, referentie=f"P-{i}-b", start=date(2023, 7, 1), end=date(2024, 6, 30), soort="inleen")


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page, role, url", [
    ("overzicht", "srteam", lambda org: reverse("banenafspraak:overzicht")),
    ("werkgever", "srteam", lambda org: reverse("banenafspraak:werkgever", args=[org.pk])),
    ("raad", "raadslid", lambda org: reverse("banenafspraak:raad")),
    ("regio", "raadslid", lambda org: reverse("banenafspraak:regio")),
])
def test_pages_use_a_fixed_number_of_queries(zoetermeer_demo, team, client, django_assert_max_num_queries, page, role,
                                             url):
    client.force_login(team[role])
    target = url(zoetermeer_demo)
    grow(zoetermeer_demo, 1)
    small = count_queries(client, target, {"jaar": 2024})
    grow(zoetermeer_demo, 6)
    approved_banenafspraak_registration(gemeente=zoetermeer_demo.gemeente, start=date(2024, 7, 1), end=date(2025, 6, 30))
    large = count_queries(client, target, {"jaar": 2024})
    assert large == small
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        client.get(target, {"jaar": 2024})


def test_the_staff_overview_lists_the_employers_with_their_figures(zoetermeer_demo, team, client):
    client.force_login(team["srteam"])
    response = client.get(reverse("banenafspraak:overzicht"), {"jaar": 2018})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gemeente Zoetermeer" in html and "27,40" in html and "13,60" in html and "49,6%" in html
    assert "<caption>" in html and 'scope="col"' in html


def test_the_employer_page_shows_units_quarters_trend_and_people(zoetermeer_demo, team, client):
    client.force_login(team["srteam"])
    html = client.get(reverse("banenafspraak:werkgever", args=[zoetermeer_demo.pk]), {"jaar": 2021}).content.decode()
    assert "Stadsbeheer" in html and "Publiekszaken" in html
    assert "Per kwartaal in 2021" in html and "Verloop over de jaren" in html
    assert "ZM-P-0101" in html  # the SR-team sees the records
    # 2021: Stadsbeheer 25.5 h all year (1.00) + 32 h from July (0.63); Publiekszaken 20 h inleen from March (0.65).
    assert "1,63" in html and "0,65" in html and "2,28" in html


def test_a_department_page_has_a_breadcrumb_to_the_organisation(zoetermeer_demo, team, client):
    client.force_login(team["inkoop"])
    unit = Werkgever.objects.get(naam="Stadsbeheer")
    html = client.get(reverse("banenafspraak:werkgever", args=[unit.pk]), {"jaar": 2021}).content.decode()
    assert reverse("banenafspraak:werkgever", args=[zoetermeer_demo.pk]) in html
    assert "ZM-P-0101" not in html  # inkoop: no people


def test_add_a_unit_target_measured_total_and_record_through_the_forms(team, organisatie, client):
    client.force_login(team["srteam"])
    response = client.post(reverse("banenafspraak:onderdeel_nieuw", args=[organisatie.pk]), {"naam": "Sport"})
    unit = Werkgever.objects.get(naam="Sport")
    assert response.status_code == 302 and response["Location"] == reverse("banenafspraak:werkgever", args=[unit.pk])
    client.post(reverse("banenafspraak:doel_nieuw", args=[unit.pk]), {"jaar": 2024, "banen": "3,5"})
    assert Doel.objects.get(werkgever=unit).banen == D("3.5")
    client.post(reverse("banenafspraak:telling_nieuw", args=[unit.pk]), {
        "jaar": 2024, "kwartaal": "2", "banen_dienstverband": "1,25", "banen_inleen": "0", "bron": "uwv"})
    assert Telling.objects.get(werkgever=unit).kwartaal == 2
    client.post(reverse("banenafspraak:telling_nieuw", args=[unit.pk]), {
        "jaar": 2024, "verloonde_uren_dienstverband": "2652", "banen_inleen": "0", "bron": "salarisadministratie"})
    assert Telling.objects.get(werkgever=unit, kwartaal__isnull=True).banen_dienstverband == D("2.00")
    html = client.get(reverse("banenafspraak:werkgever", args=[unit.pk]), {"jaar": 2024}).content.decode()
    assert "2.652 verloonde uren" in html
    client.post(reverse("banenafspraak:dienstverband_nieuw", args=[unit.pk]), {
        "referentie": "S-1", "initialen": "Q.", "geboortejaar": 1980, "soort": "dienstverband",
        "startdatum": "2024-01-01", "uren_per_week": "25,5"})
    assert Dienstverband.objects.get(werkgever=unit).uren_per_week == D("25.5")


def test_form_errors_are_shown_in_dutch_and_nothing_is_saved(team, organisatie, client):
    client.force_login(team["srteam"])
    services.create_doel(werkgever=organisatie, jaar=2024, banen=D("1"))
    response = client.post(reverse("banenafspraak:doel_nieuw", args=[organisatie.pk]), {"jaar": 2024, "banen": "2"})
    assert response.status_code == 200
    assert "al een doel voor 2024" in response.content.decode()
    response = client.post(reverse("banenafspraak:dienstverband_nieuw", args=[organisatie.pk]), {
        "referentie": "111222333", "initialen": "Q.", "geboortejaar": 1980, "soort": "dienstverband",
        "startdatum": "2024-01-01", "uren_per_week": "20"})
    assert "lijkt een BSN" in response.content.decode()
    assert not Dienstverband.objects.exists() and Doel.objects.count() == 1


def test_create_the_top_level_employer_through_the_form(team, zoetermeer, client):
    client.force_login(team["inkoop"])
    assert "Werkgever toevoegen" in client.get(reverse("banenafspraak:overzicht")).content.decode()
    response = client.post(reverse("banenafspraak:werkgever_nieuw"), {"naam": "Gemeente Zoetermeer", "gemeente": "GM0637"})
    assert response.status_code == 302
    assert Werkgever.objects.get().gemeente == zoetermeer


def test_the_region_page_ranks_the_regions_and_checks_the_total_row(zoetermeer_demo, team, client):
    client.force_login(team["raadslid"])
    html = client.get(reverse("banenafspraak:regio")).content.decode()
    assert "Zuid-Holland Centraal" in html and "-146" in html and "3.329" in html
    assert "247.739" in html  # the published total, as published
    assert "wijkt 156 af van de som van de regio's (247.583)" in html
    assert "uw regio" in html
    assert "1.031" in html  # regional target 2022, market


def test_the_templates_download_as_csv(team, client):
    client.force_login(team["srteam"])
    response = client.get(reverse("banenafspraak:uwv_sjabloon"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    assert text.startswith("Arbeidsmarktregio;Nulmeting;") and "Zuid-Holland Centraal;" in text
    response = client.get(reverse("banenafspraak:doelstellingen_sjabloon"))
    assert response.content.decode("utf-8-sig").startswith("Arbeidsmarktregio;Jaar;Markt;Overheid")


def test_the_import_page_reports_the_total_row_check(team, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from banenafspraak import seed

    client.force_login(team["beheerder"])
    upload = SimpleUploadedFile("bijlage3.csv", seed.UWV_2020K4_CSV.read_bytes(), content_type="text/csv")
    response = client.post(reverse("banenafspraak:uwv_import"), {"bestand": upload, "bron": "UWV Q4 2020",
                                                                  "nulmeting_peildatum": "2013-01-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "35 arbeidsmarktregio's geïmporteerd" in html
    assert "Nulmeting: de gepubliceerde totaalrij (247.739) wijkt 156 af" in html
    assert "Voortgang tov nulmeting: de gepubliceerde totaalrij (-8.731) wijkt 3.459 af" in html
    bad = SimpleUploadedFile("x.csv", b"Arbeidsmarktregio;Nulmeting;2020-K4\nAtlantis;1;2\n", content_type="text/csv")
    response = client.post(reverse("banenafspraak:uwv_import"), {"bestand": bad, "bron": "x",
                                                                  "nulmeting_peildatum": "2013-01-01"})
    assert response.status_code == 400
    assert "Onbekende arbeidsmarktregio" in response.content.decode()


def test_the_menu_shows_the_right_items_per_role(team, client):
    client.force_login(team["inkoop"])
    html = client.get(reverse("home")).content.decode()
    assert reverse("banenafspraak:overzicht") in html
    client.force_login(team["raadslid"])
    html = client.get(reverse("home")).content.decode()
    assert reverse("banenafspraak:raad") in html and reverse("banenafspraak:overzicht") + '"' not in html
