"""Inkoop enters an awarded contract: validation in Dutch, the obligation shown before saving, nothing
stored on bad input; value changes with their history."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract, ContractWijziging, Leverancier

URL = reverse("contracts:create")


def values(zoetermeer, **overrides):
    data = {
        "gemeente": str(zoetermeer.pk), "kenmerk": "ZM-2026-001", "omschrijving": "Groot onderhoud fietspaden",
        "leverancier_kvk": "12345678", "leverancier_naam": "", "categorie": "werken", "procedure": "europees",
        "gunningsdatum": "15-01-2024", "startdatum": "2024-03-01", "einddatum": "2026-02-28",
        "aanneemsom": "1.000.000,00", "loonsom": "400.000", "extra_percentage": "0",
    }
    data.update(overrides)
    return data


def preview_then_save(client, data):
    response = client.post(URL, {**data, "actie": "bereken"})
    assert response.status_code == 200
    key = response.context["form"].data["preview_sleutel"]
    return client.post(URL, {**data, "actie": "opslaan", "preview_sleutel": key})


def test_the_obligation_is_shown_before_saving_and_nothing_is_stored_yet(inkoop_client, zoetermeer, leverancier_a):
    response = inkoop_client.post(URL, {**values(zoetermeer), "actie": "bereken"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Berekende verplichting" in page
    assert "€\u00a050.000,00" in page  # 5% of € 1.000.000 (Dutch notation accepted on input)
    assert "Het volle percentage geldt" in page
    assert "Groen &amp; Grijs B.V." in page  # the known supplier by its KvK number
    assert 'value="opslaan"' in page
    assert not Contract.objects.exists()


def test_saving_after_the_preview_stores_the_contract_with_that_obligation(inkoop_client, team, zoetermeer, leverancier_a):
    response = preview_then_save(inkoop_client, values(zoetermeer))

    contract = Contract.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("contracts:detail", args=[contract.pk])
    assert contract.verplichting_bedrag == Decimal("50000.00")
    assert contract.leverancier == leverancier_a
    assert contract.aangemaakt_door == team["inkoop"]
    assert contract.aanneemsom == Decimal("1000000.00") and contract.gunningsdatum == date(2024, 1, 15)


def test_saving_with_changed_values_shows_the_new_obligation_first(inkoop_client, zoetermeer, leverancier_a):
    data = values(zoetermeer)
    first = inkoop_client.post(URL, {**data, "actie": "bereken"})
    key = first.context["form"].data["preview_sleutel"]

    response = inkoop_client.post(URL, {**data, "loonsom": "100.000", "actie": "opslaan", "preview_sleutel": key})

    assert response.status_code == 200
    page = response.content.decode()
    assert "De gegevens zijn gewijzigd sinds de berekening" in page
    assert "€\u00a020.000,00" in page  # loonsom below 30%: 2%
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"loonsom": "1.200.000"}, "loonsom", "De loonsom mag niet hoger zijn dan de aanneemsom."),
        ({"einddatum": "2024-02-01"}, "einddatum", "De einddatum ligt vóór de startdatum."),
        ({"aanneemsom": "veel"}, "aanneemsom", "Vul een bedrag in, bijvoorbeeld 1.234,56."),
        ({"aanneemsom": "-5"}, "aanneemsom", "Het bedrag mag niet negatief zijn."),
        ({"leverancier_kvk": "1234"}, "leverancier_kvk", "Een KvK-nummer bestaat uit precies 8 cijfers."),
        ({"leverancier_kvk": "99999999"}, "leverancier_naam",
         "Dit KvK-nummer is nog niet bekend: vul de naam van de leverancier in."),
        ({"extra_percentage": "120"}, "extra_percentage", "Het extra percentage ligt tussen 0 en 100."),
        ({"gunningsdatum": "31-02-2024"}, "gunningsdatum", "Vul een geldige datum in (dd-mm-jjjj)."),
    ],
)
@pytest.mark.parametrize("actie", ["bereken", "opslaan"])
def test_bad_input_gives_a_dutch_message_at_the_field_and_stores_nothing(
    inkoop_client, zoetermeer, leverancier_a, overrides, field, message, actie
):
    response = inkoop_client.post(URL, {**values(zoetermeer, **overrides), "actie": actie})

    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode()
    assert "Berekende verplichting" not in response.content.decode()
    assert not Contract.objects.exists()
    assert Leverancier.objects.count() == 2  # the fixtures' suppliers only


def test_an_award_date_in_the_future_is_refused(inkoop_client, zoetermeer, leverancier_a):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = inkoop_client.post(URL, {**values(zoetermeer, gunningsdatum=tomorrow), "actie": "bereken"})

    assert "De gunningsdatum mag niet in de toekomst liggen." in response.context["form"].errors["gunningsdatum"]


def test_a_new_supplier_is_created_with_the_contract(inkoop_client, zoetermeer):
    data = values(zoetermeer, leverancier_kvk="44556677", leverancier_naam="Nieuw Bouw B.V.")
    preview = inkoop_client.post(URL, {**data, "actie": "bereken"})
    assert "Nieuw: Nieuw Bouw B.V. wordt aangemaakt bij het opslaan." in preview.content.decode()
    assert not Leverancier.objects.filter(kvk_nummer="44556677").exists()

    preview_then_save(inkoop_client, data)

    contract = Contract.objects.get()
    assert contract.leverancier.kvk_nummer == "44556677" and contract.leverancier.naam == "Nieuw Bouw B.V."


def test_a_refused_contract_leaves_no_new_supplier_behind(team, zoetermeer, leverancier_a):
    from contracts import services
    from django.core.exceptions import ValidationError

    services.create_contract_with_supplier(
        user=team["inkoop"], leverancier_kvk="12345678", gemeente=zoetermeer, kenmerk="DUBBEL", omschrijving="x",
        categorie="werken", procedure="europees", gunningsdatum=date(2024, 1, 1), startdatum=date(2024, 1, 1),
        einddatum=date(2024, 12, 31), aanneemsom=Decimal("100"), loonsom=Decimal("50"),
    )
    with pytest.raises(ValidationError) as error:
        services.create_contract_with_supplier(
            user=team["inkoop"], leverancier_kvk="44556677", leverancier_naam="Nieuw B.V.", gemeente=zoetermeer,
            kenmerk="DUBBEL", omschrijving="x", categorie="werken", procedure="europees",
            gunningsdatum=date(2024, 1, 1), startdatum=date(2024, 1, 1), einddatum=date(2024, 12, 31),
            aanneemsom=Decimal("100"), loonsom=Decimal("50"),
        )
    assert "kenmerk" in error.value.message_dict
    assert not Leverancier.objects.filter(kvk_nummer="44556677").exists()


def test_a_duplicate_kenmerk_is_reported_at_the_preview(inkoop_client, zoetermeer, leverancier_a, contract):
    response = inkoop_client.post(URL, {**values(zoetermeer, kenmerk=contract.kenmerk), "actie": "bereken"})

    assert "Deze gemeente heeft al een contract met dit kenmerk." in response.context["form"].errors["kenmerk"]
    assert Contract.objects.count() == 1


def test_inkoop_cannot_choose_a_municipality_it_does_not_work_for(inkoop_client, zoetermeer, lansingerland):
    response = inkoop_client.post(URL, {**values(lansingerland), "actie": "bereken"})

    assert "gemeente" in response.context["form"].errors
    assert not Contract.objects.exists()


def test_suppliers_and_council_members_may_not_enter_contracts(client, team, zoetermeer):
    for role in ("leverancier_a", "raadslid"):
        client.force_login(team[role])
        assert client.get(URL).status_code == 403
        assert client.post(URL, {**values(zoetermeer), "actie": "opslaan"}).status_code == 403
    assert not Contract.objects.exists()


# --- value changes ------------------------------------------------------------------------------


def test_meerwerk_raises_the_obligation_and_the_history_is_shown(inkoop_client, contract):
    url = reverse("contracts:value_change", args=[contract.pk])
    response = inkoop_client.post(url, {"soort": "meerwerk", "datum": "01-06-2024", "bedrag": "200.000",
                                        "loonsom_bedrag": "80.000", "toelichting": "Extra fietspad"})

    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.actuele_aanneemsom == Decimal("1200000.00")
    assert contract.verplichting_bedrag == Decimal("60000.00")
    page = inkoop_client.get(url).content.decode()
    assert "Meerwerk" in page and "Extra fietspad" in page and "€\u00a0200.000,00" in page
    detail = inkoop_client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert "Extra fietspad" in detail


def test_minderwerk_may_be_entered_without_a_minus_sign(inkoop_client, contract):
    url = reverse("contracts:value_change", args=[contract.pk])
    inkoop_client.post(url, {"soort": "minderwerk", "datum": "2024-06-01", "bedrag": "100.000"})

    change = ContractWijziging.objects.get()
    assert change.bedrag == Decimal("-100000.00")
    contract.refresh_from_db()
    assert contract.verplichting_bedrag == Decimal("45000.00")


def test_an_extension_needs_a_new_end_date(inkoop_client, contract):
    url = reverse("contracts:value_change", args=[contract.pk])
    response = inkoop_client.post(url, {"soort": "verlenging", "datum": "2024-06-01"})

    assert "Vul de nieuwe einddatum in." in response.context["form"].errors["nieuwe_einddatum"]
    assert not ContractWijziging.objects.exists()


def test_a_settled_contract_takes_no_value_changes(inkoop_client, team, contract):
    from contracts import services

    services.settle_contract(contract=contract, besluit="Afgerekend", user=team["srteam"])
    url = reverse("contracts:value_change", args=[contract.pk])
    response = inkoop_client.post(url, {"soort": "meerwerk", "datum": "2024-06-01", "bedrag": "1000"})

    assert "Dit contract is afgerekend; een waardewijziging is niet meer mogelijk." in response.content.decode()
    assert not ContractWijziging.objects.exists()
