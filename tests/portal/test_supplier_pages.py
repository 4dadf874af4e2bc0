"""The supplier's pages: overview across municipalities, registering with a value preview,
submitting a year, seeing and correcting a rejection."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from bouwblokken import services
from bouwblokken.models import Registratie
from reporting.figures import recompute_contract_figures
from tests.factories import make_contract

PLACEMENT = {
    "referentie": "WSP-300", "initialen": "P.J.", "geboortejaar": "1978",
    "startdatum": "2024-04-01", "einddatum": "2025-09-30", "uren_per_week": "24",
}


@pytest.fixture
def contracts(team, zoetermeer, lansingerland, leverancier_a, leverancier_b):
    return {
        "a_zm": make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk="ZM-A-1"),
        "a_ll": make_contract(gemeente=lansingerland, leverancier=leverancier_a, kenmerk="LL-A-2",
                              aanneemsom=Decimal("2500000.00"), loonsom=Decimal("500000.00")),
        "b_zm": make_contract(gemeente=zoetermeer, leverancier=leverancier_b, kenmerk="ZM-B-1"),
    }


def test_the_overview_shows_only_own_contracts_across_municipalities_in_dutch_amounts(client, team, contracts):
    client.force_login(team["leverancier_a"])
    html = client.get(reverse("bouwblokken:overzicht")).text
    assert "ZM-A-1" in html and "LL-A-2" in html
    assert "ZM-B-1" not in html
    assert "Zoetermeer" in html and "Lansingerland" in html
    assert "€\u00a050.000,00" in html  # 5% of 1,000,000
    assert "€\u00a050.000,00" in html and "€\u00a050.000,00" in html
    assert "€\u00a0100.000" in html  # total obligation: 50,000 + 2% of 2,500,000


def test_the_overview_counter_moves_when_a_registration_is_approved(client, team, contracts):
    contract = contracts["a_zm"]
    registratie = services.register(
        contract=contract, bouwblok_code="sociaal_inkopen", user=team["leverancier_a"],
        startdatum=date(2024, 6, 1), bedrag=Decimal("12345.67"), omschrijving="Factuur",
    )
    services.submit(registratie=registratie)
    client.force_login(team["leverancier_a"])
    assert "€\u00a012.345,67" in client.get(reverse("bouwblokken:overzicht")).text  # pending
    services.decide(registratie=registratie, besluit="goedgekeurd", user=team["srteam"],
                    reden_zonder_bewijs="Bewijs buiten het portaal gezien.")
    html = client.get(reverse("bouwblokken:overzicht")).text
    assert "24,7% gerealiseerd" in html  # 12,345.67 of 50,000


def test_list_pages_run_a_fixed_number_of_queries(client, team, contracts, zoetermeer, leverancier_a,
                                                  django_assert_max_num_queries):
    client.force_login(team["leverancier_a"])

    def load(url):
        client.get(url)  # warm the session and templates
        with django_assert_max_num_queries(8) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    contract = contracts["a_zm"]
    services.register(contract=contract, bouwblok_code="ww", kandidaat={
        "referentie": "WSP-Q", "initialen": "Q.", "geboortejaar": 1980}, startdatum=date(2024, 6, 1),
        uren_per_week=Decimal("36"))
    overview_small = load(reverse("bouwblokken:overzicht"))
    contract_small = load(reverse("bouwblokken:contract", kwargs={"pk": contract.pk}))
    for n in range(6):
        extra = make_contract(gemeente=zoetermeer, leverancier=leverancier_a, kenmerk=f"ZM-EXTRA-{n}")
        services.register(contract=extra, bouwblok_code="sociaal_inkopen", startdatum=date(2024, 6, 1),
                          bedrag=Decimal("1000"), omschrijving="x")
        services.register(contract=contract, bouwblok_code="ww", kandidaat={
            "referentie": f"WSP-Q{n}", "initialen": "Q.", "geboortejaar": 1980}, startdatum=date(2024, 6, 1),
            uren_per_week=Decimal("36"))
    assert load(reverse("bouwblokken:overzicht")) == overview_small
    assert load(reverse("bouwblokken:contract", kwargs={"pk": contract.pk})) == contract_small


def test_bereken_waarde_shows_the_value_and_saves_nothing(client, team, contracts):
    contract = contracts["a_zm"]
    client.force_login(team["leverancier_a"])
    url = reverse("bouwblokken:nieuw", kwargs={"pk": contract.pk, "code": "participatiewet"})
    response = client.post(url, {**PLACEMENT, "actie": "bereken"})
    assert response.status_code == 200
    # 2019 catalogue (award 2024-02-01 is after 2023-07-01? no: Feb 2024 is after, so the 2023 version):
    # 40,000 × 24/36 × 18/12, capped at 24 months → 40,000.00
    assert "Deze registratie telt mee voor" in response.text
    assert "€\u00a040.000,00" in response.text
    assert not Registratie.objects.exists()

    saved = client.post(url, {**PLACEMENT, "actie": "opslaan"})
    registratie = Registratie.objects.get()
    assert saved.status_code == 302 and saved.headers["Location"] == reverse("bouwblokken:registratie", kwargs={"pk": registratie.pk})
    assert registratie.status == "concept" and registratie.waarde == Decimal("40000.00")


def test_a_bsn_as_reference_is_refused_at_the_field(client, team, contracts):
    client.force_login(team["leverancier_a"])
    url = reverse("bouwblokken:nieuw", kwargs={"pk": contracts["a_zm"].pk, "code": "participatiewet"})
    response = client.post(url, {**PLACEMENT, "referentie": "111222333", "actie": "opslaan"})
    assert response.status_code == 200
    assert 'id="id_referentie_error"' in response.text
    assert "Dit lijkt een burgerservicenummer" in response.text
    assert not Registratie.objects.exists()


def test_a_date_outside_the_contract_is_shown_at_the_field_in_dutch(client, team, contracts):
    client.force_login(team["leverancier_a"])
    url = reverse("bouwblokken:nieuw", kwargs={"pk": contracts["a_zm"].pk, "code": "sociaal_inkopen"})
    response = client.post(url, {"startdatum": "2030-01-01", "bedrag": "1.000,00", "omschrijving": "Factuur",
                                 "actie": "bereken"})
    assert 'id="id_startdatum_error"' in response.text
    assert "De datum ligt na het einde van het contract." in response.text
    assert 'id="id_bedrag_error"' not in response.text  # "1.000,00" is a valid Dutch amount


def test_submitting_a_year_asks_for_confirmation_first(client, team, contracts):
    contract = contracts["a_zm"]
    for month in (5, 6):
        services.register(contract=contract, bouwblok_code="sociaal_inkopen", startdatum=date(2024, month, 1),
                          bedrag=Decimal("1000.00"), omschrijving=f"Factuur {month}")
    services.register(contract=contract, bouwblok_code="sociaal_inkopen", startdatum=date(2025, 2, 1),
                      bedrag=Decimal("500.00"), omschrijving="Factuur 2025")
    client.force_login(team["leverancier_a"])
    url = reverse("bouwblokken:jaar_indienen", kwargs={"pk": contract.pk, "jaar": 2024})
    confirm = client.get(url)
    assert "2 registraties om in te dienen" in confirm.text and "€\u00a02.000,00" in confirm.text
    assert "2 registraties missen nog bewijs" in confirm.text
    assert confirm.text.count("Nog nodig: factuur, betaalbewijs") == 2
    assert set(Registratie.objects.values_list("status", flat=True)) == {"concept"}
    response = client.post(url, follow=True)
    assert "2 registraties over 2024 ingediend" in response.text
    assert sorted(Registratie.objects.values_list("startdatum__year", "status")) == [
        (2024, "ingediend"), (2024, "ingediend"), (2025, "concept")]


def test_a_rejection_shows_its_reason_and_can_be_corrected(client, team, contracts):
    contract = contracts["a_zm"]
    registratie = services.register(contract=contract, bouwblok_code="sociaal_inkopen", startdatum=date(2024, 5, 1),
                                    bedrag=Decimal("1000.00"), omschrijving="Factuur")
    services.submit(registratie=registratie)
    services.decide(registratie=registratie, besluit="afgekeurd", toelichting="De factuur is niet betaald.",
                    user=team["srteam"])
    client.force_login(team["leverancier_a"])
    overview = client.get(reverse("bouwblokken:overzicht")).text
    assert "Reden: De factuur is niet betaald." in overview
    detail = client.get(reverse("bouwblokken:registratie", kwargs={"pk": registratie.pk})).text
    assert "Afgekeurd door het SR-team" in detail and "De factuur is niet betaald." in detail

    url = reverse("bouwblokken:wijzigen", kwargs={"pk": registratie.pk})
    registratie.refresh_from_db()
    response = client.post(url, {"startdatum": "2024-05-01", "bedrag": "900,00", "omschrijving": "Betaalde factuur",
                                 "versie": registratie.versie, "actie": "opslaan"})
    assert response.status_code == 302
    registratie.refresh_from_db()
    assert registratie.status == "concept" and registratie.waarde == Decimal("900.00")


def test_another_suppliers_contract_and_registration_are_not_found(client, team, contracts):
    registratie = services.register(contract=contracts["b_zm"], bouwblok_code="sociaal_inkopen",
                                    startdatum=date(2024, 5, 1), bedrag=Decimal("1000.00"), omschrijving="B")
    client.force_login(team["leverancier_a"])
    for url in (
        reverse("bouwblokken:contract", kwargs={"pk": contracts["b_zm"].pk}),
        reverse("bouwblokken:nieuw", kwargs={"pk": contracts["b_zm"].pk, "code": "sociaal_inkopen"}),
        reverse("bouwblokken:registratie", kwargs={"pk": registratie.pk}),
        reverse("bouwblokken:wijzigen", kwargs={"pk": registratie.pk}),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("bouwblokken:indienen", kwargs={"pk": registratie.pk})).status_code == 404
    registratie.refresh_from_db()
    assert registratie.status == "concept"


def test_a_raadslid_sees_only_aggregates_of_its_municipality(client, team, contracts, django_assert_max_num_queries):
    client.force_login(team["raadslid"])
    assert client.get(reverse("bouwblokken:overzicht")).status_code == 403
    recompute_contract_figures()  # the council pages read the stored figures (reporting.figures)
    assert client.get(reverse("raad:gemeente", kwargs={"code": "GM0637"}) + "?jaar=2025").url == "/rapportage/GM0637/2025/"
    url = "/rapportage/GM0637/2025/"  # the one council page of the year
    client.get(url)
    with django_assert_max_num_queries(14):  # as tests/reporting/test_dashboard.py pins it
        html = client.get(url).text
    assert "Social return in Zoetermeer" in html
    assert "€\u00a0100.000" in html  # two Zoetermeer contracts of 50,000 ran in 2025
    assert "ZM-A-1" not in html and "Groen &amp; Grijs" not in html  # no contracts, no suppliers
    assert client.get(reverse("raad:gemeente", kwargs={"code": "GM1621"})).status_code == 404
