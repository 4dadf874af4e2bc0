"""What the reporting app calls: ``selectors.council_figures(gemeente=..., jaar=...)``, and the jobs
through social return (spoor 3) shown beside, never added to, the quota realisation."""

from datetime import date
from decimal import Decimal

import pytest

from banenafspraak import selectors, services

from .conftest import approved_banenafspraak_registration, dienstverband

D = Decimal


def test_council_figures_reproduce_table_3_with_the_trend(zoetermeer_demo, zoetermeer):
    figures = selectors.council_figures(gemeente=zoetermeer, jaar=2020)
    assert figures.beschikbaar and figures.werkgever == "Gemeente Zoetermeer"
    assert (figures.doel, figures.banen_totaal, figures.percentage, figures.tekort) == (
        D("34.60"), D("33.70"), D("97.40"), D("0.90"))
    assert (figures.banen_dienstverband, figures.banen_inleen) == (D("33.70"), D("0.00"))
    assert [(y.jaar, y.doel, y.banen_totaal, y.percentage) for y in figures.vorige_jaren] == [
        (2018, D("27.40"), D("13.60"), D("49.64")), (2019, D("31.10"), D("30.70"), D("98.71"))]
    assert [y.jaar for y in figures.jaren] == [2018, 2019, 2020]
    assert figures.regio.naam == "Zuid-Holland Centraal"
    assert (figures.regio.voortgang, figures.regio.rang, figures.regio.aantal_regios) == (D("-146"), 14, 35)
    assert figures.regio.peilkwartaal == "2020 K4"
    assert figures.regio.doel == D("990")


def test_council_figures_can_be_read_with_the_api_names(zoetermeer_demo, zoetermeer):
    figures = selectors.council_figures(gemeente=zoetermeer, jaar=2019)
    assert figures["doel"] == D("31.10")
    assert figures["banenTotaal"] == D("30.70")
    assert figures["banenViaSocialReturn"] == D("0.00")
    assert figures["vorigeJaren"][0]["percentage"] == D("49.64")
    plain = figures.as_dict()
    assert {"doel", "banenDienstverband", "banenInleen", "banenTotaal", "percentage", "tekort",
            "banenViaSocialReturn", "vorigeJaren"} <= set(plain)
    assert plain["vorigeJaren"] == [{
        "jaar": 2018, "doel": D("27.40"), "banenDienstverband": D("13.60"), "banenInleen": D("0.00"),
        "banenTotaal": D("13.60"), "percentage": D("49.64"), "tekort": D("13.80"), "banenViaSocialReturn": D("0.00"),
        "heffing": D("69000.00"), "percentageWeergave": D("49.6"),
    }]
    with pytest.raises(KeyError):
        figures["bsn"]


def test_council_figures_run_a_fixed_number_of_queries(zoetermeer_demo, zoetermeer, django_assert_num_queries):
    with django_assert_num_queries(11):
        selectors.council_figures(gemeente=zoetermeer, jaar=2020)


def test_a_municipality_without_an_employer_has_no_figures(lansingerland):
    figures = selectors.council_figures(gemeente=lansingerland, jaar=2020)
    assert not figures.beschikbaar
    assert figures.doel is None and figures.banen_totaal is None and figures.vorige_jaren == ()
    assert figures["banenTotaal"] is None


def test_the_trend_holds_at_most_four_earlier_years(organisatie, zoetermeer):
    for jaar in range(2014, 2025):
        services.create_doel(werkgever=organisatie, jaar=jaar, banen=D("10"))
    figures = selectors.council_figures(gemeente=zoetermeer, jaar=2024, with_region=False)
    assert [y.jaar for y in figures.vorige_jaren] == [2020, 2021, 2022, 2023]


# --- spoor 3 ---------------------------------------------------------------------------------------


def test_approved_banenafspraak_registrations_at_suppliers_are_counted_as_jobs_beside_the_quota(team, organisatie,
                                                                                                 zoetermeer, api):
    dienstverband(organisatie, referentie="P-1", start=date(2024, 1, 1), end=date(2024, 12, 31))
    services.create_doel(werkgever=organisatie, jaar=2024, banen=D("2"))
    # 25.5 h from 1 July 2024 to 30 June 2025: half a job in 2024, half in 2025.
    approved_banenafspraak_registration(gemeente=zoetermeer, start=date(2024, 7, 1), end=date(2025, 6, 30),
                                        sr_user=team["srteam"])
    # 51 h for the whole of 2025 (within the contract): two jobs in 2025.
    approved_banenafspraak_registration(gemeente=zoetermeer, start=date(2025, 1, 1), end=date(2025, 12, 31), uren="51",
                                        referentie="WSP-2", sr_user=team["srteam"])
    in_2024 = selectors.council_figures(gemeente=zoetermeer, jaar=2024, with_region=False)
    assert in_2024.banen_via_social_return == D("0.50")
    assert in_2024.banen_totaal == D("1.00")  # never added to the quota realisation
    assert in_2024.percentage == D("50.00")
    in_2025 = selectors.council_figures(gemeente=zoetermeer, jaar=2025, with_region=False)
    assert in_2025.banen_via_social_return == D("2.50")
    body = api(team["srteam"]).get(f"/api/v1/werkgevers/{organisatie.pk}/banenafspraak?jaar=2024").json()
    assert (body["banenViaSocialReturn"], body["banenTotaal"]) == ("0.50", "1.00")


def test_only_approved_registrations_of_the_banenafspraak_bouwblok_of_this_municipality_count(team, organisatie,
                                                                                                zoetermeer, lansingerland):
    approved_banenafspraak_registration(gemeente=zoetermeer, start=date(2024, 7, 1), end=date(2025, 6, 30),
                                        decide="ingediend", referentie="A")
    approved_banenafspraak_registration(gemeente=zoetermeer, start=date(2024, 7, 1), end=date(2025, 6, 30),
                                        decide="afgekeurd", referentie="B", sr_user=team["srteam"])
    approved_banenafspraak_registration(gemeente=zoetermeer, start=date(2024, 7, 1), end=date(2025, 6, 30),
                                        bouwblok="participatiewet", referentie="C", sr_user=team["srteam"])
    approved_banenafspraak_registration(gemeente=lansingerland, start=date(2024, 7, 1), end=date(2025, 6, 30),
                                        referentie="D", sr_user=team["srteam"])
    figures = selectors.werkgever_figures(werkgever=organisatie, jaar=2024)
    assert figures.banen_via_social_return == D("0.00")


def test_spoor_3_is_shown_for_the_municipalitys_own_employer_only(team, organisatie, afdeling, zoetermeer):
    approved_banenafspraak_registration(gemeente=zoetermeer, start=date(2024, 7, 1), end=date(2025, 6, 30),
                                        sr_user=team["srteam"])
    assert selectors.werkgever_figures(werkgever=organisatie, jaar=2024).banen_via_social_return == D("0.50")
    assert selectors.werkgever_figures(werkgever=afdeling, jaar=2024).banen_via_social_return is None
